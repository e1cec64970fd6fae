//! `funcdeck logs FN -n NS [--revision REV] [--since 15m] [-q QUERY] [--limit N] [-f]
//! [--source auto|elasticsearch|pods] [-o text|json]`: a function's logs, newest `--limit`
//! lines oldest first, from Elasticsearch when the context has one (config, else found in the
//! cluster), else straight from its pods. stderr says which and why.
//!
//! `-q` is Lucene syntax for Elasticsearch, passed as typed (a mistake comes back as the
//! server's reason). The pods have no search engine: there `-q` keeps the lines that contain
//! the text, ignoring case (see `funcdeck_core::podlogs::TextFilter`), and stderr says so when
//! the query looks like Lucene. JSON is one object, `{"source", "lines": [...]}`; with `-f`
//! it is one line object per line, until interrupted. Text is
//! `TIMESTAMP pod/container LEVEL message`, every control byte shown inert.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};
use funcdeck_core::backend::BackendError;
use funcdeck_core::cluster::{self, Connection};
use funcdeck_core::elastic::{ElasticClient, LogLine, LogQuery, Order, Scope};
use funcdeck_core::podlogs::{self, PodLogRequest, TextFilter};
use funcdeck_core::text::{reveal, sanitize};
use serde::Serialize;

use super::ClusterArgs;
use crate::config::Config;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The function's name
    #[arg(value_name = "FN", value_parser = super::parse_function_name)]
    pub name: String,
    /// Only this revision's logs
    #[arg(long, value_name = "REV", value_parser = super::parse_function_name)]
    pub revision: Option<String>,
    /// How far back, e.g. 30s, 15m, 2h
    #[arg(long, default_value = "15m", value_name = "D", value_parser = funcdeck_core::duration::parse)]
    pub since: Duration,
    /// Lucene query for Elasticsearch (e.g. 'error AND cart'); with the pods' logs,
    /// text the lines must contain (ignoring case)
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query: Option<String>,
    /// At most this many lines, the newest (with -f: the history shown first; from the
    /// pods, per container)
    #[arg(long, default_value_t = 500, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,
    /// Keep printing new lines until interrupted
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Where to read: auto (Elasticsearch when found, else the pods), elasticsearch, pods
    #[arg(long, value_enum, default_value_t = SourceChoice::Auto)]
    pub source: SourceChoice,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = LogsFormat::Text)]
    pub output: LogsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceChoice {
    Auto,
    Elasticsearch,
    Pods,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogsFormat {
    Text,
    Json,
}

/// Where the lines come from.
enum Reader {
    Elastic(Box<ElasticClient>),
    Pods,
}

impl Reader {
    fn word(&self) -> &'static str {
        match self {
            Self::Elastic(_) => "elasticsearch",
            Self::Pods => "pods",
        }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    source: &'static str,
    lines: &'a [LogLine],
}

pub async fn logs(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &LogsArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    // A typo should say "not found", not "no lines".
    funcdeck_core::functions::get_function(&conn, &namespace, &args.name).await?;
    if let Some(revision) = &args.revision {
        check_revision(&conn, &namespace, &args.name, revision).await?;
    }
    let reader = choose(config, &conn, args, err).await?;
    let subject = format!("{namespace}/{}", args.name);
    if args.follow && matches!(reader, Reader::Pods) {
        let filter = pod_filter(args, err)?;
        return super::logs_follow::pods(&conn, &namespace, args, filter, out, err).await;
    }
    let lines = match &reader {
        Reader::Elastic(client) => {
            let query = elastic_query(&namespace, args, chrono::Utc::now());
            let mut page = client
                .search(&query)
                .await
                .with_context(|| format!("cannot search the logs of {subject}"))?;
            page.lines.reverse();
            page.lines
        }
        Reader::Pods => {
            let filter = pod_filter(args, err)?;
            let request = pod_request(&namespace, args, &filter, false);
            let read = podlogs::read(&conn, &request)
                .await
                .with_context(|| format!("cannot read the pods' logs of {subject}"))?;
            if read.pods == 0 {
                writeln!(err, "{subject} has no pods now (scaled to zero?)")?;
            }
            for note in &read.notes {
                writeln!(err, "warning: {}", sanitize(note))?;
            }
            let mut lines: Vec<LogLine> = read
                .lines
                .into_iter()
                .filter(|l| filter.matches(l))
                .collect();
            lines.drain(..lines.len().saturating_sub(args.limit as usize));
            lines
        }
    };
    if let (true, Reader::Elastic(client)) = (args.follow, &reader) {
        return super::logs_follow::elastic(client, &namespace, args, lines, out, err).await;
    }
    match args.output {
        LogsFormat::Json => {
            let report = Report {
                source: reader.word(),
                lines: &lines,
            };
            serde_json::to_writer_pretty(&mut *out, &report).context("writing JSON")?;
            writeln!(out)?;
        }
        LogsFormat::Text => {
            for line in &lines {
                write_text(out, line)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// The revision exists and is this function's.
async fn check_revision(
    conn: &Connection,
    namespace: &str,
    function: &str,
    revision: &str,
) -> anyhow::Result<()> {
    let found = funcdeck_core::revisions::get_revision(conn, namespace, revision)
        .await
        .map_err(|error| match error {
            funcdeck_core::CoreError::NotFound { .. } => {
                anyhow::anyhow!("revision \"{revision}\" not found in namespace \"{namespace}\"")
            }
            error => error.into(),
        })?;
    let owner = found
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(funcdeck_core::labels::SERVICE));
    match owner {
        Some(owner) if owner != function => anyhow::bail!(
            "revision \"{revision}\" belongs to function \"{}\", not \"{function}\"",
            sanitize(owner)
        ),
        _ => Ok(()),
    }
}

/// Elasticsearch when asked for or found, else the pods; stderr says which and why.
async fn choose(
    config: &Config,
    conn: &Connection,
    args: &LogsArgs,
    err: &mut impl Write,
) -> anyhow::Result<Reader> {
    if args.source == SourceChoice::Pods {
        writeln!(err, "reading the pods' logs (--source pods)")?;
        return Ok(Reader::Pods);
    }
    let located =
        funcdeck_core::elastic::locate(config.elasticsearch_for(&conn.context), Some(&conn.client))
            .await;
    let client = match located {
        Ok(client) => client.with_indices(config.elasticsearch_indices_for(&conn.context)),
        Err(error @ BackendError::NotFound { .. }) if args.source == SourceChoice::Auto => {
            writeln!(
                err,
                "{}; reading the pods' logs",
                sanitize(&error.to_string())
            )?;
            return Ok(Reader::Pods);
        }
        Err(error @ BackendError::NotFound { .. }) => {
            anyhow::bail!("{error}\n{}", crate::format::HOW_TO_GET_ELASTICSEARCH)
        }
        Err(error) => return Err(error.into()),
    };
    client.ready().await?;
    writeln!(
        err,
        "reading {} (indices {})",
        sanitize(&client.source()),
        sanitize(client.indices())
    )?;
    Ok(Reader::Elastic(Box::new(client)))
}

/// The newest `--limit` lines of the window, newest first.
pub(super) fn elastic_query(
    namespace: &str,
    args: &LogsArgs,
    now: chrono::DateTime<chrono::Utc>,
) -> LogQuery {
    let since = chrono::Duration::from_std(args.since).unwrap_or(chrono::Duration::MAX);
    let scope = Scope {
        revision: args.revision.clone(),
        ..Scope::function(namespace, &args.name)
    };
    LogQuery::new(scope)
        .with_text(args.query.as_deref().unwrap_or(""))
        .with_range(now.checked_sub_signed(since), None)
        .with_size(args.limit as usize)
        .with_order(Order::NewestFirst)
}

/// `-q` for the pods, and a word on stderr when it looks like Lucene it will not read.
fn pod_filter(args: &LogsArgs, err: &mut impl Write) -> anyhow::Result<TextFilter> {
    let filter = TextFilter::new(args.query.as_deref().unwrap_or(""));
    if let Some(what) = filter.lucene_hint() {
        writeln!(
            err,
            "note: without Elasticsearch -q matches text (lines containing it, ignoring case); \
             its {what} are not interpreted"
        )?;
    }
    Ok(filter)
}

pub(super) fn pod_request(
    namespace: &str,
    args: &LogsArgs,
    filter: &TextFilter,
    follow: bool,
) -> PodLogRequest {
    // A filter thins the lines out after reading: read a container's whole window then.
    let tail = match (follow, filter.is_empty()) {
        (false, false) => podlogs::DEFAULT_TAIL,
        _ => args.limit as usize,
    };
    PodLogRequest {
        revision: args.revision.clone(),
        since: Some(args.since),
        tail: Some(tail),
        ..PodLogRequest::function(namespace, &args.name)
    }
}

/// `TIMESTAMP pod/container LEVEL message`, nothing from the cluster able to act on the
/// terminal.
pub(super) fn write_text(out: &mut impl Write, line: &LogLine) -> std::io::Result<()> {
    let level = line.level.map_or("-", |l| l.as_str()).to_ascii_uppercase();
    writeln!(
        out,
        "{} {}/{} {level:<5} {}",
        line.timestamp
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        reveal(&line.pod),
        reveal(&line.container),
        line.inert_message(),
    )
}

/// One line object, on a line of its own (`-f -o json`).
pub(super) fn write_json_line(out: &mut impl Write, line: &LogLine) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, line).context("writing JSON")?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests;

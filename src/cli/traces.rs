//! `funcdeck traces FN -n NS [--since 1h] [--min-duration 500ms] [--errors] [--limit N]
//! [--cold-starts] [-o json|table]`: a function's recent traces from Jaeger, one line each
//! (start, duration, spans, errors, the revision that served it, its cold start), and the cold
//! starts over the window (count, p50, p95). Jaeger comes from the config, else from the
//! cluster (`observability/jaeger-query` and the usual names, through the service proxy).

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use funcdeck_core::cluster::{self, Connection};
use funcdeck_core::jaeger::function::function_traces;
use funcdeck_core::jaeger::knative::COLD_START_THRESHOLD;
use funcdeck_core::jaeger::{JaegerClient, TraceQuery, TraceSummary, TracesReport, locate};
use serde::Serialize;

use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::config::Config;

#[derive(Debug, Args)]
pub struct TracesArgs {
    /// The function's name
    #[arg(value_name = "FN", value_parser = super::parse_function_name)]
    pub name: String,
    /// How far back to search, e.g. 15m, 1h, 2d
    #[arg(long, default_value = "1h", value_name = "D", value_parser = funcdeck_core::duration::parse)]
    pub since: Duration,
    /// Only traces at least this long, e.g. 500ms, 2s
    #[arg(long, value_name = "D", value_parser = funcdeck_core::duration::parse)]
    pub min_duration: Option<Duration>,
    /// Only traces with an error span
    #[arg(long)]
    pub errors: bool,
    /// At most this many traces
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1500))]
    pub limit: u32,
    /// Only the traces that waited for a cold start (the figures still cover all)
    #[arg(long)]
    pub cold_starts: bool,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// Where traces came from.
#[derive(Debug, Serialize)]
struct TracesSource {
    jaeger: String,
    /// `v3` or `classic`: the query API that answered.
    api: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    function: &'a str,
    namespace: &'a str,
    since: String,
    source: TracesSource,
    #[serde(flatten)]
    report: TracesReport,
}

/// The context's Jaeger, or an error naming Jaeger, what was tried and how to get one.
pub async fn jaeger_for(config: &Config, conn: &Connection) -> anyhow::Result<JaegerClient> {
    locate(config.jaeger_for(&conn.context), Some(&conn.client))
        .await
        .map_err(|error| match error {
            funcdeck_core::backend::BackendError::NotFound { .. } => {
                anyhow::anyhow!("{error}\n{}", crate::format::HOW_TO_GET_JAEGER)
            }
            error => error.into(),
        })
}

pub async fn traces(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &TracesArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    // A typo should say "not found", not "no traces".
    funcdeck_core::functions::get_function(&conn, &namespace, &args.name).await?;
    let jaeger = jaeger_for(config, &conn).await?;
    let mut query = TraceQuery::recent(&args.name, args.since, chrono::Utc::now());
    query.min_duration = args.min_duration;
    query.errors_only = args.errors;
    query.limit = args.limit as usize;
    let traces = function_traces(&jaeger, &namespace, &args.name, &query)
        .await
        .with_context(|| format!("cannot search the traces of {namespace}/{}", args.name))?;
    let summaries: Vec<TraceSummary> = traces
        .iter()
        .map(|t| TraceSummary::of(t, COLD_START_THRESHOLD))
        .collect();
    let since = funcdeck_core::duration::human(args.since);
    let report = Report {
        function: &args.name,
        namespace: &namespace,
        since: since.clone(),
        source: TracesSource {
            jaeger: jaeger.source().to_owned(),
            api: jaeger.api().map(api_word),
        },
        report: TracesReport::new(summaries, args.cold_starts),
    };
    match args.output {
        OutputFormat::Table => {
            let cold = &report.report.cold_starts;
            writeln!(
                err,
                "{namespace}/{} over the last {since}, from {}: {} cold start{} (p50 {}, p95 {})",
                args.name,
                report.source.jaeger,
                cold.count,
                if cold.count == 1 { "" } else { "s" },
                ms_cell(cold.p50_ms),
                ms_cell(cold.p95_ms),
            )?;
            let rows: Vec<Vec<String>> = report.report.traces.iter().map(row).collect();
            let headers = [
                "TRACE ID",
                "START",
                "DURATION",
                "SPANS",
                "ERRORS",
                "REVISION",
                "COLD START",
            ];
            write_table(out, &headers, &rows)?;
        }
        format => super::quota::write_structured(out, format, &report)?,
    }
    out.flush()?;
    Ok(())
}

/// `v3` or `classic`, for JSON.
pub(super) fn api_word(api: funcdeck_core::jaeger::Api) -> &'static str {
    match api {
        funcdeck_core::jaeger::Api::V3 => "v3",
        funcdeck_core::jaeger::Api::Classic => "classic",
    }
}

/// Milliseconds for a table: `-` for none.
pub(super) fn ms_cell(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".to_owned(), crate::format::millis)
}

fn row(t: &TraceSummary) -> Vec<String> {
    vec![
        t.trace_id.to_string(),
        t.start.map_or_else(
            || "-".to_owned(),
            |s| s.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ),
        crate::format::millis(t.duration_ms),
        t.span_count.to_string(),
        t.errors.to_string(),
        funcdeck_core::text::sanitize(t.revision.as_deref().unwrap_or("-")).into_owned(),
        ms_cell(t.cold_start_ms),
    ]
}

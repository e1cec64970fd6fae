//! `funcdeck logs -f`: the history first, then new lines as they come, until SIGINT/SIGTERM
//! (a clean exit) or a closed stdout (a broken pipe, also clean: see `main`).
//!
//! From Elasticsearch it polls with `search_after` through `elastic::Tail` (no duplicates, no
//! gaps); from the pods it drives `podlogs::follow` (pods picked up and let go as the function
//! scales; `+ pod/container` and `- pod/container` on stderr, as stern says it).

use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::elastic::{ElasticClient, LineParser, LogLine, Tail};
use funcdeck_core::podlogs::{self, PodLogEvent, TextFilter};
use funcdeck_core::text::sanitize;

use super::logs::{LogsArgs, LogsFormat, elastic_query, pod_request, write_json_line, write_text};

/// How often Elasticsearch is asked for new lines (its index refreshes every second).
const POLL: Duration = Duration::from_secs(1);

/// Follows Elasticsearch after printing `history` (the newest lines, oldest first).
pub(super) async fn elastic(
    client: &ElasticClient,
    namespace: &str,
    args: &LogsArgs,
    history: Vec<LogLine>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let shutdown = super::sandbox::shutdown_signal()?;
    tokio::pin!(shutdown);
    for line in &history {
        print(args.output, line, out)?;
    }
    out.flush()?;
    // From the oldest line shown, skipping those shown: a line that became searchable late
    // still comes, none comes twice.
    let now = chrono::Utc::now();
    let base = elastic_query(namespace, args, now);
    let floor = history
        .first()
        .map_or(base.from.unwrap_or(now), |l| l.timestamp);
    let shown: HashSet<String> = history.into_iter().map(|l| l.id).collect();
    let mut tail = Tail::new(floor);
    let mut parser = LineParser::default();
    let mut ticks = tokio::time::interval(POLL);
    let mut last_error = None;
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            _ = ticks.tick() => {}
        }
        match client.poll(&mut tail, &base, &mut parser).await {
            Ok(lines) => {
                last_error = None;
                for line in lines.iter().filter(|l| !shown.contains(&l.id)) {
                    print(args.output, line, out)?;
                }
                out.flush()?;
            }
            // Said once per new reason; the tail goes on from where it was.
            Err(error) => {
                let text = error.to_string();
                if last_error.as_ref() != Some(&text) {
                    writeln!(err, "warning: {}; retrying", sanitize(&text))?;
                    last_error = Some(text);
                }
            }
        }
    }
}

/// Follows every pod of the function (`--limit` lines of history per container first).
pub(super) async fn pods(
    conn: &Connection,
    namespace: &str,
    args: &LogsArgs,
    filter: TextFilter,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let shutdown = super::sandbox::shutdown_signal()?;
    tokio::pin!(shutdown);
    let request = pod_request(namespace, args, &filter, true);
    let mut live = podlogs::follow(conn, request);
    loop {
        let event = tokio::select! {
            () = &mut shutdown => return Ok(()),
            event = live.events.recv() => event,
        };
        match event {
            None => return Ok(()),
            Some(PodLogEvent::Lines(lines)) => {
                for line in lines.iter().filter(|l| filter.matches(l)) {
                    print(args.output, line, out)?;
                }
                out.flush()?;
            }
            Some(PodLogEvent::Started { pod, container }) => {
                writeln!(err, "+ {}/{}", sanitize(&pod), sanitize(&container))?;
            }
            Some(PodLogEvent::Ended {
                pod,
                container,
                reason,
            }) => {
                let why = reason.map(|r| format!(" ({})", sanitize(&r)));
                let (pod, container) = (sanitize(&pod), sanitize(&container));
                writeln!(err, "- {pod}/{container}{}", why.unwrap_or_default())?;
            }
            Some(PodLogEvent::Notice(note)) => {
                writeln!(err, "warning: {}", sanitize(&note))?;
            }
        }
    }
}

fn print(format: LogsFormat, line: &LogLine, out: &mut impl Write) -> anyhow::Result<()> {
    match format {
        LogsFormat::Json => write_json_line(out, line),
        LogsFormat::Text => Ok(write_text(out, line)?),
    }
}

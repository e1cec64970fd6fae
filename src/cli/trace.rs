//! `funcdeck trace TRACE_ID [-o json|table]`: one trace from Jaeger — as a text waterfall
//! (each span indented under its parent, its offset and duration, a bar on the trace's time
//! line, errors, the critical path and the cold start marked), or every span as JSON.

use std::collections::HashSet;
use std::io::Write;

use clap::Args;
use funcdeck_core::cluster;
use funcdeck_core::jaeger::critical::critical_path;
use funcdeck_core::jaeger::knative::{COLD_START_THRESHOLD, cold_start};
use funcdeck_core::jaeger::waterfall::rows;
use funcdeck_core::jaeger::{Span, SpanTree, Trace, TraceId, TraceSummary};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::output::write_table;
use super::traces::{api_word, jaeger_for, ms_cell};
use super::{ClusterArgs, OutputFormat};
use crate::config::Config;

/// Characters of the text waterfall's time line.
const BAR_WIDTH: usize = 40;

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The trace's id (hex, as `funcdeck traces` prints it)
    #[arg(value_name = "TRACE_ID")]
    pub id: String,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    summary: TraceSummary,
    source: String,
    api: Option<&'static str>,
    spans: &'a [Span],
    warnings: &'a [String],
}

pub async fn trace(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &TraceArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let jaeger = jaeger_for(config, &conn).await?;
    let trace = jaeger.trace(&TraceId::new(&args.id)).await?;
    let summary = TraceSummary::of(&trace, COLD_START_THRESHOLD);
    match args.output {
        OutputFormat::Table => {
            writeln!(
                err,
                "trace {} · {} spans · {} · {} error{} · cold start {} · from {}",
                summary.trace_id,
                summary.span_count,
                crate::format::millis(summary.duration_ms),
                summary.errors,
                if summary.errors == 1 { "" } else { "s" },
                ms_cell(summary.cold_start_ms),
                jaeger.source()
            )?;
            for warning in &trace.warnings {
                writeln!(err, "warning: {}", sanitize(warning))?;
            }
            let (headers, cells) = waterfall(&trace);
            write_table(out, &headers, &cells)?;
        }
        format => {
            let report = Report {
                summary,
                source: jaeger.source().to_owned(),
                api: jaeger.api().map(api_word),
                spans: &trace.spans,
                warnings: &trace.warnings,
            };
            super::quota::write_structured(out, format, &report)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The waterfall as table rows: `*` marks the critical path, `✗` an error, `❄` the cold start.
fn waterfall(trace: &Trace) -> ([&'static str; 5], Vec<Vec<String>>) {
    let tree = SpanTree::build(trace);
    let critical = critical_path(trace, &tree);
    let cold = cold_start(trace, &tree)
        .filter(|c| c.is_cold(COLD_START_THRESHOLD))
        .map(|c| c.span);
    let total = trace.duration_us().max(1);
    let cells = rows(trace, &tree, &HashSet::new())
        .into_iter()
        .map(|row| {
            let span = &trace.spans[row.span];
            let mut marks = String::new();
            if critical.contains(row.span) {
                marks.push('*');
            }
            if span.error {
                marks.push('✗');
            }
            if cold == Some(row.span) {
                marks.push('❄');
            }
            vec![
                format!("{:.3}ms", row.offset_us as f64 / 1000.0),
                crate::format::millis(row.duration_us as f64 / 1000.0),
                marks,
                bar(row.offset_us, row.duration_us, total),
                format!(
                    "{}{} {}",
                    "  ".repeat(row.depth),
                    sanitize(&span.service),
                    sanitize(&span.operation)
                ),
            ]
        })
        .collect();
    (["OFFSET", "DURATION", "", "TIMELINE", "SPAN"], cells)
}

/// The span's place on the trace's time line, at least one block wide.
fn bar(offset_us: i64, duration_us: i64, total_us: i64) -> String {
    let scale = |us: i64| (us.max(0) as f64 / total_us as f64 * BAR_WIDTH as f64) as usize;
    let start = scale(offset_us).min(BAR_WIDTH - 1);
    let length = scale(duration_us).clamp(1, BAR_WIDTH - start);
    format!(
        "|{}{}{}|",
        " ".repeat(start),
        "█".repeat(length),
        " ".repeat(BAR_WIDTH - start - length)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_sit_on_the_trace_time_line() {
        assert_eq!(bar(0, 100, 100), format!("|{}|", "█".repeat(40)));
        assert_eq!(
            bar(50, 1, 100),
            format!("|{}█{}|", " ".repeat(20), " ".repeat(19))
        );
        assert_eq!(
            bar(100, 0, 100),
            format!("|{}█|", " ".repeat(39)),
            "never off the end"
        );
    }
}

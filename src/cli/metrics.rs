//! `funcdeck metrics FN -n NS [--revision REV] [--since 15m] [-o json|table]`: a function's
//! figures from Prometheus over the period — requests per second, p50/p95/p99 latency, the 5xx
//! ratio, concurrency and pods now, cold starts in the period — in total and per revision. A
//! figure with no data is `null` (`-` in the table), never a made-up zero. Prometheus comes from
//! the config, else from the cluster (as the metrics pane finds it).

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use funcdeck_core::cluster;
use funcdeck_core::prometheus::dialect::{Dialect, Selector};
use funcdeck_core::prometheus::figures::{Figures, RevisionFigures};
use funcdeck_core::prometheus::{PrometheusClient, locate, reading, source};
use serde::Serialize;

use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::config::Config;

/// Samples of pod counts (for cold starts) every this long.
const STEP: Duration = Duration::from_secs(15);

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// The function's name
    #[arg(value_name = "FN", value_parser = super::parse_function_name)]
    pub name: String,
    /// Only this revision
    #[arg(long, value_name = "REV", value_parser = super::parse_function_name)]
    pub revision: Option<String>,
    /// The period the figures cover, e.g. 15m, 1h, 7d
    #[arg(long, default_value = "15m", value_name = "D", value_parser = funcdeck_core::duration::parse)]
    pub since: Duration,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// Where figures came from: the Prometheus and the Knative metrics era it speaks.
#[derive(Debug, Serialize)]
pub struct MetricsSource {
    pub prometheus: String,
    pub era: funcdeck_core::prometheus::dialect::Era,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    function: &'a str,
    namespace: &'a str,
    since: String,
    source: MetricsSource,
    total: Figures,
    revisions: Vec<RevisionFigures>,
}

/// The context's Prometheus and its dialect, or an error naming Prometheus and what was tried.
pub async fn prometheus_for(
    config: &Config,
    conn: &cluster::Connection,
) -> anyhow::Result<(PrometheusClient, Dialect)> {
    let era = config
        .metrics_era_for(&conn.context)
        .map_err(anyhow::Error::msg)
        .context("config.toml")?;
    let prometheus = match locate(config.prometheus_for(&conn.context), Some(&conn.client)).await {
        Ok(prometheus) => prometheus,
        Err(error) => {
            let error = funcdeck_core::error::CoreError::from(error);
            return Err(match crate::format::prometheus_hint(&error) {
                Some(hint) => anyhow::anyhow!("{error}\n{hint}"),
                None => error.into(),
            });
        }
    };
    let dialect = source::dialect_of(&prometheus, era).await?;
    Ok((prometheus, dialect))
}

pub fn now_seconds() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

pub async fn metrics(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &MetricsArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    // A typo should say "not found", not print a page of empty figures.
    funcdeck_core::functions::get_function(&conn, &namespace, &args.name).await?;
    let (prometheus, dialect) = prometheus_for(config, &conn).await?;
    let selector = Selector {
        namespace: namespace.clone(),
        function: args.name.clone(),
        revision: args.revision.clone(),
    };
    let (total, revisions) = reading::function_figures(
        &prometheus,
        &dialect,
        &selector,
        args.since,
        STEP,
        now_seconds(),
    )
    .await
    .with_context(|| format!("cannot read the metrics of {namespace}/{}", args.name))?;
    let since = funcdeck_core::duration::human(args.since);
    let report = Report {
        function: &args.name,
        namespace: &namespace,
        since: since.clone(),
        source: MetricsSource {
            prometheus: prometheus.source().to_owned(),
            era: dialect.era,
        },
        total,
        revisions,
    };
    match args.output {
        OutputFormat::Table => {
            writeln!(
                err,
                "{namespace}/{} over the last {since}, from {} ({})",
                args.name, report.source.prometheus, dialect.era
            )?;
            let rows: Vec<Vec<String>> = std::iter::once(("total", &report.total))
                .chain(
                    report
                        .revisions
                        .iter()
                        .map(|r| (r.name.as_str(), &r.figures)),
                )
                .map(|(name, f)| row(name, f))
                .collect();
            let headers = [
                "REVISION",
                "REQ/S",
                "P50 MS",
                "P95 MS",
                "P99 MS",
                "5XX",
                "CONCURRENCY",
                "PODS",
                "COLD STARTS",
            ];
            write_table(out, &headers, &rows)?;
        }
        format => super::quota::write_structured(out, format, &report)?,
    }
    out.flush()?;
    Ok(())
}

fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

fn row(name: &str, f: &Figures) -> Vec<String> {
    let pods = match (f.pods.desired, f.pods.actual) {
        (None, None) => "-".to_owned(),
        (desired, actual) => format!("{}/{}", cell(actual, 0), cell(desired, 0)),
    };
    vec![
        funcdeck_core::text::sanitize(name).into_owned(),
        cell(f.requests_per_second, 2),
        cell(f.latency_ms.p50, 1),
        cell(f.latency_ms.p95, 1),
        cell(f.latency_ms.p99, 1),
        f.error_ratio
            .map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0)),
        cell(f.concurrency, 2),
        pods,
        cell(f.cold_starts, 0),
    ]
}

//! `funcdeck usage [-n NS | -A] [--since 30d] [-o json|table]`: metering from Prometheus —
//! invocations, pod-seconds, and the allocated GB-seconds and CPU-seconds (each revision's
//! requests × the seconds its pods ran) per function and per tenant over the period.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use funcdeck_core::cluster;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::metering::{FunctionUsage, TenantUsage, meter, revision_requests};
use funcdeck_core::prometheus::reading;
use serde::Serialize;

use super::metrics::{MetricsSource, now_seconds, prometheus_for};
use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::config::Config;

/// Pods are sampled this often for pod-seconds (fine enough for a bill, cheap over 30 days).
const STEP: Duration = Duration::from_secs(60);

#[derive(Debug, Args)]
pub struct UsageArgs {
    /// The period, e.g. 24h, 7d, 30d
    #[arg(long, default_value = "30d", value_name = "D", value_parser = funcdeck_core::duration::parse)]
    pub since: Duration,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Serialize)]
struct Report {
    since: String,
    /// `all` or the namespace.
    scope: String,
    source: MetricsSource,
    functions: Vec<FunctionUsage>,
    tenants: Vec<TenantUsage>,
}

pub async fn usage(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &UsageArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let scope = cluster_args
        .scope()
        .unwrap_or_else(|| NamespaceScope::One(conn.default_namespace.clone()));
    let namespace = match &scope {
        NamespaceScope::One(ns) => Some(ns.as_str()),
        NamespaceScope::All => None,
    };
    let (prometheus, dialect) = prometheus_for(config, &conn).await?;
    let activity = reading::activity(
        &prometheus,
        &dialect,
        namespace,
        args.since,
        STEP,
        now_seconds(),
    )
    .await
    .context("cannot read usage from Prometheus")?;
    // Requests come from the revisions as they are now; a deleted one's are unknown.
    let revisions = funcdeck_core::revisions::list_revisions(&conn, &scope, None)
        .await
        .context("cannot list revisions for their requests")?;
    let requests: HashMap<(String, String), _> = revisions
        .iter()
        .filter_map(|r| {
            let key = (r.metadata.namespace.clone()?, r.metadata.name.clone()?);
            Some((key, revision_requests(r)))
        })
        .collect();
    let (functions, tenants) = meter(&activity, &requests);
    let since = funcdeck_core::duration::words(args.since);
    let report = Report {
        since: since.clone(),
        scope: namespace.unwrap_or("all").to_owned(),
        source: MetricsSource {
            prometheus: prometheus.source().to_owned(),
            era: dialect.era,
        },
        functions,
        tenants,
    };
    match args.output {
        OutputFormat::Table => {
            writeln!(
                err,
                "usage over the last {since} in {}, from {} ({}); GB- and CPU-seconds are allocated (requests × pod time)",
                if report.scope == "all" {
                    "all namespaces".to_owned()
                } else {
                    format!("namespace {}", report.scope)
                },
                report.source.prometheus,
                dialect.era
            )?;
            let figure = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
            let rows: Vec<Vec<String>> = report
                .functions
                .iter()
                .map(|f| {
                    vec![
                        funcdeck_core::text::sanitize(&f.namespace).into_owned(),
                        funcdeck_core::text::sanitize(&f.function).into_owned(),
                        format!("{:.0}", f.invocations),
                        format!("{:.0}", f.pod_seconds),
                        figure(f.gb_seconds),
                        figure(f.cpu_seconds),
                    ]
                })
                .chain(report.tenants.iter().map(|t| {
                    vec![
                        funcdeck_core::text::sanitize(&t.namespace).into_owned(),
                        format!("(tenant: {} functions)", t.functions),
                        format!("{:.0}", t.invocations),
                        format!("{:.0}", t.pod_seconds),
                        figure(t.gb_seconds),
                        figure(t.cpu_seconds),
                    ]
                }))
                .collect();
            let headers = [
                "NAMESPACE",
                "FUNCTION",
                "INVOCATIONS",
                "POD-SECONDS",
                "GB-SECONDS",
                "CPU-SECONDS",
            ];
            write_table(out, &headers, &rows)?;
        }
        format => super::quota::write_structured(out, format, &report)?,
    }
    out.flush()?;
    Ok(())
}

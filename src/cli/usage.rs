//! `funcdeck usage [-n NS | -A] [--since 30d] [-o json|table]`: metering from Prometheus —
//! invocations, pod-seconds, and the allocated GB-seconds and CPU-seconds (each revision's
//! requests × the seconds its pods ran) per function and per tenant over the period.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use funcdeck_core::cluster;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::metering::{FunctionUsage, TenantUsage};
use funcdeck_core::prometheus::usage::{Usage, read_usage};
use serde::Serialize;

use super::metrics::{MetricsSource, now_seconds, prometheus_for};
use super::{ClusterArgs, OutputFormat};
use crate::columns::{FUNCTION_USAGE_COLUMNS, FunctionUsageRow, TENANT_USAGE_COLUMNS, TablePrint};
use crate::config::Config;

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
    let (prometheus, dialect) = prometheus_for(config, &conn).await?;
    let Usage { functions, tenants } = read_usage(
        &conn,
        &prometheus,
        &dialect,
        &scope,
        args.since,
        now_seconds(),
    )
    .await
    .context("cannot read usage")?;
    let since = funcdeck_core::duration::human(args.since);
    let report = Report {
        since: since.clone(),
        scope: match &scope {
            NamespaceScope::One(ns) => ns.clone(),
            NamespaceScope::All => "all".to_owned(),
        },
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
                crate::views::scope_words(&scope),
                report.source.prometheus,
                dialect.era
            )?;
            // The same columns as the console's Usage view: functions, then their tenants.
            let all = scope == NamespaceScope::All;
            let now = chrono::Utc::now();
            let rows: Vec<FunctionUsageRow> =
                report.functions.into_iter().map(Into::into).collect();
            TablePrint::new(FUNCTION_USAGE_COLUMNS, now)
                .all_namespaces(all)
                .write(out, &rows)?;
            writeln!(out)?;
            TablePrint::new(TENANT_USAGE_COLUMNS, now).write(out, &report.tenants)?;
        }
        format => super::quota::write_structured(out, format, &report)?,
    }
    out.flush()?;
    Ok(())
}

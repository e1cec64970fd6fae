//! `funcdeck quota get|set -n NS`: a namespace's ResourceQuotas (used of hard, with a usage
//! bar) and LimitRanges; setting writes the quota `funcdeck` by server-side apply after showing
//! before → after, and a value below current usage needs confirmation. The flags are parsed
//! by the same functions as the TUI's quota line (`funcdeck_core::quota::parse_*`).

use std::io::Write;

use anyhow::Context;
use clap::{Args, Subcommand};
use funcdeck_core::cluster::{self, Connection};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::quota::{self, QUOTA_NAME, QuotaChange};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

const BAR_WIDTH: usize = 10;

#[derive(Debug, Subcommand)]
pub enum QuotaCommand {
    /// Show the namespace's quotas (used of hard, with usage bars) and limit ranges
    Get(QuotaGetArgs),
    /// Set the namespace's quota `funcdeck` (only the values given; shown before → after)
    Set(QuotaSetArgs),
}

#[derive(Debug, Args)]
pub struct QuotaGetArgs {
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct QuotaSetArgs {
    /// CPU requests, e.g. 4 or 2500m (requests.cpu)
    #[arg(long, value_name = "Q", value_parser = quota::parse_quantity)]
    pub cpu: Option<String>,
    /// Memory requests, e.g. 8Gi (requests.memory)
    #[arg(long, value_name = "Q", value_parser = quota::parse_quantity)]
    pub memory: Option<String>,
    /// GPUs (requests.nvidia.com/gpu)
    #[arg(long, value_name = "N", value_parser = quota::parse_count)]
    pub gpu: Option<u64>,
    /// Pods
    #[arg(long, value_name = "N", value_parser = quota::parse_count)]
    pub pods: Option<u64>,
    /// Functions (count/services.serving.knative.dev)
    #[arg(long, value_name = "N", value_parser = quota::parse_count)]
    pub functions: Option<u64>,
    /// Do not ask for confirmation when a value is below current usage
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

async fn connect(cluster_args: &ClusterArgs) -> anyhow::Result<(Connection, String)> {
    if cluster_args.all_namespaces {
        anyhow::bail!("a quota belongs to one namespace: use -n NAMESPACE instead of -A");
    }
    let conn = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    Ok((conn, namespace))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuotaReport<'a> {
    namespace: &'a str,
    quotas: Vec<QuotaEntry<'a>>,
    limit_ranges: Vec<LimitEntry<'a>>,
}

#[derive(Serialize)]
struct QuotaEntry<'a> {
    name: &'a str,
    hard: serde_json::Value,
    used: serde_json::Value,
    usage: Vec<quota::UsageRow>,
}

#[derive(Serialize)]
struct LimitEntry<'a> {
    name: &'a str,
    limits: Vec<quota::LimitRow>,
}

pub async fn quota_get(
    cluster_args: &ClusterArgs,
    args: &QuotaGetArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let (conn, namespace) = connect(cluster_args).await?;
    let (quotas, ranges) = quota::read_quotas(&conn, &namespace)
        .await
        .with_context(|| format!("cannot read the quotas of namespace {namespace}"))?;
    if args.output != OutputFormat::Table {
        let report = QuotaReport {
            namespace: &namespace,
            quotas: quotas
                .iter()
                .map(|q| QuotaEntry {
                    name: q.metadata.name.as_deref().unwrap_or_default(),
                    hard: serde_json::json!(q.spec.as_ref().and_then(|s| s.hard.as_ref())),
                    used: serde_json::json!(q.status.as_ref().and_then(|s| s.used.as_ref())),
                    usage: quota::usage_rows(std::slice::from_ref(q)),
                })
                .collect(),
            limit_ranges: ranges
                .iter()
                .map(|r| LimitEntry {
                    name: r.metadata.name.as_deref().unwrap_or_default(),
                    limits: quota::limit_rows(std::slice::from_ref(r)),
                })
                .collect(),
        };
        return write_structured(out, args.output, &report);
    }
    if quotas.is_empty() && ranges.is_empty() {
        writeln!(
            err,
            "No quotas or limit ranges in namespace {}.",
            sanitize(&namespace)
        )?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = quota::usage_rows(&quotas)
        .into_iter()
        .map(|r| {
            vec![
                clean(&r.quota),
                r.resource,
                clean(r.used.as_deref().unwrap_or("?")),
                clean(&r.hard),
                r.percent.map_or_else(
                    || "not counted yet".into(),
                    |p| quota::usage_bar(p, BAR_WIDTH),
                ),
            ]
        })
        .collect();
    if !rows.is_empty() {
        write_table(out, &["QUOTA", "RESOURCE", "USED", "HARD", "USAGE"], &rows)?;
    }
    let limits: Vec<Vec<String>> = quota::limit_rows(&ranges)
        .into_iter()
        .map(|r| {
            let cell = |v: Option<String>| v.map_or_else(|| "-".into(), |v| clean(&v));
            vec![
                clean(&r.limit_range),
                clean(&r.kind),
                clean(&r.resource),
                cell(r.default),
                cell(r.default_request),
                cell(r.max),
            ]
        })
        .collect();
    if !limits.is_empty() {
        if !rows.is_empty() {
            writeln!(out)?;
        }
        let headers = [
            "LIMITRANGE",
            "TYPE",
            "RESOURCE",
            "DEFAULT",
            "DEFAULT REQUEST",
            "MAX",
        ];
        write_table(out, &headers, &limits)?;
    }
    out.flush()?;
    Ok(())
}

pub async fn quota_set(
    cluster_args: &ClusterArgs,
    args: &QuotaSetArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let (conn, namespace) = connect(cluster_args).await?;
    let change = QuotaChange {
        cpu: args.cpu.clone(),
        memory: args.memory.clone(),
        gpu: args.gpu,
        pods: args.pods,
        functions: args.functions,
    };
    let (quotas, _) = quota::read_quotas(&conn, &namespace)
        .await
        .with_context(|| format!("cannot read the quotas of namespace {namespace}"))?;
    let plan = quota::plan_set(&namespace, &quotas, &change).map_err(anyhow::Error::msg)?;
    let mutation = Mutation::SetQuota {
        key: ObjectKey::new(&namespace, QUOTA_NAME),
        lines: plan.lines.clone(),
        warnings: plan.warnings.clone(),
        body: plan.body.clone(),
    };
    // Before → after first, on stderr so `-o json` stays clean; a question repeats it.
    writeln!(err, "quota {}/{QUOTA_NAME}:", sanitize(&namespace))?;
    for line in &plan.lines {
        writeln!(err, "  {}", sanitize(line))?;
    }
    for warning in &plan.warnings {
        writeln!(err, "warning: {}", sanitize(warning))?;
    }
    err.flush()?;
    if mutation.needs_name() {
        gate.pass(&mutation, args.yes)?;
    } else {
        gate.allow(&mutation)?;
    }
    let applied = quota::apply_quota(&conn, &namespace, &plan.body)
        .await
        .with_context(|| format!("cannot {}", mutation.describe()))?;
    let hard = serde_json::json!(applied.spec.as_ref().and_then(|s| s.hard.as_ref()));
    match args.output {
        OutputFormat::Table => writeln!(
            out,
            "quota \"{QUOTA_NAME}\" set in namespace \"{}\"",
            sanitize(&namespace)
        )?,
        format => write_structured(
            out,
            format,
            &serde_json::json!({"namespace": namespace, "name": QUOTA_NAME, "hard": hard}),
        )?,
    }
    out.flush()?;
    Ok(())
}

/// Cluster text made safe for a terminal, as an owned table cell.
fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

pub(super) fn write_structured(
    out: &mut impl Write,
    format: OutputFormat,
    value: &impl Serialize,
) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        serde_json::to_writer_pretty(&mut *out, value).context("writing JSON")?;
        writeln!(out)?;
    } else {
        out.write_all(serde_saphyr::to_string(value)?.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

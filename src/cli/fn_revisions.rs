//! `funcdeck fn revisions NAME`: a function's revisions, newest first, with their share of the
//! traffic and their ready pods, as a kubectl-like table or as a JSON/YAML list.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Utc};
use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::FunctionDetail;
use funcdeck_core::function::detail::RevisionRow;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::read::fetch;
use super::{ClusterArgs, FnGetArgs, OutputFormat};
use crate::columns::{FUNCTION_REVISION_COLUMNS, TablePrint};

pub async fn fn_revisions(
    cluster_args: &ClusterArgs,
    args: &FnGetArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch(cluster_args, &args.name).await?;
    // Without the revisions there is nothing to print: that is a failure, not a warning.
    fetched.revisions(&args.name)?;
    fetched.warn_missing(err, &["pods"])?;
    let detail = fetched.detail();
    let pods_known = fetched.parts.pods.is_ok();
    match args.output {
        OutputFormat::Table => {
            if detail.revisions.is_empty() {
                writeln!(
                    err,
                    "No revisions found for function {} in namespace {}.",
                    sanitize(&args.name),
                    sanitize(&fetched.namespace)
                )?;
                return Ok(());
            }
            revision_table(out, &detail, pods_known, chrono::Utc::now(), "")?;
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RevisionView::all(&detail, pods_known))
                .context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            let text = serde_saphyr::to_string(&RevisionView::all(&detail, pods_known))
                .context("writing YAML")?;
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One revision as `fn get` and `fn revisions` print it.
#[derive(Serialize)]
pub(super) struct RevisionView<'a> {
    name: &'a str,
    ready: ConditionStatus,
    reason: Option<&'a str>,
    created: Option<DateTime<Utc>>,
    image: Option<&'a str>,
    concurrency: Option<i64>,
    min_scale: Option<u32>,
    max_scale: Option<u32>,
    traffic_percent: u32,
    /// `"ready/total"` pods; `null` when the pods could not be read.
    pods_ready: Option<String>,
}

impl<'a> RevisionView<'a> {
    pub fn new(row: &'a RevisionRow, pods_known: bool) -> Self {
        let r = &row.revision;
        Self {
            name: &r.key.name,
            ready: r.ready,
            reason: r.reason.as_deref(),
            created: r.created,
            image: r.image.as_deref(),
            concurrency: r.container_concurrency,
            min_scale: r.min_scale,
            max_scale: r.max_scale,
            traffic_percent: row.traffic_percent,
            pods_ready: pods_known.then(|| row.pods_text()),
        }
    }

    pub fn all(detail: &'a FunctionDetail, pods_known: bool) -> Vec<Self> {
        detail
            .revisions
            .iter()
            .map(|row| Self::new(row, pods_known))
            .collect()
    }
}

/// The revisions of `d` as a kubectl-like table (the columns the TUI shows), each line
/// prefixed with `indent`; PODS is left out when the pods could not be read.
pub(super) fn revision_table(
    out: &mut impl Write,
    d: &FunctionDetail,
    pods_known: bool,
    now: DateTime<Utc>,
    indent: &str,
) -> anyhow::Result<()> {
    let mut table = TablePrint::new(FUNCTION_REVISION_COLUMNS, now).indent(indent);
    if !pods_known {
        table = table.without("PODS");
    }
    table.write(out, &d.revisions)?;
    Ok(())
}

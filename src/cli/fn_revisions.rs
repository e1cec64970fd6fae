//! `funcdeck fn revisions NAME`: a function's revisions, newest first, with their share of the
//! traffic and their ready pods, as a kubectl-like table or as a JSON/YAML list.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::text::sanitize;

use super::fn_get::{RevisionView, fetch, revision_table};
use super::{ClusterArgs, FnGetArgs, OutputFormat};

pub async fn fn_revisions(
    cluster_args: &ClusterArgs,
    args: &FnGetArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch(cluster_args, &args.name).await?;
    // Without the revisions there is nothing to print: that is a failure, not a warning.
    if let Err(e) = &fetched.parts.revisions {
        return Err(e.clone()).context(format!(
            "cannot list the revisions of function \"{}\"",
            args.name
        ));
    }
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

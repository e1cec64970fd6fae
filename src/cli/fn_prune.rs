//! `funcdeck fn prune NAME`: deletes the function's revisions that no route sends traffic to
//! or tags, except the latest created and latest ready ones (`--keep N` spares the N newest),
//! after saying which and passing the gate.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::function::prunable;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::revisions::delete_revision;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::read::fetch_to_change;
use super::{ClusterArgs, FnPruneArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Serialize)]
struct Pruned<'a> {
    function: &'a str,
    namespace: &'a str,
    deleted: &'a [String],
}

pub async fn fn_prune(
    cluster_args: &ClusterArgs,
    args: &FnPruneArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch_to_change(cluster_args, &args.name).await?;
    let revisions = &fetched.revisions;
    let doomed = prunable(&fetched.service, revisions, args.keep);
    if !doomed.is_empty() {
        let mutation = Mutation::PruneRevisions {
            key: ObjectKey::new(&fetched.namespace, &args.name),
            revisions: doomed.clone(),
        };
        writeln!(
            err,
            "{}: {}",
            mutation.describe(),
            sanitize(&doomed.join(", "))
        )?;
        gate.pass(&mutation, args.yes)?;
        for name in &doomed {
            match delete_revision(&fetched.conn, &fetched.namespace, name).await {
                // Gone already (someone else pruned it): what was wanted.
                Ok(()) | Err(CoreError::NotFound { .. }) => {}
                Err(error) => {
                    return Err(error).with_context(|| {
                        format!(
                            "cannot delete revision \"{}\" (the ones before it are gone)",
                            sanitize(name)
                        )
                    });
                }
            }
        }
    }
    match args.output {
        OutputFormat::Table if doomed.is_empty() => writeln!(
            err,
            "Nothing to prune: every revision of {} carries traffic or a tag, or is the latest.",
            sanitize(&args.name)
        )?,
        OutputFormat::Table => {
            for name in &doomed {
                writeln!(out, "revision \"{}\" deleted", sanitize(name))?;
            }
        }
        OutputFormat::Json | OutputFormat::Yaml => {
            let pruned = Pruned {
                function: &args.name,
                namespace: &fetched.namespace,
                deleted: &doomed,
            };
            if args.output == OutputFormat::Json {
                serde_json::to_writer_pretty(&mut *out, &pruned).context("writing JSON")?;
                writeln!(out)?;
            } else {
                out.write_all(serde_saphyr::to_string(&pruned)?.as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

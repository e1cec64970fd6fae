//! `funcdeck fn update NAME [flags] [--wait]`: writes only what the flags change (a merge
//! patch guarded by the resourceVersion, recomputed on a conflict), so fields other tools
//! manage stay theirs; with `--wait`, follows the new revision to Ready or its failure.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::function::SpecChange;
use funcdeck_core::functions::{Updated, update_function};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::text::sanitize;

use super::fn_create::print_function;
use super::follow::follow;
use super::gate::Gate;
use super::read::connect_for_one;
use super::{ClusterArgs, FnUpdateArgs};
use crate::app::Mutation;

pub async fn fn_update(
    cluster_args: &ClusterArgs,
    args: &FnUpdateArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let change = args.spec.change(SpecChange::default())?;
    if change == SpecChange::default() {
        anyhow::bail!("nothing to change: pass at least one of --image, --env, --request, ...");
    }
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    let mutation = Mutation::UpdateFunction {
        key: ObjectKey::new(&namespace, &args.name),
        summary: change.summary(),
        change: Box::new(change.clone()),
    };
    gate.allow(&mutation)?;
    let updated = match update_function(&conn, &namespace, &args.name, &change).await {
        Err(CoreError::NotFound { .. }) => anyhow::bail!(
            "function \"{}\" not found in namespace \"{namespace}\"; create it with `funcdeck fn create`",
            args.name
        ),
        other => other.with_context(|| format!("cannot {}", mutation.describe()))?,
    };
    let service = match updated {
        Updated::Unchanged(service) => {
            writeln!(
                err,
                "Function {namespace}/{} already is as asked; nothing was written.",
                sanitize(&args.name)
            )?;
            return print_function(out, args.output, &service, "unchanged");
        }
        Updated::Changed { service, .. } => service,
    };
    writeln!(
        err,
        "Updated function {namespace}/{} ({}).",
        sanitize(&args.name),
        sanitize(&change.summary())
    )?;
    let generation = service.metadata.generation.unwrap_or(1);
    // The write's answer still carries the status from before it: the revision being replaced.
    let previous = service
        .status
        .as_ref()
        .and_then(|s| s.latest_created_revision_name.clone());
    let shown = if args.spec.wait {
        follow(
            &conn,
            &namespace,
            &args.name,
            generation,
            previous.as_deref(),
            args.spec.wait_timeout,
            err,
        )
        .await?
        .1
    } else {
        *service
    };
    print_function(out, args.output, &shown, "updated")
}

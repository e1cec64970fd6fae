//! `funcdeck fn rollback NAME [--to REV]`: all traffic back to the previous ready revision (or
//! REV), tags kept at 0%; the split before and after is shown before anything is written, and
//! the write fails rather than overwrite a change someone made meanwhile.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::function::rollback::{describe_split, plan_rollback};
use funcdeck_core::functions::set_traffic;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::read::fetch_to_change;
use super::{ClusterArgs, FnRollbackArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Serialize)]
struct RolledBack<'a> {
    function: &'a str,
    namespace: &'a str,
    to: &'a str,
    before: &'a str,
    after: &'a str,
}

pub async fn fn_rollback(
    cluster_args: &ClusterArgs,
    args: &FnRollbackArgs,
    gate: &Gate,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch_to_change(cluster_args, &args.name).await?;
    let revisions = &fetched.revisions;
    let plan = plan_rollback(&fetched.service, revisions, args.to.as_deref())
        .map_err(|why| anyhow::anyhow!("cannot roll back function \"{}\": {why}", args.name))?;
    let before = describe_split(&args.name, &plan.before);
    let after = describe_split(&args.name, &plan.after);
    let mutation = Mutation::Rollback {
        key: ObjectKey::new(&fetched.namespace, &args.name),
        to: plan.to.clone(),
        before: before.clone(),
        after: after.clone(),
        traffic: plan.traffic.clone(),
        resource_version: plan.resource_version.clone(),
        generation: plan.generation,
    };
    gate.pass(&mutation, args.yes)?;
    set_traffic(
        &fetched.conn,
        &fetched.namespace,
        &args.name,
        &plan.traffic,
        plan.resource_version.as_deref(),
        plan.generation,
    )
    .await
    .with_context(|| format!("cannot {}", mutation.describe()))?;
    let done = RolledBack {
        function: &args.name,
        namespace: &fetched.namespace,
        to: &plan.to,
        before: &before,
        after: &after,
    };
    match args.output {
        OutputFormat::Table => writeln!(
            out,
            "function \"{}\" rolled back to {}: {} (was {})",
            sanitize(&args.name),
            sanitize(&plan.to),
            sanitize(&after),
            sanitize(&before)
        )?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &done).context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => out.write_all(serde_saphyr::to_string(&done)?.as_bytes())?,
    }
    out.flush()?;
    Ok(())
}

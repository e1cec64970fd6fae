//! `funcdeck fn offline|online NAME`: Knative's cluster-local label on (with a record of what
//! it replaced) or back off; see `funcdeck_core::function::visibility` for exactly what each
//! writes and why. Already so is not an error: it says so and writes nothing.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use funcdeck_core::CoreError;
use funcdeck_core::function::visibility::{VisibilityOutcome, plan_offline, plan_online};
use funcdeck_core::functions::patch_metadata;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::read::fetch_to_change;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Debug, Args)]
pub struct FnVisibilityArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = super::parse_function_name)]
    pub name: String,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Serialize)]
struct Outcome<'a> {
    function: &'a str,
    namespace: &'a str,
    online: bool,
    /// False when it already was so.
    changed: bool,
    writes: &'a [String],
    warnings: &'a [String],
    /// Why nothing was written, when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

pub async fn fn_visibility(
    cluster_args: &ClusterArgs,
    args: &FnVisibilityArgs,
    online: bool,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch_to_change(cluster_args, &args.name).await?;
    let outcome = if online {
        plan_online(&fetched.service)
    } else {
        plan_offline(&fetched.service, &fetched.revisions, chrono::Utc::now())
    };
    let (plan, said) = match outcome {
        VisibilityOutcome::Plan(plan) => (Some(plan), None),
        VisibilityOutcome::AlreadyDone(words) => (None, Some(words)),
    };
    if let Some(plan) = &plan {
        let mutation = Mutation::SetVisibility {
            key: ObjectKey::new(&fetched.namespace, &args.name),
            online,
            writes: plan.writes.clone(),
            warnings: plan.warnings.clone(),
            patch: plan.patch.clone(),
        };
        gate.allow(&mutation)?;
        for warning in &plan.warnings {
            writeln!(err, "warning: {}", sanitize(warning))?;
        }
        match patch_metadata(&fetched.conn, &fetched.namespace, &args.name, &plan.patch).await {
            Ok(_) => {}
            Err(CoreError::Conflict { .. }) => anyhow::bail!(
                "cannot {}: the function changed since it was read; nothing was written (run \
                 the command again)",
                mutation.describe()
            ),
            Err(other) => {
                return Err(other).with_context(|| format!("cannot {}", mutation.describe()));
            }
        }
    }
    let none = Vec::new();
    let done = Outcome {
        function: &args.name,
        namespace: &fetched.namespace,
        online,
        changed: plan.is_some(),
        writes: plan.as_ref().map_or(&none, |p| &p.writes),
        warnings: plan.as_ref().map_or(&none, |p| &p.warnings),
        message: said.as_deref(),
    };
    match args.output {
        OutputFormat::Table => match &said {
            Some(words) => writeln!(out, "{}", sanitize(words))?,
            None => writeln!(
                out,
                "function \"{}\" is {}: wrote {}",
                sanitize(&args.name),
                if online { "online" } else { "offline" },
                sanitize(&done.writes.join("; "))
            )?,
        },
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &done).context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => out.write_all(serde_saphyr::to_string(&done)?.as_bytes())?,
    }
    out.flush()?;
    Ok(())
}

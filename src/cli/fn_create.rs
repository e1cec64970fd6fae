//! `funcdeck fn create NAME (--image IMG | --template LANG[:OS]) [flags] [--wait]`: a new
//! function from an image or a template, checked flag by flag before anything is sent.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::function::{SpecChange, check_function_name, new_service};
use funcdeck_core::functions::create_function;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::Service;
use funcdeck_core::text::sanitize;

use super::follow::follow;
use super::gate::Gate;
use super::read::connect_for_one;
use super::{ClusterArgs, FnCreateArgs, OutputFormat};
use crate::app::Mutation;
use crate::templates::Catalogue;

pub async fn fn_create(
    cluster_args: &ClusterArgs,
    args: &FnCreateArgs,
    catalogue: &Catalogue,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    check_function_name(&args.name).map_err(|why| anyhow::anyhow!("NAME: {why}"))?;
    let base = match &args.template {
        Some(id) => catalogue
            .find(id)
            .map_err(|why| anyhow::anyhow!("--template: {why}"))?
            .change(),
        None => SpecChange::default(),
    };
    let change = args.spec.change(base)?;
    if change.image.is_none() {
        anyhow::bail!("a function needs an image: pass --image IMG or --template LANG[:OS]");
    }
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    let service = new_service(&namespace, &args.name, &change);
    let mutation = Mutation::CreateFunction {
        key: ObjectKey::new(&namespace, &args.name),
        summary: change.summary(),
        service: service.clone(),
    };
    gate.allow(&mutation)?;
    let created = match create_function(&conn, &namespace, &service).await {
        Err(CoreError::Api { code: 409, .. } | CoreError::Conflict { .. }) => anyhow::bail!(
            "function \"{}\" already exists in namespace \"{namespace}\"; change it with `funcdeck fn update`",
            args.name
        ),
        other => other.with_context(|| format!("cannot {}", mutation.describe()))?,
    };
    writeln!(
        err,
        "Created function {namespace}/{} ({}).",
        sanitize(&args.name),
        sanitize(&mutation_summary(&mutation))
    )?;
    let generation = created.metadata.generation.unwrap_or(1);
    let shown = if args.spec.wait {
        follow(
            &conn,
            &namespace,
            &args.name,
            generation,
            None,
            args.spec.wait_timeout,
            err,
        )
        .await?
        .1
    } else {
        created
    };
    print_function(out, args.output, &shown, "created")
}

fn mutation_summary(mutation: &Mutation) -> String {
    match mutation {
        Mutation::CreateFunction { summary, .. } | Mutation::UpdateFunction { summary, .. } => {
            summary.clone()
        }
        other => other.describe(),
    }
}

/// The function after a create or update: a line, or the Service as the server has it.
pub(super) fn print_function(
    out: &mut impl Write,
    format: OutputFormat,
    service: &Service,
    verb: &str,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Table => {
            let name = service.metadata.name.as_deref().unwrap_or_default();
            let status = service.status.as_ref();
            let url = status
                .and_then(|s| s.url.as_deref())
                .unwrap_or("(no URL yet)");
            let revision = status
                .and_then(|s| s.latest_created_revision_name.as_deref())
                .unwrap_or("(no revision yet)");
            writeln!(
                out,
                "function \"{}\" {verb}: {}  revision {}",
                sanitize(name),
                sanitize(url),
                sanitize(revision)
            )?;
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, service).context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => out.write_all(serde_saphyr::to_string(service)?.as_bytes())?,
    }
    out.flush()?;
    Ok(())
}

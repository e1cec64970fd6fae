//! `funcdeck tenant list|create`: the namespaces that host functions (or are labelled as
//! tenants) with owner, function count, quota usage and bound roles; creating one applies a
//! labelled namespace, the quota `funcdeck` and the limit range `funcdeck` from a preset, and
//! with `--owner` binds that user to funcdeck-admin in it.

use std::io::Write;

use anyhow::Context;
use clap::{Args, Subcommand};
use funcdeck_core::cluster;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::tenant::{self, TENANT_LABEL};
use funcdeck_core::text::sanitize;

use super::gate::Gate;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// List tenants: owner, functions, quota usage (used/hard) and the roles bound in them
    #[command(visible_alias = "ls")]
    List(TenantListArgs),
    /// Create a tenant from a preset: labelled namespace, quota, limit range, owner's binding (idempotent)
    Create(TenantCreateArgs),
}

#[derive(Debug, Args)]
pub struct TenantListArgs {
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TenantCreateArgs {
    /// The tenant's (and its namespace's) name
    #[arg(value_name = "NAME", value_parser = parse_tenant_name)]
    pub name: String,
    /// Quota and limits to start with: small, medium or large
    #[arg(long, default_value = "small", value_name = "P", value_parser = parse_preset)]
    pub preset: String,
    /// The user who owns the tenant: recorded on the namespace and bound to funcdeck-admin in it
    #[arg(long, value_name = "USER", value_parser = parse_owner)]
    pub owner: Option<String>,
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// A tenant is a namespace: a DNS label, checked before it reaches a URL.
fn parse_tenant_name(value: &str) -> Result<String, String> {
    if funcdeck_core::names::is_namespace_name(value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "\"{value}\" is not a valid tenant name (a namespace: lower-case letters, digits and '-', at most 63)"
        ))
    }
}

fn parse_owner(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("the owner is a user name; it cannot be empty".into())
    } else {
        Ok(value.to_owned())
    }
}

fn parse_preset(value: &str) -> Result<String, String> {
    let presets = tenant::presets();
    if presets.contains_key(value) {
        Ok(value.to_owned())
    } else {
        let names: Vec<&str> = presets.keys().map(String::as_str).collect();
        Err(format!(
            "no preset \"{value}\"; use one of {}",
            names.join(", ")
        ))
    }
}

pub async fn tenant_list(
    cluster_args: &ClusterArgs,
    args: &TenantListArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let (inputs, missing) = tenant::read_tenants(&conn)
        .await
        .context("cannot list tenants")?;
    for (what, error) in &missing {
        writeln!(
            err,
            "warning: {what} not shown: {}",
            sanitize(&error.to_string())
        )?;
    }
    let tenants = tenant::summarize(&inputs);
    match args.output {
        OutputFormat::Table if tenants.is_empty() => {
            writeln!(
                err,
                "No tenants: no namespace hosts a function or is labelled {TENANT_LABEL}=true."
            )?;
        }
        OutputFormat::Table => {
            let columns = crate::columns::TENANT_COLUMNS;
            crate::columns::write_rows(out, columns, &tenants, false, chrono::Utc::now())?;
        }
        format => super::quota::write_structured(out, format, &tenants)?,
    }
    out.flush()?;
    Ok(())
}

pub async fn tenant_create(
    cluster_args: &ClusterArgs,
    args: &TenantCreateArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let presets = tenant::presets();
    let preset = presets
        .get(&args.preset)
        .with_context(|| format!("no preset \"{}\"", args.preset))?;
    let plan = tenant::plan_tenant(&args.name, &args.preset, preset, args.owner.as_deref());
    let mutation = Mutation::CreateTenant {
        key: ObjectKey::new(&args.name, &args.name),
        preset: args.preset.clone(),
        lines: plan.lines.clone(),
        objects: plan.objects.clone(),
    };
    writeln!(err, "tenant {} ({}):", args.name, preset.description)?;
    for line in &plan.lines {
        writeln!(err, "  {line}")?;
    }
    err.flush()?;
    gate.pass(&mutation, args.yes)?;
    let conn = cluster::connect(&cluster_args.target()).await?;
    tenant::apply_tenant(&conn, &plan.objects)
        .await
        .with_context(|| format!("cannot {}", mutation.describe()))?;
    match args.output {
        OutputFormat::Table => writeln!(
            out,
            "tenant \"{}\" created with preset {}",
            args.name, args.preset
        )?,
        format => super::quota::write_structured(
            out,
            format,
            &serde_json::json!({"name": args.name, "preset": args.preset, "owner": args.owner,
                "objects": plan.objects}),
        )?,
    }
    out.flush()?;
    Ok(())
}

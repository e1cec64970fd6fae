//! `funcdeck stack plan|install|status|uninstall`: the observability stack from the command
//! line — the same plan, runs and status as the wizard, printed as tables and a live log, or
//! as JSON. An install refuses before writing anything when it would take over someone else's
//! objects or the user may not make a write; an interrupted or failed run says what is left
//! and how to finish or undo it.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::cluster;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::stack::cluster::StackCluster;
use funcdeck_core::stack::session::{self, Prepared};
use funcdeck_core::stack::{Bundle, Mode, Run, status};

use super::gate::Gate;
use super::stack_args::StackArgs;
use super::stack_report as report;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;
use crate::config::Config;
use crate::stack_flow;

/// The manifests built in, with the config's pins of third-party releases over them.
fn bundle(config: &Config) -> anyhow::Result<Bundle> {
    crate::stack_flow::bundle(&config.stack.upstream).map_err(anyhow::Error::msg)
}

async fn connect(cluster_args: &ClusterArgs) -> anyhow::Result<StackCluster> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    Ok(StackCluster::new(&conn))
}

pub async fn stack_plan(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (_, checked) = checked(cluster_args, config, args).await?;
    match args.output {
        OutputFormat::Table => report::plan_table(out, &checked)?,
        format => report::structured(out, format, &report::plan_json(&checked))?,
    }
    out.flush().context("writing the plan")
}

/// The install's plan with what would stop it (someone else's objects, missing permissions).
async fn checked(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
) -> anyhow::Result<(StackCluster, stack_flow::Checked)> {
    let cluster = connect(cluster_args).await?;
    let checked = stack_flow::checked_plan(
        &cluster,
        &bundle(config)?,
        &args.options(),
        args.from.as_deref(),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    Ok((cluster, checked))
}

/// funcdeck's own manifests for the chosen components (enough for status and uninstall).
async fn own(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
) -> anyhow::Result<(StackCluster, Prepared)> {
    let cluster = connect(cluster_args).await?;
    let prepared = session::prepare_own(&cluster, &bundle(config)?, &args.options())
        .await
        .map_err(anyhow::Error::msg)?;
    Ok((cluster, prepared))
}

pub async fn stack_status(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (cluster, prepared) = own(cluster_args, config, args).await?;
    let states = status::status(&cluster, &prepared)
        .await
        .map_err(anyhow::Error::msg)?;
    match args.output {
        OutputFormat::Table => report::status_table(out, &states)?,
        format => report::structured(out, format, &serde_json::json!({ "components": states }))?,
    }
    out.flush().context("writing the status")
}

fn stack_key() -> ObjectKey {
    ObjectKey::new("", "stack")
}

pub async fn stack_install(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let (cluster, checked) = checked(cluster_args, config, args).await?;
    if let Some(blocked) = checked.blocked() {
        // Line by line: sanitizing the whole text would fold its lines into one.
        let lines: Vec<_> = blocked.lines().map(funcdeck_core::text::sanitize).collect();
        anyhow::bail!("{}", lines.join("\n"));
    }
    let stack_flow::Checked { prepared, plan, .. } = checked;
    let mutation = Mutation::InstallStack {
        key: stack_key(),
        components: prepared.components.clone(),
        lines: stack_flow::plan_lines(&plan),
        options: Box::new(args.options()),
        from: args.from.clone(),
        timing: args.timing(),
        progress: None,
    };
    if args.output == OutputFormat::Table {
        writeln!(err, "{}", stack_flow::plan_lines(&plan).join("\n"))?;
    }
    gate.pass(&mutation, args.yes)?;
    let verifies = prepared.verifies.clone();
    let mut run =
        Run::install(&plan, verifies, args.timing()).map_err(|r| anyhow::anyhow!(r.join("\n")))?;
    drive(&cluster, &mut run, args.output, err).await?;
    finish(&run, &prepared, args, out, err)
}

pub async fn stack_uninstall(
    cluster_args: &ClusterArgs,
    config: &Config,
    args: &StackArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let (cluster, prepared) = own(cluster_args, config, args).await?;
    let found = session::found_for_uninstall(&cluster, &prepared.desired, &prepared.components)
        .await
        .map_err(anyhow::Error::msg)?;
    if found.is_empty() {
        writeln!(
            err,
            "nothing to uninstall: no object funcdeck installed for {} was found",
            names(&prepared)
        )?;
        let run = Run::uninstall(Vec::new(), args.timing());
        return report::run_result(out, args.output, &run);
    }
    let mutation = Mutation::UninstallStack {
        key: stack_key(),
        components: prepared.components.clone(),
        lines: stack_flow::uninstall_lines(found.len(), &prepared.components),
        options: Box::new(args.options()),
        timing: args.timing(),
        progress: None,
    };
    gate.pass(&mutation, args.yes)?;
    let mut run = Run::uninstall(found, args.timing());
    drive(&cluster, &mut run, args.output, err).await?;
    finish(&run, &prepared, args, out, err)
}

fn names(prepared: &Prepared) -> String {
    prepared
        .components
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs to the end, the log on stderr as it grows (table output); Ctrl-C or SIGTERM stops the
/// run where it is, and the summary says what is left.
async fn drive(
    cluster: &StackCluster,
    run: &mut Run,
    output: OutputFormat,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let shutdown = super::sandbox::shutdown_signal().context("listening for Ctrl-C")?;
    let mut shown = 0;
    let mut show = |run: &Run| {
        if output == OutputFormat::Table {
            for line in &run.log[shown..] {
                let (done, all) = run.progress();
                let _ = writeln!(
                    err,
                    "[{done:>3}/{all}] {}",
                    funcdeck_core::text::sanitize(line)
                );
            }
        }
        shown = run.log.len();
    };
    let stopped = tokio::select! {
        () = session::drive(run, cluster, &mut show) => false,
        () = shutdown => true,
    };
    if stopped {
        run.interrupt();
        show(run);
    }
    Ok(())
}

fn finish(
    run: &Run,
    prepared: &Prepared,
    args: &StackArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    report::run_result(out, args.output, run)?;
    match &run.outcome {
        Some(Ok(())) => Ok(()),
        Some(Err(reason)) => {
            let left = run.left();
            if !left.is_empty() && args.output == OutputFormat::Table {
                writeln!(err, "left ({}):", left.len())?;
                for r in left.iter().take(20) {
                    writeln!(err, "  {r}")?;
                }
                if left.len() > 20 {
                    writeln!(err, "  … and {} more", left.len() - 20)?;
                }
            }
            let components = stack_flow::component_list(&prepared.components);
            let hint = match run.mode {
                Mode::Install => format!(
                    "`funcdeck stack install --components {components}` resumes it; `funcdeck stack uninstall --components {components}` undoes it"
                ),
                Mode::Uninstall => {
                    format!("`funcdeck stack uninstall --components {components}` tries again")
                }
            };
            anyhow::bail!(
                "{} failed: {reason}\n{hint}",
                match run.mode {
                    Mode::Install => "install",
                    Mode::Uninstall => "uninstall",
                }
            )
        }
        None => anyhow::bail!("the run stopped before its end"),
    }
}

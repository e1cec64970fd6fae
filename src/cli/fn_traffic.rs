//! `funcdeck fn traffic NAME REV=PCT... [@latest=PCT] [--tag REV=TAG]... [--untag TAG]...`: a
//! new split and tags, planned and checked before anything is written, previewed (before →
//! after), then written as a merge patch of `spec.traffic` carrying the resourceVersion read, so
//! a change made meanwhile fails instead of being overwritten.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use funcdeck_core::CoreError;
use funcdeck_core::function::rollback::describe_split;
use funcdeck_core::function::traffic_plan::{
    TrafficChange, TrafficError, parse_share, parse_tag_assignment, plan_traffic,
};
use funcdeck_core::functions::set_traffic;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::labels;
use funcdeck_core::revisions::get_revision;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::read::{ToChange, fetch_to_change};
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Debug, Args)]
pub struct FnTrafficArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = super::parse_function_name)]
    pub name: String,

    /// Percent of traffic per revision: REV=PCT, where REV is a revision, a tag (the revision
    /// it tags: `candidate=100` promotes it) or @latest; the percentages sum to 100
    #[arg(value_name = "REV=PCT", value_parser = parse_share)]
    pub shares: Vec<(String, u32)>,

    /// Tag a revision (or @latest): its own URL, TAG-NAME.NS...
    #[arg(long = "tag", value_name = "REV=TAG", value_parser = parse_tag_assignment)]
    pub tags: Vec<(String, String)>,

    /// Remove a tag (and its URL)
    #[arg(long = "untag", value_name = "TAG")]
    pub untags: Vec<String>,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Serialize)]
struct Changed<'a> {
    function: &'a str,
    namespace: &'a str,
    before: &'a str,
    after: &'a str,
}

pub async fn fn_traffic(
    cluster_args: &ClusterArgs,
    args: &FnTrafficArgs,
    gate: &Gate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    if args.shares.is_empty() && args.tags.is_empty() && args.untags.is_empty() {
        anyhow::bail!("nothing to change: give REV=PERCENT..., --tag REV=TAG or --untag TAG");
    }
    let fetched = fetch_to_change(cluster_args, &args.name).await?;
    let change = TrafficChange {
        shares: args.shares.clone(),
        tags: args.tags.clone(),
        untags: args.untags.clone(),
    };
    let plan = match plan_traffic(&fetched.service, &fetched.revisions, &change) {
        Ok(plan) => plan,
        Err(TrafficError::Unknown { name, message }) => {
            anyhow::bail!(
                "{}",
                sanitize(&whose(&fetched, &args.name, &name, message).await)
            )
        }
        Err(TrafficError::Invalid(why)) => anyhow::bail!(
            "cannot change the traffic of function \"{}\": {}",
            args.name,
            sanitize(&why)
        ),
    };
    let before = describe_split(&args.name, &plan.before);
    let after = describe_split(&args.name, &plan.after);
    let mutation = Mutation::SetTraffic {
        key: ObjectKey::new(&fetched.namespace, &args.name),
        before: before.clone(),
        after: after.clone(),
        traffic: plan.traffic.clone(),
        resource_version: plan.resource_version.clone(),
        generation: plan.generation,
    };
    gate.allow(&mutation)?;
    for line in mutation.consequence().lines() {
        writeln!(err, "{}", sanitize(line))?;
    }
    let written = set_traffic(
        &fetched.conn,
        &fetched.namespace,
        &args.name,
        &plan.traffic,
        plan.resource_version.as_deref(),
        plan.generation,
    )
    .await;
    match written {
        Ok(_) => {}
        Err(CoreError::Conflict { .. }) => anyhow::bail!(
            "cannot {}: the function changed since it was read; nothing was written (run the \
             command again to plan from its new state)",
            mutation.describe()
        ),
        Err(other) => return Err(other).with_context(|| format!("cannot {}", mutation.describe())),
    }
    let done = Changed {
        function: &args.name,
        namespace: &fetched.namespace,
        before: &before,
        after: &after,
    };
    match args.output {
        OutputFormat::Table => writeln!(
            out,
            "function \"{}\" traffic: {} (was {})",
            sanitize(&args.name),
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

/// An unknown name may be another function's revision: say whose, since that is the likelier
/// mistake than a typo.
async fn whose(fetched: &ToChange, function: &str, name: &str, message: String) -> String {
    match get_revision(&fetched.conn, &fetched.namespace, name).await {
        Ok(revision) => {
            let owner = revision
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(labels::SERVICE))
                .cloned()
                .unwrap_or_else(|| "no function".to_owned());
            format!(
                "revision \"{name}\" belongs to function \"{owner}\", not \"{function}\"; \
                 traffic can only go to a function's own revisions"
            )
        }
        Err(_) => message,
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command, FnCommand, OutputFormat};

    #[test]
    fn shares_tags_and_untags_parse_in_any_order() {
        let cli = Cli::try_parse_from([
            "funcdeck",
            "fn",
            "traffic",
            "cart",
            "-n",
            "shop",
            "@latest=50",
            "--tag",
            "cart-00001=old",
            "cart-00001=50",
            "--untag",
            "blue",
            "-o",
            "json",
        ])
        .expect("parses");
        let Some(Command::Function(FnCommand::Traffic(args))) = cli.command else {
            panic!("expected fn traffic");
        };
        assert_eq!(
            args.shares,
            vec![("@latest".to_owned(), 50), ("cart-00001".to_owned(), 50)]
        );
        assert_eq!(args.tags, vec![("cart-00001".to_owned(), "old".to_owned())]);
        assert_eq!(args.untags, vec!["blue".to_owned()]);
        assert_eq!(args.output, OutputFormat::Json);
        let error = Cli::try_parse_from(["funcdeck", "fn", "traffic", "cart", "cart-00001=x"])
            .expect_err("not a number");
        assert!(
            error
                .to_string()
                .contains("the percentage for cart-00001 is \"x\", not a whole number"),
            "{error}"
        );
    }
}

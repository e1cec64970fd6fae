//! Reading one function for the `fn` subcommands: connect, settle the namespace (`-n`, else
//! the context's; never `-A`), and read what the command needs — everything for `fn get`, only
//! the Service and revisions to plan a change.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::cluster::{self, Connection};
use funcdeck_core::function::FunctionDetail;
use funcdeck_core::functions::{FunctionParts, fetch_function};
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::text::sanitize;

use super::ClusterArgs;

/// A function read for `fn get` / `fn revisions`.
pub(super) struct Fetched {
    pub namespace: String,
    pub parts: FunctionParts,
}

/// Connects, resolves the namespace and reads the function; a missing function is an error
/// that names it.
pub(super) async fn fetch(cluster_args: &ClusterArgs, name: &str) -> anyhow::Result<Fetched> {
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    match fetch_function(&conn, &namespace, name).await {
        Ok(parts) => Ok(Fetched { namespace, parts }),
        Err(CoreError::NotFound { message }) => Err(anyhow::anyhow!(message)),
        Err(other) => Err(other.into()),
    }
}

/// A function read to change it: its Service and revisions, and where it lives.
pub(super) struct ToChange {
    pub conn: Connection,
    pub namespace: String,
    pub service: funcdeck_core::knative::Service,
    pub revisions: Vec<RevisionSummary>,
}

/// Reads what a change to a function's traffic or revisions is planned from (no pods or
/// events); a missing function is an error that names it.
pub(super) async fn fetch_to_change(
    cluster_args: &ClusterArgs,
    name: &str,
) -> anyhow::Result<ToChange> {
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    match funcdeck_core::functions::fetch_revisions(&conn, &namespace, name).await {
        Ok((service, revisions)) => Ok(ToChange {
            conn,
            namespace,
            service,
            revisions,
        }),
        Err(CoreError::NotFound { message }) => Err(anyhow::anyhow!(message)),
        Err(other) => {
            Err(other).with_context(|| format!("cannot read function \"{name}\" and its revisions"))
        }
    }
}

/// A connection and the namespace a command about one function works in (`-n`, else the
/// context's); `-A` makes no sense there.
pub(super) async fn connect_for_one(
    cluster_args: &ClusterArgs,
) -> anyhow::Result<(Connection, String)> {
    if cluster_args.all_namespaces {
        anyhow::bail!("a function lives in one namespace: use -n NAMESPACE instead of -A");
    }
    let conn: Connection = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    Ok((conn, namespace))
}

impl Fetched {
    /// The function's revisions, or why they could not be listed (commands that act on
    /// revisions cannot go on without them).
    pub fn revisions(&self, name: &str) -> anyhow::Result<&[RevisionSummary]> {
        self.parts
            .revisions
            .as_deref()
            .map_err(Clone::clone)
            .with_context(|| format!("cannot list the revisions of function \"{name}\""))
    }

    pub fn detail(&self) -> FunctionDetail {
        let p = &self.parts;
        FunctionDetail::build(
            &p.service,
            p.revisions.as_deref().unwrap_or_default(),
            p.pods.as_deref().unwrap_or_default(),
            p.events.as_deref().unwrap_or_default(),
        )
    }

    /// Says on `err` which of `wanted` could not be read, and the server's reason.
    pub fn warn_missing(&self, err: &mut impl Write, wanted: &[&str]) -> anyhow::Result<()> {
        let p = &self.parts;
        let missing = [
            ("revisions", p.revisions.as_ref().err()),
            ("pods", p.pods.as_ref().err()),
            ("events", p.events.as_ref().err()),
        ];
        for (part, error) in missing {
            if let Some(error) = error.filter(|_| wanted.contains(&part)) {
                writeln!(
                    err,
                    "warning: {part} not shown: {}",
                    sanitize(&error.to_string())
                )?;
            }
        }
        Ok(())
    }
}

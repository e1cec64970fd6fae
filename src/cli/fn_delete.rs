//! `funcdeck fn delete NAME`: removes a function (its revisions, routes and pods go with it)
//! after the gate: `--readonly` refuses, otherwise `--yes` or the name typed at a terminal.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::functions::delete_function;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::read::connect_for_one;
use super::{ClusterArgs, FnDeleteArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Serialize)]
struct Deleted<'a> {
    name: &'a str,
    namespace: &'a str,
    deleted: bool,
}

pub async fn fn_delete(
    cluster_args: &ClusterArgs,
    args: &FnDeleteArgs,
    gate: &Gate,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    let mutation = Mutation::DeleteFunction {
        key: ObjectKey::new(&namespace, &args.name),
    };
    gate.pass(&mutation, args.yes)?;
    match delete_function(&conn, &namespace, &args.name).await {
        Ok(()) => {}
        Err(CoreError::NotFound { .. }) => anyhow::bail!(
            "function \"{}\" not found in namespace \"{}\"",
            sanitize(&args.name),
            sanitize(&namespace)
        ),
        Err(other) => {
            return Err(other).with_context(|| format!("cannot {}", mutation.describe()));
        }
    }
    let deleted = Deleted {
        name: &args.name,
        namespace: &namespace,
        deleted: true,
    };
    match args.output {
        OutputFormat::Table => writeln!(
            out,
            "function \"{}\" deleted from namespace \"{}\"",
            sanitize(&args.name),
            sanitize(&namespace)
        )?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &deleted).context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            out.write_all(serde_saphyr::to_string(&deleted)?.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

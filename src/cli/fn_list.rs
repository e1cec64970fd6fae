//! `funcdeck fn list`: the functions in a namespace (or all), as a table or as full objects.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::cluster;
use funcdeck_core::function::FunctionSummary;
use funcdeck_core::functions::{self, NamespaceScope};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::{ClusterArgs, FnListArgs, OutputFormat};
use crate::columns::{FUNCTION_COLUMNS, write_rows};

pub async fn fn_list(
    cluster_args: &ClusterArgs,
    args: &FnListArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let scope = cluster_args
        .scope()
        .unwrap_or_else(|| NamespaceScope::One(conn.default_namespace.clone()));
    let services = functions::list_services(&conn, &scope, args.selector.as_deref()).await?;
    match args.output {
        OutputFormat::Table => {
            if services.is_empty() {
                let place = match &scope {
                    NamespaceScope::All => "any namespace".to_owned(),
                    NamespaceScope::One(ns) => format!("namespace {}", sanitize(ns)),
                };
                writeln!(err, "No functions found in {place}.")?;
                return Ok(());
            }
            let summaries: Vec<FunctionSummary> =
                services.iter().map(FunctionSummary::from_service).collect();
            write_rows(
                out,
                FUNCTION_COLUMNS,
                &summaries,
                scope == NamespaceScope::All,
                chrono::Utc::now(),
            )?;
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &as_list(&services)).context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            let text = serde_saphyr::to_string(&as_list(&services)).context("writing YAML")?;
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A `v1` List of full objects, as `kubectl get -o json` prints it. Items are serialized
/// straight from the typed objects (which carry apiVersion and kind), with no intermediate copy:
/// lists of thousands of functions stay cheap.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct List<'a, T> {
    api_version: &'static str,
    items: &'a [T],
    kind: &'static str,
    metadata: ListMeta,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListMeta {
    resource_version: &'static str,
}

fn as_list<T: Serialize>(items: &[T]) -> List<'_, T> {
    List {
        api_version: "v1",
        items,
        kind: "List",
        metadata: ListMeta {
            resource_version: "",
        },
    }
}

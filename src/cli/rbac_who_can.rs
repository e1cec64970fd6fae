//! `funcdeck rbac who-can VERB RESOURCE [NAME] -n NS`: the subjects of the namespace's
//! RoleBindings and of the ClusterRoleBindings whose role allows it, and through which binding.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::cluster;
use funcdeck_core::rbac::{self, Holder, ResourceRef, who_can};
use funcdeck_core::text::sanitize;

use super::output::write_table;
use super::rbac_args::RbacWhoCanArgs;
use super::{ClusterArgs, OutputFormat};

pub async fn rbac_who_can(
    cluster_args: &ClusterArgs,
    args: &RbacWhoCanArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let resource = ResourceRef::parse(&args.resource).map_err(anyhow::Error::msg)?;
    rbac::parse_verb(&args.verb).map_err(anyhow::Error::msg)?;
    if cluster_args.all_namespaces {
        anyhow::bail!("who-can answers for one namespace: use -n NAMESPACE instead of -A");
    }
    let conn = cluster::connect(&cluster_args.target()).await?;
    let namespace = cluster_args
        .namespace
        .clone()
        .unwrap_or_else(|| conn.default_namespace.clone());
    let snapshot = rbac::snapshot(&conn, &namespace)
        .await
        .context("cannot read the roles and bindings who-can needs")?;
    let holders = who_can(
        &snapshot,
        &namespace,
        &args.verb,
        &resource,
        args.name.as_deref(),
    );
    write_holders(&holders, args, &resource, &namespace, out)
}

fn write_holders(
    holders: &[Holder],
    args: &RbacWhoCanArgs,
    resource: &ResourceRef,
    namespace: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match args.output {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, holders)?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => out.write_all(serde_saphyr::to_string(&holders)?.as_bytes())?,
        OutputFormat::Table if holders.is_empty() => {
            let name = args
                .name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            writeln!(
                out,
                "no binding in namespace {} or cluster-wide lets anyone {} {resource}{}",
                sanitize(namespace),
                sanitize(&args.verb),
                sanitize(&name)
            )?;
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = holders
                .iter()
                .map(|h| {
                    [&h.kind, &h.name, &h.binding, &h.role]
                        .map(|cell| sanitize(cell).into_owned())
                        .to_vec()
                })
                .collect();
            write_table(out, &["KIND", "SUBJECT", "THROUGH", "ROLE"], &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(kind: &str, name: &str, binding: &str, role: &str) -> Holder {
        Holder {
            kind: kind.into(),
            name: name.into(),
            binding: binding.into(),
            role: role.into(),
        }
    }

    fn render(holders: &[Holder], name: Option<&str>) -> String {
        let args = RbacWhoCanArgs {
            verb: "delete".into(),
            resource: "ksvc".into(),
            name: name.map(Into::into),
            output: OutputFormat::Table,
        };
        let resource = ResourceRef::parse("ksvc").expect("parses");
        let mut out = Vec::new();
        write_holders(holders, &args, &resource, "shop", &mut out).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn holders_print_as_a_table_with_cluster_text_made_inert() {
        let table = render(
            &[
                holder(
                    "Group",
                    "system:masters",
                    "ClusterRoleBinding cluster-admin",
                    "ClusterRole cluster-admin",
                ),
                holder(
                    "User",
                    "eve\u{1b}[2J",
                    "RoleBinding shop/x",
                    "ClusterRole funcdeck-developer",
                ),
            ],
            Some("cart"),
        );
        assert!(!table.contains('\u{1b}'), "{table:?}");
        insta::assert_snapshot!(table);
        assert_eq!(
            render(&[], Some("cart")),
            "no binding in namespace shop or cluster-wide lets anyone delete services.serving.knative.dev cart\n"
        );
    }
}

//! `funcdeck rbac roles` (funcdeck's roles as resource × verbs, and whether the shipped ones
//! are installed as shipped) and `rbac roles install` (server-side apply of those that are not).

use std::io::Write;

use anyhow::Context;
use funcdeck_core::ObjectKey;
use funcdeck_core::cluster;
use funcdeck_core::rbac::{self, ListedRole, install_change, listing, shipped_roles};
use funcdeck_core::text::sanitize;

use super::gate::Gate;
use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

pub async fn rbac_roles(
    cluster_args: &ClusterArgs,
    output: OutputFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let installed = rbac::list_cluster_roles(&conn)
        .await
        .context("cannot list the cluster's ClusterRoles")?;
    write_roles(&listing(&installed), output, out)
}

fn write_roles(
    roles: &[ListedRole],
    output: OutputFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match output {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, roles)?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => out.write_all(serde_saphyr::to_string(&roles)?.as_bytes())?,
        OutputFormat::Table => {
            for (i, role) in roles.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                let what = role.describe();
                writeln!(out, "{} ({what})", sanitize(&role.name))?;
                let rows: Vec<Vec<String>> = role
                    .rules
                    .iter()
                    .map(|r| {
                        vec![
                            format!("  {}", sanitize(&r.resource)),
                            sanitize(&r.verbs.join(" ")).into_owned(),
                        ]
                    })
                    .collect();
                write_table(out, &["  RESOURCE", "VERBS"], &rows)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn rbac_roles_install(
    cluster_args: &ClusterArgs,
    yes: bool,
    gate: &Gate,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let conn = cluster::connect(&cluster_args.target()).await?;
    let mut roles = Vec::new();
    let mut changes = Vec::new();
    for role in shipped_roles() {
        let name = role.metadata.name.clone().unwrap_or_default();
        let installed = rbac::read_cluster_role(&conn, &name)
            .await
            .with_context(|| format!("cannot read ClusterRole {name}"))?;
        let Some(change) = install_change(&role, installed.as_ref()) else {
            continue;
        };
        changes.push(change);
        roles.push(role);
    }
    if roles.is_empty() {
        writeln!(
            out,
            "funcdeck's roles are installed and up to date; nothing changed"
        )?;
        return Ok(());
    }
    for change in &changes {
        writeln!(out, "will {change}")?;
    }
    out.flush()?;
    let mutation = Mutation::InstallRoles {
        key: ObjectKey::new("", "funcdeck-roles"),
        roles: roles.clone(),
        changes: changes.clone(),
    };
    gate.pass(&mutation, yes)?;
    for (role, change) in roles.iter().zip(&changes) {
        rbac::apply_role(&conn, role)
            .await
            .with_context(|| format!("cannot {change}"))?;
        writeln!(out, "done: {change}")?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use funcdeck_core::rbac::ClusterRole;

    #[test]
    fn the_matrix_lists_shipped_roles_then_custom_ones() {
        let mut viewer = shipped_roles().remove(0);
        let custom: ClusterRole = serde_json::from_value(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "team-x", "labels": {"funcdeck.dev/role": "true"}},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "delete"]}]}))
        .expect("a role");
        if let Some(rules) = viewer.rules.as_mut() {
            rules.truncate(1);
        }
        let other: ClusterRole = serde_json::from_value(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "view"}, "rules": []}))
        .expect("a role");
        let mut text = Vec::new();
        write_roles(
            &listing(&[custom, viewer, other]),
            OutputFormat::Table,
            &mut text,
        )
        .expect("writes");
        insta::assert_snapshot!(String::from_utf8(text).expect("utf-8"));
    }
}

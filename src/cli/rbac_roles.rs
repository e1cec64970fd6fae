//! `funcdeck rbac roles` (funcdeck's roles as resource × verbs, and whether the shipped ones
//! are installed as shipped) and `rbac roles install` (server-side apply of those that are not).

use std::io::Write;

use anyhow::Context;
use funcdeck_core::ObjectKey;
use funcdeck_core::cluster;
use funcdeck_core::rbac::{
    self, ClusterRole, MatrixRow, RoleState, is_funcdeck_role, matrix, role_state, shipped_roles,
};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::gate::Gate;
use super::output::write_table;
use super::{ClusterArgs, OutputFormat};
use crate::app::Mutation;

#[derive(Serialize)]
struct Listed {
    name: String,
    shipped: bool,
    /// For a shipped role: not-installed, up-to-date or differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<RoleState>,
    rules: Vec<MatrixRow>,
}

fn name_of(role: &ClusterRole) -> &str {
    role.metadata.name.as_deref().unwrap_or_default()
}

/// Shipped roles first (in their order, with the installed rules when there are some), then
/// the cluster's other funcdeck roles by name.
fn listing(installed: &[ClusterRole]) -> Vec<Listed> {
    let shipped = shipped_roles();
    let find = |name: &str| installed.iter().find(|r| name_of(r) == name);
    let mut out: Vec<Listed> = shipped
        .iter()
        .map(|role| {
            let on_cluster = find(name_of(role));
            let shown = on_cluster.unwrap_or(role);
            Listed {
                name: name_of(role).to_owned(),
                shipped: true,
                state: Some(role_state(role, on_cluster)),
                rules: matrix(shown.rules.as_deref().unwrap_or_default()),
            }
        })
        .collect();
    let mut custom: Vec<&ClusterRole> = installed
        .iter()
        .filter(|r| is_funcdeck_role(r) && !shipped.iter().any(|s| name_of(s) == name_of(r)))
        .collect();
    custom.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    out.extend(custom.into_iter().map(|role| Listed {
        name: name_of(role).to_owned(),
        shipped: false,
        state: None,
        rules: matrix(role.rules.as_deref().unwrap_or_default()),
    }));
    out
}

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

fn write_roles(roles: &[Listed], output: OutputFormat, out: &mut impl Write) -> anyhow::Result<()> {
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
                let what = match role.state {
                    Some(state) => format!("shipped; {}", state.label()),
                    None => "custom".into(),
                };
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
        let name = name_of(&role).to_owned();
        let installed = rbac::read_cluster_role(&conn, &name)
            .await
            .with_context(|| format!("cannot read ClusterRole {name}"))?;
        match role_state(&role, installed.as_ref()) {
            RoleState::UpToDate => continue,
            RoleState::NotInstalled => changes.push(format!("create ClusterRole {name}")),
            RoleState::Differs => {
                changes.push(format!("update ClusterRole {name} to the shipped rules"))
            }
        }
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

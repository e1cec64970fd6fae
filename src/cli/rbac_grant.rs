//! `funcdeck rbac grant|revoke ROLE (--user U | --group G | --sa NS/NAME) (-n NS | --cluster)`:
//! one binding per (role, subject), printed as YAML before it is written. Granting what is
//! held already, or revoking what is not, changes nothing. A refusal (escalation included)
//! is the API server's message, as it wrote it.

use std::io::Write;

use anyhow::Context;
use funcdeck_core::rbac::{
    self, BindingScope, Grant, SubjectRef, is_funcdeck_role, with_subject, without_subject,
};
use funcdeck_core::text::sanitize;
use funcdeck_core::{CoreError, ObjectKey, cluster};

use super::ClusterArgs;
use super::gate::Gate;
use super::rbac_args::RbacGrantArgs;
use crate::app::Mutation;

/// The one subject the flags name, by the same rules as the console's typed `KIND:NAME`.
fn subject(args: &RbacGrantArgs) -> anyhow::Result<SubjectRef> {
    let (kind, value) = match (&args.user, &args.group, &args.sa) {
        (Some(user), None, None) => ("user", user),
        (None, Some(group), None) => ("group", group),
        (None, None, Some(sa)) => ("sa", sa),
        _ => anyhow::bail!("name one subject: --user U, --group G or --sa NS/NAME"),
    };
    SubjectRef::from_kind(kind, value).map_err(anyhow::Error::msg)
}

/// Forbidden reads are let through: a caller who may not read roles or bindings learns what
/// it may not do from the write, in the API server's words.
fn readable<T>(result: Result<T, CoreError>, fallback: T) -> Result<T, CoreError> {
    match result {
        Err(CoreError::Forbidden { .. }) => Ok(fallback),
        other => other,
    }
}

pub async fn rbac_grant(
    cluster_args: &ClusterArgs,
    args: &RbacGrantArgs,
    revoke: bool,
    gate: &Gate,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let subject = subject(args)?;
    if args.cluster && cluster_args.namespace.is_some() {
        anyhow::bail!("either -n NAMESPACE or --cluster, not both");
    }
    if cluster_args.all_namespaces {
        anyhow::bail!(
            "a grant holds in one namespace or cluster-wide: use -n NAMESPACE or --cluster"
        );
    }
    let conn = cluster::connect(&cluster_args.target()).await?;
    let scope = if args.cluster {
        BindingScope::Cluster
    } else {
        BindingScope::Namespace(
            cluster_args
                .namespace
                .clone()
                .unwrap_or_else(|| conn.default_namespace.clone()),
        )
    };
    let exists = readable(
        rbac::read_cluster_role(&conn, &args.role)
            .await
            .map(|r| r.is_some()),
        true,
    )
    .context("cannot read the role")?;
    if !exists && !revoke {
        let roles = readable(rbac::list_cluster_roles(&conn).await, Vec::new())?;
        let mut names: Vec<String> = roles
            .iter()
            .filter(|r| is_funcdeck_role(r))
            .filter_map(|r| r.metadata.name.clone())
            .collect();
        names.sort();
        let known = if names.is_empty() {
            "none is installed: run `funcdeck rbac roles install`".to_owned()
        } else {
            format!("funcdeck's roles here: {}", names.join(", "))
        };
        anyhow::bail!(
            "ClusterRole \"{}\" not found; {}",
            sanitize(&args.role),
            sanitize(&known)
        );
    }
    let grant = Grant {
        role: args.role.clone(),
        subject,
        scope,
    };
    let current = readable(rbac::read_binding(&conn, &grant).await, None)
        .context("cannot read the binding")?;
    let (subjects, version) = current.clone().unwrap_or_default();
    let changed = if revoke {
        without_subject(&subjects, &grant.subject)
    } else {
        with_subject(&subjects, &grant.subject)
    };
    let where_ = match &grant.scope {
        BindingScope::Namespace(ns) => format!("in namespace {ns}"),
        BindingScope::Cluster => "cluster-wide".into(),
    };
    let Some(subjects) = changed else {
        let holds = if revoke {
            "does not hold"
        } else {
            "already holds"
        };
        writeln!(
            out,
            "{} {holds} {} {where_} through {} {}; nothing changed",
            sanitize(&grant.subject.to_string()),
            sanitize(&grant.role),
            grant.kind(),
            sanitize(&grant.binding_name())
        )?;
        return Ok(());
    };
    let key = match &grant.scope {
        BindingScope::Namespace(ns) => ObjectKey::new(ns, grant.binding_name()),
        BindingScope::Cluster => ObjectKey::new("", grant.binding_name()),
    };
    let mutation = Mutation::SetBinding {
        key,
        grant: grant.clone(),
        subjects: subjects.clone(),
        resource_version: version.clone(),
        revoke,
    };
    if revoke && subjects.is_empty() {
        writeln!(out, "# deleted: nobody is left in it")?;
    }
    let yaml = serde_saphyr::to_string(&grant.binding(&subjects))?;
    write!(out, "{}", sanitize_lines(&yaml))?;
    out.flush()?;
    gate.pass(&mutation, args.yes)?;
    let result = if revoke && subjects.is_empty() {
        rbac::delete_binding(&conn, &grant).await
    } else {
        rbac::apply_binding(&conn, &grant, &subjects, version.as_deref()).await
    };
    match result {
        Ok(()) => {}
        // The server's words are the explanation (e.g. an escalation refusal names the
        // permissions the caller does not hold).
        Err(CoreError::Forbidden { message }) => anyhow::bail!("{}", sanitize_lines(&message)),
        Err(other) => return Err(other).with_context(|| format!("cannot {}", mutation.describe())),
    }
    writeln!(out, "{}", sanitize(&mutation.done()))?;
    out.flush()?;
    Ok(())
}

/// Sanitizes line by line, keeping the line breaks a YAML document or a server message has.
fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

//! What the roles view shows, derived from one RBAC read: funcdeck's roles (the same listing
//! as `rbac roles`) and, for each, the subjects bound to it in the namespace and cluster-wide.
//! Pure, so it is tested without a cluster.

use funcdeck_core::rbac::{
    BindingScope, Grant, ListedRole, RbacSnapshot, RoleState, Subject, SubjectRef, listing,
    with_subject, without_subject,
};

/// One subject holding a role through one binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub binding: String,
    /// A ClusterRoleBinding (else a RoleBinding in the view's namespace).
    pub cluster: bool,
    pub subject: Subject,
}

impl Bound {
    /// `NS/NAME` for a service account.
    pub fn name(&self) -> String {
        match (&self.subject.namespace, self.subject.kind.as_str()) {
            (Some(ns), "ServiceAccount") => format!("{ns}/{}", self.subject.name),
            _ => self.subject.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleEntry {
    pub role: ListedRole,
    /// Namespace bindings first, then cluster-wide ones, each by binding and subject.
    pub bound: Vec<Bound>,
}

impl RoleEntry {
    pub fn in_namespace(&self) -> usize {
        self.bound.iter().filter(|b| !b.cluster).count()
    }

    pub fn cluster_wide(&self) -> usize {
        self.bound.iter().filter(|b| b.cluster).count()
    }

    /// Whether a grant can bind it now (a shipped role must be installed first).
    pub fn installed(&self) -> bool {
        self.role.state != Some(RoleState::NotInstalled)
    }
}

fn refers_to(kind: &str, name: &str, role: &str) -> bool {
    kind == "ClusterRole" && name == role
}

pub fn entries(rbac: &RbacSnapshot) -> Vec<RoleEntry> {
    listing(&rbac.cluster_roles)
        .into_iter()
        .map(|role| {
            let mut bound = Vec::new();
            let namespaced = rbac.role_bindings.iter().map(|b| {
                (
                    &b.metadata.name,
                    &b.role_ref.kind,
                    &b.role_ref.name,
                    &b.subjects,
                    false,
                )
            });
            let cluster = rbac.cluster_role_bindings.iter().map(|b| {
                (
                    &b.metadata.name,
                    &b.role_ref.kind,
                    &b.role_ref.name,
                    &b.subjects,
                    true,
                )
            });
            for (name, kind, role_name, subjects, cluster) in namespaced.chain(cluster) {
                if !refers_to(kind, role_name, &role.name) {
                    continue;
                }
                for subject in subjects.iter().flatten() {
                    bound.push(Bound {
                        binding: name.clone().unwrap_or_default(),
                        cluster,
                        subject: subject.clone(),
                    });
                }
            }
            bound.sort_by(|a, b| {
                (a.cluster, &a.binding, &a.subject.kind, a.name()).cmp(&(
                    b.cluster,
                    &b.binding,
                    &b.subject.kind,
                    b.name(),
                ))
            });
            RoleEntry { role, bound }
        })
        .collect()
}

/// A grant's binding as the read found it: its subjects and resourceVersion (absent: none).
fn current(rbac: &RbacSnapshot, grant: &Grant) -> (Vec<Subject>, Option<String>) {
    let name = grant.binding_name();
    let found = match grant.scope {
        BindingScope::Namespace(_) => rbac
            .role_bindings
            .iter()
            .find(|b| b.metadata.name.as_deref() == Some(&name))
            .map(|b| (b.subjects.clone(), b.metadata.resource_version.clone())),
        BindingScope::Cluster => rbac
            .cluster_role_bindings
            .iter()
            .find(|b| b.metadata.name.as_deref() == Some(&name))
            .map(|b| (b.subjects.clone(), b.metadata.resource_version.clone())),
    };
    found
        .map(|(subjects, version)| (subjects.unwrap_or_default(), version))
        .unwrap_or_default()
}

/// The binding's subjects after the grant (or revoke) and the version they replace; `Err`
/// says why nothing changes (the subject holds it already, or does not).
pub fn plan(
    rbac: &RbacSnapshot,
    grant: &Grant,
    revoke: bool,
) -> Result<(Vec<Subject>, Option<String>), String> {
    let (subjects, version) = current(rbac, grant);
    let changed = if revoke {
        without_subject(&subjects, &grant.subject)
    } else {
        with_subject(&subjects, &grant.subject)
    };
    let where_ = match &grant.scope {
        BindingScope::Namespace(ns) => format!("in namespace {ns}"),
        BindingScope::Cluster => "cluster-wide".into(),
    };
    changed.map(|s| (s, version)).ok_or_else(|| {
        format!(
            "{} {} {} {where_} through {} {}; nothing to change",
            grant.subject,
            if revoke {
                "does not hold"
            } else {
                "already holds"
            },
            grant.role,
            grant.kind(),
            grant.binding_name()
        )
    })
}

/// The grant a revoke of `bound` takes back; `Err` when the binding is not one funcdeck
/// writes (named from role and subject), so a revoke here would miss it.
pub fn revoke_grant(role: &str, bound: &Bound, namespace: &str) -> Result<Grant, String> {
    let subject = SubjectRef::from_subject(&bound.subject)
        .ok_or_else(|| format!("cannot revoke from a {} subject", bound.subject.kind))?;
    let scope = if bound.cluster {
        BindingScope::Cluster
    } else {
        BindingScope::Namespace(namespace.to_owned())
    };
    let grant = Grant {
        role: role.to_owned(),
        subject,
        scope,
    };
    if grant.binding_name() != bound.binding {
        let kind = grant.kind();
        let (flag, at) = if bound.cluster {
            ("clusterrolebinding", String::new())
        } else {
            ("rolebinding", format!(" -n {namespace}"))
        };
        return Err(format!(
            "{kind} {} was not written by a funcdeck grant; change it with `kubectl edit {flag} {}{at}`",
            bound.binding, bound.binding
        ));
    }
    Ok(grant)
}

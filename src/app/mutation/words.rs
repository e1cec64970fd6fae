//! How a change is said: before (what it is, what else happens, the object as it will be
//! written) and after it was done.

use funcdeck_core::rbac::BindingScope;

use super::Mutation;

impl Mutation {
    /// "delete function shop/cart"
    pub fn describe(&self) -> String {
        match self {
            Mutation::DeleteFunction { key } => format!("delete function {key}"),
            Mutation::PruneRevisions { key, revisions } => format!(
                "delete {} unrouted revision{} of function {key}",
                revisions.len(),
                plural(revisions.len())
            ),
            Mutation::Rollback { key, to, .. } => format!("roll function {key} back to {to}"),
            Mutation::CreateFunction { key, .. } => format!("create function {key}"),
            Mutation::UpdateFunction { key, .. } => format!("update function {key}"),
            Mutation::EditFunction { key, .. } => format!("apply your edit to function {key}"),
            Mutation::SetTraffic { key, .. } => format!("change the traffic of function {key}"),
            Mutation::SetVisibility { key, online, .. } => {
                format!(
                    "take function {key} {}",
                    if *online { "online" } else { "offline" }
                )
            }
            Mutation::InstallRoles { .. } => "install funcdeck's roles".into(),
            Mutation::SetBinding { grant, revoke, .. } => {
                let (verb, word) = if *revoke {
                    ("revoke", "from")
                } else {
                    ("grant", "to")
                };
                format!(
                    "{verb} role {} {word} {} {}",
                    grant.role,
                    grant.subject,
                    scope_words(&grant.scope)
                )
            }
            Mutation::SetQuota { key, .. } => {
                format!("set the quota of namespace {}", key.namespace)
            }
            Mutation::CreateTenant { key, preset, .. } => {
                format!("create tenant {} ({preset})", key.name)
            }
            Mutation::InstallStack { components, .. } => {
                format!("install the stack's {}", components_words(components))
            }
            Mutation::UninstallStack { components, .. } => {
                format!("uninstall the stack's {}", components_words(components))
            }
        }
    }

    /// What else happens, said before it does.
    pub fn consequence(&self) -> String {
        match self {
            Mutation::DeleteFunction { .. } => {
                "Its revisions, routes and pods are deleted with it; this cannot be undone.".into()
            }
            Mutation::PruneRevisions { revisions, .. } => format!(
                "No route sends traffic to or tags {}; their pods go with them.",
                revisions.join(", ")
            ),
            Mutation::Rollback { before, after, .. }
            | Mutation::SetTraffic { before, after, .. } => {
                format!("Traffic now: {before}\nAfter:       {after}")
            }
            Mutation::CreateFunction { summary, .. } => {
                format!("{summary}\nIts first revision takes all traffic once it is ready.")
            }
            Mutation::UpdateFunction { summary, .. } => format!(
                "{summary}\nA new revision is deployed; the current one keeps the traffic until it is ready."
            ),
            Mutation::EditFunction { summary, .. } => format!(
                "{summary}. Written only if nobody changed the function since it was loaded."
            ),
            Mutation::SetVisibility {
                online,
                writes,
                warnings,
                ..
            } => {
                let what = if *online {
                    "External traffic reaches it again through the ingress; the split is unchanged."
                } else {
                    "No external traffic reaches it and its revisions scale to zero; config, \
                     revisions and the split are kept."
                };
                let mut lines = vec![what.to_owned(), format!("Writes: {}", writes.join("; "))];
                lines.extend(warnings.iter().map(|w| format!("Warning: {w}")));
                lines.join("\n")
            }
            Mutation::InstallRoles { changes, .. } => changes.join("\n"),
            Mutation::SetBinding {
                key,
                grant,
                subjects,
                revoke,
                resource_version,
            } => {
                let what = match (revoke, subjects.is_empty(), resource_version) {
                    (true, true, _) => "Deletes",
                    (false, _, None) => "Creates",
                    _ => "Updates",
                };
                format!("{what} {} {key}.", grant.kind())
            }
            Mutation::CreateTenant { lines, .. }
            | Mutation::InstallStack { lines, .. }
            | Mutation::UninstallStack { lines, .. } => lines.join("\n"),
            Mutation::SetQuota {
                lines, warnings, ..
            } => {
                let mut lines = lines.clone();
                lines.extend(warnings.iter().map(|w| format!("Warning: {w}")));
                lines.join("\n")
            }
        }
    }

    /// The object as it will be written, for the confirmation (a grant's binding as YAML);
    /// empty when the consequence says it all.
    pub fn preview(&self) -> Vec<String> {
        match self {
            Mutation::SetBinding {
                grant,
                subjects,
                revoke,
                ..
            } if !(*revoke && subjects.is_empty()) => {
                serde_saphyr::to_string(&grant.binding(subjects))
                    .map(|yaml| yaml.lines().map(str::to_owned).collect())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    pub(crate) fn done(&self) -> String {
        match self {
            Mutation::DeleteFunction { key } => format!("deleted function {key}"),
            Mutation::PruneRevisions { key, revisions } => format!(
                "deleted {} revision{} of function {key}",
                revisions.len(),
                plural(revisions.len())
            ),
            Mutation::Rollback { key, to, after, .. } => {
                format!("rolled function {key} back to {to}: {after}")
            }
            Mutation::CreateFunction { key, .. } => {
                format!("created function {key}; following its first revision")
            }
            Mutation::UpdateFunction { key, .. } => {
                format!("updated function {key}; following its new revision")
            }
            Mutation::EditFunction { key, .. } => format!("applied your edit to function {key}"),
            Mutation::SetTraffic { key, after, .. } => {
                format!("function {key} traffic: {after}")
            }
            Mutation::SetVisibility { key, online, .. } => format!(
                "function {key} is {}",
                if *online { "online" } else { "offline" }
            ),
            Mutation::InstallRoles { roles, .. } => {
                format!("installed {} role{}", roles.len(), plural(roles.len()))
            }
            Mutation::SetBinding { grant, revoke, .. } => format!(
                "{} role {} {} {}",
                if *revoke { "revoked" } else { "granted" },
                grant.role,
                if *revoke { "from" } else { "to" },
                grant.subject
            ),
            Mutation::SetQuota { key, .. } => format!("quota {key} set"),
            Mutation::CreateTenant { key, preset, .. } => {
                format!("tenant {} created (preset {preset})", key.name)
            }
            Mutation::InstallStack { components, .. } => {
                format!("installed the stack's {}", components_words(components))
            }
            Mutation::UninstallStack { components, .. } => {
                format!("uninstalled the stack's {}", components_words(components))
            }
        }
    }
}

fn scope_words(scope: &BindingScope) -> String {
    match scope {
        BindingScope::Namespace(ns) => format!("in namespace {ns}"),
        BindingScope::Cluster => "cluster-wide".into(),
    }
}

/// "metrics, tracing and logging"
fn components_words(components: &[funcdeck_core::stack::Component]) -> String {
    let names: Vec<&str> = components.iter().map(|c| c.name()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

//! The one place a change to the cluster is let through. Read-only mode refuses every change
//! here; otherwise the user confirms by typing the target's name, and only then does the
//! effect reach the runner. The server's answer comes back as a notice, a refusal verbatim.

use funcdeck_core::access::{Permission, Verdict};
use funcdeck_core::error::CoreError;
use funcdeck_core::function::SpecChange;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::TrafficTarget;

use super::{App, Effect, Overlay, ViewId};

/// A change to the cluster, described for the confirmation and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    DeleteFunction {
        key: ObjectKey,
    },
    /// Delete these revisions of the function (those carrying no traffic and no tag).
    PruneRevisions {
        key: ObjectKey,
        revisions: Vec<String>,
    },
    /// All traffic to `to` (tags kept at 0%), written only if the function is still at
    /// `resource_version`.
    Rollback {
        key: ObjectKey,
        to: String,
        /// The split now and after, as the preview shows them.
        before: String,
        after: String,
        traffic: Vec<TrafficTarget>,
        resource_version: Option<String>,
        /// The generation the plan read (a status-only change meanwhile is written over).
        generation: Option<i64>,
    },
    /// Create the function as `service` (the whole object, as the preview shows it).
    CreateFunction {
        key: ObjectKey,
        service: serde_json::Value,
        /// What it will run, in a line.
        summary: String,
    },
    /// Write `change` into the function: a new revision, which takes the traffic that
    /// follows the latest revision once it is ready.
    UpdateFunction {
        key: ObjectKey,
        /// Boxed: it is by far the largest change, and effects move through a channel.
        change: Box<SpecChange>,
        summary: String,
    },
    /// The YAML editor's change: a merge patch of what the user changed, written only if the
    /// function is still at `resource_version`.
    EditFunction {
        key: ObjectKey,
        patch: serde_json::Value,
        resource_version: String,
        /// "+1 −1 lines in spec.template", as the review showed it.
        summary: String,
    },
    /// A new split and tags (`fn traffic`, the traffic editor), written only if the function
    /// is still at `resource_version`.
    SetTraffic {
        key: ObjectKey,
        before: String,
        after: String,
        traffic: Vec<TrafficTarget>,
        resource_version: Option<String>,
        generation: Option<i64>,
    },
    /// Offline (`online: false`) or back online: a metadata merge patch, `writes` in words.
    SetVisibility {
        key: ObjectKey,
        online: bool,
        writes: Vec<String>,
        warnings: Vec<String>,
        patch: serde_json::Value,
    },
}

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
        }
    }

    /// Deleting asks for the name to be typed; a previewed change (traffic, create, update, a
    /// reviewed edit) only for Enter.
    pub fn needs_name(&self) -> bool {
        matches!(
            self,
            Mutation::DeleteFunction { .. } | Mutation::PruneRevisions { .. }
        )
    }

    /// The function the change is about.
    pub fn key(&self) -> &ObjectKey {
        match self {
            Mutation::DeleteFunction { key }
            | Mutation::PruneRevisions { key, .. }
            | Mutation::Rollback { key, .. }
            | Mutation::CreateFunction { key, .. }
            | Mutation::UpdateFunction { key, .. }
            | Mutation::EditFunction { key, .. }
            | Mutation::SetTraffic { key, .. }
            | Mutation::SetVisibility { key, .. } => key,
        }
    }

    /// The permission the change needs, as RBAC names it.
    pub fn permission(&self) -> Permission {
        const GROUP: &str = funcdeck_core::knative::GROUP;
        match self {
            Mutation::DeleteFunction { .. } => Permission::new("delete", GROUP, "services"),
            Mutation::PruneRevisions { .. } => Permission::new("delete", GROUP, "revisions"),
            Mutation::CreateFunction { .. } => Permission::new("create", GROUP, "services"),
            Mutation::Rollback { .. }
            | Mutation::UpdateFunction { .. }
            | Mutation::EditFunction { .. }
            | Mutation::SetTraffic { .. }
            | Mutation::SetVisibility { .. } => Permission::new("patch", GROUP, "services"),
        }
    }

    /// What the user types to confirm: the function's name.
    pub fn target(&self) -> &str {
        &self.key().name
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
        }
    }

    fn done(&self) -> String {
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
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The permission the change a key leads to will need (`None`: the key changes nothing).
pub fn command_permission(command: crate::command::Command) -> Option<Permission> {
    use crate::command::Command as C;
    const GROUP: &str = funcdeck_core::knative::GROUP;
    match command {
        C::Delete => Some(Permission::new("delete", GROUP, "services")),
        C::Prune => Some(Permission::new("delete", GROUP, "revisions")),
        C::Create => Some(Permission::new("create", GROUP, "services")),
        C::Edit | C::Update | C::Traffic | C::Rollback | C::ToggleOffline => {
            Some(Permission::new("patch", GROUP, "services"))
        }
        _ => None,
    }
}

/// The confirmation overlay: the mutation and what has been typed so far.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub mutation: Mutation,
    pub typed: String,
    /// Enter was pressed with a name that does not match.
    pub mismatch: bool,
}

impl App {
    /// A view asks for a change: refused in read-only mode, else confirmed first.
    pub(crate) fn request(&mut self, mutation: Mutation) -> Vec<Effect> {
        if let Some(why) = self.shell.read_only() {
            self.shell.notice = Some(format!("cannot {}: {why}", mutation.describe()));
            return Vec::new();
        }
        let namespace = mutation.key().namespace.clone();
        let permission = mutation.permission();
        match self.shell.access.get(&namespace) {
            Some(rules) if rules.verdict(&permission) == Verdict::Denied => {
                self.shell.notice = Some(format!(
                    "cannot {}: {}",
                    mutation.describe(),
                    self.missing(&permission, &namespace)
                ));
                return Vec::new();
            }
            Some(_) => {}
            // Not known yet: the server decides this time, the rules are there next time.
            None => {
                let effects = self
                    .review_access(&namespace)
                    .into_iter()
                    .collect::<Vec<_>>();
                self.overlay = Some(Overlay::Confirm(Confirm {
                    mutation,
                    typed: String::new(),
                    mismatch: false,
                }));
                return effects;
            }
        }
        self.overlay = Some(Overlay::Confirm(Confirm {
            mutation,
            typed: String::new(),
            mismatch: false,
        }));
        Vec::new()
    }

    /// Enter in the confirmation: the change goes ahead only if the name was typed exactly.
    pub(crate) fn confirm(&mut self) -> Vec<Effect> {
        let Some(Overlay::Confirm(confirm)) = &mut self.overlay else {
            return Vec::new();
        };
        if confirm.mutation.needs_name() && confirm.typed != confirm.mutation.target() {
            confirm.mismatch = true;
            return Vec::new();
        }
        let mutation = confirm.mutation.clone();
        self.overlay = None;
        self.shell.notice = Some(format!("{}…", mutation.describe()));
        vec![Effect::Mutate {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
            mutation,
        }]
    }

    /// Why the top view's `command` cannot change anything now: read-only, or the user's rules
    /// in the namespace it acts in deny the permission it needs (unknown rules: not disabled).
    pub fn disabled(&self, command: crate::command::Command) -> Option<String> {
        let permission = command_permission(command)?;
        if let Some(why) = self.shell.read_only() {
            return Some(why);
        }
        let namespace = match &self.top().view {
            crate::views::View::Function(view) => view.key.namespace.clone(),
            _ => match &self.shell.scope {
                funcdeck_core::functions::NamespaceScope::One(namespace) => namespace.clone(),
                funcdeck_core::functions::NamespaceScope::All => return None,
            },
        };
        let rules = self.shell.access.get(&namespace)?;
        (rules.verdict(&permission) == Verdict::Denied)
            .then(|| self.missing(&permission, &namespace))
    }

    /// The user's rules in `namespace`, asked once per namespace and connection.
    pub(crate) fn review_access(&mut self, namespace: &str) -> Option<Effect> {
        if self.shell.context.is_none() || !self.shell.access_asked.insert(namespace.to_owned()) {
            return None;
        }
        Some(Effect::ReviewAccess {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
            namespace: namespace.to_owned(),
        })
    }

    /// "sandbox-viewer may not delete services.serving.knative.dev in namespace shop"
    fn missing(&self, permission: &Permission, namespace: &str) -> String {
        let who = self
            .shell
            .context
            .as_ref()
            .map_or_else(|| "you".to_owned(), |c| format!("context {}", c.context));
        format!("{who} may not {permission} in namespace {namespace}")
    }

    /// The server's answer to a change.
    pub(crate) fn mutated(&mut self, mutation: &Mutation, result: Result<(), CoreError>) {
        self.shell.notice = Some(match result {
            Ok(()) => mutation.done(),
            // Every change is planned from what was read and carries its resourceVersion.
            Err(CoreError::Conflict { .. }) => format!(
                "cannot {}: the function changed since it was read; nothing was written",
                mutation.describe()
            ),
            // The same words as a refusal made up front, then the server's own.
            Err(error @ CoreError::Forbidden { .. }) => format!(
                "cannot {}: {} ({error})",
                mutation.describe(),
                self.missing(&mutation.permission(), &mutation.key().namespace)
            ),
            Err(error) => format!("cannot {}: {error}", mutation.describe()),
        });
        self.shell.dirty = true;
    }
}

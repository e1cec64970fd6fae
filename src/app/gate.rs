//! The one place a change to the cluster is let through. Read-only mode refuses every change
//! here; otherwise the user confirms by typing the target's name, and only then does the
//! effect reach the runner. The server's answer comes back as a notice, a refusal verbatim.

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
    /// Write the namespace's quota `funcdeck` (server-side apply of `body`). `key` is
    /// namespace/funcdeck; the namespace is what is typed to confirm.
    SetQuota {
        key: ObjectKey,
        /// Before → after, one line per value given.
        lines: Vec<String>,
        /// Values below current usage; any makes the change need the typed name.
        warnings: Vec<String>,
        body: serde_json::Value,
    },
    /// Create (or bring back to its preset) a tenant: namespace, quota and limit range, each
    /// applied server-side. `key` is name/name; the name is what is typed to confirm.
    CreateTenant {
        key: ObjectKey,
        preset: String,
        /// What the preset sets, one line each, as the preview shows it.
        lines: Vec<String>,
        objects: Box<[serde_json::Value; 3]>,
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
            Mutation::SetQuota { key, .. } => {
                format!("set the quota of namespace {}", key.namespace)
            }
            Mutation::CreateTenant { key, preset, .. } => {
                format!("create tenant {} ({preset})", key.name)
            }
        }
    }

    /// Deleting asks for the name to be typed; a previewed change (traffic, create, update, a
    /// reviewed edit) only for Enter.
    pub fn needs_name(&self) -> bool {
        matches!(
            self,
            Mutation::DeleteFunction { .. } | Mutation::PruneRevisions { .. }
        ) || matches!(self, Mutation::SetQuota { warnings, .. } if !warnings.is_empty())
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
            | Mutation::SetVisibility { key, .. }
            | Mutation::SetQuota { key, .. }
            | Mutation::CreateTenant { key, .. } => key,
        }
    }

    /// What the user types to confirm: the function's name (a quota's namespace).
    pub fn target(&self) -> &str {
        match self {
            Mutation::SetQuota { key, .. } => &key.namespace,
            _ => &self.key().name,
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
            Mutation::CreateTenant { lines, .. } => lines.join("\n"),
            Mutation::SetQuota {
                lines, warnings, ..
            } => {
                let mut lines = lines.clone();
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
            Mutation::SetQuota { key, .. } => {
                format!("quota {key} set")
            }
            Mutation::CreateTenant { key, preset, .. } => {
                format!("tenant {} is at preset {preset}", key.name)
            }
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
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
        if self.shell.readonly {
            self.shell.notice = Some(format!(
                "cannot {}: funcdeck runs read-only (--readonly)",
                mutation.describe()
            ));
            return Vec::new();
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

    /// The server's answer to a change.
    pub(crate) fn mutated(&mut self, mutation: &Mutation, result: Result<(), CoreError>) {
        self.shell.notice = Some(match result {
            Ok(()) => mutation.done(),
            // Every change is planned from what was read and carries its resourceVersion.
            Err(CoreError::Conflict { .. }) => format!(
                "cannot {}: the function changed since it was read; nothing was written",
                mutation.describe()
            ),
            Err(error) => format!("cannot {}: {error}", mutation.describe()),
        });
        self.shell.dirty = true;
    }
}

//! A change to the cluster as the gate sees it: what it is, the words that describe it before
//! and after, who it is about and the permission it needs.

mod words;

use funcdeck_core::access::Permission;
use funcdeck_core::function::SpecChange;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::TrafficTarget;
use funcdeck_core::rbac::Grant;
use funcdeck_core::rbac::{ClusterRole, Subject};

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
    /// Server-side apply of funcdeck's shipped ClusterRoles (`rbac roles install`); `changes`
    /// says, per role, what the apply creates or updates. `key` is `/funcdeck-roles`.
    InstallRoles {
        key: ObjectKey,
        roles: Vec<ClusterRole>,
        changes: Vec<String>,
    },
    /// A grant's binding with `subjects` (`rbac grant` / `rbac revoke`): created when
    /// `resource_version` is None, else replaced if still at it; a revoke leaving no subject
    /// deletes it. `key` is the binding's (namespace empty for a ClusterRoleBinding).
    SetBinding {
        key: ObjectKey,
        grant: Grant,
        subjects: Vec<Subject>,
        resource_version: Option<String>,
        revoke: bool,
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
    /// Create (or bring back to its preset) a tenant: namespace, quota, limit range and the
    /// owner's binding, each applied server-side. `key` is name/name; the name is what is typed
    /// to confirm.
    CreateTenant {
        key: ObjectKey,
        preset: String,
        /// What each object sets, one line each, as the preview shows it.
        lines: Vec<String>,
        objects: Vec<serde_json::Value>,
    },
    /// Install (or finish installing) the observability stack's `components`: the plan's
    /// objects applied server-side in order, waited for and verified. `key` is `/stack`.
    InstallStack {
        key: ObjectKey,
        components: Vec<funcdeck_core::stack::Component>,
        /// The plan in a few lines (what is created, changed, unchanged).
        lines: Vec<String>,
        /// What to render (the runner plans again right before it writes, so a run after a
        /// failure resumes: what is already there is unchanged and skipped).
        options: Box<funcdeck_core::stack::Options>,
        /// Where the third-party releases are read from (air-gapped), else downloaded.
        from: Option<std::path::PathBuf>,
        timing: funcdeck_core::stack::Timing,
        /// The wizard's ticket for the run's progress (`Reply::StackRun`); `None`: nobody
        /// watches it (the command line drives its own run).
        progress: Option<super::Ticket>,
    },
    /// Delete every object funcdeck installed for `components` (and take its keys out of
    /// Knative's ConfigMaps). `key` is `/stack`; `stack` is typed to confirm.
    UninstallStack {
        key: ObjectKey,
        components: Vec<funcdeck_core::stack::Component>,
        lines: Vec<String>,
        /// The namespaces the components were installed with (Knative's shared objects are
        /// found through them).
        options: Box<funcdeck_core::stack::Options>,
        timing: funcdeck_core::stack::Timing,
        progress: Option<super::Ticket>,
    },
}

impl Mutation {
    /// Deleting asks for the name to be typed; a previewed change (traffic, create, update, a
    /// reviewed edit) only for Enter.
    pub fn needs_name(&self) -> bool {
        matches!(
            self,
            Mutation::DeleteFunction { .. }
                | Mutation::PruneRevisions { .. }
                | Mutation::UninstallStack { .. }
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
            | Mutation::InstallRoles { key, .. }
            | Mutation::SetBinding { key, .. }
            | Mutation::SetQuota { key, .. }
            | Mutation::CreateTenant { key, .. }
            | Mutation::InstallStack { key, .. }
            | Mutation::UninstallStack { key, .. } => key,
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
            // Server-side apply is a patch.
            Mutation::InstallRoles { .. } => {
                Permission::new("patch", "rbac.authorization.k8s.io", "clusterroles")
            }
            Mutation::SetQuota { .. } => Permission::new("patch", "", "resourcequotas"),
            Mutation::CreateTenant { .. } => Permission::new("patch", "", "namespaces"),
            // The first thing the stack writes (every other write is checked before it starts).
            Mutation::InstallStack { .. } => Permission::new(
                "create",
                "apiextensions.k8s.io",
                "customresourcedefinitions",
            ),
            Mutation::UninstallStack { .. } => Permission::new("delete", "", "namespaces"),
            Mutation::SetBinding { grant, .. } => Permission::new(
                "update",
                "rbac.authorization.k8s.io",
                match grant.scope {
                    funcdeck_core::rbac::BindingScope::Namespace(_) => "rolebindings",
                    funcdeck_core::rbac::BindingScope::Cluster => "clusterrolebindings",
                },
            ),
        }
    }

    /// What the user types to confirm: the function's name; for roles `install`, for a
    /// grant the subject's name.
    pub fn target(&self) -> &str {
        match self {
            Mutation::InstallRoles { .. } => "install",
            Mutation::SetQuota { key, .. } => &key.namespace,
            Mutation::SetBinding { grant, .. } => match &grant.subject {
                funcdeck_core::rbac::SubjectRef::User(name)
                | funcdeck_core::rbac::SubjectRef::Group(name)
                | funcdeck_core::rbac::SubjectRef::ServiceAccount { name, .. } => name,
            },
            _ => &self.key().name,
        }
    }
}

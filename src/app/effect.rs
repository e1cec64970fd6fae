//! Work `update` asks for, as data. The runner performs it and answers with a
//! [`Msg`](super::Msg) carrying the same [`Ticket`], so an answer that arrives after the user moved
//! on (or after its view was popped) is dropped.

use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;

use super::mutation::Mutation;
use super::ticket::{Ticket, ViewId};
use crate::drafts::{Draft, DraftId};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Load the kubeconfig and build a client (again, on retry: the user may have fixed the
    /// file). `context` overrides the one chosen at start (`:ctx NAME`). Every running watch
    /// stops: they belong to the old connection.
    Connect {
        ticket: Ticket,
        context: Option<String>,
    },
    /// Start a watch for the ticket's view, replacing its running watch of the same kind.
    Watch {
        ticket: Ticket,
        watch: Watch,
    },
    /// Stop every watch of a view (it was popped, or the stack was replaced).
    Unsubscribe {
        view: ViewId,
    },
    LoadNamespaces {
        ticket: Ticket,
    },
    /// A change the user confirmed (see `gate`); answered with `Msg::Mutated`.
    Mutate {
        ticket: Ticket,
        mutation: Mutation,
    },
    Probe {
        ticket: Ticket,
    },
    /// Ask for the user's rules in `namespace` (a SelfSubjectRulesReview); answered with
    /// `Msg::Access`.
    ReviewAccess {
        ticket: Ticket,
        namespace: String,
    },
    /// Read a function for the YAML editor, with the draft left for it if there is one;
    /// answered with `Reply::EditLoaded`.
    LoadEdit {
        ticket: Ticket,
        id: DraftId,
    },
    /// Read the server's version again after a conflict; answered with `Reply::Theirs`.
    LoadTheirs {
        ticket: Ticket,
        key: ObjectKey,
    },
    /// Keep the editor's buffer on disk (a failure comes back as `Msg::DraftFailed`).
    SaveDraft {
        draft: Draft,
    },
    DeleteDraft {
        id: DraftId,
    },
    /// The drafts left from earlier sessions, for the start-up notice (`Msg::Drafts`).
    ListDrafts {
        ticket: Ticket,
    },
    /// Suspend the TUI and edit `text` in `$EDITOR`. The terminal loop does this itself (it
    /// owns the terminal) and answers with `Reply::ExternalEdited`.
    ExternalEdit {
        ticket: Ticket,
        text: String,
    },
    /// Write `text` to the file at `path` (the logs pane's save); answered with
    /// `Reply::Saved`.
    WriteFile {
        ticket: Ticket,
        path: std::path::PathBuf,
        text: String,
    },
    /// One HTTP request to a function (not a change to the cluster: no gate); answered with
    /// `Reply::Invoked`.
    Invoke {
        ticket: Ticket,
        key: ObjectKey,
        request: funcdeck_core::invoke::InvokeRequest,
    },
    /// One trace from Jaeger by its id (a trace named on the prompt or in a log line);
    /// answered with `Reply::Trace`.
    ReadTrace {
        ticket: Ticket,
        id: funcdeck_core::jaeger::TraceId,
    },
    /// The stack's components as the cluster has them (funcdeck's own manifests rendered with
    /// `options`); answered with `Reply::StackStatus`.
    StackStatus {
        ticket: Ticket,
        options: Box<funcdeck_core::stack::Options>,
    },
    /// What installing `options` would do, checked (refusals, permissions); answered with
    /// `Reply::StackPlan`. Nothing is written.
    StackPlan {
        ticket: Ticket,
        options: Box<funcdeck_core::stack::Options>,
        from: Option<std::path::PathBuf>,
    },
}

/// What a view watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    Functions {
        scope: NamespaceScope,
    },
    Revisions {
        scope: NamespaceScope,
    },
    /// Pods with a label selector (Knative's labels tie pods to functions).
    Pods {
        scope: NamespaceScope,
        selector: Option<String>,
    },
    Events {
        scope: NamespaceScope,
    },
    /// One function's Service.
    Function {
        key: ObjectKey,
    },
    /// One function's revisions, whole.
    FunctionRevisions {
        key: ObjectKey,
    },
    /// Data made of several kinds of object, with no one watch for it: re-read every few
    /// seconds while the view is open.
    Polled(Polled),
}

/// What the platform views read again and again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Polled {
    /// The tenants: namespaces hosting functions or labelled as tenants.
    Tenants,
    /// The roles and bindings that decide who can do what in `namespace`.
    Rbac { namespace: String },
    /// The quotas and limit ranges of `namespace`.
    Quota { namespace: String },
    /// One function's charts over the last `range` (one revision's only, with `revision`),
    /// from Prometheus.
    Metrics {
        key: ObjectKey,
        revision: Option<String>,
        range: std::time::Duration,
    },
    /// Recent requests/s and p99 of every function (or revision) in `scope`, from Prometheus.
    Pulse {
        scope: funcdeck_core::prometheus::dialect::Scope,
    },
    /// A function's traces that started in the last `since`, from Jaeger, narrowed by
    /// `filter` (Jaeger filters these itself, so a narrow search is not limited to what a
    /// broad one happened to bring).
    Traces {
        key: ObjectKey,
        since: std::time::Duration,
        filter: TraceFilter,
    },
    /// A function's (revision's, pod's) log lines matching `text` over the last `since`,
    /// from Elasticsearch, then a live tail of new ones.
    Logs {
        target: super::logs::LogTarget,
        text: String,
        since: std::time::Duration,
    },
    /// Metering of the namespaces in `scope` over the last `since`, from Prometheus.
    Usage {
        scope: funcdeck_core::functions::NamespaceScope,
        since: std::time::Duration,
    },
}

/// What Jaeger itself is asked to keep of a function's traces: by its rule, a span of the
/// function's services with this operation, lasting this long, carrying these tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceFilter {
    pub operation: Option<String>,
    pub min_duration: Option<std::time::Duration>,
    pub max_duration: Option<std::time::Duration>,
    /// `key=value`, all of them.
    pub tags: Vec<(String, String)>,
}

impl TraceFilter {
    pub fn is_empty(&self) -> bool {
        *self == TraceFilter::default()
    }
}

impl Watch {
    /// Watches of the same kind for one view replace each other.
    pub fn kind(&self) -> &'static str {
        match self {
            Watch::Functions { .. } => "functions",
            Watch::Revisions { .. } => "revisions",
            Watch::Pods { .. } => "pods",
            Watch::Events { .. } => "events",
            Watch::Function { .. } => "function",
            Watch::FunctionRevisions { .. } => "function-revisions",
            Watch::Polled(Polled::Tenants) => "tenants",
            Watch::Polled(Polled::Rbac { .. }) => "rbac",
            Watch::Polled(Polled::Quota { .. }) => "quota",
            Watch::Polled(Polled::Metrics { .. }) => "metrics",
            Watch::Polled(Polled::Pulse { .. }) => "pulse",
            Watch::Polled(Polled::Usage { .. }) => "usage",
            Watch::Polled(Polled::Traces { .. }) => "traces",
            Watch::Polled(Polled::Logs { .. }) => "logs",
        }
    }
}

//! Everything that can happen to the app: input, time, and answers from background work.

use chrono::{DateTime, Utc};
use funcdeck_core::edit::Editable;
use funcdeck_core::error::CoreError;
use funcdeck_core::events::EventSummary;
use funcdeck_core::functions::FunctionEvent;
use funcdeck_core::invoke::{InvokeError, InvokeResponse};
use funcdeck_core::knative::{Revision, Service};
use funcdeck_core::pods::PodSummary;
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::watch::WatchEvent;

use super::mutation::Mutation;
use super::ticket::Ticket;
use crate::drafts::Draft;
use crate::keymap::Key;

/// Which cluster we are talking to, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextInfo {
    pub context: String,
    pub server: String,
    pub default_namespace: String,
    /// Every context in the kubeconfig, for `:ctx` completion.
    pub contexts: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(Key),
    Resize {
        width: u16,
        height: u16,
    },
    Tick(DateTime<Utc>),
    /// The kubeconfig was (re)loaded.
    Connected {
        ticket: Ticket,
        result: Result<ContextInfo, CoreError>,
    },
    Namespaces {
        ticket: Ticket,
        result: Result<Vec<String>, CoreError>,
    },
    /// A reachability check while a watch is interrupted.
    Probed {
        ticket: Ticket,
        result: Result<String, CoreError>,
    },
    /// The server's answer to a confirmed change.
    Mutated {
        ticket: Ticket,
        mutation: Mutation,
        result: Result<(), CoreError>,
    },
    /// The user's rules in a namespace, to refuse up front what they do not allow.
    Access {
        ticket: Ticket,
        namespace: String,
        result: Result<funcdeck_core::access::AccessRules, CoreError>,
    },
    /// A confirmed change deployed a new revision of function `key`: the generation written and
    /// the revision it replaces (sent after its `Mutated`).
    Written {
        key: funcdeck_core::key::ObjectKey,
        generation: i64,
        previous: Option<String>,
    },
    /// Drafts left from earlier sessions (at start).
    Drafts {
        ticket: Ticket,
        drafts: Vec<Draft>,
    },
    /// A draft could not be written or deleted: the user must know the edit is not safe on disk.
    DraftFailed(String),
    /// An answer for the view named in the ticket.
    Reply {
        ticket: Ticket,
        /// Boxed: replies vary a lot in size and every message moves through the channel.
        reply: Box<Reply>,
    },
}

/// What a view's watches and queries deliver. Always travels boxed inside [`Msg::Reply`].
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Reply {
    Functions(FunctionEvent),
    Revisions(WatchEvent<RevisionSummary>),
    Pods(WatchEvent<PodSummary>),
    Events(WatchEvent<EventSummary>),
    /// One function's Service, for its detail.
    Function(WatchEvent<Service>),
    /// One function's revisions as whole objects (their specs are shown and compared).
    FunctionRevisions(WatchEvent<Revision>),
    /// The function as the editor opens it, and the draft left for it.
    EditLoaded {
        object: Result<Editable, CoreError>,
        draft: Result<Option<Draft>, String>,
    },
    /// The server's version after a conflict.
    Theirs(Result<Editable, CoreError>),
    /// The buffer back from `$EDITOR`, or why the editor failed.
    ExternalEdited(Result<String, String>),
    /// The answer to an invocation, or why there was none.
    Invoked(Result<InvokeResponse, InvokeError>),
    /// The tenants as read just now (each poll of `Polled::Tenants`).
    Tenants(Result<Tenants, CoreError>),
    /// Roles and bindings for who-can, as read just now (`Polled::Rbac`).
    Rbac(Result<funcdeck_core::rbac::RbacSnapshot, CoreError>),
    /// A function's charts over the pane's range, as read just now (`Polled::Metrics`).
    Metrics(Result<funcdeck_core::prometheus::series::FunctionCharts, CoreError>),
    /// The functions' pulse in the list's scope, as read just now (`Polled::Pulse`).
    Pulse(Result<funcdeck_core::prometheus::pulse::Pulses, CoreError>),
    /// A namespace's quotas and limit ranges, as read just now (`Polled::Quota`).
    Quota(Result<Quotas, CoreError>),
    /// Metering over the view's period, as read just now (`Polled::Usage`).
    Usage(Result<Metered, CoreError>),
    /// A function's traces over the view's window, as read just now (`Polled::Traces`).
    Traces(Result<TraceSearch, CoreError>),
    /// A function's log lines: the first read, then the live tail (`Polled::Logs`).
    Logs(Result<super::logs::LogFeed, CoreError>),
    /// A file was written (the path), or why not (`Effect::WriteFile`).
    Saved(Result<std::path::PathBuf, String>),
    /// One trace read by its id (`Effect::ReadTrace`), and where it came from.
    Trace(Result<(funcdeck_core::jaeger::Trace, String), CoreError>),
    /// Each stack component's state (`Effect::StackStatus`), or why it could not be read.
    StackStatus(Result<Vec<funcdeck_core::stack::status::ComponentStatus>, String>),
    /// The stack's checked plan (`Effect::StackPlan`), or why there is none.
    StackPlan(Result<StackPreview, String>),
    /// The stack run as it is now (sent after its changes, throttled, then once at its end,
    /// before the run's `Msg::Mutated`).
    StackRun(Box<funcdeck_core::stack::Run>),
}

/// What installing would do: the plan, how the Knative era was found, and what blocks it.
#[derive(Debug, Clone, PartialEq)]
pub struct StackPreview {
    pub era: String,
    pub plan: funcdeck_core::stack::Plan,
    pub refusals: Vec<String>,
    pub denied: Vec<String>,
}

/// A function's traces as read, with their summaries (cold starts computed off the UI thread)
/// and where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceSearch {
    /// Where Jaeger is and which of its APIs answered (`v3`, `classic`).
    pub source: String,
    /// When the window ended (the read's now): the scatter's right edge.
    pub end: DateTime<Utc>,
    /// Newest first, each with its summary at the same position.
    pub traces: Vec<funcdeck_core::jaeger::Trace>,
    pub summaries: Vec<funcdeck_core::jaeger::TraceSummary>,
}

/// The tenants and what could not be read about them (quotas or bindings the caller may not
/// list: the rest is still shown, and the gap is said).
#[derive(Debug, Clone, Default)]
pub struct Tenants {
    pub tenants: Vec<funcdeck_core::tenant::TenantSummary>,
    /// What was left out and why, e.g. `("quotas", Forbidden…)`.
    pub missing: Vec<(&'static str, CoreError)>,
}

/// Metering as read, and where from: the Prometheus and the Knative metrics era it speaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Metered {
    pub source: String,
    pub era: funcdeck_core::prometheus::dialect::Era,
    pub usage: funcdeck_core::prometheus::usage::Usage,
}

/// One namespace's ResourceQuotas and LimitRanges, each sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Quotas {
    pub namespace: String,
    pub quotas: Vec<funcdeck_core::quota::ResourceQuota>,
    pub limit_ranges: Vec<funcdeck_core::quota::LimitRange>,
}

impl Reply {
    /// The same reply kind carrying a failure, for a watch that could not even start.
    pub fn failed(watch: &super::Watch, error: CoreError) -> Reply {
        use super::Watch;
        match watch {
            Watch::Functions { .. } => Reply::Functions(WatchEvent::Failed(error)),
            Watch::Revisions { .. } => Reply::Revisions(WatchEvent::Failed(error)),
            Watch::Pods { .. } => Reply::Pods(WatchEvent::Failed(error)),
            Watch::Events { .. } => Reply::Events(WatchEvent::Failed(error)),
            Watch::Function { .. } => Reply::Function(WatchEvent::Failed(error)),
            Watch::FunctionRevisions { .. } => Reply::FunctionRevisions(WatchEvent::Failed(error)),
            Watch::Polled(super::Polled::Tenants) => Reply::Tenants(Err(error)),
            Watch::Polled(super::Polled::Rbac { .. }) => Reply::Rbac(Err(error)),
            Watch::Polled(super::Polled::Quota { .. }) => Reply::Quota(Err(error)),
            Watch::Polled(super::Polled::Metrics { .. }) => Reply::Metrics(Err(error)),
            Watch::Polled(super::Polled::Pulse { .. }) => Reply::Pulse(Err(error)),
            Watch::Polled(super::Polled::Usage { .. }) => Reply::Usage(Err(error)),
            Watch::Polled(super::Polled::Traces { .. }) => Reply::Traces(Err(error)),
            Watch::Polled(super::Polled::Logs { .. }) => Reply::Logs(Err(error)),
        }
    }
}

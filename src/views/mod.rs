//! Every screen of the console is a view: a room of its own with its state, its transitions and
//! its drawing. The app keeps a stack of them (Enter pushes, Esc pops, `:` jumps) and routes
//! input and answers here; this file is the one match per question that dispatches to each.

mod action;
pub mod editor;
pub mod events;
pub mod form;
pub mod function;
pub mod functions;
pub mod invoke;
pub mod list;
pub mod logs;
pub mod metrics;
pub mod observe;
pub mod on_function;
pub mod pods;
pub mod quota;
pub mod revisions;
pub mod roles;
pub mod stack;
pub mod tenants;
pub mod text;
pub mod traces;
pub mod usage;
pub mod who_can;

use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{Reply, Ticket};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::Theme;

pub use action::{Action, Ctx};
pub use editor::EditorView;
pub use events::EventsView;
pub use form::FormView;
pub use function::FunctionView;
pub use functions::FunctionsView;
pub use invoke::InvokeView;
pub use list::{ListView, Listed};
pub use logs::LogsView;
pub use metrics::MetricsView;
pub use observe::ObserveView;
pub use pods::PodsView;
pub use quota::QuotaView;
pub use revisions::RevisionsView;
pub use roles::RolesView;
pub use stack::StackView;
pub use tenants::TenantsView;
pub use text::TextView;
pub use traces::{CompareView, TraceView, TracesView, Waterfall};
pub use usage::UsageView;
pub use who_can::WhoCanView;

#[derive(Debug)]
pub enum View {
    Functions(FunctionsView),
    Revisions(RevisionsView),
    Pods(PodsView),
    Events(EventsView),
    /// Boxed: it holds four panes and is far larger than the list views.
    Function(Box<FunctionView>),
    Text(TextView),
    /// Boxed: the text buffer and its screens are large.
    Editor(Box<EditorView>),
    /// Boxed: a text area per field.
    Form(Box<FormView>),
    /// Boxed: the request form holds four text editors.
    Invoke(Box<InvokeView>),
    Tenants(TenantsView),
    Roles(Box<RolesView>),
    WhoCan(Box<WhoCanView>),
    Quota(QuotaView),
    /// Boxed: the charts hold many points.
    Metrics(Box<MetricsView>),
    /// Boxed: two tables.
    Usage(Box<UsageView>),
    /// Boxed: the traces read hold every span.
    Traces(Box<TracesView>),
    /// Boxed: a whole trace with its tree and rows.
    Trace(Box<TraceView>),
    /// Boxed: two whole traces.
    TraceCompare(Box<CompareView>),
    /// Boxed: its bounded buffer of lines.
    Logs(Box<LogsView>),
    /// Boxed: a metrics and a traces pane.
    Observe(Box<ObserveView>),
    /// Boxed: the plan and the run it shows.
    Stack(Box<StackView>),
}

/// Runs the same expression for every list view, whatever its row type.
macro_rules! each_list {
    ($view:expr, $list:ident => $body:expr, $other:pat => $otherwise:expr) => {
        match $view {
            View::Functions($list) => $body,
            View::Revisions($list) => $body,
            View::Pods($list) => $body,
            View::Events($list) => $body,
            $other => $otherwise,
        }
    };
}

impl View {
    /// The breadcrumb for this view in the header.
    pub fn title(&self) -> String {
        match self {
            View::Functions(_) => "Functions".to_owned(),
            View::Revisions(_) => "Revisions".to_owned(),
            View::Pods(_) => "Pods".to_owned(),
            View::Events(_) => "Events".to_owned(),
            View::Function(view) => view.title(),
            View::Text(view) => view.title.clone(),
            View::Editor(view) => view.title(),
            View::Form(view) => view.title(),
            View::Invoke(view) => view.title(),
            View::Tenants(view) => view.title(),
            View::Roles(view) => view.title(),
            View::WhoCan(view) => view.title(),
            View::Quota(view) => view.title(),
            View::Metrics(view) => view.title(),
            View::Observe(view) => view.title(),
            View::Usage(view) => view.title(),
            View::Traces(view) => view.title(),
            View::Trace(view) => view.title(),
            View::TraceCompare(view) => view.title(),
            View::Logs(view) => view.title(),
            View::Stack(view) => view.title(),
        }
    }

    /// Where keys are looked up, most specific first (`global` is always last).
    pub fn key_chain(&self) -> &'static [KeyContext] {
        each_list!(self, view => view.key_chain(), other => match other {
            View::Function(view) => view.key_chain(),
            View::Text(view) => view.key_chain(),
            View::Editor(view) => view.key_chain(),
            View::Form(view) => view.key_chain(),
            View::Invoke(view) => view.key_chain(),
            View::Tenants(view) => view.key_chain(),
            View::Roles(view) => view.key_chain(),
            View::WhoCan(view) => view.key_chain(),
            View::Quota(view) => view.key_chain(),
            View::Metrics(view) => view.key_chain(),
            View::Observe(view) => view.key_chain(),
            View::Usage(view) => view.key_chain(),
            View::Traces(view) => view.key_chain(),
            View::Trace(view) => view.key_chain(),
            View::TraceCompare(view) => view.key_chain(),
            View::Logs(view) => view.key_chain(),
            View::Stack(view) => view.key_chain(),
            _ => &[],
        })
    }

    /// The commands worth a hint in the footer, with the word for each.
    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        match self {
            View::Functions(_) => <funcdeck_core::function::FunctionSummary as Listed>::HINTS,
            View::Revisions(_) => <funcdeck_core::revisions::RevisionSummary as Listed>::HINTS,
            View::Pods(_) => <funcdeck_core::pods::PodSummary as Listed>::HINTS,
            View::Events(_) => <funcdeck_core::events::EventSummary as Listed>::HINTS,
            View::Function(_) => function::HINTS,
            View::Text(_) => text::HINTS,
            View::Editor(_) => editor::HINTS,
            View::Form(_) => form::HINTS,
            View::Invoke(view) => view.hints(),
            View::Tenants(_) => tenants::HINTS,
            View::Roles(view) => view.hints(),
            View::WhoCan(_) => who_can::HINTS,
            View::Quota(view) => view.hints(),
            View::Metrics(_) => metrics::HINTS,
            View::Usage(_) => usage::HINTS,
            View::Traces(view) => view.hints(),
            View::Trace(view) => view.hints(),
            View::TraceCompare(_) => traces::compare::HINTS,
            View::Logs(view) => view.hints(),
            View::Observe(view) => view.hints(),
            View::Stack(view) => view.hints(),
        }
    }

    /// (Re)starts the view's watches: on connect, on reconnect, when first shown.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        each_list!(self, view => view.subscribe(ctx), other => match other {
            View::Function(view) => view.subscribe(ctx),
            View::Editor(view) => view.subscribe(ctx),
            View::Invoke(view) => view.subscribe(ctx),
            View::Tenants(view) => view.subscribe(ctx),
            View::Roles(view) => view.subscribe(ctx),
            View::WhoCan(view) => view.subscribe(ctx),
            View::Quota(view) => view.subscribe(ctx),
            View::Metrics(view) => view.subscribe(ctx),
            View::Observe(view) => view.subscribe(ctx),
            View::Usage(view) => view.subscribe(ctx),
            View::Traces(view) => view.subscribe(ctx),
            View::Logs(view) => view.subscribe(ctx),
            View::Trace(view) => view.subscribe(ctx),
            View::Form(view) => view.subscribe(ctx),
            View::Stack(view) => view.subscribe(ctx),
            _ => Vec::new(),
        })
    }

    /// The namespace scope changed (or the cluster did); views that list a namespace start
    /// over, the others just subscribe again.
    pub fn scope_changed(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        each_list!(self, view => view.scope_changed(ctx), other => match other {
            View::Tenants(view) => view.restart(ctx),
            View::Usage(view) => view.restart(ctx),
            other => other.subscribe(ctx),
        })
    }

    /// A command from the keymap; `None` when the view leaves it to the app.
    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        each_list!(self, view => view.on_command(command, ctx), other => match other {
            View::Function(view) => view.on_command(command, ctx),
            View::Text(view) => view.on_command(command, ctx),
            View::Editor(view) => view.on_command(command, ctx),
            View::Form(view) => view.on_command(command, ctx),
            View::Invoke(view) => view.on_command(command, ctx),
            View::Tenants(view) => view.on_command(command, ctx),
            View::Roles(view) => view.on_command(command, ctx),
            View::WhoCan(view) => view.on_command(command, ctx),
            View::Quota(view) => view.on_command(command, ctx),
            View::Metrics(view) => view.on_command(command, ctx),
            View::Observe(view) => view.on_command(command, ctx),
            View::Usage(view) => view.on_command(command, ctx),
            View::Traces(view) => view.on_command(command, ctx),
            View::Trace(view) => view.on_command(command, ctx),
            View::TraceCompare(view) => view.on_command(command, ctx),
            View::Logs(view) => view.on_command(command, ctx),
            View::Stack(view) => view.on_command(command, ctx),
            _ => None,
        })
    }

    /// A key no binding took: text typed into a filter, or into the editor.
    pub fn on_key(&mut self, key: crate::keymap::Key, ctx: &Ctx<'_>) {
        match self {
            View::Editor(view) => view.on_key(key, ctx),
            View::Form(view) => view.on_key(key),
            // Only while a request field is being edited; otherwise keys are commands.
            View::Invoke(view) if view.wants_keys() => view.on_key(key),
            View::Invoke(_) => {}
            View::Roles(view) => view.on_key(key),
            View::WhoCan(_) => {}
            View::Quota(view) => view.on_key(key),
            View::Traces(view) => view.on_key(key),
            View::Trace(view) => view.on_key(key),
            View::Logs(view) => view.on_key(key),
            View::Observe(view) => view.on_key(key),
            View::Stack(view) => view.on_key(key),
            _ => {
                if let Some(c) = key.typed_char() {
                    each_list!(self, view => view.list.on_char(c), other => match other {
                        View::Function(view) => view.on_char(c),
                        View::Tenants(view) => view.on_char(c),
                        View::Usage(view) => view.on_char(c),
                        _ => {}
                    })
                }
            }
        }
    }

    /// The clock moved on: views with something to do later (the editor's debounced check
    /// and draft) do it; `true` when something on screen changed.
    pub fn on_tick(&mut self, ctx: &Ctx<'_>) -> (bool, Vec<Action>) {
        match self {
            View::Editor(view) => view.on_tick(ctx),
            View::Form(view) => view.on_tick(ctx),
            _ => (false, Vec::new()),
        }
    }

    /// The app is quitting: keep what must not be lost.
    pub fn on_quit(&mut self) -> Vec<Action> {
        match self {
            View::Editor(view) => view.on_quit(),
            _ => Vec::new(),
        }
    }

    /// The server answered a change (any view's): views that asked for it move on.
    pub fn mutated(
        &mut self,
        mutation: &crate::app::Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        match self {
            View::Editor(view) => view.mutated(mutation, result, ctx),
            View::Form(view) => view.mutated(mutation, result, ctx),
            // Platform data is polled; a change made here shows at once, not at the next poll.
            View::Tenants(view) if result.is_ok() => view.subscribe(ctx),
            View::Roles(view) => view.mutated(mutation, result, ctx),
            View::Quota(view) => view.mutated(mutation, result, ctx),
            View::Stack(view) => view.mutated(mutation, result, ctx),
            _ => Vec::new(),
        }
    }

    /// Whether an answer with this ticket is for what the view asks now (not an old question).
    pub fn expects(&self, ticket: Ticket) -> bool {
        each_list!(self, view => view.expects(ticket), other => match other {
            View::Function(view) => view.expects(ticket),
            View::Editor(view) => view.expects(ticket),
            View::Invoke(view) => view.expects(ticket),
            View::Tenants(view) => view.expects(ticket),
            View::Roles(view) => view.expects(ticket),
            View::WhoCan(view) => view.expects(ticket),
            View::Quota(view) => view.expects(ticket),
            View::Metrics(view) => view.expects(ticket),
            View::Observe(view) => view.expects(ticket),
            View::Usage(view) => view.expects(ticket),
            View::Traces(view) => view.expects(ticket),
            View::Logs(view) => view.expects(ticket),
            View::Trace(view) => view.expects(ticket),
            View::Form(view) => view.expects(ticket),
            View::Stack(view) => view.expects(ticket),
            _ => false,
        })
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        each_list!(self, view => view.on_reply(ticket, reply), other => match other {
            View::Function(view) => view.on_reply(ticket, reply),
            View::Editor(view) => view.on_reply(reply),
            View::Invoke(view) => view.on_reply(ticket, reply),
            View::Tenants(view) => view.on_reply(ticket, reply),
            View::Roles(view) => view.on_reply(ticket, reply),
            View::WhoCan(view) => view.on_reply(ticket, reply),
            View::Quota(view) => view.on_reply(ticket, reply),
            View::Metrics(view) => view.on_reply(ticket, reply),
            View::Observe(view) => view.on_reply(ticket, reply),
            View::Usage(view) => view.on_reply(reply),
            View::Traces(view) => view.on_reply(ticket, reply),
            View::Logs(view) => view.on_reply(ticket, reply),
            View::Trace(view) => view.on_reply(ticket, reply),
            View::Form(view) => view.on_reply(ticket, reply),
            View::Stack(view) => view.on_reply(ticket, reply),
            _ => Vec::new(),
        })
    }

    /// The cluster cannot be reached at all (bad kubeconfig, unknown context).
    pub fn connection_failed(&mut self, error: CoreError) {
        each_list!(self, view => view.list.failed(error), other => {
            match other {
                View::Function(view) => view.service.fail(error),
                View::Invoke(view) => view.service.fail(error),
                View::Tenants(view) => view.list.failed(error),
                View::Roles(view) => view.rbac.fail(error),
                View::WhoCan(view) => view.rbac.fail(error),
                View::Quota(view) => view.data.fail(error),
                View::Metrics(view) => view.charts.fail(error),
                View::Observe(view) => view.connection_failed(error),
                View::Usage(view) => view.read.fail(error),
                View::Traces(view) => view.search.fail(error),
                View::Logs(view) => view.loaded.fail(error),
                View::Trace(view) => view.waterfall.fail(error),
                View::Stack(view) => view.statuses = Some(Err(error.to_string())),
                _ => {}
            }
        })
    }

    /// Brings derived state (sorted rows, scroll windows) up to date before a frame.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        each_list!(self, view => view.settle(ctx), other => match other {
            View::Function(view) => view.settle(),
            View::Text(view) => view.settle(ctx),
            View::Invoke(view) => view.settle(ctx),
            View::Tenants(view) => view.settle(ctx),
            View::Roles(view) => view.settle(),
            View::WhoCan(view) => view.settle(),
            View::Usage(view) => view.settle(ctx),
            View::Logs(view) => view.settle(ctx),
            View::Observe(view) => view.settle(ctx),
            _ => {}
        })
    }

    /// Whether the clock moving on changes something on screen (young ages tick by the second).
    pub fn ticks(&self, ctx: &Ctx<'_>) -> bool {
        each_list!(self, view => view.ticks(ctx), _ => false)
    }

    /// The footer's `row/rows`, for views with a cursor.
    pub fn position(&self) -> Option<(usize, usize)> {
        each_list!(self, view => view.list.position(), other => match other {
            View::Function(view) => {
                let rows = view.rows_in(view.section);
                (rows > 0).then(|| (view.cursor(view.section) + 1, rows))
            }
            View::Text(view) => view.position(),
            View::Editor(view) => {
                let lines = view.textarea.lines().len();
                Some((view.textarea.cursor().0 + 1, lines))
            }
            View::Invoke(view) => view.position(),
            View::Tenants(view) => view.list.position(),
            View::Roles(view) => view.position(),
            View::WhoCan(view) => view.position(),
            View::Usage(view) => view.position(),
            View::Traces(view) => view.position(),
            View::Observe(view) => view.position(),
            View::Trace(view) => view.position(),
            View::TraceCompare(view) => view.position(),
            View::Logs(view) => view.position(),
            _ => None,
        })
    }

    /// The text being typed into the view, if any (the footer shows the prompt).
    pub fn typing(&self) -> Option<&str> {
        each_list!(self, view => view.list.filtering.then_some(view.list.filter.as_str()), other => match other {
            View::Tenants(view) => view.list.filtering.then_some(view.list.filter.as_str()),
            View::Usage(view) => view.typing(),
            View::Trace(view) => view.typing(),
            View::Logs(view) => view.typing(),
            View::Observe(view) => view.typed(),
            _ => None,
        })
    }

    /// Whether the view holds data it would keep showing through an error.
    pub fn has_data(&self) -> bool {
        each_list!(self, view => view.list.items.data().is_some(), other => match other {
            View::Function(view) => view.service.data().is_some(),
            View::Invoke(view) => view.service.data().is_some(),
            View::Tenants(view) => view.list.items.data().is_some(),
            View::Roles(view) => view.rbac.data().is_some(),
            View::WhoCan(view) => view.rbac.data().is_some(),
            View::Quota(view) => view.has_data(),
            View::Metrics(view) => view.charts.data().is_some(),
            View::Observe(view) => view.metrics.charts.data().is_some(),
            View::Usage(view) => view.read.data().is_some(),
            View::Traces(view) => view.search.data().is_some(),
            View::Logs(view) => view.loaded.data().is_some(),
            View::Stack(view) => view.has_data(),
            _ => true,
        })
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
        use list::render::render_view;
        match self {
            View::Functions(view) => render_view(view, area, buf, ctx, theme),
            View::Revisions(view) => render_view(view, area, buf, ctx, theme),
            View::Pods(view) => render_view(view, area, buf, ctx, theme),
            View::Events(view) => render_view(view, area, buf, ctx, theme),
            View::Function(view) => function::render(view, area, buf, ctx, theme),
            View::Text(view) => view.render(area, buf, theme),
            View::Editor(view) => editor::render(view, area, buf, ctx, theme),
            View::Form(view) => form::render(view, area, buf, ctx, theme),
            View::Invoke(view) => invoke::render(view, area, buf, ctx, theme),
            View::Tenants(view) => tenants::render(view, area, buf, ctx, theme),
            View::Roles(view) => roles::render(view, area, buf, ctx, theme),
            View::WhoCan(view) => who_can::render(view, area, buf, ctx, theme),
            View::Quota(view) => quota::render(view, area, buf, ctx, theme),
            View::Metrics(view) => metrics::render(view, area, buf, ctx, theme),
            View::Usage(view) => usage::render(view, area, buf, ctx, theme),
            View::Traces(view) => traces::render(view, area, buf, ctx, theme),
            View::Trace(view) => traces::render_trace(view, area, buf, ctx, theme),
            View::TraceCompare(view) => traces::compare::render(view, area, buf, theme),
            View::Logs(view) => logs::render(view, area, buf, ctx, theme),
            View::Observe(view) => observe::render(view, area, buf, ctx, theme),
            View::Stack(view) => stack::render(view, area, buf, ctx, theme),
        }
    }
}

/// A scope in words, for titles and messages.
pub fn scope_words(scope: &NamespaceScope) -> String {
    match scope {
        NamespaceScope::All => "all namespaces".to_owned(),
        NamespaceScope::One(ns) => format!("namespace {}", funcdeck_core::text::sanitize(ns)),
    }
}

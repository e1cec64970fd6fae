//! The keymap's sections: where a key is pressed, and whether printable keys type there.

/// Where a key is pressed. A view looks keys up along a chain of contexts, most specific
/// first (the Functions list: `functions`, then `list`, then `global`), so shared keys are bound
/// once. While typing (`input`, `command`), printable keys type instead of reaching `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyContext {
    Global,
    List,
    Functions,
    Function,
    Revisions,
    Pods,
    Events,
    Text,
    Editor,
    EditChoice,
    Traffic,
    Form,
    Invoke,
    InvokeEdit,
    Tenants,
    Picker,
    Input,
    Command,
    Help,
    Roles,
    RolesInput,
    WhoCan,
    Quota,
    Metrics,
    Usage,
    Traces,
    Trace,
    Logs,
    Observe,
    Stack,
    StackPlan,
    StackRun,
}

impl KeyContext {
    pub const ALL: [KeyContext; 32] = [
        KeyContext::Global,
        KeyContext::List,
        KeyContext::Functions,
        KeyContext::Function,
        KeyContext::Revisions,
        KeyContext::Pods,
        KeyContext::Events,
        KeyContext::Text,
        KeyContext::Editor,
        KeyContext::EditChoice,
        KeyContext::Traffic,
        KeyContext::Form,
        KeyContext::Invoke,
        KeyContext::InvokeEdit,
        KeyContext::Tenants,
        KeyContext::Picker,
        KeyContext::Input,
        KeyContext::Command,
        KeyContext::Help,
        KeyContext::Roles,
        KeyContext::RolesInput,
        KeyContext::WhoCan,
        KeyContext::Quota,
        KeyContext::Metrics,
        KeyContext::Usage,
        KeyContext::Traces,
        KeyContext::Trace,
        KeyContext::Logs,
        KeyContext::Observe,
        KeyContext::Stack,
        KeyContext::StackPlan,
        KeyContext::StackRun,
    ];

    /// The section name in keymap files.
    pub fn section(self) -> &'static str {
        match self {
            KeyContext::Global => "global",
            KeyContext::List => "list",
            KeyContext::Functions => "functions",
            KeyContext::Function => "function",
            KeyContext::Revisions => "revisions",
            KeyContext::Pods => "pods",
            KeyContext::Events => "events",
            KeyContext::Text => "text",
            KeyContext::Editor => "editor",
            KeyContext::EditChoice => "edit_choice",
            KeyContext::Traffic => "traffic",
            KeyContext::Form => "form",
            KeyContext::Invoke => "invoke",
            KeyContext::InvokeEdit => "invoke_edit",
            KeyContext::Tenants => "tenants",
            KeyContext::Picker => "picker",
            KeyContext::Input => "input",
            KeyContext::Command => "command",
            KeyContext::Help => "help",
            KeyContext::Roles => "roles",
            KeyContext::RolesInput => "roles_input",
            KeyContext::WhoCan => "who_can",
            KeyContext::Quota => "quota",
            KeyContext::Metrics => "metrics",
            KeyContext::Usage => "usage",
            KeyContext::Traces => "traces",
            KeyContext::Trace => "trace",
            KeyContext::Logs => "logs",
            KeyContext::Observe => "observe",
            KeyContext::Stack => "stack",
            KeyContext::StackPlan => "stack_plan",
            KeyContext::StackRun => "stack_run",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::List => "Every list (functions, revisions, pods, events)",
            KeyContext::Functions => "Functions list",
            KeyContext::Function => "Function detail",
            KeyContext::Revisions => "Revisions list",
            KeyContext::Pods => "Pods list",
            KeyContext::Events => "Events list",
            KeyContext::Text => "Spec and diff viewer",
            KeyContext::Editor => "YAML editor (other keys edit the text)",
            KeyContext::EditChoice => "Editor review, conflict and draft choices",
            KeyContext::Traffic => "Traffic editor (over a function's detail)",
            KeyContext::Form => "Function form (other keys edit the field)",
            KeyContext::Invoke => "Invoke (request form and response)",
            KeyContext::InvokeEdit => "Invoke, editing a field (other keys type into it)",
            KeyContext::Tenants => "Tenants (:tenants)",
            KeyContext::Picker => "Namespace picker",
            KeyContext::Input => "Text input (filter, a new tenant)",
            KeyContext::Command => "Command prompt (:)",
            KeyContext::Help => "Help",
            KeyContext::Roles => "Roles (:roles)",
            KeyContext::RolesInput => "Roles, typing a subject to grant to",
            KeyContext::WhoCan => "Who can (:can VERB RESOURCE [NAME])",
            KeyContext::Quota => "Quota (a namespace's quotas and limit ranges)",
            KeyContext::Metrics => {
                "Metrics of a function (its ranges also move the Usage view's period)"
            }
            KeyContext::Usage => "Usage (:usage): metering per function and tenant",
            KeyContext::Traces => {
                "Traces of a function (:traces; [metrics]' range keys move the window)"
            }
            KeyContext::Trace => "A trace's waterfall (and two traces compared)",
            KeyContext::Logs => "Logs of a function (:logs; [metrics]' range keys move the window)",
            KeyContext::Observe => {
                "A function observed: its panes side by side (then the focused pane's keys)"
            }
            KeyContext::Stack => "Stack wizard (:stack): components, their status and options",
            KeyContext::StackPlan => "Stack wizard: the plan, before anything is written",
            KeyContext::StackRun => {
                "Stack wizard: an install or uninstall running, then its result"
            }
        }
    }

    /// Contexts where printable keys are text, not shortcuts.
    pub(super) fn types_text(self) -> bool {
        matches!(
            self,
            KeyContext::Input
                | KeyContext::Command
                | KeyContext::Editor
                | KeyContext::Form
                | KeyContext::InvokeEdit
                | KeyContext::RolesInput
        )
    }
}

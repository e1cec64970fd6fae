//! `:stack`: the observability stack's wizard. Step one shows each component with its status
//! (ready, not installed, progressing, failed and why) and the options, edited in place and
//! checked as `Options::validate` checks them; step two is the plan from the cluster (per
//! object: create, change with its diff, unchanged, kept, or someone else's), with what blocks
//! an install said first; step three, once the gate let it through, is the run: a gauge, every
//! object's state following the one being worked on, the live log, then the result with a
//! retry (plan again and resume) or a roll back. The same steps and words as `funcdeck stack`
//! (`crate::stack_flow`); the I/O is `runner::stack`'s.

mod field;
mod render;
mod render_plan;
mod render_run;
mod update;

pub use field::{COMPONENT_ROWS, Field, ROWS};
pub use render::render;

use funcdeck_core::key::ObjectKey;
use funcdeck_core::stack::status::ComponentStatus;
use funcdeck_core::stack::{Component, Options, Run, Timing};

use super::{Action, Ctx};
use crate::app::{Effect, Generation, Mutation, StackPreview, Ticket};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const CHOOSE_HINTS: &[(Command, &str)] = &[
    (Command::Toggle, "choose"),
    (Command::EditField, "edit"),
    (Command::NextStep, "plan"),
    (Command::Uninstall, "uninstall"),
    (Command::Back, "back"),
];
pub const PLAN_HINTS: &[(Command, &str)] =
    &[(Command::NextStep, "install"), (Command::Back, "back")];
pub const RUN_HINTS: &[(Command, &str)] = &[(Command::Bottom, "follow")];
pub const FAILED_HINTS: &[(Command, &str)] = &[
    (Command::Retry, "retry"),
    (Command::Uninstall, "roll back"),
    (Command::Back, "back"),
];
pub const DONE_HINTS: &[(Command, &str)] = &[(Command::Back, "back")];
pub const EDIT_HINTS: &[(Command, &str)] =
    &[(Command::Confirm, "keep"), (Command::Cancel, "cancel")];

/// Where the wizard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Choose,
    Plan,
    /// A run under way, then its result.
    Run,
}

#[derive(Debug)]
pub struct StackView {
    pub step: Step,
    /// Every component's state, as last read.
    pub statuses: Option<Result<Vec<ComponentStatus>, String>>,
    /// The components to install or uninstall, in install order.
    pub chosen: Vec<Component>,
    /// The options as edited (its components are `chosen` when asked for).
    pub options: Options,
    /// The directory of third-party releases (air-gapped); empty: download them.
    pub from: String,
    /// The row under the cursor in the first step (components, then `Field::ALL`).
    pub cursor: usize,
    /// The text of the field being edited.
    pub editing: Option<String>,
    /// Why Next (or the last run) did not go ahead.
    pub problem: Option<String>,
    pub preview: Option<Result<StackPreview, String>>,
    /// The selected object of the plan.
    pub plan_cursor: usize,
    pub run: Option<Run>,
    /// The object list's selection in the run; `None` follows the one being worked on.
    pub run_cursor: Option<usize>,
    /// A run was asked for and has not reported yet (a refusal before it starts comes back
    /// only as the mutation's answer).
    awaiting: bool,
    pub timing: Timing,
    status_reads: Generation,
    plan_reads: Generation,
    runs: Generation,
}

impl Default for StackView {
    fn default() -> Self {
        StackView {
            step: Step::Choose,
            statuses: None,
            chosen: Component::ALL.to_vec(),
            options: Options::default(),
            from: String::new(),
            cursor: 0,
            editing: None,
            problem: None,
            preview: None,
            plan_cursor: 0,
            run: None,
            run_cursor: None,
            awaiting: false,
            timing: Timing::default(),
            status_reads: Generation::default(),
            plan_reads: Generation::default(),
            runs: Generation::default(),
        }
    }
}

impl StackView {
    pub fn title(&self) -> String {
        match self.step {
            Step::Choose => "Stack".into(),
            Step::Plan => "Stack · plan".into(),
            Step::Run => match self.run.as_ref().map(|r| r.mode) {
                Some(funcdeck_core::stack::Mode::Uninstall) => "Stack · uninstall".into(),
                _ => "Stack · install".into(),
            },
        }
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.editing.is_some() {
            return &[KeyContext::Input];
        }
        match self.step {
            Step::Choose => &[KeyContext::Stack],
            Step::Plan => &[KeyContext::StackPlan],
            Step::Run => &[KeyContext::StackRun],
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.editing.is_some() {
            return EDIT_HINTS;
        }
        match self.step {
            Step::Choose => CHOOSE_HINTS,
            Step::Plan => PLAN_HINTS,
            Step::Run => match self.run.as_ref().and_then(|r| r.outcome.as_ref()) {
                None => RUN_HINTS,
                Some(Ok(())) => DONE_HINTS,
                Some(Err(_)) => FAILED_HINTS,
            },
        }
    }

    /// Reads the status again (and the plan, when it is shown): on open and on reconnect.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let mut actions = vec![self.read_status(ctx)];
        if self.step == Step::Plan {
            actions.push(self.read_plan(ctx));
        }
        actions
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.status_reads.is_current(ticket)
            || self.plan_reads.is_current(ticket)
            || self.runs.is_current(ticket)
    }

    /// The status of every component (whatever is chosen), with the namespaces as edited.
    fn read_status(&mut self, ctx: &Ctx<'_>) -> Action {
        self.status_reads.bump();
        let options = Options {
            components: Component::ALL.to_vec(),
            ..self.options.clone()
        };
        Action::Effect(Effect::StackStatus {
            ticket: self.status_reads.ticket(ctx.id),
            options: Box::new(options),
        })
    }

    fn read_plan(&mut self, ctx: &Ctx<'_>) -> Action {
        self.plan_reads.bump();
        self.preview = None;
        self.plan_cursor = 0;
        Action::Effect(Effect::StackPlan {
            ticket: self.plan_reads.ticket(ctx.id),
            options: Box::new(self.chosen_options()),
            from: self.releases_dir(),
        })
    }

    /// The options with the chosen components.
    pub fn chosen_options(&self) -> Options {
        Options {
            components: self.chosen.clone(),
            ..self.options.clone()
        }
    }

    fn releases_dir(&self) -> Option<std::path::PathBuf> {
        let from = self.from.trim();
        (!from.is_empty()).then(|| from.into())
    }

    /// Why the chosen components and options cannot be planned, if they cannot.
    pub fn invalid(&self) -> Option<String> {
        if self.chosen.is_empty() {
            return Some("choose at least one component".into());
        }
        self.chosen_options().validate().err()
    }

    /// The install of the chosen components, to the gate; its progress comes to this view.
    fn install(&mut self, ctx: &Ctx<'_>, lines: Vec<String>) -> Action {
        self.runs.bump();
        self.awaiting = true;
        Action::Request(Mutation::InstallStack {
            key: stack_key(),
            components: self.chosen.clone(),
            lines,
            options: Box::new(self.chosen_options()),
            from: self.releases_dir(),
            timing: self.timing,
            progress: Some(self.runs.ticket(ctx.id)),
        })
    }

    fn uninstall(&mut self, ctx: &Ctx<'_>) -> Action {
        let Some(Ok(statuses)) = &self.statuses else {
            return Action::Notice(
                "the components' status is not read yet: uninstall says what it deletes".into(),
            );
        };
        if self.chosen.is_empty() {
            return Action::Notice("choose at least one component to uninstall".into());
        }
        let count: usize = statuses
            .iter()
            .filter(|s| self.chosen.contains(&s.component))
            .map(|s| s.objects)
            .sum();
        // Wiring has no objects of its own: its keys in Knative's ConfigMaps are released.
        if count == 0 && !self.chosen.contains(&Component::Wiring) {
            return Action::Notice(format!(
                "nothing to uninstall: no object funcdeck installed for {} was found",
                crate::stack_flow::component_list(&self.chosen)
            ));
        }
        self.runs.bump();
        self.awaiting = true;
        Action::Request(Mutation::UninstallStack {
            key: stack_key(),
            components: self.chosen.clone(),
            lines: crate::stack_flow::uninstall_lines(count, &self.chosen),
            options: Box::new(self.chosen_options()),
            timing: self.timing,
            progress: Some(self.runs.ticket(ctx.id)),
        })
    }

    pub fn has_data(&self) -> bool {
        matches!(self.statuses, Some(Ok(_)))
    }

    /// The status of one component, if read.
    pub fn status_of(&self, component: Component) -> Option<&ComponentStatus> {
        match &self.statuses {
            Some(Ok(statuses)) => statuses.iter().find(|s| s.component == component),
            _ => None,
        }
    }
}

/// What the gate names and the user types to uninstall: `stack`.
fn stack_key() -> ObjectKey {
    ObjectKey::new("", "stack")
}

#[cfg(test)]
mod tests;

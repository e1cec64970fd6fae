//! The wizard's transitions: keys per step, the answers of its reads and runs, and the end of
//! a run (its mutation's answer).

use funcdeck_core::error::CoreError;
use funcdeck_core::stack::{Component, LogStore, Mode};

use super::{Field, ROWS, StackView, Step};
use crate::app::{Mutation, Reply, Ticket};
use crate::command::Command;
use crate::keymap::Key;
use crate::views::{Action, Ctx};

impl StackView {
    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if self.editing.is_some() {
            return self.on_edit_command(command);
        }
        match self.step {
            Step::Choose => self.on_choose_command(command, ctx),
            Step::Plan => self.on_plan_command(command, ctx),
            Step::Run => self.on_run_command(command, ctx),
        }
    }

    fn on_edit_command(&mut self, command: Command) -> Option<Vec<Action>> {
        let text = self.editing.as_mut()?;
        match command {
            Command::Confirm => {
                let text = std::mem::take(text);
                self.editing = None;
                if let Some(field) = Field::at(self.cursor) {
                    field.set(self, &text);
                }
                self.problem = self.invalid();
            }
            Command::Cancel => self.editing = None,
            Command::DeleteChar => {
                text.pop();
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    fn on_choose_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        match command {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(ROWS - 1),
            Command::Toggle => self.toggle(),
            Command::EditField => match Field::at(self.cursor) {
                Some(Field::LogStore) | None => self.toggle(),
                Some(field) => self.editing = Some(field.value(self)),
            },
            Command::NextStep => {
                self.problem = self.invalid();
                if self.problem.is_none() {
                    self.step = Step::Plan;
                    return Some(vec![self.read_plan(ctx)]);
                }
            }
            Command::Uninstall => return Some(vec![self.uninstall(ctx)]),
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Space: a component in or out, the log store flipped.
    fn toggle(&mut self) {
        if let Some(&component) = Component::ALL.get(self.cursor) {
            if let Some(i) = self.chosen.iter().position(|c| *c == component) {
                self.chosen.remove(i);
            } else {
                self.chosen.push(component);
                self.chosen.sort();
            }
        } else if Field::at(self.cursor) == Some(Field::LogStore) {
            self.options.log_store = match self.options.log_store {
                LogStore::Elasticsearch => LogStore::OpenSearch,
                LogStore::OpenSearch => LogStore::Elasticsearch,
            };
        }
        self.problem = self.invalid();
    }

    fn on_plan_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let objects = match &self.preview {
            Some(Ok(preview)) => preview.plan.objects.len(),
            _ => 0,
        };
        match command {
            Command::Up => self.plan_cursor = self.plan_cursor.saturating_sub(1),
            Command::Down => self.plan_cursor = (self.plan_cursor + 1).min(objects.max(1) - 1),
            Command::Back => {
                self.step = Step::Choose;
                self.problem = None;
            }
            Command::NextStep => return Some(self.confirm_plan(ctx)),
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Enter on the plan: the install to the gate, unless the plan is not there or blocked.
    fn confirm_plan(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let lines = match &self.preview {
            None => return vec![Action::Notice("the plan is still being made".into())],
            Some(Err(_)) => {
                return vec![Action::Notice(
                    "there is no plan to install: see why above".into(),
                )];
            }
            Some(Ok(preview)) => {
                if let Some(blocked) =
                    crate::stack_flow::blocked(&preview.refusals, &preview.denied)
                {
                    let first = blocked.lines().next().unwrap_or_default().to_string();
                    return vec![Action::Notice(format!("{first} (the plan shows why)"))];
                }
                crate::stack_flow::plan_lines(&preview.plan)
            }
        };
        vec![self.install(ctx, lines)]
    }

    fn on_run_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let run = self.run.as_ref();
        let steps = run.map_or(0, |r| r.steps.len());
        let finished = run.and_then(|r| r.outcome.as_ref());
        let failed_install =
            matches!(finished, Some(Err(_))) && run.is_some_and(|r| r.mode == Mode::Install);
        match command {
            Command::Up | Command::Down => {
                let at = self
                    .run_cursor
                    .unwrap_or_else(|| self.active().unwrap_or(0));
                self.run_cursor = Some(if command == Command::Up {
                    at.saturating_sub(1)
                } else {
                    (at + 1).min(steps.max(1) - 1)
                });
            }
            Command::Bottom => self.run_cursor = None,
            Command::Retry if failed_install => {
                let lines =
                    vec!["Plans again and resumes: what is already there is skipped.".into()];
                return Some(vec![self.install(ctx, lines)]);
            }
            Command::Uninstall if finished.is_some() => return Some(vec![self.uninstall(ctx)]),
            Command::Uninstall => {
                return Some(vec![Action::Notice(
                    "the run is under way: roll back once it ends".into(),
                )]);
            }
            // Back to the components (their status read again); while running, Esc is the
            // app's (a view under the wizard comes back) and the run goes on.
            Command::Back if finished.is_some() || self.run.is_none() => {
                self.step = Step::Choose;
                self.run = None;
                self.run_cursor = None;
                return Some(vec![self.read_status(ctx)]);
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The step being worked on: the first not finished, else the last one.
    pub fn active(&self) -> Option<usize> {
        let run = self.run.as_ref()?;
        let (_, all) = run.progress();
        let left: Vec<&funcdeck_core::stack::ObjectRef> = run.left();
        run.steps
            .iter()
            .position(|s| left.contains(&&s.reference))
            .or_else(|| all.checked_sub(1))
    }

    /// A key no binding took: typed into the field being edited.
    pub fn on_key(&mut self, key: Key) {
        if let (Some(text), Some(c)) = (&mut self.editing, key.typed_char()) {
            text.push(c);
        }
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::StackStatus(result) if self.status_reads.is_current(ticket) => {
                self.statuses = Some(result);
                vec![Action::Live]
            }
            Reply::StackPlan(result) if self.plan_reads.is_current(ticket) => {
                self.preview = Some(result);
                self.plan_cursor = 0;
                vec![Action::Live]
            }
            Reply::StackRun(run) if self.runs.is_current(ticket) => {
                if self.awaiting {
                    self.awaiting = false;
                    self.run_cursor = None;
                    self.problem = None;
                }
                self.step = Step::Run;
                self.run = Some(*run);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// A run this view asked for ended: the status is read again (the panes' backends are
    /// found by each pane as it opens, so a new one is found from now on). A run refused
    /// before it started sent no progress: its reason is said here.
    pub fn mutated(
        &mut self,
        mutation: &Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        let progress = match mutation {
            Mutation::InstallStack { progress, .. } | Mutation::UninstallStack { progress, .. } => {
                progress
            }
            _ => return Vec::new(),
        };
        let Some(ticket) = progress.filter(|t| t.view == ctx.id) else {
            return Vec::new();
        };
        if self.runs.is_current(ticket)
            && std::mem::take(&mut self.awaiting)
            && let Err(error) = result
        {
            self.problem = Some(match error {
                CoreError::Api { message, .. } => message.clone(),
                other => other.to_string(),
            });
        }
        vec![self.read_status(ctx)]
    }
}

//! Commands while an overlay has the keyboard (help, the namespace picker, a confirmation, the
//! `:` prompt), and running a prompt line.

use funcdeck_core::functions::NamespaceScope;

use super::prompt::PromptCommand;
use super::{App, Effect, Overlay, prompt};
use crate::command::Command;
use crate::views::{EventsView, FunctionsView, PodsView, RevisionsView, TenantsView, View};

/// Prompt lines remembered for Up/Down.
const HISTORY_LIMIT: usize = 100;

impl App {
    pub(super) fn run_in_overlay(&mut self, command: Command) -> Vec<Effect> {
        let Some(overlay) = &mut self.overlay else {
            return Vec::new();
        };
        match overlay {
            Overlay::Help { scroll } => match command {
                Command::Up => *scroll = scroll.saturating_sub(1),
                Command::Down => *scroll = scroll.saturating_add(1),
                Command::Help | Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => return self.quit(),
                _ => {}
            },
            Overlay::NamespacePicker(picker) => match command {
                Command::Up => picker.move_cursor(-1),
                Command::Down => picker.move_cursor(1),
                Command::DeleteChar => picker.edit_filter(|f| {
                    f.pop();
                }),
                Command::Confirm => {
                    let choice = picker.selected();
                    self.overlay = None;
                    if let Some(scope) = choice {
                        return self.switch_scope(scope);
                    }
                }
                Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => return self.quit(),
                _ => {}
            },
            Overlay::Confirm(confirm) => match command {
                Command::DeleteChar => {
                    confirm.typed.pop();
                    confirm.mismatch = false;
                }
                Command::Confirm => return self.confirm(),
                Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => return self.quit(),
                _ => {}
            },
            Overlay::Prompt(prompt) => match command {
                Command::DeleteChar => prompt.edit(|line| {
                    line.pop();
                }),
                Command::Complete => {
                    let contexts = self
                        .shell
                        .context
                        .as_ref()
                        .map_or(&[][..], |c| c.contexts.as_slice());
                    prompt.complete(&self.shell.namespaces, contexts);
                }
                Command::HistoryPrevious => prompt.history_previous(&self.history),
                Command::HistoryNext => prompt.history_next(&self.history),
                Command::Confirm => {
                    let line = prompt.line.trim().to_owned();
                    self.overlay = None;
                    return self.run_prompt(&line);
                }
                Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => return self.quit(),
                _ => {}
            },
        }
        Vec::new()
    }

    fn run_prompt(&mut self, line: &str) -> Vec<Effect> {
        if line.is_empty() {
            return Vec::new();
        }
        if self.history.last().is_none_or(|last| last != line) {
            self.history.push(line.to_owned());
            if self.history.len() > HISTORY_LIMIT {
                self.history.remove(0);
            }
        }
        let command = match prompt::parse(line) {
            Ok(command) => command,
            Err(message) => {
                self.shell.notice = Some(message);
                return Vec::new();
            }
        };
        self.shell.notice = None;
        match command {
            PromptCommand::Functions => self.jump(View::Functions(FunctionsView::default())),
            PromptCommand::Revisions => self.jump(View::Revisions(RevisionsView::default())),
            PromptCommand::Pods => self.jump(View::Pods(PodsView::default())),
            PromptCommand::Events => self.jump(View::Events(EventsView::default())),
            PromptCommand::Tenants => self.jump(View::Tenants(TenantsView::default())),
            PromptCommand::Namespace(None) => self.open_namespace_picker(),
            PromptCommand::Namespace(Some(ns)) => self.switch_scope(NamespaceScope::One(ns)),
            PromptCommand::Context(Some(name)) => self.switch_context(name),
            PromptCommand::Context(None) => {
                let known = self
                    .shell
                    .context
                    .as_ref()
                    .map(|c| c.contexts.join(", "))
                    .unwrap_or_default();
                self.shell.notice = Some(format!(":ctx NAME switches context (known: {known})"));
                Vec::new()
            }
            PromptCommand::Quit => self.quit(),
            PromptCommand::Roles => self.jump(View::Roles(Box::default())),
            PromptCommand::Can {
                verb,
                resource,
                name,
            } => self.jump(View::WhoCan(Box::new(crate::views::WhoCanView::query(
                verb, resource, name,
            )))),
            PromptCommand::Metrics(name) => {
                let key = match name {
                    Some(name) => Some(funcdeck_core::key::ObjectKey::new(
                        self.shell.namespace_in_scope(),
                        &name,
                    )),
                    None => self.function_in_view(),
                };
                match key {
                    Some(key) => {
                        self.push(View::Metrics(Box::new(crate::views::MetricsView::new(key))))
                    }
                    None => {
                        self.shell.notice = Some(
                            ":metrics NAME shows a function's metrics (or select one first)".into(),
                        );
                        Vec::new()
                    }
                }
            }
            PromptCommand::Traces(name) => {
                let key = match name {
                    Some(name) => Some(funcdeck_core::key::ObjectKey::new(
                        self.shell.namespace_in_scope(),
                        &name,
                    )),
                    None => self.function_in_view(),
                };
                match key {
                    Some(key) => {
                        self.push(View::Traces(Box::new(crate::views::TracesView::new(key))))
                    }
                    None => {
                        self.shell.notice = Some(
                            ":traces NAME shows a function's traces (or select one first)".into(),
                        );
                        Vec::new()
                    }
                }
            }
            PromptCommand::Logs(name) => {
                let key = match name {
                    Some(name) => Some(funcdeck_core::key::ObjectKey::new(
                        self.shell.namespace_in_scope(),
                        &name,
                    )),
                    None => self.function_in_view(),
                };
                match key {
                    Some(key) => {
                        let target = super::LogTarget::function(key);
                        let capacity = self.shell.log_buffer_lines;
                        self.push(View::Logs(Box::new(crate::views::LogsView::new(
                            target, capacity,
                        ))))
                    }
                    None => {
                        self.shell.notice =
                            Some(":logs NAME shows a function's logs (or select one first)".into());
                        Vec::new()
                    }
                }
            }
            PromptCommand::Trace(id) => {
                self.push(View::Trace(Box::new(crate::views::TraceView::by_id(id))))
            }
            PromptCommand::Usage => self.jump(View::Usage(Box::default())),
            PromptCommand::Stack => self.jump(View::Stack(Box::default())),
            PromptCommand::Quota => {
                let mut effects = self.jump(View::Quota(crate::views::QuotaView::default()));
                effects.extend(self.review_top_access());
                effects
            }
        }
    }
}

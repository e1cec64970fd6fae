//! `App::update`: routing every message to the overlay, a view or the shell, and carrying out
//! what views ask for (effects, pushing views, health).

use funcdeck_core::functions::NamespaceScope;

use super::prompt::{self, PromptCommand};
use super::{App, Effect, Health, Msg, NamespacePicker, Overlay, Pane, Prompt, ViewEntry, ViewId};
use crate::command::Command;
use crate::keymap::Key;
use crate::views::{Action, Ctx, EventsView, FunctionsView, PodsView, RevisionsView, View};

/// While a watch is down for a reason a retry can fix, check reachability this often.
const PROBE_INTERVAL_SECONDS: i64 = 3;
/// Prompt lines remembered for Up/Down.
const HISTORY_LIMIT: usize = 100;

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => {
                self.shell.dirty = true;
                self.on_key(key)
            }
            Msg::Resize { width, height } => {
                self.shell.terminal_size = (width, height);
                self.shell.dirty = true;
                Vec::new()
            }
            Msg::Tick(now) => self.on_tick(now),
            Msg::Connected { ticket, result } => {
                if !self.shell.generation.is_current(ticket) {
                    return Vec::new();
                }
                self.shell.dirty = true;
                match result {
                    Ok(info) => {
                        if !self.shell.scope_chosen {
                            self.shell.scope = NamespaceScope::One(info.default_namespace.clone());
                        }
                        self.shell.context = Some(info);
                        self.shell.health = Health::Connecting;
                        let fresh = std::mem::take(&mut self.switching_context);
                        self.for_each_view(|view, ctx| {
                            if fresh {
                                view.scope_changed(ctx)
                            } else {
                                view.subscribe(ctx)
                            }
                        })
                    }
                    Err(error) => {
                        for entry in &mut self.stack {
                            entry.view.connection_failed(error.clone());
                        }
                        self.shell.health = Health::Failed { error };
                        Vec::new()
                    }
                }
            }
            Msg::Namespaces { ticket, result } => {
                if let Ok(names) = &result {
                    self.shell.namespaces = names.clone();
                }
                if self.shell.generation.is_current(ticket)
                    && let Some(Overlay::NamespacePicker(picker)) = &mut self.overlay
                {
                    match result {
                        Ok(names) => picker.namespaces.succeed(names),
                        Err(error) => picker.namespaces.fail(error),
                    }
                    picker.move_cursor(0);
                    self.shell.dirty = true;
                }
                Vec::new()
            }
            Msg::Probed { ticket, result } => {
                if self.shell.generation.is_current(ticket)
                    && result.is_ok()
                    && matches!(&self.shell.health, Health::Degraded { error, .. } if error.is_retryable())
                {
                    self.shell.health = Health::Live;
                    self.shell.dirty = true;
                }
                Vec::new()
            }
            Msg::Mutated {
                ticket: _,
                mutation,
                result,
            } => {
                // Always shown, even after a reconnect: the user should learn how a change went.
                self.mutated(&mutation, result);
                Vec::new()
            }
            Msg::Reply { ticket, reply } => {
                // The view that asked may be gone (popped), or have asked again since: such
                // answers change nothing, not even a redraw.
                let Some(index) = self
                    .stack
                    .iter()
                    .position(|e| e.id == ticket.view && e.view.expects(ticket))
                else {
                    return Vec::new();
                };
                self.shell.dirty = true;
                let entry = &mut self.stack[index];
                let actions = entry.view.on_reply(ticket, *reply);
                self.perform(actions)
            }
        }
    }

    fn on_tick(&mut self, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
        // Ages are shown in whole seconds under two minutes, in minutes or coarser after that:
        // redraw only when some visible text can have changed.
        let before = self.shell.now;
        self.shell.now = now;
        let top = self.top();
        if before.timestamp() / 60 != now.timestamp() / 60 || top.view.ticks(&self.ctx(top.id)) {
            self.shell.dirty = true;
        }
        let mut effects = Vec::new();
        if let Health::Degraded { error, .. } = &self.shell.health
            && error.is_retryable()
            && self
                .shell
                .last_probe
                .is_none_or(|last| (now - last).num_seconds() >= PROBE_INTERVAL_SECONDS)
        {
            self.shell.last_probe = Some(now);
            effects.push(Effect::Probe {
                ticket: self.shell.generation.ticket(ViewId::SHELL),
            });
        }
        effects
    }

    fn on_key(&mut self, key: Key) -> Vec<Effect> {
        let chain = self.key_chain();
        if let Some(command) = self.shell.keymap.lookup(chain, key) {
            return self.run(command);
        }
        if let Some(c) = key.typed_char() {
            match &mut self.overlay {
                Some(Overlay::NamespacePicker(picker)) => picker.edit_filter(|f| f.push(c)),
                Some(Overlay::Prompt(prompt)) => prompt.edit(|line| line.push(c)),
                Some(Overlay::Confirm(confirm)) => {
                    confirm.typed.push(c);
                    confirm.mismatch = false;
                }
                Some(Overlay::Help { .. }) => {}
                None => {
                    if let Some(top) = self.stack.last_mut() {
                        top.view.on_char(c);
                    }
                }
            }
        }
        Vec::new()
    }

    /// Runs a command: the overlay's first, then the top view's, then the shell's.
    pub fn run(&mut self, command: Command) -> Vec<Effect> {
        self.shell.dirty = true;
        if self.overlay.is_some() {
            return self.run_in_overlay(command);
        }
        let Some(top) = self.stack.last_mut() else {
            return Vec::new();
        };
        let ctx = Ctx {
            shell: &self.shell,
            id: top.id,
        };
        if let Some(actions) = top.view.on_command(command, &ctx) {
            return self.perform(actions);
        }
        match command {
            Command::Quit => self.shell.should_quit = true,
            Command::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Command::Retry => return self.reconnect(),
            Command::CommandMode => self.overlay = Some(Overlay::Prompt(Prompt::default())),
            Command::Back => return self.back(),
            Command::PickNamespace => return self.open_namespace_picker(),
            Command::AllNamespaces => return self.switch_scope(NamespaceScope::All),
            _ => {}
        }
        Vec::new()
    }

    fn run_in_overlay(&mut self, command: Command) -> Vec<Effect> {
        let Some(overlay) = &mut self.overlay else {
            return Vec::new();
        };
        match overlay {
            Overlay::Help { scroll } => match command {
                Command::Up => *scroll = scroll.saturating_sub(1),
                Command::Down => *scroll = scroll.saturating_add(1),
                Command::Help | Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => self.shell.should_quit = true,
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
                Command::Quit => self.shell.should_quit = true,
                _ => {}
            },
            Overlay::Confirm(confirm) => match command {
                Command::DeleteChar => {
                    confirm.typed.pop();
                    confirm.mismatch = false;
                }
                Command::Confirm => return self.confirm(),
                Command::Cancel | Command::Back => self.overlay = None,
                Command::Quit => self.shell.should_quit = true,
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
                Command::Quit => self.shell.should_quit = true,
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
            PromptCommand::Quit => {
                self.shell.should_quit = true;
                Vec::new()
            }
        }
    }

    /// Carries out what a view asked for.
    pub(crate) fn perform(&mut self, actions: Vec<Action>) -> Vec<Effect> {
        let mut effects = Vec::new();
        for action in actions {
            match action {
                Action::Effect(effect) => effects.push(effect),
                Action::Push(view) => effects.extend(self.push(*view)),
                Action::Notice(text) => self.shell.notice = Some(text),
                Action::Request(mutation) => effects.extend(self.request(mutation)),
                Action::Live => {
                    if !matches!(self.shell.health, Health::Failed { .. }) {
                        self.shell.health = Health::Live;
                    }
                }
                Action::Degraded(error) => {
                    let since = match &self.shell.health {
                        Health::Degraded { since, .. } => *since,
                        _ => self.shell.now,
                    };
                    self.shell.health = Health::Degraded { error, since };
                }
            }
        }
        effects
    }

    /// Opens `view` on top of the stack and starts its watches.
    pub fn push(&mut self, view: View) -> Vec<Effect> {
        let id = self.new_view_id();
        self.stack.push(ViewEntry { id, view });
        self.subscribe_top()
    }

    /// `:fn`, `:rev`…: the stack becomes just `view` (k9s: a jump starts a new trail).
    fn jump(&mut self, view: View) -> Vec<Effect> {
        let mut effects: Vec<Effect> = self
            .stack
            .drain(..)
            .map(|entry| Effect::Unsubscribe { view: entry.id })
            .collect();
        let id = self.new_view_id();
        self.stack.push(ViewEntry { id, view });
        effects.extend(self.subscribe_top());
        effects
    }

    fn subscribe_top(&mut self) -> Vec<Effect> {
        if self.shell.context.is_none() {
            // Not connected yet: every view subscribes once we are.
            return Vec::new();
        }
        let Some(top) = self.stack.last_mut() else {
            return Vec::new();
        };
        let ctx = Ctx {
            shell: &self.shell,
            id: top.id,
        };
        let actions = top.view.subscribe(&ctx);
        self.perform(actions)
    }

    /// Esc with nothing left to clear: back to the previous view, or dismiss a notice.
    fn back(&mut self) -> Vec<Effect> {
        if self.stack.len() > 1
            && let Some(entry) = self.stack.pop()
        {
            return vec![Effect::Unsubscribe { view: entry.id }];
        }
        if self.shell.notice.take().is_none() && !self.shell.warnings.is_empty() {
            self.shell.warnings.remove(0);
        }
        Vec::new()
    }

    fn open_namespace_picker(&mut self) -> Vec<Effect> {
        self.overlay = Some(Overlay::NamespacePicker(NamespacePicker {
            namespaces: Pane::loading(),
            ..NamespacePicker::default()
        }));
        vec![Effect::LoadNamespaces {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
        }]
    }

    fn switch_scope(&mut self, scope: NamespaceScope) -> Vec<Effect> {
        if scope == self.shell.scope && self.top().view.has_data() {
            return Vec::new();
        }
        self.shell.scope = scope;
        self.shell.scope_chosen = true;
        if self.shell.context.is_none() {
            // Not connected yet: the scope applies once we are.
            return self.reconnect();
        }
        self.shell.health = Health::Connecting;
        self.for_each_view(|view, ctx| view.scope_changed(ctx))
    }

    fn switch_context(&mut self, name: String) -> Vec<Effect> {
        if let Some(info) = &self.shell.context
            && !info.contexts.is_empty()
            && !info.contexts.contains(&name)
        {
            self.shell.notice = Some(format!(
                "no context \"{name}\" in the kubeconfig (known: {})",
                info.contexts.join(", ")
            ));
            return Vec::new();
        }
        self.shell.context_choice = Some(name);
        // Another context has its own namespace; follow it unless one is picked again.
        self.shell.scope_chosen = false;
        self.switching_context = true;
        self.reconnect()
    }

    /// Asks every view in the stack, bottom first, and carries out what they ask.
    fn for_each_view(
        &mut self,
        mut ask: impl FnMut(&mut View, &Ctx<'_>) -> Vec<Action>,
    ) -> Vec<Effect> {
        let mut actions = Vec::new();
        for entry in &mut self.stack {
            let ctx = Ctx {
                shell: &self.shell,
                id: entry.id,
            };
            actions.extend(ask(&mut entry.view, &ctx));
        }
        self.perform(actions)
    }

    pub(super) fn reconnect(&mut self) -> Vec<Effect> {
        self.shell.health = Health::Connecting;
        self.shell.last_probe = None;
        self.shell.generation.bump();
        vec![Effect::Connect {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
            context: self.shell.context_choice.clone(),
        }]
    }
}

//! `App::update`: routing every message to the overlay, a view or the shell, and carrying out
//! what views ask for (effects, pushing views, health).

use funcdeck_core::functions::NamespaceScope;

use super::{App, Effect, Health, Msg, Overlay, Prompt, ViewId};
use crate::command::Command;
use crate::keymap::Key;
use crate::views::{Action, Ctx};

/// While a watch is down for a reason a retry can fix, check reachability this often.
const PROBE_INTERVAL_SECONDS: i64 = 3;

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
                        // Rules belong to a connection (a context, a user).
                        self.shell.access.clear();
                        self.shell.access_asked.clear();
                        if !self.shell.scope_chosen {
                            self.shell.scope = NamespaceScope::One(info.default_namespace.clone());
                        }
                        self.shell.context = Some(info);
                        self.shell.health = Health::Connecting;
                        let fresh = std::mem::take(&mut self.switching_context);
                        let mut effects = self.for_each_view(|view, ctx| {
                            if fresh {
                                view.scope_changed(ctx)
                            } else {
                                view.subscribe(ctx)
                            }
                        });
                        effects.extend(self.review_top_access());
                        effects
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
            Msg::Access {
                ticket,
                namespace,
                result,
            } => {
                if self.shell.generation.is_current(ticket) {
                    match result {
                        Ok(rules) => {
                            self.shell.access.insert(namespace, rules);
                        }
                        // Unknown rules: the server decides each change (asked again later).
                        Err(error) => {
                            tracing::info!(%error, %namespace, "cannot review access");
                            self.shell.access_asked.remove(&namespace);
                        }
                    }
                }
                Vec::new()
            }
            Msg::Written {
                key,
                generation,
                previous,
            } => {
                for entry in &mut self.stack {
                    if let crate::views::View::Function(view) = &mut entry.view
                        && view.key == key
                    {
                        view.follow(generation, previous.clone());
                        self.shell.dirty = true;
                    }
                }
                Vec::new()
            }
            Msg::Mutated {
                ticket: _,
                mutation,
                result,
            } => {
                // Always shown, even after a reconnect: the user should learn how a change went.
                self.mutated(&mutation, result.clone());
                let mut actions = Vec::new();
                for entry in &mut self.stack {
                    let ctx = Ctx {
                        shell: &self.shell,
                        id: entry.id,
                    };
                    actions.extend(entry.view.mutated(&mutation, &result, &ctx));
                }
                self.perform(actions)
            }
            Msg::Drafts { ticket: _, drafts } => {
                if let Some(summary) = crate::drafts::summary(&drafts) {
                    let edit = self
                        .shell
                        .keymap
                        .hint(&[crate::keymap::KeyContext::Function], Command::Edit);
                    self.shell.notice = Some(format!(
                        "{summary} — open the function and press {edit} to restore"
                    ));
                    self.shell.dirty = true;
                }
                Vec::new()
            }
            Msg::DraftFailed(error) => {
                self.shell.notice = Some(error);
                self.shell.dirty = true;
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
        if let Some(top) = self.stack.last_mut() {
            let ctx = Ctx {
                shell: &self.shell,
                id: top.id,
            };
            let (changed, actions) = top.view.on_tick(&ctx);
            self.shell.dirty |= changed;
            effects.extend(self.perform(actions));
        }
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
        if self.overlay.is_none() {
            if let Some(top) = self.stack.last_mut() {
                let ctx = Ctx {
                    shell: &self.shell,
                    id: top.id,
                };
                top.view.on_key(key, &ctx);
            }
            return Vec::new();
        }
        if let Some(c) = key.typed_char() {
            match &mut self.overlay {
                Some(Overlay::NamespacePicker(picker)) => picker.edit_filter(|f| f.push(c)),
                Some(Overlay::Prompt(prompt)) => prompt.edit(|line| line.push(c)),
                Some(Overlay::Confirm(confirm)) => {
                    confirm.typed.push(c);
                    confirm.mismatch = false;
                }
                Some(Overlay::Help { .. }) | None => {}
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
        // A key that opens a form, an editor or a line to type a change into does nothing but
        // say why when the change would be refused, before anything is filled in.
        if !super::key_permission::refuses_itself(command)
            && let Some(why) = self.disabled(command)
        {
            self.shell.notice = Some(format!(
                "cannot {}: {why}",
                command.name().replace('_', " ")
            ));
            return Vec::new();
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
            Command::Quit => return self.quit(),
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

    /// Quits, after asking every view for what must not be lost (the editor's draft).
    pub(super) fn quit(&mut self) -> Vec<Effect> {
        self.shell.should_quit = true;
        let actions: Vec<Action> = self
            .stack
            .iter_mut()
            .flat_map(|entry| entry.view.on_quit())
            .collect();
        self.perform(actions)
    }

    /// Carries out what a view asked for.
    pub(crate) fn perform(&mut self, actions: Vec<Action>) -> Vec<Effect> {
        let mut effects = Vec::new();
        for action in actions {
            match action {
                Action::Effect(effect) => effects.push(effect),
                Action::Push(view) => effects.extend(self.push(*view)),
                Action::Notice(text) => self.shell.notice = Some(text),
                Action::Scope(scope) => effects.extend(self.switch_scope(scope)),
                Action::Close(id) => {
                    if self.stack.len() > 1
                        && let Some(index) = self.stack.iter().position(|e| e.id == id)
                    {
                        self.stack.remove(index);
                        effects.push(Effect::Unsubscribe { view: id });
                    }
                }
                Action::Request(mutation) => effects.extend(self.request(mutation)),
                Action::Live => {
                    if !matches!(self.shell.health, Health::Failed { .. }) {
                        self.shell.health = Health::Live;
                    }
                }
                Action::Degraded(error) => {
                    let since = match &self.shell.health {
                        Health::Degraded { since, .. } => *since,
                        _ => {
                            // Trouble that starts now outranks an older notice in the banner.
                            self.shell.notice = None;
                            self.shell.now
                        }
                    };
                    self.shell.health = Health::Degraded { error, since };
                }
            }
        }
        effects
    }
}

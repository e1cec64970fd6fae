//! Moving between views and scopes: pushing, jumping, going back, switching namespace or
//! context, reconnecting, and (re)subscribing the views that need it.

use funcdeck_core::functions::NamespaceScope;

use super::{App, Effect, Health, NamespacePicker, Overlay, Pane, ViewEntry, ViewId};
use crate::views::{Action, Ctx, View};

impl App {
    /// Opens `view` on top of the stack and starts its watches.
    /// The function the top view is about: a detail's, or the selected row's in a list.
    pub(super) fn function_in_view(&self) -> Option<funcdeck_core::key::ObjectKey> {
        match &self.top().view {
            View::Function(view) => Some(view.key.clone()),
            View::Metrics(view) => Some(view.key.clone()),
            View::Traces(view) => Some(view.key.clone()),
            View::Logs(view) => Some(view.target.key.clone()),
            View::Functions(list) => list
                .list
                .selected()
                .map(|f| funcdeck_core::key::ObjectKey::new(&f.key.namespace, &f.key.name)),
            _ => None,
        }
    }

    pub fn push(&mut self, view: View) -> Vec<Effect> {
        let id = self.new_view_id();
        self.stack.push(ViewEntry { id, view });
        let mut effects = self.subscribe_top();
        effects.extend(self.review_top_access());
        effects
    }

    /// Asks for the rules where changes may be made next: the namespace in scope and the
    /// one the top view is about (each once per connection).
    pub(super) fn review_top_access(&mut self) -> Vec<Effect> {
        let mut namespaces = Vec::new();
        if let NamespaceScope::One(namespace) = &self.shell.scope {
            namespaces.push(namespace.clone());
        }
        if let View::Function(view) = &self.top().view {
            namespaces.push(view.key.namespace.clone());
        }
        if let View::Quota(view) = &self.top().view {
            namespaces.push(view.namespace.clone());
        }
        namespaces
            .iter()
            .filter_map(|namespace| self.review_access(namespace))
            .collect()
    }

    /// `:fn`, `:rev`…: the stack becomes just `view` (k9s: a jump starts a new trail).
    pub(super) fn jump(&mut self, view: View) -> Vec<Effect> {
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

    pub(super) fn subscribe_top(&mut self) -> Vec<Effect> {
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
    pub(super) fn back(&mut self) -> Vec<Effect> {
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

    pub(super) fn open_namespace_picker(&mut self) -> Vec<Effect> {
        self.overlay = Some(Overlay::NamespacePicker(NamespacePicker {
            namespaces: Pane::loading(),
            ..NamespacePicker::default()
        }));
        vec![Effect::LoadNamespaces {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
        }]
    }

    pub(super) fn switch_scope(&mut self, scope: NamespaceScope) -> Vec<Effect> {
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
        let mut effects = self.for_each_view(|view, ctx| view.scope_changed(ctx));
        effects.extend(self.review_top_access());
        effects
    }

    pub(super) fn switch_context(&mut self, name: String) -> Vec<Effect> {
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
    pub(super) fn for_each_view(
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

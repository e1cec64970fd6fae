//! The one place a change to the cluster is let through. Read-only mode refuses every change
//! here; otherwise the user confirms by typing the target's name, and only then does the
//! effect reach the runner. The server's answer comes back as a notice, a refusal verbatim.

use funcdeck_core::access::{Permission, Verdict};
use funcdeck_core::error::CoreError;

use super::key_permission::command_permission;
use super::{App, Effect, Mutation, Overlay, ViewId};

/// The confirmation overlay: the mutation and what has been typed so far.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub mutation: Mutation,
    pub typed: String,
    /// Enter was pressed with a name that does not match.
    pub mismatch: bool,
}

impl App {
    /// A view asks for a change: refused in read-only mode, else confirmed first.
    pub(crate) fn request(&mut self, mutation: Mutation) -> Vec<Effect> {
        if let Some(why) = self.shell.read_only() {
            self.shell.notice = Some(format!("cannot {}: {why}", mutation.describe()));
            return Vec::new();
        }
        let namespace = mutation.key().namespace.clone();
        let permission = mutation.permission();
        match self.shell.access.get(&namespace) {
            Some(rules) if rules.verdict(&permission) == Verdict::Denied => {
                self.shell.notice = Some(format!(
                    "cannot {}: {}",
                    mutation.describe(),
                    self.missing(&permission, &namespace)
                ));
                return Vec::new();
            }
            Some(_) => {}
            // Not known yet: the server decides this time, the rules are there next time.
            None => {
                let effects = self
                    .review_access(&namespace)
                    .into_iter()
                    .collect::<Vec<_>>();
                self.overlay = Some(Overlay::Confirm(Confirm {
                    mutation,
                    typed: String::new(),
                    mismatch: false,
                }));
                return effects;
            }
        }
        self.overlay = Some(Overlay::Confirm(Confirm {
            mutation,
            typed: String::new(),
            mismatch: false,
        }));
        Vec::new()
    }

    /// Enter in the confirmation: the change goes ahead only if the name was typed exactly.
    pub(crate) fn confirm(&mut self) -> Vec<Effect> {
        let Some(Overlay::Confirm(confirm)) = &mut self.overlay else {
            return Vec::new();
        };
        if confirm.mutation.needs_name() && confirm.typed != confirm.mutation.target() {
            confirm.mismatch = true;
            return Vec::new();
        }
        let mutation = confirm.mutation.clone();
        self.overlay = None;
        self.shell.notice = Some(format!("{}…", mutation.describe()));
        vec![Effect::Mutate {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
            mutation,
        }]
    }

    /// Why the top view's `command` cannot change anything now: read-only, or the user's rules
    /// in the namespace it acts in deny the permission it needs (unknown rules: not disabled).
    pub fn disabled(&self, command: crate::command::Command) -> Option<String> {
        let permission = command_permission(command)?;
        if let Some(why) = self.shell.read_only() {
            return Some(why);
        }
        let namespace = match &self.top().view {
            crate::views::View::Function(view) => view.key.namespace.clone(),
            crate::views::View::Roles(view) => view.namespace.clone(),
            crate::views::View::Quota(view) => view.namespace.clone(),
            _ => match &self.shell.scope {
                funcdeck_core::functions::NamespaceScope::One(namespace) => namespace.clone(),
                funcdeck_core::functions::NamespaceScope::All => return None,
            },
        };
        self.shell.refusal(&permission, &namespace)
    }

    /// The user's rules in `namespace`, asked once per namespace and connection.
    pub(crate) fn review_access(&mut self, namespace: &str) -> Option<Effect> {
        // Cluster-wide changes (no namespace) are left to the server.
        if self.shell.context.is_none()
            || namespace.is_empty()
            || !self.shell.access_asked.insert(namespace.to_owned())
        {
            return None;
        }
        Some(Effect::ReviewAccess {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
            namespace: namespace.to_owned(),
        })
    }

    fn missing(&self, permission: &Permission, namespace: &str) -> String {
        self.shell.missing(permission, namespace)
    }

    /// The server's answer to a change.
    pub(crate) fn mutated(&mut self, mutation: &Mutation, result: Result<(), CoreError>) {
        self.shell.notice = Some(match result {
            Ok(()) => mutation.done(),
            // Every change is planned from what was read and carries its resourceVersion.
            Err(CoreError::Conflict { .. }) => format!(
                "cannot {}: the {} changed since it was read; nothing was written",
                mutation.describe(),
                match mutation {
                    Mutation::SetBinding { grant, .. } => grant.kind(),
                    _ => "function",
                }
            ),
            // The same words as a refusal made up front, then the server's own.
            Err(error @ CoreError::Forbidden { .. }) => format!(
                "cannot {}: {} ({error})",
                mutation.describe(),
                self.missing(&mutation.permission(), &mutation.key().namespace)
            ),
            Err(error) => format!("cannot {}: {error}", mutation.describe()),
        });
        self.shell.dirty = true;
    }
}

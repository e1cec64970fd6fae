//! `:roles`: funcdeck's roles in the namespace in scope — the three shipped ones whether
//! installed or not, and any custom funcdeck role — with who is bound to each there and
//! cluster-wide; below, the selected role's rules as a resource × verbs matrix and its
//! subjects. Install, grant and revoke go through the gate like every change.
//!
//! The data is one RBAC read (`Polled::Rbac`), repeated while the view is open; a grant is
//! planned from that read and carries the binding's resourceVersion, so a binding changed
//! meanwhile is refused by the server rather than overwritten.

mod actions;
mod model;
mod render;

pub use model::{Bound, RoleEntry, entries};
pub use render::render;

use funcdeck_core::error::CoreError;
use funcdeck_core::rbac::RbacSnapshot;

use super::{Action, Ctx};
use crate::app::{Generation, Mutation, Pane, Polled, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::NextSection, "roles/subjects"),
    (Command::Grant, "grant"),
    (Command::Revoke, "revoke"),
    (Command::InstallRoles, "install roles"),
    (Command::Back, "back"),
    (Command::CommandMode, "command"),
];

pub const INPUT_HINTS: &[(Command, &str)] = &[
    (Command::Confirm, "grant"),
    (Command::ToggleScope, "namespace/cluster-wide"),
    (Command::Cancel, "cancel"),
];

/// Which list the cursor keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Roles,
    Subjects,
}

/// The subject being typed for a grant of the selected role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantInput {
    pub text: String,
    /// Cluster-wide (a ClusterRoleBinding) instead of in the view's namespace.
    pub cluster: bool,
    /// Why the last Enter did not make a grant.
    pub error: Option<String>,
}

#[derive(Debug)]
pub struct RolesView {
    /// The namespace shown (the scope's, or the context's with all namespaces).
    pub namespace: String,
    pub rbac: Pane<RbacSnapshot>,
    /// Derived from the last good read.
    pub entries: Vec<RoleEntry>,
    pub selected: usize,
    pub subject: usize,
    pub focus: Focus,
    pub input: Option<GrantInput>,
    watching: Generation,
}

impl Default for RolesView {
    fn default() -> Self {
        RolesView {
            namespace: String::new(),
            rbac: Pane::loading(),
            entries: Vec::new(),
            selected: 0,
            subject: 0,
            focus: Focus::Roles,
            input: None,
            watching: Generation::default(),
        }
    }
}

impl RolesView {
    pub fn title(&self) -> String {
        format!("Roles({})", self.namespace)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.input.is_some() {
            &[KeyContext::RolesInput]
        } else {
            &[KeyContext::Roles]
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.input.is_some() {
            INPUT_HINTS
        } else {
            HINTS
        }
    }

    pub fn selected_entry(&self) -> Option<&RoleEntry> {
        self.entries.get(self.selected)
    }

    pub fn selected_bound(&self) -> Option<&Bound> {
        self.selected_entry()?.bound.get(self.subject)
    }

    /// (Re)reads the namespace in scope; another namespace than before starts over.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let namespace = ctx.shell.namespace_in_scope();
        if namespace != self.namespace {
            self.namespace = namespace;
            self.rbac.restart();
            self.entries.clear();
            self.selected = 0;
            self.subject = 0;
        } else {
            self.rbac.reload();
        }
        vec![Action::watch(
            &mut self.watching,
            ctx,
            Watch::Polled(Polled::Rbac {
                namespace: self.namespace.clone(),
            }),
        )]
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.watching.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::Rbac(Ok(snapshot)) if self.watching.is_current(ticket) => {
                self.entries = entries(&snapshot);
                self.rbac.succeed(snapshot);
                self.settle();
                vec![Action::Live]
            }
            Reply::Rbac(Err(error)) if self.watching.is_current(ticket) => self.failed(error),
            _ => Vec::new(),
        }
    }

    /// A refused read (403) is this persona's answer from a working server, not a broken
    /// connection: the pane says it and the header stays live.
    fn failed(&mut self, error: CoreError) -> Vec<Action> {
        let forbidden = matches!(error, CoreError::Forbidden { .. });
        self.rbac.fail(error.clone());
        if forbidden {
            vec![Action::Live]
        } else {
            vec![Action::Degraded(error)]
        }
    }

    /// A grant or install went through: read again now rather than at the next poll.
    pub fn mutated(
        &mut self,
        mutation: &Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        match (mutation, result) {
            (Mutation::SetBinding { .. } | Mutation::InstallRoles { .. }, Ok(())) => {
                self.subscribe(ctx)
            }
            _ => Vec::new(),
        }
    }

    /// Keeps the cursors on rows that exist.
    pub fn settle(&mut self) {
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        let bound = self.selected_entry().map_or(0, |e| e.bound.len());
        self.subject = self.subject.min(bound.saturating_sub(1));
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match self.focus {
            Focus::Roles => {
                (!self.entries.is_empty()).then(|| (self.selected + 1, self.entries.len()))
            }
            Focus::Subjects => {
                let rows = self.selected_entry().map_or(0, |e| e.bound.len());
                (rows > 0).then(|| (self.subject + 1, rows))
            }
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if self.input.is_some() {
            return self.on_input_command(command);
        }
        match command {
            Command::Up => self.step(-1),
            Command::Down => self.step(1),
            Command::Top => self.step(isize::MIN / 2),
            Command::Bottom => self.step(isize::MAX / 2),
            Command::NextSection | Command::PreviousSection => {
                self.focus = match self.focus {
                    Focus::Roles => Focus::Subjects,
                    Focus::Subjects => Focus::Roles,
                };
            }
            Command::Grant => return Some(self.start_grant(ctx)),
            Command::Revoke => return Some(self.revoke(ctx)),
            Command::InstallRoles => return Some(self.install(ctx)),
            _ => return None,
        }
        Some(Vec::new())
    }

    fn step(&mut self, by: isize) {
        match self.focus {
            Focus::Roles => {
                let before = self.selected;
                self.selected = self.selected.saturating_add_signed(by);
                if self.selected != before {
                    self.subject = 0;
                }
            }
            Focus::Subjects => self.subject = self.subject.saturating_add_signed(by),
        }
        self.settle();
    }
}

#[cfg(test)]
mod tests;

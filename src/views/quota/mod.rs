//! `:quota`: one namespace's ResourceQuotas (used of hard, with a usage bar coloured by how
//! full it is) and LimitRanges (defaults and maxima per container), read again every few
//! seconds while open. With all namespaces in scope it shows the context's default namespace
//! and says so. A key opens one line, prefilled with the values in force in the CLI's own words
//! (`cpu=2 memory=4Gi gpu=0 pods=20 functions=10`), parsed exactly as `quota set`'s flags; a
//! good line goes through the gate, which previews before → after and asks for the namespace
//! to be typed when a value is below what is already in use.

mod render;

pub use render::render;

use funcdeck_core::access::Permission;
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::quota::{self, QUOTA_NAME, QuotaChange};

use super::{Action, Ctx};
use crate::app::{Generation, Mutation, Pane, Polled, Quotas, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

pub const HINTS: &[(Command, &str)] = &[
    (Command::SetQuota, "set quota"),
    (Command::Retry, "reload"),
    (Command::Back, "back"),
];

pub const EDIT_HINTS: &[(Command, &str)] =
    &[(Command::Confirm, "preview"), (Command::Cancel, "cancel")];

/// The permission setting needs (server-side apply is a patch), as the gate checks it.
const SET: Permission = Permission::new("patch", "", "resourcequotas");

/// The quota line being typed, and why the last Enter did not take it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaLine {
    pub text: String,
    pub problem: Option<String>,
}

#[derive(Debug, Default)]
pub struct QuotaView {
    /// The namespace shown: the one in scope, else the context's default.
    pub namespace: String,
    /// All namespaces are in scope, so this is the context's default namespace.
    pub defaulted: bool,
    pub data: Pane<Quotas>,
    /// `Some` while the quota line is open.
    pub line: Option<QuotaLine>,
    polling: Generation,
}

impl QuotaView {
    pub fn title(&self) -> String {
        format!("Quota {}", self.namespace)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.line.is_some() {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Quota]
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.line.is_some() {
            EDIT_HINTS
        } else {
            HINTS
        }
    }

    /// Polls the namespace in scope (again): on open, on reconnect, on a namespace or context
    /// change. Another namespace's data is dropped at once; the same one's stays until the
    /// answer.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let (namespace, defaulted) = match &ctx.shell.scope {
            NamespaceScope::One(namespace) => (namespace.clone(), false),
            NamespaceScope::All => match &ctx.shell.context {
                Some(info) => (info.default_namespace.clone(), true),
                None => return Vec::new(),
            },
        };
        if namespace == self.namespace {
            self.data.reload();
        } else {
            self.data.restart();
            self.line = None;
        }
        self.namespace = namespace;
        self.defaulted = defaulted;
        vec![Action::watch(
            &mut self.polling,
            ctx,
            Watch::Polled(Polled::Quota {
                namespace: self.namespace.clone(),
            }),
        )]
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.polling.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            // A late answer for a namespace left behind is not this view's data.
            Reply::Quota(Ok(quotas))
                if self.polling.is_current(ticket) && quotas.namespace == self.namespace =>
            {
                self.data.succeed(quotas);
                vec![Action::Live]
            }
            Reply::Quota(Err(error)) if self.polling.is_current(ticket) => {
                self.data.fail(error.clone());
                // Refused or missing is about this view: the server answered, so the
                // connection is live.
                if error.is_retryable() {
                    vec![Action::Degraded(error)]
                } else {
                    vec![Action::Live]
                }
            }
            _ => Vec::new(),
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if let Some(line) = &mut self.line {
            return match command {
                Command::Confirm => Some(self.submit()),
                Command::Cancel => {
                    self.line = None;
                    Some(Vec::new())
                }
                Command::DeleteChar => {
                    line.text.pop();
                    line.problem = None;
                    Some(Vec::new())
                }
                _ => None,
            };
        }
        match command {
            Command::SetQuota => Some(self.open_line(ctx)),
            _ => None,
        }
    }

    /// Opens the line with the values in force, unless the change would be refused anyway.
    fn open_line(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        if let Some(why) = ctx.shell.refusal(&SET, &self.namespace) {
            return vec![Action::Notice(format!(
                "cannot set the quota of namespace {}: {why}",
                self.namespace
            ))];
        }
        let Some(data) = self.data.data() else {
            return vec![Action::Notice(format!(
                "the quotas of namespace {} are not read yet: a change is planned from them",
                self.namespace
            ))];
        };
        let mut text = quota::current_line(&data.quotas);
        if !text.is_empty() {
            text.push(' ');
        }
        self.line = Some(QuotaLine {
            text,
            problem: None,
        });
        Vec::new()
    }

    /// Enter on the line: a change the flags would take goes to the gate; anything else is
    /// said under the line, which stays open.
    fn submit(&mut self) -> Vec<Action> {
        let (Some(line), Some(data)) = (&mut self.line, self.data.data()) else {
            return Vec::new();
        };
        let planned = QuotaChange::parse_line(&line.text)
            .and_then(|change| quota::plan_set(&self.namespace, &data.quotas, &change));
        match planned {
            Ok(plan) => {
                self.line = None;
                vec![Action::Request(Mutation::SetQuota {
                    key: ObjectKey::new(&self.namespace, QUOTA_NAME),
                    lines: plan.lines,
                    warnings: plan.warnings,
                    body: plan.body,
                })]
            }
            Err(problem) => {
                line.problem = Some(problem);
                Vec::new()
            }
        }
    }

    /// A key no binding took: typed into the open line.
    pub fn on_key(&mut self, key: Key) {
        if let (Some(line), Some(c)) = (&mut self.line, key.typed_char()) {
            line.text.push(c);
            line.problem = None;
        }
    }

    /// Our quota was written: read it now rather than at the next poll.
    pub fn mutated(
        &mut self,
        mutation: &Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        match mutation {
            Mutation::SetQuota { key, .. } if result.is_ok() && key.namespace == self.namespace => {
                self.subscribe(ctx)
            }
            _ => Vec::new(),
        }
    }

    pub fn has_data(&self) -> bool {
        self.data.data().is_some()
    }
}

#[cfg(test)]
mod tests;

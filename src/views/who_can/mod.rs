//! Who can: the subjects whose bindings let them do something, and through which binding and
//! role — k9s's `:can`, answered from the roles and bindings themselves (the same reading as
//! `rbac who-can`). Opened by `:can VERB RESOURCE [NAME]` for the namespace in scope, from a
//! function (get / update / delete it), or for a tenant (get / update / delete its namespace).
//!
//! The data is the same repeated RBAC read as `:roles` (`Polled::Rbac`).

mod render;

pub use render::render;

use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::rbac::{RbacSnapshot, ResourceRef, who_can};

use super::{Action, Ctx};
use crate::app::{Generation, Pane, Polled, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Down, "move"),
    (Command::Back, "back"),
    (Command::CommandMode, "command"),
];

/// The verbs asked about an object (a function, a tenant's namespace).
const OBJECT_VERBS: [&str; 3] = ["get", "update", "delete"];

/// What is asked: verbs on a resource (one object, if named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub verbs: Vec<String>,
    pub resource: ResourceRef,
    pub name: Option<String>,
    /// A cluster-scoped object (a namespace): only ClusterRoleBindings can grant it.
    pub cluster_scoped: bool,
}

/// One subject and what it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoRow {
    pub kind: String,
    pub name: String,
    /// Per verb of the question, in its order.
    pub can: Vec<bool>,
    /// "RoleBinding shop/x → ClusterRole funcdeck-developer", once each.
    pub through: Vec<String>,
}

/// Every subject that can do at least one of the verbs, by kind and name.
pub fn rows(rbac: &RbacSnapshot, namespace: &str, question: &Question) -> Vec<WhoRow> {
    // Cluster-scoped objects: a RoleBinding (and a namespace's Role) grants nothing on them.
    let cluster_only;
    let rbac = if question.cluster_scoped {
        cluster_only = RbacSnapshot {
            roles: Vec::new(),
            role_bindings: Vec::new(),
            ..rbac.clone()
        };
        &cluster_only
    } else {
        rbac
    };
    let mut out: Vec<WhoRow> = Vec::new();
    for (i, verb) in question.verbs.iter().enumerate() {
        let holders = who_can(
            rbac,
            namespace,
            verb,
            &question.resource,
            question.name.as_deref(),
        );
        for holder in holders {
            let row = match out
                .iter_mut()
                .position(|r| r.kind == holder.kind && r.name == holder.name)
            {
                Some(at) => &mut out[at],
                None => {
                    out.push(WhoRow {
                        kind: holder.kind.clone(),
                        name: holder.name.clone(),
                        can: vec![false; question.verbs.len()],
                        through: Vec::new(),
                    });
                    let last = out.len() - 1;
                    &mut out[last]
                }
            };
            row.can[i] = true;
            let through = format!("{} → {}", holder.binding, holder.role);
            if !row.through.contains(&through) {
                row.through.push(through);
            }
        }
    }
    out.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    out
}

#[derive(Debug)]
pub struct WhoCanView {
    pub question: Question,
    /// Fixed (a function's, a tenant's) or `None`: the namespace in scope.
    fixed_namespace: Option<String>,
    /// What the question is about, in words ("function shop/cart").
    pub about: String,
    pub namespace: String,
    pub rbac: Pane<RbacSnapshot>,
    pub rows: Vec<WhoRow>,
    pub cursor: usize,
    watching: Generation,
}

impl WhoCanView {
    fn new(question: Question, fixed_namespace: Option<String>, about: String) -> Self {
        WhoCanView {
            question,
            namespace: fixed_namespace.clone().unwrap_or_default(),
            fixed_namespace,
            about,
            rbac: Pane::loading(),
            rows: Vec::new(),
            cursor: 0,
            watching: Generation::default(),
        }
    }

    /// `:can VERB RESOURCE [NAME]` in the namespace in scope.
    pub fn query(verb: String, resource: ResourceRef, name: Option<String>) -> Self {
        let about = match &name {
            Some(name) => format!("{resource} {name}"),
            None => resource.to_string(),
        };
        WhoCanView::new(
            Question {
                verbs: vec![verb],
                resource,
                name,
                cluster_scoped: false,
            },
            None,
            about,
        )
    }

    /// Who can get, update and delete a function.
    pub fn for_function(key: &ObjectKey) -> Self {
        WhoCanView::new(
            Question {
                verbs: OBJECT_VERBS.map(str::to_owned).to_vec(),
                resource: ResourceRef {
                    group: funcdeck_core::knative::GROUP.into(),
                    resource: "services".into(),
                },
                name: Some(key.name.clone()),
                cluster_scoped: false,
            },
            Some(key.namespace.clone()),
            format!("function {key}"),
        )
    }

    /// Who can get, update and delete a tenant's namespace object. Namespaces are
    /// cluster-scoped, so only cluster-wide bindings count (the view says so).
    pub fn for_namespace(namespace: &str) -> Self {
        WhoCanView::new(
            Question {
                verbs: OBJECT_VERBS.map(str::to_owned).to_vec(),
                resource: ResourceRef {
                    group: String::new(),
                    resource: "namespaces".into(),
                },
                name: Some(namespace.to_owned()),
                cluster_scoped: true,
            },
            Some(namespace.to_owned()),
            format!("namespace {namespace}"),
        )
    }

    pub fn title(&self) -> String {
        format!("Who can({})", self.about)
    }

    /// Asked of the namespace in scope (`:can`), not of one object's.
    pub fn follows_scope(&self) -> bool {
        self.fixed_namespace.is_none()
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        &[KeyContext::WhoCan]
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let namespace = self
            .fixed_namespace
            .clone()
            .unwrap_or_else(|| ctx.shell.namespace_in_scope());
        if namespace != self.namespace {
            self.namespace = namespace;
            self.rbac.restart();
            self.rows.clear();
            self.cursor = 0;
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
                self.rows = rows(&snapshot, &self.namespace, &self.question);
                self.rbac.succeed(snapshot);
                self.settle();
                vec![Action::Live]
            }
            Reply::Rbac(Err(error)) if self.watching.is_current(ticket) => {
                // A persona that may not read RBAC is answered, not disconnected.
                let forbidden = matches!(error, CoreError::Forbidden { .. });
                self.rbac.fail(error.clone());
                if forbidden {
                    vec![Action::Live]
                } else {
                    vec![Action::Degraded(error)]
                }
            }
            _ => Vec::new(),
        }
    }

    pub fn settle(&mut self) {
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        (!self.rows.is_empty()).then(|| (self.cursor + 1, self.rows.len()))
    }

    pub fn on_command(&mut self, command: Command, _ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let by: isize = match command {
            Command::Up => -1,
            Command::Down => 1,
            Command::Top => isize::MIN / 2,
            Command::Bottom => isize::MAX / 2,
            _ => return None,
        };
        self.cursor = self.cursor.saturating_add_signed(by);
        self.settle();
        Some(Vec::new())
    }
}

#[cfg(test)]
mod tests;

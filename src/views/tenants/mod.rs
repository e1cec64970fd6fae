//! The Tenants view (`:tenants`): the namespaces that host functions or are labelled as
//! tenants, with owner, function count, quota usage and the roles bound in them, read again
//! every few seconds. Enter shows a tenant's functions; a key creates a tenant from a line
//! typed in the view (`NAME [PRESET] [owner=USER]`), previewed by the gate.

mod render;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::tenant::{self, TenantSummary};

use super::list::{ListState, Row};
use super::{Action, Ctx, FunctionsView, View};
use crate::app::{Generation, Mutation, Polled, Reply, Ticket, Watch, layout};
use crate::columns::{Column, TENANT_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

pub use render::render;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Open, "functions"),
    (Command::CreateTenant, "create"),
    (Command::Filter, "filter"),
    (Command::SortNext, "sort"),
    (Command::Back, "back"),
    (Command::CommandMode, "command"),
];

impl Row for TenantSummary {
    type Key = String;

    fn key(&self) -> &String {
        &self.name
    }

    fn haystack(&self) -> String {
        format!(
            "{} {} {}",
            self.name,
            self.owner.as_deref().unwrap_or(""),
            self.roles.as_deref().unwrap_or_default().join(" ")
        )
    }

    fn columns() -> &'static [Column<Self>] {
        TENANT_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        None
    }
}

#[derive(Debug, Default)]
pub struct TenantsView {
    pub list: ListState<TenantSummary>,
    /// What the caller may not read (quotas, bindings): said above the table, the rest shown.
    pub missing: Vec<(&'static str, CoreError)>,
    /// The line being typed for a new tenant, and what is wrong with it when Enter was refused.
    pub creating: Option<String>,
    pub problem: Option<String>,
    generation: Generation,
}

/// A new tenant as typed: `NAME [PRESET] [owner=USER]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTenant {
    pub name: String,
    pub preset: String,
    pub owner: Option<String>,
}

/// Reads the creation line; the error is a sentence for under it.
pub fn parse_new_tenant(line: &str, presets: &[&str]) -> Result<NewTenant, String> {
    let mut words = line.split_whitespace();
    let Some(name) = words.next() else {
        return Err("type the tenant's name first".into());
    };
    if !funcdeck_core::names::is_namespace_name(name) {
        return Err(format!(
            "\"{name}\" is not a valid tenant name (a namespace: lower-case letters, digits and '-', at most 63)"
        ));
    }
    let mut tenant = NewTenant {
        name: name.to_owned(),
        preset: "small".into(),
        owner: None,
    };
    for word in words {
        if let Some(owner) = word.strip_prefix("owner=") {
            if owner.is_empty() {
                return Err("owner= needs a user name".into());
            }
            tenant.owner = Some(owner.to_owned());
        } else if presets.contains(&word) {
            tenant.preset = word.to_owned();
        } else {
            return Err(format!(
                "\"{word}\" is neither a preset ({}) nor owner=USER",
                presets.join(", ")
            ));
        }
    }
    Ok(tenant)
}

impl TenantsView {
    pub fn title(&self) -> String {
        "Tenants".to_owned()
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.creating.is_some() || self.list.filtering {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Tenants, KeyContext::List]
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.items.reload();
        vec![Action::watch(
            &mut self.generation,
            ctx,
            Watch::Polled(Polled::Tenants),
        )]
    }

    /// Another context sees other tenants (or none): start over.
    pub fn restart(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.restart();
        self.missing.clear();
        self.subscribe(ctx)
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Tenants(Ok(read)) => {
                self.list.synced(read.tenants);
                self.missing = read.missing;
                vec![Action::Live]
            }
            Reply::Tenants(Err(error)) => {
                self.list.failed(error.clone());
                vec![Action::Degraded(error)]
            }
            _ => Vec::new(),
        }
    }

    pub fn on_char(&mut self, c: char) {
        match &mut self.creating {
            Some(line) => {
                line.push(c);
                self.problem = None;
            }
            None => self.list.on_char(c),
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if let Some(line) = &mut self.creating {
            match command {
                Command::Confirm => return Some(self.finish_creating()),
                Command::Cancel | Command::Back => {
                    self.creating = None;
                    self.problem = None;
                }
                Command::DeleteChar => {
                    line.pop();
                    self.problem = None;
                }
                _ => {}
            }
            return Some(Vec::new());
        }
        let page = usize::from(layout::table_rows(ctx.shell.body_height));
        if self.list.on_command(command, page, false) {
            return Some(Vec::new());
        }
        self.list.refresh_rows();
        match command {
            Command::CreateTenant => {
                self.creating = Some(String::new());
                self.problem = None;
                Some(Vec::new())
            }
            Command::Open => Some(match self.list.selected() {
                Some(tenant) => vec![
                    Action::Scope(NamespaceScope::One(tenant.name.clone())),
                    Action::Push(Box::new(View::Functions(FunctionsView::default()))),
                ],
                None => Vec::new(),
            }),
            _ => None,
        }
    }

    /// Enter on the creation line: the tenant's plan to the gate, or what is wrong with it.
    fn finish_creating(&mut self) -> Vec<Action> {
        let line = self.creating.clone().unwrap_or_default();
        let presets = tenant::presets();
        let names: Vec<&str> = presets.keys().map(String::as_str).collect();
        let new = match parse_new_tenant(&line, &names) {
            Ok(new) => new,
            Err(problem) => {
                self.problem = Some(problem);
                return Vec::new();
            }
        };
        let Some(preset) = presets.get(&new.preset) else {
            return Vec::new();
        };
        self.creating = None;
        self.problem = None;
        let plan = tenant::plan_tenant(&new.name, &new.preset, preset, new.owner.as_deref());
        vec![Action::Request(Mutation::CreateTenant {
            key: ObjectKey::new(&new.name, &new.name),
            preset: new.preset,
            lines: plan.lines,
            objects: plan.objects,
        })]
    }

    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        self.list
            .settle(usize::from(layout::table_rows(ctx.shell.body_height)));
    }
}

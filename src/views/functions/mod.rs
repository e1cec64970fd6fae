//! The Functions view: every Knative Service in scope, live, filterable and sortable; Enter opens
//! a function's detail.

use chrono::{DateTime, Utc};
use funcdeck_core::function::{FunctionKey, FunctionSummary, Readiness};
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;

use super::list::{ListView, Listed, Row};
use crate::app::{Mutation, Reply, Watch};
use crate::columns::{Column, FUNCTION_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

pub type FunctionsView = ListView<FunctionSummary>;

impl Row for FunctionSummary {
    type Key = FunctionKey;

    fn key(&self) -> &FunctionKey {
        &self.key
    }

    fn haystack(&self) -> String {
        format!(
            "{}/{} {} {}",
            self.key.namespace,
            self.key.name,
            self.readiness.label(),
            self.reason.as_deref().unwrap_or("")
        )
    }

    fn columns() -> &'static [Column<Self>] {
        FUNCTION_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        self.created
    }
}

impl Listed for FunctionSummary {
    const NAME: &'static str = "Functions";
    const NOUN: &'static str = "functions";
    const KEYS: KeyContext = KeyContext::Functions;
    const HINTS: &'static [(Command, &'static str)] = &[
        (Command::Help, "help"),
        (Command::Open, "detail"),
        (Command::Filter, "filter"),
        (Command::PickNamespace, "namespace"),
        (Command::AllNamespaces, "all"),
        (Command::SortNext, "sort"),
        (Command::Create, "create"),
        (Command::Edit, "edit"),
        (Command::Invoke, "invoke"),
        (Command::CommandMode, "command"),
        (Command::Quit, "quit"),
    ];

    fn watch(scope: NamespaceScope) -> Watch {
        Watch::Functions { scope }
    }

    fn events(reply: Reply) -> Option<WatchEvent<Self>> {
        match reply {
            Reply::Functions(event) => Some(event),
            _ => None,
        }
    }

    const PULSE: bool = true;

    fn function(&self) -> Option<ObjectKey> {
        Some(self.key.clone())
    }

    fn deletion(&self) -> Option<Mutation> {
        Some(Mutation::DeleteFunction {
            key: self.key.clone(),
        })
    }
}

/// Counts for the header: how much is wrong at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub failed: usize,
    pub deploying: usize,
}

impl FunctionsView {
    pub fn tally(&self) -> Option<Tally> {
        let list = self.list.items.data()?;
        let mut tally = Tally {
            total: list.len(),
            ..Tally::default()
        };
        for summary in list.all() {
            match summary.readiness {
                Readiness::Failed => tally.failed += 1,
                Readiness::Deploying => tally.deploying += 1,
                Readiness::Ready | Readiness::Unknown => {}
            }
        }
        Some(tally)
    }
}

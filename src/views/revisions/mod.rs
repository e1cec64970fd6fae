//! The Revisions view: every revision in scope, live; Enter opens the revision's function.

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::watch::WatchEvent;

use super::list::{LEADS_TO_FUNCTION, ListView, Listed, Row, function_in};
use crate::app::{Reply, Watch};
use crate::columns::{Column, REVISION_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

pub type RevisionsView = ListView<RevisionSummary>;

impl Row for RevisionSummary {
    type Key = ObjectKey;

    fn key(&self) -> &ObjectKey {
        &self.key
    }

    fn haystack(&self) -> String {
        format!(
            "{}/{} {} {} {} {}",
            self.key.namespace,
            self.key.name,
            self.function.as_deref().unwrap_or(""),
            self.ready,
            self.reason.as_deref().unwrap_or(""),
            self.image.as_deref().unwrap_or("")
        )
    }

    fn columns() -> &'static [Column<Self>] {
        REVISION_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        self.created
    }
}

impl Listed for RevisionSummary {
    const NAME: &'static str = "Revisions";
    const NOUN: &'static str = "revisions";
    const KEYS: KeyContext = KeyContext::Revisions;
    const HINTS: &'static [(Command, &'static str)] = LEADS_TO_FUNCTION;

    fn watch(scope: NamespaceScope) -> Watch {
        Watch::Revisions { scope }
    }

    fn events(reply: Reply) -> Option<WatchEvent<Self>> {
        match reply {
            Reply::Revisions(event) => Some(event),
            _ => None,
        }
    }

    fn function(&self) -> Option<ObjectKey> {
        function_in(&self.key.namespace, self.function.as_ref())
    }
}

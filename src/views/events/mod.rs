//! The Events view: recent events in scope, newest first, live; Enter opens the function the
//! event is about, found from the names Knative gives what it creates.

mod owner;

use chrono::{DateTime, Utc};
use funcdeck_core::events::EventSummary;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;

use super::list::{LEADS_TO_FUNCTION, ListView, Listed, Row};
use crate::app::{Reply, Watch};
use crate::columns::{Column, EVENT_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

pub type EventsView = ListView<EventSummary>;

impl Row for EventSummary {
    type Key = ObjectKey;

    fn key(&self) -> &ObjectKey {
        &self.key
    }

    fn haystack(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.key.namespace,
            self.type_.as_deref().unwrap_or(""),
            self.reason.as_deref().unwrap_or(""),
            self.object,
            self.message.as_deref().unwrap_or("")
        )
    }

    fn columns() -> &'static [Column<Self>] {
        EVENT_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        self.last_seen
    }

    /// The object the event is about (`Node/worker-1`), as the OBJECT column shows it.
    fn describe(&self) -> String {
        self.object.clone()
    }
}

impl Listed for EventSummary {
    const NAME: &'static str = "Events";
    const NOUN: &'static str = "events";
    const KEYS: KeyContext = KeyContext::Events;
    const HINTS: &'static [(Command, &'static str)] = LEADS_TO_FUNCTION;
    /// LAST SEEN, newest first.
    const SORT: usize = 1;

    fn watch(scope: NamespaceScope) -> Watch {
        Watch::Events { scope }
    }

    fn events(reply: Reply) -> Option<WatchEvent<Self>> {
        match reply {
            Reply::Events(event) => Some(event),
            _ => None,
        }
    }

    fn function(&self) -> Option<ObjectKey> {
        let namespace = self
            .involved_namespace
            .clone()
            .unwrap_or_else(|| self.key.namespace.clone());
        let name = owner::function_of(&self.involved_kind, &self.involved_name)?;
        Some(ObjectKey::new(namespace, name))
    }
}

//! The Pods view: the pods of every function in scope (Knative's labels select them), live;
//! Enter opens the pod's function.

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::pods::PodSummary;
use funcdeck_core::watch::WatchEvent;

use super::list::{LEADS_TO_FUNCTION, ListView, Listed, Row, function_in};
use crate::app::{Reply, Watch};
use crate::columns::{Column, POD_COLUMNS, termination_cell};
use crate::command::Command;
use crate::keymap::KeyContext;

pub type PodsView = ListView<PodSummary>;

impl Row for PodSummary {
    type Key = ObjectKey;

    fn key(&self) -> &ObjectKey {
        &self.key
    }

    fn haystack(&self) -> String {
        format!(
            "{}/{} {} {} {}",
            self.key.namespace,
            self.key.name,
            self.revision.as_deref().unwrap_or(""),
            self.status,
            termination_cell(self)
        )
    }

    fn columns() -> &'static [Column<Self>] {
        POD_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        self.created
    }
}

impl Listed for PodSummary {
    const NAME: &'static str = "Pods";
    const NOUN: &'static str = "pods";
    const KEYS: KeyContext = KeyContext::Pods;
    const HINTS: &'static [(Command, &'static str)] = LEADS_TO_FUNCTION;

    fn watch(scope: NamespaceScope) -> Watch {
        // Only the pods Knative runs for functions: the label every revision's pods carry.
        Watch::Pods {
            scope,
            selector: Some(funcdeck_core::labels::SERVICE.to_owned()),
        }
    }

    fn events(reply: Reply) -> Option<WatchEvent<Self>> {
        match reply {
            Reply::Pods(event) => Some(event),
            _ => None,
        }
    }

    fn function(&self) -> Option<ObjectKey> {
        function_in(&self.key.namespace, self.function.as_ref())
    }
}

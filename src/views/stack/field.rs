//! The wizard's first step as rows: the four components, then the options, each with its
//! label and how it is read from and written to the view.

use funcdeck_core::stack::{Component, LogStore};

use super::StackView;

pub const COMPONENT_ROWS: usize = Component::ALL.len();
pub const ROWS: usize = COMPONENT_ROWS + Field::ALL.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    MetricsNamespace,
    TracingNamespace,
    LoggingNamespace,
    MetricsStorage,
    MetricsRetention,
    LogStorage,
    /// Elasticsearch or OpenSearch: flipped, not typed.
    LogStore,
    SampleRate,
    /// The directory of third-party releases, for air-gapped clusters.
    From,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::MetricsNamespace,
        Field::TracingNamespace,
        Field::LoggingNamespace,
        Field::MetricsStorage,
        Field::MetricsRetention,
        Field::LogStorage,
        Field::LogStore,
        Field::SampleRate,
        Field::From,
    ];

    /// The field on a row of the first step, if it is one (not a component).
    pub fn at(row: usize) -> Option<Field> {
        row.checked_sub(COMPONENT_ROWS)
            .and_then(|i| Field::ALL.get(i).copied())
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::MetricsNamespace => "metrics namespace",
            Field::TracingNamespace => "tracing namespace",
            Field::LoggingNamespace => "logging namespace",
            Field::MetricsStorage => "metrics storage",
            Field::MetricsRetention => "metrics retention",
            Field::LogStorage => "log storage",
            Field::LogStore => "log store",
            Field::SampleRate => "trace sample rate",
            Field::From => "releases from directory",
        }
    }

    pub fn value(self, view: &StackView) -> String {
        let o = &view.options;
        match self {
            Field::MetricsNamespace => o.metrics_namespace.clone(),
            Field::TracingNamespace => o.tracing_namespace.clone(),
            Field::LoggingNamespace => o.logging_namespace.clone(),
            Field::MetricsStorage => o.metrics_storage.clone(),
            Field::MetricsRetention => o.metrics_retention.clone(),
            Field::LogStorage => o.log_storage.clone(),
            Field::LogStore => o.log_store.name().into(),
            Field::SampleRate => o.sample_rate.clone(),
            Field::From => view.from.clone(),
        }
    }

    /// Writes a typed value (trimmed: a stray space is never meant).
    pub fn set(self, view: &mut StackView, text: &str) {
        let text = text.trim().to_string();
        let o = &mut view.options;
        match self {
            Field::MetricsNamespace => o.metrics_namespace = text,
            Field::TracingNamespace => o.tracing_namespace = text,
            Field::LoggingNamespace => o.logging_namespace = text,
            Field::MetricsStorage => o.metrics_storage = text,
            Field::MetricsRetention => o.metrics_retention = text,
            Field::LogStorage => o.log_storage = text,
            Field::LogStore => {
                if let Ok(store) = LogStore::parse(&text) {
                    o.log_store = store;
                }
            }
            Field::SampleRate => o.sample_rate = text,
            Field::From => view.from = text,
        }
    }

    /// Which components the field matters to (the rest dim it when they are not chosen).
    pub fn component(self) -> Option<Component> {
        match self {
            Field::MetricsNamespace | Field::MetricsStorage | Field::MetricsRetention => {
                Some(Component::Metrics)
            }
            Field::TracingNamespace | Field::SampleRate => Some(Component::Tracing),
            Field::LoggingNamespace | Field::LogStorage | Field::LogStore => {
                Some(Component::Logging)
            }
            Field::From => None,
        }
    }
}

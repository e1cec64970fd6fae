//! What the user chooses before a plan: components, namespaces, sizes, retention, log store.
//! They become the placeholders the manifests are rendered with.

use std::collections::BTreeMap;

use super::component::Component;

/// Which log store the logging component installs (the Service keeps the same name either way,
/// so the console finds it at `logging/elasticsearch:9200`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogStore {
    #[default]
    Elasticsearch,
    OpenSearch,
}

impl LogStore {
    pub fn name(self) -> &'static str {
        match self {
            LogStore::Elasticsearch => "elasticsearch",
            LogStore::OpenSearch => "opensearch",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "elasticsearch" | "es" => Ok(LogStore::Elasticsearch),
            "opensearch" | "os" => Ok(LogStore::OpenSearch),
            other => Err(format!(
                "unknown log store {other:?} (expected elasticsearch or opensearch)"
            )),
        }
    }
}

/// The Knative release line the wiring is written for: 1.19 moved tracing and metrics to
/// OpenTelemetry and `config-tracing` into `config-observability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KnativeEra {
    #[default]
    OpenCensus,
    OpenTelemetry,
}

impl KnativeEra {
    /// The value of the `knative_era` placeholder and `when` condition.
    pub fn name(self) -> &'static str {
        match self {
            KnativeEra::OpenCensus => "1.18",
            KnativeEra::OpenTelemetry => "1.19",
        }
    }

    /// From a Knative version such as `v1.18.0`, `1.19.2` or `1.20`; `None` when unreadable.
    pub fn from_version(version: &str) -> Option<Self> {
        let mut parts = version.trim().trim_start_matches('v').split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts
            .next()?
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        Some(if (major, minor) >= (1, 19) {
            KnativeEra::OpenTelemetry
        } else {
            KnativeEra::OpenCensus
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub components: Vec<Component>,
    pub metrics_namespace: String,
    pub tracing_namespace: String,
    pub logging_namespace: String,
    pub metrics_storage: String,
    pub metrics_retention: String,
    pub log_storage: String,
    pub log_store: LogStore,
    pub sample_rate: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            components: Component::ALL.to_vec(),
            metrics_namespace: "monitoring".into(),
            tracing_namespace: "observability".into(),
            logging_namespace: "logging".into(),
            metrics_storage: "10Gi".into(),
            metrics_retention: "15d".into(),
            log_storage: "30Gi".into(),
            log_store: LogStore::Elasticsearch,
            sample_rate: "0.1".into(),
        }
    }
}

impl Options {
    /// Every value checked before anything is rendered, with the field named in the message.
    pub fn validate(&self) -> Result<(), String> {
        for (field, ns) in [
            ("metrics namespace", &self.metrics_namespace),
            ("tracing namespace", &self.tracing_namespace),
            ("logging namespace", &self.logging_namespace),
        ] {
            if !crate::names::is_namespace_name(ns) {
                return Err(format!(
                    "{field} {ns:?} is not a valid namespace name (lowercase letters, digits and '-', at most 63)"
                ));
            }
        }
        for (field, size) in [
            ("metrics storage", &self.metrics_storage),
            ("log storage", &self.log_storage),
        ] {
            if !is_quantity(size) {
                return Err(format!("{field} {size:?} is not a size (e.g. 10Gi, 500Mi)"));
            }
        }
        if !is_retention(&self.metrics_retention) {
            return Err(format!(
                "metrics retention {:?} is not a duration Prometheus reads (e.g. 15d, 12h, 2w)",
                self.metrics_retention
            ));
        }
        match self.sample_rate.parse::<f64>() {
            Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(()),
            _ => Err(format!(
                "sample rate {:?} is not a number from 0 to 1",
                self.sample_rate
            )),
        }
    }

    /// The placeholders (`${name}`) and `when` variables of the manifests.
    pub fn vars(&self, era: KnativeEra) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("metrics_namespace", self.metrics_namespace.clone()),
            ("tracing_namespace", self.tracing_namespace.clone()),
            ("logging_namespace", self.logging_namespace.clone()),
            ("metrics_storage", self.metrics_storage.clone()),
            ("metrics_retention", self.metrics_retention.clone()),
            ("log_storage", self.log_storage.clone()),
            ("log_store", self.log_store.name().to_string()),
            ("sample_rate", self.sample_rate.clone()),
            ("knative_era", era.name().to_string()),
        ])
    }
}

/// A Kubernetes quantity as sizes are written: digits and a binary or decimal suffix.
fn is_quantity(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &text[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && ["", "Ki", "Mi", "Gi", "Ti", "Pi", "k", "M", "G", "T", "P"].contains(&suffix)
}

/// Prometheus's duration units (`--storage.tsdb.retention.time`).
fn is_retention(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &text[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && ["ms", "s", "m", "h", "d", "w", "y"].contains(&unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_bad_values_name_their_field() {
        assert_eq!(Options::default().validate(), Ok(()));
        let bad = |f: fn(&mut Options)| {
            let mut o = Options::default();
            f(&mut o);
            o.validate().expect_err("refused")
        };
        assert!(bad(|o| o.logging_namespace = "Logs".into()).starts_with("logging namespace"));
        assert!(bad(|o| o.metrics_storage = "10 GB".into()).starts_with("metrics storage"));
        assert!(bad(|o| o.metrics_retention = "15".into()).starts_with("metrics retention"));
        assert!(bad(|o| o.sample_rate = "2".into()).starts_with("sample rate"));
    }

    #[test]
    fn the_era_follows_the_knative_version() {
        assert_eq!(
            KnativeEra::from_version("v1.18.0"),
            Some(KnativeEra::OpenCensus)
        );
        assert_eq!(
            KnativeEra::from_version("1.19.2"),
            Some(KnativeEra::OpenTelemetry)
        );
        assert_eq!(
            KnativeEra::from_version("2.0"),
            Some(KnativeEra::OpenTelemetry)
        );
        assert_eq!(KnativeEra::from_version("devel"), None);
    }
}

//! Knative's metrics as Prometheus stores them, per era: up to 1.18 Knative exported OpenCensus
//! measures (`revision_request_count`, latencies in milliseconds, `autoscaler_*_pods`); from 1.19
//! OpenTelemetry instruments (`http_server_request_duration_seconds_*`, `kn_revision_pods_*`,
//! with the resource attributes promoted to labels). A [`Dialect`] is one era's names and the
//! PromQL of every panel, so nothing else in funcdeck spells a metric name; which one a cluster
//! speaks is read off its metric names ([`detect`]) unless the config says.

use std::fmt;

/// Which Knative metrics a cluster exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Era {
    /// Knative ≤ 1.18: OpenCensus measures through the Prometheus exporter.
    #[serde(rename = "1.18")]
    OpenCensus,
    /// Knative ≥ 1.19: OpenTelemetry instruments, resource attributes promoted to labels.
    #[serde(rename = "1.19")]
    OpenTelemetry,
}

impl Era {
    /// `1.18` / `1.19` (the first and last Knative release of each era, as flags spell it), or
    /// the telemetry library's name.
    pub fn parse(text: &str) -> Result<Era, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "1.18" | "opencensus" => Ok(Era::OpenCensus),
            "1.19" | "opentelemetry" | "otel" => Ok(Era::OpenTelemetry),
            other => Err(format!(
                "unknown Knative metrics era \"{other}\": use 1.18 (OpenCensus) or 1.19 (OpenTelemetry)"
            )),
        }
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Era::OpenCensus => "Knative ≤1.18 (OpenCensus)",
            Era::OpenTelemetry => "Knative ≥1.19 (OpenTelemetry)",
        })
    }
}

/// One figure of the metrics pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    RequestsPerSecond,
    LatencyP50,
    LatencyP95,
    LatencyP99,
    /// Share of responses that were 5xx.
    ErrorRatio,
    /// Requests in flight per pod, as the autoscaler sees them (its stable window).
    Concurrency,
    DesiredPods,
    ActualPods,
    /// Scale-ups from zero pods within the range.
    ColdStarts,
}

impl Panel {
    pub const ALL: [Panel; 9] = [
        Panel::RequestsPerSecond,
        Panel::LatencyP50,
        Panel::LatencyP95,
        Panel::LatencyP99,
        Panel::ErrorRatio,
        Panel::Concurrency,
        Panel::DesiredPods,
        Panel::ActualPods,
        Panel::ColdStarts,
    ];
}

/// What one function's queries select: its namespace and Knative Service, and optionally one
/// revision. Values are escaped into the PromQL string literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub namespace: String,
    pub function: String,
    pub revision: Option<String>,
}

/// How the queries group: one series per revision, or one for the whole function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    PerRevision,
    Total,
}

/// One era's metric and label names, and the prefixes a collector may have put before them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    pub era: Era,
    /// Before queue-proxy and activator metrics (OpenCensus through an OTel collector:
    /// `knative_dev_internal_serving_`); empty when scraped directly.
    pub prefix: String,
    /// Before the autoscaler's (`knative_dev_serving_` through a collector).
    pub autoscaler_prefix: String,
}

/// The names that tell the eras apart, with the collector prefixes they come with.
const MARKERS: [(&str, Era, &str, &str); 4] = [
    ("revision_request_count", Era::OpenCensus, "", ""),
    (
        "knative_dev_internal_serving_revision_request_count",
        Era::OpenCensus,
        "knative_dev_internal_serving_",
        "knative_dev_serving_",
    ),
    ("kn_revision_pods_count", Era::OpenTelemetry, "", ""),
    (
        "kn_serving_invocation_duration_seconds_count",
        Era::OpenTelemetry,
        "",
        "",
    ),
];

/// The dialect a cluster speaks, from its metric names (`/api/v1/label/__name__/values`):
/// `None` when no Knative metric is there (no Knative, or Prometheus does not scrape it).
pub fn detect<S: AsRef<str>>(names: &[S]) -> Option<Dialect> {
    MARKERS
        .iter()
        .find_map(|(marker, era, prefix, autoscaler)| {
            names
                .iter()
                .any(|n| n.as_ref() == *marker)
                .then(|| Dialect {
                    era: *era,
                    prefix: (*prefix).to_owned(),
                    autoscaler_prefix: (*autoscaler).to_owned(),
                })
        })
}

/// A PromQL string literal: backslashes and quotes escaped, so a hostile name stays a value.
fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Dialect {
    pub fn new(era: Era) -> Dialect {
        Dialect {
            era,
            prefix: String::new(),
            autoscaler_prefix: String::new(),
        }
    }

    /// The label that names a series' revision.
    pub fn revision_label(&self) -> &'static str {
        match self.era {
            Era::OpenCensus => "revision_name",
            Era::OpenTelemetry => "kn_revision_name",
        }
    }

    /// Label matchers for the function (and revision), without braces.
    fn matchers(&self, selector: &Selector) -> String {
        let (ns, svc) = (self.namespace_label(), self.function_label());
        let mut m = format!(
            "{ns}={},{svc}={}",
            literal(&selector.namespace),
            literal(&selector.function)
        );
        if let Some(revision) = &selector.revision {
            m.push_str(&format!(",{}={}", self.revision_label(), literal(revision)));
        }
        m
    }

    /// The request counter (a counter, or a histogram's `_count`) and what else selects the
    /// queue-proxy's view of requests.
    fn requests(&self, selector: &Selector, extra: &str) -> String {
        let m = self.matchers(selector);
        match self.era {
            Era::OpenCensus => format!("{}revision_request_count{{{m}{extra}}}", self.prefix),
            Era::OpenTelemetry => format!(
                "http_server_request_duration_seconds_count{{k8s_container_name=\"queue-proxy\",{m}{extra}}}"
            ),
        }
    }

    fn latency_buckets(&self, selector: &Selector) -> String {
        let m = self.matchers(selector);
        match self.era {
            Era::OpenCensus => format!("{}revision_request_latencies_bucket{{{m}}}", self.prefix),
            Era::OpenTelemetry => format!(
                "http_server_request_duration_seconds_bucket{{k8s_container_name=\"queue-proxy\",{m}}}"
            ),
        }
    }

    fn five_xx(&self) -> &'static str {
        match self.era {
            Era::OpenCensus => ",response_code_class=\"5xx\"",
            Era::OpenTelemetry => ",http_response_status_code=~\"5..\"",
        }
    }

    fn autoscaler(&self, name_1_18: &str, name_1_19: &str, selector: &Selector) -> String {
        let m = self.matchers(selector);
        match self.era {
            Era::OpenCensus => format!("{}{name_1_18}{{{m}}}", self.autoscaler_prefix),
            Era::OpenTelemetry => format!("{name_1_19}{{{m}}}"),
        }
    }

    /// The PromQL of `panel` for `selector`: rates over `window` (e.g. `1m`); cold starts are
    /// counted over `range` (e.g. `15m`) in steps of `step` (e.g. `15s`, the scrape interval or
    /// more). Latencies are in milliseconds in both eras (the seconds of 1.19 are scaled).
    pub fn query(
        &self,
        panel: Panel,
        selector: &Selector,
        grouping: Grouping,
        window: &str,
        range: &str,
        step: &str,
    ) -> String {
        let by = match grouping {
            Grouping::PerRevision => format!(" by ({})", self.revision_label()),
            Grouping::Total => String::new(),
        };
        let sum = |expr: &str| format!("sum{by} ({expr})");
        let quantile = |q: &str| self.quantile(q, selector, grouping, window);
        match panel {
            Panel::LatencyP50 => quantile("0.5"),
            Panel::LatencyP95 => quantile("0.95"),
            Panel::LatencyP99 => quantile("0.99"),
            Panel::RequestsPerSecond => {
                sum(&format!("rate({}[{window}])", self.requests(selector, "")))
            }
            Panel::ErrorRatio => {
                // No 5xx series at all is a ratio of 0 where there were requests (and no
                // data where there were none: 0/0).
                let all = sum(&format!("rate({}[{window}])", self.requests(selector, "")));
                let errors = sum(&format!(
                    "rate({}[{window}])",
                    self.requests(selector, self.five_xx())
                ));
                format!("({errors} or {all} * 0) / {all}")
            }
            Panel::Concurrency => sum(&self.autoscaler(
                "autoscaler_stable_request_concurrency",
                "kn_revision_concurrency_stable",
                selector,
            )),
            Panel::DesiredPods => sum(&self.autoscaler(
                "autoscaler_desired_pods",
                "kn_revision_pods_desired",
                selector,
            )),
            Panel::ActualPods => sum(&self.actual_pods(selector)),
            Panel::ColdStarts => {
                // A step from no pod to some: (pods > 0) now minus (pods > 0) a step ago,
                // negatives clamped to 0 (so a revision without any is 0, not missing),
                // summed over the range.
                let pods = self.actual_pods(selector);
                sum(&format!(
                    "sum_over_time(clamp_min(({pods} > bool 0) - ({pods} offset {step} > bool 0), 0)[{range}:{step}])"
                ))
            }
        }
    }

    /// The `q` quantile of request latency in milliseconds (1.19 measures seconds).
    fn quantile(&self, q: &str, selector: &Selector, grouping: Grouping, window: &str) -> String {
        let le = match grouping {
            Grouping::PerRevision => format!("le, {}", self.revision_label()),
            Grouping::Total => "le".to_owned(),
        };
        let quantile = format!(
            "histogram_quantile({q}, sum by ({le}) (rate({}[{window}])))",
            self.latency_buckets(selector)
        );
        match self.era {
            Era::OpenCensus => quantile,
            Era::OpenTelemetry => format!("{quantile} * 1000"),
        }
    }

    /// Requests per revision over `range` (`30d`), every function of `namespace` (all with
    /// `None`): the invocations metering counts.
    pub fn invocations(&self, namespace: Option<&str>, range: &str) -> String {
        let by = self.metering_labels();
        let requests = self.scoped_requests(namespace);
        format!("sum by ({by}) (increase({requests}[{range}]))")
    }

    /// Pod-seconds per revision over `range`, sampling the autoscaler's actual pods every
    /// `step_seconds` (a pod counted at a sample is taken to run the whole step).
    pub fn pod_seconds(&self, namespace: Option<&str>, range: &str, step_seconds: u64) -> String {
        let by = self.metering_labels();
        let pods = match self.era {
            Era::OpenCensus => format!("{}autoscaler_actual_pods", self.autoscaler_prefix),
            Era::OpenTelemetry => "kn_revision_pods_count".to_owned(),
        };
        let m = namespace
            .map(|ns| format!("{}={}", self.namespace_label(), literal(ns)))
            .unwrap_or_default();
        format!(
            "sum by ({by}) (sum_over_time({pods}{{{m}}}[{range}:{step_seconds}s])) * {step_seconds}"
        )
    }

    /// The labels metering groups by: namespace, function, revision.
    pub fn metering_labels(&self) -> &'static str {
        match self.era {
            Era::OpenCensus => "namespace_name, service_name, revision_name",
            Era::OpenTelemetry => "k8s_namespace_name, kn_service_name, kn_revision_name",
        }
    }

    pub fn namespace_label(&self) -> &'static str {
        match self.era {
            Era::OpenCensus => "namespace_name",
            Era::OpenTelemetry => "k8s_namespace_name",
        }
    }

    pub fn function_label(&self) -> &'static str {
        match self.era {
            Era::OpenCensus => "service_name",
            Era::OpenTelemetry => "kn_service_name",
        }
    }

    fn actual_pods(&self, selector: &Selector) -> String {
        self.autoscaler("autoscaler_actual_pods", "kn_revision_pods_count", selector)
    }
}

mod scope;

pub use scope::{Per, Scope};

#[cfg(test)]
mod tests;

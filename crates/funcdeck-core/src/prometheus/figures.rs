//! One function's metrics as figures: the whole function and each revision, one value per
//! panel. A panel Prometheus has no data for (no series, or NaN: a quantile of no requests, a
//! ratio of no requests) is `None` — shown as "no data" and written as JSON `null`, never as a
//! made-up zero.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dialect::Panel;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Latency {
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pods {
    pub desired: Option<f64>,
    pub actual: Option<f64>,
}

/// The pane's figures for the function or one revision, at one instant (or over the range,
/// for cold starts).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub requests_per_second: Option<f64>,
    pub latency_ms: Latency,
    pub error_ratio: Option<f64>,
    pub concurrency: Option<f64>,
    pub pods: Pods,
    pub cold_starts: Option<f64>,
}

impl Figures {
    /// Records `value` as `panel`'s figure; NaN and infinities are no data.
    pub fn set(&mut self, panel: Panel, value: f64) {
        let value = value.is_finite().then_some(value);
        let slot = match panel {
            Panel::RequestsPerSecond => &mut self.requests_per_second,
            Panel::LatencyP50 => &mut self.latency_ms.p50,
            Panel::LatencyP95 => &mut self.latency_ms.p95,
            Panel::LatencyP99 => &mut self.latency_ms.p99,
            Panel::ErrorRatio => &mut self.error_ratio,
            Panel::Concurrency => &mut self.concurrency,
            Panel::DesiredPods => &mut self.pods.desired,
            Panel::ActualPods => &mut self.pods.actual,
            Panel::ColdStarts => &mut self.cold_starts,
        };
        *slot = value;
    }

    pub fn get(&self, panel: Panel) -> Option<f64> {
        match panel {
            Panel::RequestsPerSecond => self.requests_per_second,
            Panel::LatencyP50 => self.latency_ms.p50,
            Panel::LatencyP95 => self.latency_ms.p95,
            Panel::LatencyP99 => self.latency_ms.p99,
            Panel::ErrorRatio => self.error_ratio,
            Panel::Concurrency => self.concurrency,
            Panel::DesiredPods => self.pods.desired,
            Panel::ActualPods => self.pods.actual,
            Panel::ColdStarts => self.cold_starts,
        }
    }
}

/// One revision's figures, named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionFigures {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Per-revision answers (revision name → value) gathered panel by panel into one row per
/// revision, revisions by name.
#[derive(Debug, Clone, Default)]
pub struct ByRevision(BTreeMap<String, Figures>);

impl ByRevision {
    pub fn set(&mut self, panel: Panel, revision: &str, value: f64) {
        self.0
            .entry(revision.to_owned())
            .or_default()
            .set(panel, value);
    }

    pub fn into_rows(self) -> Vec<RevisionFigures> {
        self.0
            .into_iter()
            .map(|(name, figures)| RevisionFigures { name, figures })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_is_null_never_zero() {
        let mut total = Figures::default();
        total.set(Panel::RequestsPerSecond, 2.5);
        total.set(Panel::LatencyP99, f64::NAN);
        total.set(Panel::ErrorRatio, f64::INFINITY);
        total.set(Panel::ColdStarts, 0.0);
        let json = serde_json::to_value(&total).expect("serializes");
        assert_eq!(json["requests_per_second"], 2.5);
        assert!(json["latency_ms"]["p99"].is_null());
        assert!(json["error_ratio"].is_null());
        assert!(json["pods"]["desired"].is_null(), "never asked: no data");
        assert_eq!(json["cold_starts"], 0.0, "a real zero stays a zero");
    }

    #[test]
    fn revisions_gather_their_panels_by_name() {
        let mut rows = ByRevision::default();
        rows.set(Panel::RequestsPerSecond, "cart-00002", 1.0);
        rows.set(Panel::ActualPods, "cart-00001", 0.0);
        rows.set(Panel::ActualPods, "cart-00002", 2.0);
        let rows = rows.into_rows();
        assert_eq!(
            rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["cart-00001", "cart-00002"]
        );
        let json = serde_json::to_value(&rows[1]).expect("serializes");
        assert_eq!(json["name"], "cart-00002");
        assert_eq!(json["pods"]["actual"], 2.0);
        assert_eq!(json["requests_per_second"], 1.0);
    }
}

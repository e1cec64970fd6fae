//! The queries funcdeck makes, over either transport.
//!
//! Queries are read forms: POSTed (Knative panels' PromQL can outgrow a URL, and Prometheus
//! answers a form POST exactly as the GET), except that the service proxy sends a short one as
//! a GET so that `get services/proxy` is the only right it needs. Every call is bounded by the
//! endpoint's timeout.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

pub use super::envelope::Answer;
use super::envelope::{read, read_probe};
use super::wire::{Labels, QueryData, RangeSeries};
use crate::backend::transport::{Endpoint, RawRequest};
use crate::backend::{Backend, BackendError, Failure};

/// A Prometheus to ask. Cheap to clone.
#[derive(Debug, Clone)]
pub struct PrometheusClient {
    endpoint: Endpoint,
}

impl PrometheusClient {
    pub fn new(endpoint: Endpoint) -> Self {
        Self { endpoint }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Where the data comes from, for pane titles and `source` fields.
    pub fn source(&self) -> &str {
        &self.endpoint.source
    }

    /// `/api/v1/query` at `time` (now when `None`).
    pub async fn instant(
        &self,
        query: &str,
        time: Option<DateTime<Utc>>,
    ) -> Result<Answer<QueryData>, BackendError> {
        let mut form = vec![("query".to_owned(), query.to_owned())];
        if let Some(t) = time {
            form.push(("time".to_owned(), timestamp(t)));
        }
        self.call(&RawRequest::read_form("/api/v1/query", form))
            .await
    }

    /// `/api/v1/query_range` from `start` to `end` every `step` (at least 1 ms).
    pub async fn range(
        &self,
        query: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step: Duration,
    ) -> Result<Answer<Vec<RangeSeries>>, BackendError> {
        let form = vec![
            ("query".to_owned(), query.to_owned()),
            ("start".to_owned(), timestamp(start)),
            ("end".to_owned(), timestamp(end)),
            ("step".to_owned(), step_text(step)),
        ];
        let answer: Answer<QueryData> = self
            .call(&RawRequest::read_form("/api/v1/query_range", form))
            .await?;
        match answer.data {
            QueryData::Matrix(series) => Ok(Answer {
                data: series,
                warnings: answer.warnings,
            }),
            other => Err(self.fail(Failure::Decode {
                message: format!(
                    "a range query answered a {}, not a matrix",
                    other.result_type()
                ),
            })),
        }
    }

    /// `/api/v1/label/NAME/values`, limited to series matching any of `matchers` if given.
    pub async fn label_values(
        &self,
        name: &str,
        matchers: &[&str],
    ) -> Result<Answer<Vec<String>>, BackendError> {
        if !is_label_name(name) {
            return Err(self.fail(Failure::BadQuery {
                message: format!("{:?} is not a label name", crate::text::sanitize(name)),
            }));
        }
        let mut req = RawRequest::get(&format!("/api/v1/label/{name}/values"));
        for m in matchers {
            req = req.with_query("match[]", m);
        }
        self.call(&req).await
    }

    /// `/api/v1/series` for series matching any of `matchers` (at least one).
    pub async fn series(&self, matchers: &[&str]) -> Result<Answer<Vec<Labels>>, BackendError> {
        let form = matchers
            .iter()
            .map(|m| ("match[]".to_owned(), (*m).to_owned()))
            .collect();
        self.call(&RawRequest::read_form("/api/v1/series", form))
            .await
    }

    /// `/-/ready`: Prometheus' own words when it is ready to serve queries.
    pub async fn ready(&self) -> Result<String, BackendError> {
        self.probe("/-/ready").await
    }

    /// `/-/healthy`: Prometheus' own words when it is up (it may still be loading its data).
    pub async fn healthy(&self) -> Result<String, BackendError> {
        self.probe("/-/healthy").await
    }

    async fn probe(&self, path: &str) -> Result<String, BackendError> {
        let resp = self
            .endpoint
            .send(&RawRequest::get(path))
            .await
            .map_err(|f| self.fail(f))?;
        read_probe(&resp).map_err(|f| self.fail(f))
    }

    async fn call<T: DeserializeOwned>(&self, req: &RawRequest) -> Result<Answer<T>, BackendError> {
        let resp = self.endpoint.send(req).await.map_err(|f| self.fail(f))?;
        read(&resp).map_err(|f| self.fail(f))
    }

    fn fail(&self, reason: Failure) -> BackendError {
        BackendError::failed(Backend::Prometheus, self.endpoint.at(), reason)
    }
}

/// Unix seconds with millisecond precision, as Prometheus reads them.
pub fn timestamp(t: DateTime<Utc>) -> String {
    let ms = t.timestamp_millis();
    format!("{}.{:03}", ms.div_euclid(1000), ms.rem_euclid(1000))
}

/// A step in seconds (fractional when below a second).
pub fn step_text(step: Duration) -> String {
    let ms = step.as_millis().max(1);
    if ms.is_multiple_of(1000) {
        format!("{}", ms / 1000)
    } else {
        format!("{}.{:03}", ms / 1000, ms % 1000)
    }
}

fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_steps_are_written_as_prometheus_reads_them() {
        let t = DateTime::from_timestamp_millis(1_795_740_580_050).expect("in range");
        assert_eq!(timestamp(t), "1795740580.050");
        let before_epoch = DateTime::from_timestamp_millis(-1_500).expect("in range");
        assert_eq!(timestamp(before_epoch), "-2.500");
        assert_eq!(step_text(Duration::from_secs(15)), "15");
        assert_eq!(step_text(Duration::from_millis(1500)), "1.500");
        assert_eq!(step_text(Duration::ZERO), "0.001");
    }

    #[test]
    fn label_names_follow_prometheus_rules() {
        for ok in ["__name__", "job", "service_name", "a1"] {
            assert!(is_label_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a/b", "../x", "a b"] {
            assert!(!is_label_name(bad), "{bad}");
        }
    }
}

//! A Prometheus client as a [`Source`] of PromQL answers, and the dialect it speaks.

use futures::future::BoxFuture;

use super::client::PrometheusClient;
use super::dialect::{Dialect, Era, detect};
use super::reading::{Series, Source};
use super::wire::QueryData;
use crate::backend::{BackendError, Failure};
use crate::error::CoreError;

fn time(t: f64) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis((t * 1000.0).round() as i64)
}

impl Source for PrometheusClient {
    type Error = CoreError;

    fn instant<'a>(
        &'a self,
        query: &'a str,
        at: f64,
    ) -> BoxFuture<'a, Result<Vec<Series>, CoreError>> {
        Box::pin(async move {
            let answer = PrometheusClient::instant(self, query, time(at)).await?;
            Ok(match answer.data {
                QueryData::Vector(series) => series
                    .into_iter()
                    .filter_map(|s| {
                        let sample = s.value?;
                        Some(Series {
                            labels: s.metric,
                            samples: vec![(sample.time, sample.value)],
                        })
                    })
                    .collect(),
                QueryData::Scalar(sample) => vec![Series {
                    labels: Default::default(),
                    samples: vec![(sample.time, sample.value)],
                }],
                QueryData::Matrix(_) | QueryData::String(_) => Vec::new(),
            })
        })
    }

    fn range<'a>(
        &'a self,
        query: &'a str,
        start: f64,
        end: f64,
        step: f64,
    ) -> BoxFuture<'a, Result<Vec<Series>, CoreError>> {
        Box::pin(async move {
            let (Some(start), Some(end)) = (time(start), time(end)) else {
                return Ok(Vec::new());
            };
            let step = std::time::Duration::from_secs_f64(step.max(0.001));
            let answer = PrometheusClient::range(self, query, start, end, step).await?;
            Ok(answer
                .data
                .into_iter()
                .map(|s| Series {
                    labels: s.metric,
                    samples: s.values.iter().map(|v| (v.time, v.value)).collect(),
                })
                .collect())
        })
    }
}

/// The dialect `prometheus` speaks: `era` when the config names one, else read off its
/// metric names. Neither era's names present is an error that says so (Knative is not
/// scraped, or not installed).
pub async fn dialect_of(
    prometheus: &PrometheusClient,
    era: Option<Era>,
) -> Result<Dialect, CoreError> {
    if let Some(era) = era {
        return Ok(Dialect::new(era));
    }
    let names = prometheus.label_values("__name__", &[]).await?;
    detect(&names.data).ok_or_else(|| {
        CoreError::from(BackendError::failed(
            crate::backend::Backend::Prometheus,
            prometheus.source(),
            Failure::NoData {
                what: "no Knative metrics here (neither the ≤1.18 nor the ≥1.19 names): \
                       is Knative scraped by this Prometheus?"
                    .into(),
            },
        ))
    })
}

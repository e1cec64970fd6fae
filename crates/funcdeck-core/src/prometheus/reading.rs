//! What funcdeck asks Prometheus for a function, a namespace or the cluster, whatever the
//! transport: a [`Source`] answers instant and range queries, and these functions turn a
//! dialect's PromQL and the answers into charts, figures and metering. The queries of one read
//! go out together, so a read costs one round trip of the slowest.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::future::{BoxFuture, try_join_all};

use super::dialect::{Dialect, Grouping, Panel, Selector};
use super::figures::{ByRevision, Figures, RevisionFigures};
use super::metering::RevisionActivity;
use super::series::{ChartLines, FunctionCharts, Line};
use crate::duration::words;

/// One series of an answer: its labels and its samples (unix seconds, value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub samples: Vec<(f64, f64)>,
}

/// Something that answers PromQL (a Prometheus client, or a test's table).
pub trait Source: Sync {
    type Error: Send;

    /// The value of each series at `time` (one sample per series).
    fn instant<'a>(
        &'a self,
        query: &'a str,
        time: f64,
    ) -> BoxFuture<'a, Result<Vec<Series>, Self::Error>>;

    /// Each series sampled every `step` seconds from `start` to `end`.
    fn range<'a>(
        &'a self,
        query: &'a str,
        start: f64,
        end: f64,
        step: f64,
    ) -> BoxFuture<'a, Result<Vec<Series>, Self::Error>>;
}

fn label<'a>(series: &'a Series, name: &str) -> &'a str {
    series.labels.get(name).map_or("", String::as_str)
}

/// Lines named by `name_of` each series.
fn lines(answer: Vec<Series>, name_of: impl Fn(&Series) -> String) -> Vec<Line> {
    answer
        .into_iter()
        .map(|s| {
            let name = name_of(&s);
            Line::new(name, s.samples)
        })
        .collect()
}

/// A function's charts over the `range` that ends at `end` (unix seconds); `source` says where
/// the data comes from, for the pane's title.
pub async fn function_charts<S: Source>(
    prometheus: &S,
    dialect: &Dialect,
    source: String,
    selector: &Selector,
    range: Duration,
    step: Duration,
    end: f64,
) -> Result<FunctionCharts, S::Error> {
    let window = words((step * 4).max(Duration::from_secs(60)));
    let range_words = words(range);
    let step_words = words(step);
    let query = |panel, grouping| {
        dialect.query(
            panel,
            selector,
            grouping,
            &window,
            &range_words,
            &step_words,
        )
    };
    let start = end - range.as_secs_f64();
    let step_s = step.as_secs_f64();
    let per_revision = [
        Panel::RequestsPerSecond,
        Panel::ErrorRatio,
        Panel::Concurrency,
    ];
    let totals = [
        Panel::LatencyP50,
        Panel::LatencyP95,
        Panel::LatencyP99,
        Panel::DesiredPods,
        Panel::ActualPods,
    ];
    let queries: Vec<String> = per_revision
        .iter()
        .map(|p| query(*p, Grouping::PerRevision))
        .chain(totals.iter().map(|p| query(*p, Grouping::Total)))
        .collect();
    let cold = query(Panel::ColdStarts, Grouping::PerRevision);
    let (mut answers, cold) = futures::try_join!(
        try_join_all(
            queries
                .iter()
                .map(|q| prometheus.range(q, start, end, step_s))
        ),
        prometheus.instant(&cold, end),
    )?;
    let revision = dialect.revision_label();
    let by_revision = |s: &Series| label(s, revision).to_owned();
    let mut take = |i: usize| std::mem::take(&mut answers[i]);
    let requests = lines(take(0), by_revision);
    let errors = lines(take(1), by_revision);
    let concurrency = lines(take(2), by_revision);
    let mut latency = Vec::new();
    for (i, name) in [(3, "p50"), (4, "p95"), (5, "p99")] {
        latency.extend(lines(take(i), |_| name.to_owned()));
    }
    let mut pods = lines(take(6), |_| "desired".to_owned());
    pods.extend(lines(take(7), |_| "actual".to_owned()));
    let mut cold_starts: Vec<(String, f64)> = cold
        .iter()
        .filter_map(|s| Some((by_revision(s), s.samples.last()?.1)))
        .filter(|(_, n)| n.is_finite())
        .collect();
    cold_starts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(FunctionCharts {
        source,
        era: dialect.era,
        start,
        end,
        requests_per_second: ChartLines::new(requests),
        latency_ms: ChartLines::new(latency),
        error_ratio: ChartLines::new(errors),
        concurrency: ChartLines::new(concurrency),
        pods: ChartLines::new(pods),
        cold_starts,
    })
}

/// The function's figures over the last `since` before `now`: rates, quantiles and the error
/// ratio over the whole period, pods and concurrency as they are now, cold starts counted in
/// the period (sampled every `step`). The total, and one row per revision.
pub async fn function_figures<S: Source>(
    prometheus: &S,
    dialect: &Dialect,
    selector: &Selector,
    since: Duration,
    step: Duration,
    now: f64,
) -> Result<(Figures, Vec<RevisionFigures>), S::Error> {
    let since_words = words(since);
    let step_words = words(step);
    let asks: Vec<(Panel, Grouping, String)> = Panel::ALL
        .iter()
        .flat_map(|panel| [Grouping::Total, Grouping::PerRevision].map(|g| (*panel, g)))
        .map(|(panel, grouping)| {
            let q = dialect.query(
                panel,
                selector,
                grouping,
                &since_words,
                &since_words,
                &step_words,
            );
            (panel, grouping, q)
        })
        .collect();
    let answers = try_join_all(asks.iter().map(|(_, _, q)| prometheus.instant(q, now))).await?;
    let mut total = Figures::default();
    let mut revisions = ByRevision::default();
    for ((panel, grouping, _), answer) in asks.iter().zip(answers) {
        for series in answer {
            let Some(&(_, value)) = series.samples.last() else {
                continue;
            };
            match grouping {
                Grouping::Total => total.set(*panel, value),
                Grouping::PerRevision => {
                    let name = label(&series, dialect.revision_label());
                    if !name.is_empty() {
                        revisions.set(*panel, name, value);
                    }
                }
            }
        }
    }
    Ok((total, revisions.into_rows()))
}

/// Invocations and pod-seconds per revision over the last `since` (pods sampled every
/// `step`), in `namespace` or everywhere.
pub async fn activity<S: Source>(
    prometheus: &S,
    dialect: &Dialect,
    namespace: Option<&str>,
    since: Duration,
    step: Duration,
    now: f64,
) -> Result<Vec<RevisionActivity>, S::Error> {
    let since_words = words(since);
    let invocations = dialect.invocations(namespace, &since_words);
    let pod_seconds = dialect.pod_seconds(namespace, &since_words, step.as_secs().max(1));
    let (calls, pods) = futures::try_join!(
        prometheus.instant(&invocations, now),
        prometheus.instant(&pod_seconds, now)
    )?;
    let key = |s: &Series| {
        (
            label(s, dialect.namespace_label()).to_owned(),
            label(s, dialect.function_label()).to_owned(),
            label(s, dialect.revision_label()).to_owned(),
        )
    };
    let value = |s: &Series| {
        s.samples
            .last()
            .map(|p| p.1)
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let mut rows: BTreeMap<(String, String, String), (f64, f64)> = BTreeMap::new();
    for s in &calls {
        rows.entry(key(s)).or_default().0 += value(s);
    }
    for s in &pods {
        rows.entry(key(s)).or_default().1 += value(s);
    }
    Ok(rows
        .into_iter()
        .filter(|((ns, function, revision), _)| {
            !ns.is_empty() && !function.is_empty() && !revision.is_empty()
        })
        .map(
            |((namespace, function, revision), (invocations, pod_seconds))| RevisionActivity {
                namespace,
                function,
                revision,
                invocations,
                pod_seconds,
            },
        )
        .collect())
}

#[cfg(test)]
mod tests;

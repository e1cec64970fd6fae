//! A function's pulse: its requests per second over the last minutes and its p99 latency now,
//! for every function of a namespace (or the cluster), or every revision of a function, in two
//! queries. The Functions list and a function's revisions draw it as a sparkline beside each
//! row, so what is busy, idle or slow shows without opening anything.

use std::collections::HashMap;
use std::time::Duration;

use super::dialect::{Dialect, Era, Per, Scope};
use super::reading::{Series, Source};
use crate::duration::words;
use crate::key::ObjectKey;

/// What a pulse covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PulseWindow {
    /// How far back the sparkline reaches.
    pub span: Duration,
    /// One sparkline point per this much time.
    pub step: Duration,
    /// Each point is the request rate over this much time before it.
    pub rate: Duration,
}

impl Default for PulseWindow {
    /// Ten minutes a minute apart, each point a rate over two minutes (a few scrapes at the
    /// usual 15–30 s intervals).
    fn default() -> Self {
        PulseWindow {
            span: Duration::from_secs(10 * 60),
            step: Duration::from_secs(60),
            rate: Duration::from_secs(2 * 60),
        }
    }
}

impl PulseWindow {
    /// The points of a sparkline: `span / step`, plus the one at the end.
    pub fn points(&self) -> usize {
        (self.span.as_secs_f64() / self.step.as_secs_f64()).round() as usize + 1
    }
}

/// One function's pulse.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulse {
    /// Requests per second at each step, oldest first; `None` where there is no data (the
    /// function did not exist yet, or Prometheus missed the scrape).
    pub requests_per_second: Vec<Option<f64>>,
    /// Latency p99 over the last five minutes; `None` without requests in them.
    pub p99_ms: Option<f64>,
}

impl Pulse {
    /// The newest requests-per-second figure.
    pub fn requests_now(&self) -> Option<f64> {
        self.requests_per_second.last().copied().flatten()
    }
}

/// Every function's (or revision's) pulse in a scope, and where it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulses {
    pub source: String,
    pub era: Option<Era>,
    /// By namespace and function (or revision) name. What Prometheus knows nothing about is
    /// absent (no requests ever counted).
    pub of: HashMap<ObjectKey, Pulse>,
}

impl Pulses {
    pub fn get(&self, key: &ObjectKey) -> Option<&Pulse> {
        self.of.get(key)
    }
}

/// The pulse of every function (or revision) of `scope` at `now` (unix seconds).
pub async fn read_pulses<S: Source>(
    prometheus: &S,
    dialect: &Dialect,
    source: String,
    scope: &Scope,
    window: PulseWindow,
    now: f64,
) -> Result<Pulses, S::Error> {
    let rate = dialect.requests_in(scope, &words(window.rate));
    // The p99 of the last few rate windows: enough requests for a tail to mean something.
    let p99 = dialect.latency_in("0.99", scope, &words(window.rate * 5 / 2));
    let step = window.step.as_secs_f64();
    let points = window.points();
    // Ending now rather than on a whole step: the newest figure is the rate now (a fresh
    // function has its first point at once), at the cost of the older points moving a little
    // between reads.
    let end = now;
    let start = end - window.span.as_secs_f64();
    let (rates, p99s) = futures::try_join!(
        prometheus.range(&rate, start, end, step),
        prometheus.instant(&p99, now),
    )?;
    let name_label = match scope.per {
        Per::Function => dialect.function_label(),
        Per::Revision => dialect.revision_label(),
    };
    let key_of = |s: &Series| {
        let ns = s.labels.get(dialect.namespace_label())?;
        let name = s.labels.get(name_label)?;
        (!ns.is_empty() && !name.is_empty()).then(|| ObjectKey::new(ns, name))
    };
    let mut of: HashMap<ObjectKey, Pulse> = HashMap::new();
    for series in &rates {
        let Some(key) = key_of(series) else { continue };
        let pulse = of.entry(key).or_default();
        pulse.requests_per_second = on_steps(&series.samples, start, step, points);
    }
    for series in &p99s {
        let Some(key) = key_of(series) else { continue };
        let value = series.samples.last().map(|s| s.1).filter(|v| v.is_finite());
        let pulse = of.entry(key).or_default();
        if pulse.requests_per_second.is_empty() {
            pulse.requests_per_second = vec![None; points];
        }
        pulse.p99_ms = value;
    }
    Ok(Pulses {
        source,
        era: Some(dialect.era),
        of,
    })
}

/// Samples placed on the `count` steps from `start`; steps without a finite sample are `None`.
fn on_steps(samples: &[(f64, f64)], start: f64, step: f64, count: usize) -> Vec<Option<f64>> {
    let mut points = vec![None; count];
    for &(t, v) in samples {
        let index = ((t - start) / step).round();
        if v.is_finite() && index >= 0.0 && (index as usize) < count {
            points[index as usize] = Some(v);
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use futures::future::BoxFuture;

    use super::*;

    /// Answers every range query with `rates` and every instant query with `p99s`.
    struct Canned {
        rates: Vec<Series>,
        p99s: Vec<Series>,
    }

    impl Source for Canned {
        type Error = String;
        fn instant<'a>(&'a self, _: &'a str, _: f64) -> BoxFuture<'a, Result<Vec<Series>, String>> {
            Box::pin(async move { Ok(self.p99s.clone()) })
        }
        fn range<'a>(
            &'a self,
            _: &'a str,
            _: f64,
            _: f64,
            _: f64,
        ) -> BoxFuture<'a, Result<Vec<Series>, String>> {
            Box::pin(async move { Ok(self.rates.clone()) })
        }
    }

    fn series(ns: &str, name: &str, samples: &[(f64, f64)]) -> Series {
        Series {
            labels: [("namespace_name", ns), ("service_name", name)]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            samples: samples.to_vec(),
        }
    }

    #[tokio::test]
    async fn samples_land_on_their_steps_with_gaps_where_data_is_missing() {
        let now = 6_042.0;
        let (end, start) = (now, now - 600.0);
        let canned = Canned {
            rates: vec![series(
                "shop",
                "cart",
                &[
                    (start, 1.0),
                    (start + 60.0, f64::NAN),
                    (end - 60.0, 19.5),
                    (end, 20.0),
                ],
            )],
            p99s: vec![
                series("shop", "cart", &[(now, 120.0)]),
                series("shop", "idle", &[(now, f64::NAN)]),
            ],
        };
        let dialect = Dialect::new(Era::OpenCensus);
        let window = PulseWindow::default();
        let scope = Scope::functions(Some("shop"));
        let pulses = read_pulses(&canned, &dialect, "here".into(), &scope, window, now)
            .await
            .expect("read");
        let points = window.points();
        assert_eq!(points, 11);
        let cart = pulses.get(&ObjectKey::new("shop", "cart")).expect("cart");
        assert_eq!(cart.requests_per_second.len(), points);
        assert_eq!(cart.requests_per_second[0], Some(1.0));
        assert_eq!(cart.requests_per_second[1], None, "NaN is a gap");
        assert_eq!(cart.requests_per_second[points - 2], Some(19.5));
        assert_eq!(cart.requests_now(), Some(20.0));
        assert_eq!(cart.p99_ms, Some(120.0));
        let idle = pulses.get(&ObjectKey::new("shop", "idle")).expect("idle");
        assert_eq!(idle.p99_ms, None, "no requests: no p99, not 0");
        assert_eq!(idle.requests_now(), None);
        assert_eq!(pulses.era, Some(Era::OpenCensus));
    }
}

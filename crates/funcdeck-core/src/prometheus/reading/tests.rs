use std::sync::Mutex;

use super::*;
use crate::prometheus::dialect::Era;

/// Answers by the first rule whose text the query contains; records every query asked.
struct Table {
    rules: Vec<(&'static str, Vec<Series>)>,
    asked: Mutex<Vec<String>>,
}

fn series(labels: &[(&str, &str)], samples: &[(f64, f64)]) -> Series {
    Series {
        labels: labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        samples: samples.to_vec(),
    }
}

impl Table {
    fn new(rules: Vec<(&'static str, Vec<Series>)>) -> Table {
        Table {
            rules,
            asked: Mutex::new(Vec::new()),
        }
    }

    fn answer(&self, query: &str) -> Result<Vec<Series>, String> {
        self.asked.lock().expect("lock").push(query.to_owned());
        if query.contains("broken") {
            return Err("bad_data".into());
        }
        Ok(self
            .rules
            .iter()
            .find(|(needle, _)| query.contains(needle))
            .map(|(_, answer)| answer.clone())
            .unwrap_or_default())
    }
}

impl Source for Table {
    type Error = String;

    fn instant<'a>(&'a self, query: &'a str, _: f64) -> BoxFuture<'a, Result<Vec<Series>, String>> {
        Box::pin(async move { self.answer(query) })
    }

    fn range<'a>(
        &'a self,
        query: &'a str,
        _: f64,
        _: f64,
        _: f64,
    ) -> BoxFuture<'a, Result<Vec<Series>, String>> {
        Box::pin(async move { self.answer(query) })
    }
}

fn cart() -> Selector {
    Selector {
        namespace: "shop".into(),
        function: "cart".into(),
        revision: None,
    }
}

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

#[test]
fn charts_name_lines_by_revision_quantile_and_pod_count() {
    let rev = |r| [("revision_name", r)];
    let table = Table::new(vec![
        (
            "sum by (revision_name) (rate(revision_request_count",
            vec![
                series(&rev("cart-00001"), &[(0.0, 1.0), (60.0, 2.0)]),
                series(&rev("cart-00002"), &[(60.0, 0.5)]),
            ],
        ),
        (
            "histogram_quantile(0.99",
            vec![series(&[], &[(0.0, 120.0), (60.0, f64::NAN)])],
        ),
        ("autoscaler_desired_pods", vec![series(&[], &[(0.0, 2.0)])]),
        (
            "sum_over_time",
            vec![series(&rev("cart-00002"), &[(900.0, 3.0)])],
        ),
        ("autoscaler_actual_pods", vec![series(&[], &[(0.0, 1.0)])]),
    ]);
    let dialect = Dialect::new(Era::OpenCensus);
    let charts = run(function_charts(
        &table,
        &dialect,
        "test".into(),
        &cart(),
        Duration::from_secs(900),
        Duration::from_secs(15),
        900.0,
    ))
    .expect("charts");
    assert_eq!((charts.start, charts.end), (0.0, 900.0));
    let names = |c: &ChartLines| c.lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&charts.requests_per_second),
        ["cart-00001", "cart-00002"]
    );
    assert_eq!(names(&charts.latency_ms), ["p99"]);
    assert_eq!(
        charts.latency_ms.lines[0].points,
        [(0.0, 120.0)],
        "NaN is a gap"
    );
    assert_eq!(names(&charts.pods), ["actual", "desired"]);
    assert_eq!(charts.cold_starts, [("cart-00002".to_owned(), 3.0)]);
    let asked = table.asked.lock().expect("lock");
    assert_eq!(asked.len(), 9, "one query per chart line group: {asked:#?}");
    assert!(
        asked.iter().any(|q| q.contains("[1m]")),
        "rates over 4 steps, at least 1m"
    );
}

#[test]
fn figures_take_totals_and_revisions_and_leave_no_data_empty() {
    let table = Table::new(vec![
        (
            "sum by (kn_revision_name) (rate(http_server_request_duration_seconds_count",
            vec![series(
                &[("kn_revision_name", "cart-00003")],
                &[(100.0, 4.0)],
            )],
        ),
        (
            "sum (rate(http_server_request_duration_seconds_count",
            vec![series(&[], &[(100.0, 4.0)])],
        ),
    ]);
    let dialect = Dialect::new(Era::OpenTelemetry);
    let (total, revisions) = run(function_figures(
        &table,
        &dialect,
        &cart(),
        Duration::from_secs(900),
        Duration::from_secs(15),
        100.0,
    ))
    .expect("figures");
    assert_eq!(total.requests_per_second, Some(4.0));
    assert_eq!(total.latency_ms.p99, None, "no series: no data");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].name, "cart-00003");
    assert_eq!(revisions[0].figures.requests_per_second, Some(4.0));
}

#[test]
fn activity_joins_invocations_and_pod_seconds_per_revision() {
    let labels = |rev| {
        [
            ("namespace_name", "shop"),
            ("service_name", "cart"),
            ("revision_name", rev),
        ]
    };
    let table = Table::new(vec![
        (
            "increase(",
            vec![series(&labels("cart-00001"), &[(0.0, 120.0)])],
        ),
        (
            "sum_over_time(",
            vec![
                series(&labels("cart-00001"), &[(0.0, 600.0)]),
                series(&labels("cart-00002"), &[(0.0, 60.0)]),
            ],
        ),
    ]);
    let dialect = Dialect::new(Era::OpenCensus);
    let rows = run(activity(
        &table,
        &dialect,
        Some("shop"),
        Duration::from_secs(86_400),
        Duration::from_secs(60),
        0.0,
    ))
    .expect("activity");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].invocations, rows[0].pod_seconds), (120.0, 600.0));
    assert_eq!((rows[1].invocations, rows[1].pod_seconds), (0.0, 60.0));
}

#[test]
fn a_refused_query_fails_the_read() {
    let table = Table::new(Vec::new());
    let selector = Selector {
        namespace: "broken".into(),
        ..cart()
    };
    let read = run(function_figures(
        &table,
        &Dialect::new(Era::OpenCensus),
        &selector,
        Duration::from_secs(60),
        Duration::from_secs(15),
        0.0,
    ));
    assert_eq!(read.err(), Some("bad_data".to_owned()));
}

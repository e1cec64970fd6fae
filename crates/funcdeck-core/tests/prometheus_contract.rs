//! Contract tests: every file in `shared/fixtures/prometheus/` (answers recorded from a real
//! Prometheus 2.42, the upstream API docs' examples, the OpenAPI golden file, Jaeger's test
//! answers; see its PROVENANCE.md) read by our envelope and wire types, in place at run time.
//! Expected values below were read from those files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use funcdeck_core::backend::Failure;
use funcdeck_core::backend::transport::RawResponse;
use funcdeck_core::prometheus::envelope::{self, read, read_probe};
use funcdeck_core::prometheus::{Labels, QueryData, RangeSeries, Sample};
use serde::de::DeserializeOwned;

fn fixtures_dir() -> PathBuf {
    match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
    .join("prometheus")
}

/// Every file this suite reads; `every_file_is_checked` fails when the directory has others.
const CHECKED: &[&str] = &[
    "PROVENANCE.md",
    "recorded-2.42/error_400_bad_data_end_before_start.json",
    "recorded-2.42/error_400_bad_data_parse.json",
    "recorded-2.42/error_400_bad_data_type.json",
    "recorded-2.42/error_422_execution_many_to_many.json",
    "recorded-2.42/healthy.txt",
    "recorded-2.42/label_job_values.json",
    "recorded-2.42/labels.json",
    "recorded-2.42/query_range_matrix_up.json",
    "recorded-2.42/query_scalar.json",
    "recorded-2.42/query_scalar_nan.json",
    "recorded-2.42/query_special_float_inf.json",
    "recorded-2.42/query_string.json",
    "recorded-2.42/query_vector_empty.json",
    "recorded-2.42/query_vector_up.json",
    "recorded-2.42/ready.txt",
    "recorded-2.42/series_up.json",
    "upstream/docs-api-v2.42.0_label_values.json",
    "upstream/docs-api-v2.42.0_labels.json",
    "upstream/docs-api-v2.42.0_query_range_matrix.json",
    "upstream/docs-api-v2.42.0_query_vector.json",
    "upstream/docs-api-v2.42.0_series.json",
    "upstream/jaeger-metricstore-empty_response.json",
    "upstream/jaeger-metricstore-service_datapoint_response.json",
    "upstream/jaeger-metricstore-service_span_name_datapoint_response.json",
    "upstream/jaeger-metricstore-warning_response.json",
    // Read by prometheus_openapi_contract.rs.
    "upstream/openapi_3.1_golden.yaml",
];

fn files_under(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            let rel = path.strip_prefix(base).expect("under base");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn raw(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// The fixture as the answer it was recorded with (status from PROVENANCE.md).
fn answer(name: &str, status: u16) -> RawResponse {
    RawResponse {
        status,
        content_type: "application/json".into(),
        body: raw(name),
    }
}

fn ok<T: DeserializeOwned>(name: &str) -> envelope::Answer<T> {
    read(&answer(name, 200)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn vector(name: &str) -> Vec<funcdeck_core::prometheus::InstantSeries> {
    match ok::<QueryData>(name).data {
        QueryData::Vector(v) => v,
        other => panic!("{name}: expected a vector, got {other:?}"),
    }
}

fn matrix(name: &str) -> Vec<RangeSeries> {
    match ok::<QueryData>(name).data {
        QueryData::Matrix(m) => m,
        other => panic!("{name}: expected a matrix, got {other:?}"),
    }
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn every_file_is_checked() {
    let base = fixtures_dir();
    let mut found = BTreeSet::new();
    files_under(&base, &base, &mut found);
    let checked: BTreeSet<String> = CHECKED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        found, checked,
        "fixtures/prometheus changed; check the new files here"
    );
    let provenance = String::from_utf8(raw("PROVENANCE.md")).expect("utf-8");
    for name in CHECKED
        .iter()
        .filter(|n| n.ends_with(".json") || n.ends_with(".txt"))
    {
        let file = name.rsplit('/').next().expect("file name");
        assert!(provenance.contains(file), "{file} is not in PROVENANCE.md");
    }
}

#[test]
fn recorded_instant_vector_scalar_and_string() {
    let up = vector("recorded-2.42/query_vector_up.json");
    assert_eq!(up.len(), 1);
    assert_eq!(
        up[0].metric,
        labels(&[
            ("__name__", "up"),
            ("instance", "127.0.0.1:19090"),
            ("job", "prometheus")
        ])
    );
    assert_eq!(
        up[0].value,
        Some(Sample {
            time: 1795740584.234,
            value: 1.0
        })
    );
    assert!(up[0].histogram.is_none());
    let at = up[0].value.and_then(|s| s.at()).expect("a time");
    assert_eq!(at.timestamp_millis(), 1_795_740_584_234);

    assert!(vector("recorded-2.42/query_vector_empty.json").is_empty());

    let scalar = ok::<QueryData>("recorded-2.42/query_scalar.json");
    assert_eq!(
        scalar.data,
        QueryData::Scalar(Sample {
            time: 1795740584.258,
            value: 1.0
        })
    );
    assert!(scalar.warnings.is_empty());

    match ok::<QueryData>("recorded-2.42/query_string.json").data {
        QueryData::String(s) => {
            assert_eq!(s.0, 1795740584.27);
            assert_eq!(s.1, "hello");
        }
        other => panic!("expected a string, got {other:?}"),
    }
}

#[test]
fn recorded_nan_and_infinity_are_floats_not_failures() {
    match ok::<QueryData>("recorded-2.42/query_scalar_nan.json").data {
        QueryData::Scalar(s) => {
            assert!(s.value.is_nan());
            assert_eq!(s.time, 1795740584.322);
        }
        other => panic!("expected a scalar, got {other:?}"),
    }
    let inf = vector("recorded-2.42/query_special_float_inf.json");
    assert_eq!(
        inf[0].metric,
        labels(&[("instance", "127.0.0.1:19090"), ("job", "prometheus")])
    );
    let v = inf[0].value.expect("a float sample").value;
    assert!(v.is_infinite() && v.is_sign_positive());
}

#[test]
fn recorded_range_matrix() {
    let m = matrix("recorded-2.42/query_range_matrix_up.json");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].metric["instance"], "127.0.0.1:19090");
    let times: Vec<f64> = m[0].values.iter().map(|s| s.time).collect();
    assert_eq!(
        times,
        [
            1795740580.0,
            1795740581.0,
            1795740582.0,
            1795740583.0,
            1795740584.0
        ]
    );
    assert!(m[0].values.iter().all(|s| s.value == 1.0));
    assert!(m[0].histograms.is_empty());
}

#[test]
fn recorded_labels_series_and_label_values() {
    let names = ok::<Vec<String>>("recorded-2.42/labels.json").data;
    assert_eq!(names.len(), 22);
    assert_eq!(names.first().map(String::as_str), Some("__name__"));
    assert!(names.iter().any(|n| n == "le"));
    assert_eq!(
        ok::<Vec<String>>("recorded-2.42/label_job_values.json").data,
        ["prometheus"]
    );
    assert_eq!(
        ok::<Vec<Labels>>("recorded-2.42/series_up.json").data,
        [labels(&[
            ("__name__", "up"),
            ("instance", "127.0.0.1:19090"),
            ("job", "prometheus")
        ])]
    );
}

#[test]
fn recorded_errors_map_to_their_kind_with_prometheus_message() {
    let bad = |name: &str, status: u16| read::<QueryData>(&answer(name, status)).expect_err(name);
    assert_eq!(
        bad("recorded-2.42/error_400_bad_data_parse.json", 400),
        Failure::BadQuery {
            message: "invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis"
                .into()
        }
    );
    assert_eq!(
        bad(
            "recorded-2.42/error_400_bad_data_end_before_start.json",
            400
        ),
        Failure::BadQuery {
            message: "invalid parameter \"end\": end timestamp must not be before start time"
                .into()
        }
    );
    assert!(matches!(
        bad("recorded-2.42/error_400_bad_data_type.json", 400),
        Failure::BadQuery { message } if message.contains("expected type instant vector in call to function \"scalar\"")
    ));
    assert!(matches!(
        bad("recorded-2.42/error_422_execution_many_to_many.json", 422),
        Failure::Execution { message } if message.ends_with("many-to-many matching not allowed: matching labels must be unique on one side")
    ));
}

#[test]
fn recorded_probes() {
    let probe = |name: &str| {
        read_probe(&RawResponse {
            status: 200,
            content_type: "text/plain; charset=utf-8".into(),
            body: raw(name),
        })
    };
    assert_eq!(
        probe("recorded-2.42/ready.txt"),
        Ok("Prometheus Server is Ready.".into())
    );
    assert_eq!(
        probe("recorded-2.42/healthy.txt"),
        Ok("Prometheus Server is Healthy.".into())
    );
}

#[test]
fn upstream_docs_examples() {
    let v = vector("upstream/docs-api-v2.42.0_query_vector.json");
    let jobs: Vec<(&str, f64)> = v
        .iter()
        .map(|s| (s.metric["job"].as_str(), s.value.expect("float").value))
        .collect();
    assert_eq!(jobs, [("prometheus", 1.0), ("node", 0.0)]);
    assert_eq!(v[0].value.expect("float").time, 1435781451.781);

    let m = matrix("upstream/docs-api-v2.42.0_query_range_matrix.json");
    assert_eq!(m.len(), 2);
    let node: Vec<f64> = m[1].values.iter().map(|s| s.value).collect();
    assert_eq!(node, [0.0, 0.0, 1.0]);
    assert_eq!(m[1].values[2].time, 1435781460.781);

    let series = ok::<Vec<Labels>>("upstream/docs-api-v2.42.0_series.json").data;
    assert_eq!(series.len(), 3);
    assert_eq!(series[2]["__name__"], "process_start_time_seconds");
    let names = ok::<Vec<String>>("upstream/docs-api-v2.42.0_labels.json").data;
    assert_eq!(names.len(), 21);
    assert_eq!(
        ok::<Vec<String>>("upstream/docs-api-v2.42.0_label_values.json").data,
        ["node", "prometheus"]
    );
}

#[test]
fn jaeger_test_answers_including_the_non_standard_warning_status() {
    assert!(matrix("upstream/jaeger-metricstore-empty_response.json").is_empty());
    for name in [
        "upstream/jaeger-metricstore-service_datapoint_response.json",
        "upstream/jaeger-metricstore-service_span_name_datapoint_response.json",
    ] {
        let m = matrix(name);
        assert_eq!(m[0].metric["service_name"], "emailservice");
        // Integer times and a value beyond f64's exact integers still read.
        assert_eq!(m[0].values[0].time, 1620351786.0);
        assert_eq!(m[0].values[0].value, 9223372036854.0);
    }
    let warned = ok::<QueryData>("upstream/jaeger-metricstore-warning_response.json");
    assert_eq!(warned.data, QueryData::Matrix(vec![]));
    assert_eq!(warned.warnings, ["warning0", "warning1"]);
}

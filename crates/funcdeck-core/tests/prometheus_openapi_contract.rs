//! Contract test: the examples of Prometheus' OpenAPI golden file
//! (`shared/fixtures/prometheus/upstream/openapi_3.1_golden.yaml`, see PROVENANCE.md) for the
//! endpoints funcdeck uses, read by our envelope and wire types in place at run time.

use std::path::PathBuf;

use funcdeck_core::backend::Failure;
use funcdeck_core::backend::transport::RawResponse;
use funcdeck_core::prometheus::envelope::read;
use funcdeck_core::prometheus::{Labels, QueryData};
use serde_json::Value;

fn golden() -> String {
    let path = match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
    .join("prometheus/upstream/openapi_3.1_golden.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The OpenAPI golden file's examples for the endpoints funcdeck uses, each read as the
/// answer it documents (a `default` response as Prometheus' 500 for `internal`).
#[test]
fn openapi_golden_examples_for_the_endpoints_we_use() {
    let doc: Value = serde_saphyr::from_str(&golden()).expect("the golden file is YAML");
    let mut seen = 0;
    for path in [
        "/query",
        "/query_range",
        "/series",
        "/labels",
        "/label/{name}/values",
    ] {
        let ops = doc["paths"][path].as_object().expect(path);
        for (method, op) in ops {
            let responses = op["responses"].as_object().expect("responses");
            for (code, response) in responses {
                let Some(examples) =
                    response["content"]["application/json"]["examples"].as_object()
                else {
                    continue;
                };
                for (name, example) in examples {
                    let what = format!("{method} {path} {code} {name}");
                    let body = serde_json::to_vec(&example["value"]).expect("json");
                    let status = if code == "default" { 500 } else { 200 };
                    let resp = RawResponse {
                        status,
                        content_type: "application/json".into(),
                        body,
                    };
                    check_golden(path, name, &resp, &what);
                    seen += 1;
                }
            }
        }
    }
    // 5 + 5 (query get/post) + 3 + 3 (query_range) + 2 + 2 (series) + 2 + 2 (labels) + 2.
    assert_eq!(seen, 26);
}

// The literals are the fixture's own digits, not approximations of constants.
#[allow(clippy::approx_constant)]
fn check_golden(path: &str, name: &str, resp: &RawResponse, what: &str) {
    if name == "tsdbNotReady" {
        let failure = read::<Value>(resp).expect_err(what);
        assert_eq!(
            failure,
            Failure::Unavailable {
                code: 500,
                kind: "internal".into(),
                message: "TSDB not ready".into()
            },
            "{what}"
        );
        return;
    }
    match path {
        "/query" | "/query_range" => {
            let data = read::<QueryData>(resp)
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .data;
            match (name, data) {
                ("vectorResult", QueryData::Vector(v)) => {
                    assert_eq!(v.len(), 2, "{what}");
                    assert_eq!(v[1].metric["env"], "demo");
                    assert_eq!(v[1].value.expect("float").value, 1.0);
                }
                ("scalarResult", QueryData::Scalar(s)) => {
                    assert_eq!((s.time, s.value), (1767436620.0, 42.0), "{what}")
                }
                ("matrixResult", QueryData::Matrix(m)) => {
                    let times: Vec<f64> = m[0].values.iter().map(|s| s.time).collect();
                    let expected: &[f64] = if path == "/query" {
                        &[1767436320.0, 1767436620.0]
                    } else {
                        &[1767433020.0, 1767434820.0, 1767436620.0]
                    };
                    assert_eq!(times, expected, "{what}");
                }
                ("histogramResult", QueryData::Vector(v)) => {
                    assert!(v[0].value.is_none(), "{what}");
                    let h = v[0].histogram.as_ref().expect("a histogram");
                    assert_eq!((h.count, h.sum, h.buckets.len()), (12.5, 42.1, 2));
                    assert_eq!(h.buckets[1].upper, 1.414213562373095);
                    assert_eq!(h.buckets[1].count, 7.5);
                }
                ("histogramResult", QueryData::Matrix(m)) => {
                    assert!(m[0].values.is_empty(), "{what}");
                    assert_eq!(m[0].histograms[0].time, 1767433020.0);
                    assert_eq!(m[0].histograms[0].buckets[0].lower, 0.7071067811865475);
                }
                (name, data) => panic!("{what}: unexpected {name} {data:?}"),
            }
        }
        "/series" => {
            let series = read::<Vec<Labels>>(resp)
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .data;
            assert_eq!(series.len(), 5, "{what}");
            assert_eq!(series[4]["job"], "random");
        }
        "/labels" => {
            let names = read::<Vec<String>>(resp)
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .data;
            assert_eq!(names.len(), 22, "{what}");
        }
        _ => {
            let values = read::<Vec<String>>(resp)
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .data;
            assert_eq!(values.len(), 8, "{what}");
            assert_eq!(values[0], "alertmanager");
        }
    }
}

//! Unit tests of the logs: documents against fluent-bit's shapes, the request log's trace id,
//! determinism, the bounded ring, Lucene, date math, index patterns and paging.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::docs::{self, Doc};
use super::search::{self, date_ms};
use super::serve::{answer, resolve};
use super::{Logs, lucene, query::Q};
use crate::metrics::{Era, Metrics, Owner, Served};
use crate::traces::{Traces, hex_id};

fn pod(name: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}"),
        "labels": {"app": "cart-00001", "serving.knative.dev/service": "cart",
            "serving.knative.dev/revision": "cart-00001", "serving.knative.dev/configuration": "cart"}},
        "spec": {"nodeName": "sandbox-worker", "containers": [
            {"name": "user-container", "image": "ghcr.io/acme/cart@sha256:abc"},
            {"name": "queue-proxy", "image": "gcr.io/knative-releases/queue@sha256:def"}]},
        "status": {"containerStatuses": [{"name": "user-container", "restartCount": 0}]}})
}

fn sources(l: &Logs) -> Vec<Value> {
    l.store()
        .unwrap()
        .snapshot()
        .iter()
        .map(|l| docs::source(l))
        .collect()
}

#[test]
fn documents_have_fluent_bits_fields_with_dots_replaced() {
    let l = Logs::new(1, 100);
    l.started(&pod("cart-1"));
    let all = sources(&l);
    let qp = all
        .iter()
        .find(|d| d["kubernetes"]["container_name"] == "queue-proxy")
        .unwrap();
    let k = &qp["kubernetes"];
    for key in [
        "pod_name",
        "namespace_name",
        "pod_id",
        "labels",
        "annotations",
        "host",
        "container_name",
        "docker_id",
        "container_hash",
        "container_image",
    ] {
        assert!(k.get(key).is_some(), "kubernetes.{key}");
    }
    assert_eq!(k["labels"]["serving_knative_dev/service"], "cart");
    assert_eq!(k["labels"]["serving_knative_dev/revision"], "cart-00001");
    assert_eq!(k["container_image"], "gcr.io/knative-releases/queue");
    assert_eq!(k["docker_id"].as_str().unwrap().len(), 64);
    // Merge_Log lifts the JSON line's keys, de-dotted, beside `log` (which keeps the line).
    assert_eq!(qp["message"], "Starting queue-proxy");
    assert_eq!(qp["knative_dev/pod"], "cart-1");
    assert!(qp["log"].as_str().unwrap().ends_with("}\n"));
    assert_eq!(qp["stream"], "stdout");
    let ts = qp["@timestamp"].as_str().unwrap();
    assert_eq!(ts.len(), "2026-11-30T04:00:00.000Z".len(), "{ts}");
    // The first key is the time key, as fluent-bit's es output prepends it.
    assert_eq!(qp.as_object().unwrap().keys().next().unwrap(), "@timestamp");
}

#[test]
fn a_request_log_carries_the_trace_id_of_its_trace() {
    let mut m = Metrics::new(3, Era::V119);
    let traces = Traces::new(3, Era::V119, 100);
    let logs = Logs::new(3, 100);
    m.traces = Some(traces.clone());
    m.logs = Some(logs.clone());
    logs.started(&pod("cart-1"));
    let key = ("shop".to_string(), "cart-00001".to_string());
    let owner = Owner {
        service: "cart".into(),
        configuration: "cart".into(),
    };
    let s = Served {
        pod: "cart-1".into(),
        code: 500,
        latency_ms: 12.0,
        waited_ms: None,
    };
    let id = m
        .served(&key, &owner, &s, ("POST", "/checkout?x=1"))
        .unwrap();
    let all = sources(&logs);
    let req = all.iter().find(|d| d.get("httpRequest").is_some()).unwrap();
    assert_eq!(req["traceId"], hex_id(id));
    assert!(traces.ring().unwrap().find(id).is_some());
    assert_eq!(req["httpRequest"]["status"], 500);
    assert_eq!(req["httpRequest"]["requestMethod"], "POST");
    assert_eq!(req["httpRequest"]["requestUrl"], "/checkout?x=1");
    assert_eq!(req["httpRequest"]["latency"], "0.012000s");
    // A 500 makes the app say why, on stderr.
    assert!(
        all.iter()
            .any(|d| d["kubernetes"]["container_name"] == "user-container"
                && d["stream"] == "stderr")
    );
}

#[test]
fn same_seed_same_lines_and_the_ring_is_bounded() {
    let run = |seed| {
        let l = Logs::new(seed, 50);
        l.started(&pod("cart-1"));
        for i in 0..200 {
            l.requests(&[super::record::Request {
                ns: "shop",
                pod: "cart-1",
                revision: "cart-00001",
                method: "GET",
                path: "/",
                code: if i % 9 == 0 { 500 } else { 200 },
                latency_ms: 5.0,
                start_us: 1_790_000_000_000_000 + i * 1000,
                trace_id: None,
            }]);
        }
        assert_eq!(l.len(), 50);
        l.store()
            .unwrap()
            .snapshot()
            .iter()
            .map(|l| l.text.to_vec())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn lucene_forms_and_errors() {
    let q = lucene::parse("kubernetes.labels.serving_knative_dev\\/service:hello AND log:error")
        .unwrap();
    assert_eq!(
        q,
        Q::Bool {
            must: vec![
                Q::Text {
                    field: Some("kubernetes.labels.serving_knative_dev/service".into()),
                    text: "hello".into(),
                    phrase: false
                },
                Q::Text {
                    field: Some("log".into()),
                    text: "error".into(),
                    phrase: false
                }
            ],
            should: vec![],
            must_not: vec![]
        }
    );
    assert_eq!(
        lucene::parse("-stream:stderr").unwrap(),
        Q::Bool {
            must: vec![],
            should: vec![],
            must_not: vec![Q::Text {
                field: Some("stream".into()),
                text: "stderr".into(),
                phrase: false
            }]
        }
    );
    assert_eq!(
        lucene::parse("traceId:*").unwrap(),
        Q::Exists("traceId".into())
    );
    assert!(matches!(lucene::parse("log:err*").unwrap(), Q::Wild { .. }));
    assert_eq!(lucene::parse("").unwrap(), Q::None);
    let e = lucene::parse("log:(error").unwrap_err();
    assert!(
        e.starts_with("Cannot parse 'log:(error': Encountered \"<EOF>\" at line 1, column 10."),
        "{e}"
    );
    let e = lucene::parse("error AND").unwrap_err();
    assert!(
        e.contains("Encountered \"<EOF>\" at line 1, column 9."),
        "{e}"
    );
    let e = lucene::parse("\"unterminated").unwrap_err();
    assert!(
        e.contains(
            "Lexical error at line 1, column 14.  Encountered: <EOF> after : \"\\\"unterminated\""
        ),
        "{e}"
    );
    let e = lucene::parse("a )").unwrap_err();
    assert!(
        e.contains("Encountered \" ) \" at line 1, column 3."),
        "{e}"
    );
}

#[test]
fn lucene_matches_like_elasticsearch() {
    let l = Logs::new(1, 100);
    l.started(&pod("cart-1"));
    l.line(
        "shop",
        "cart-1",
        "user-container",
        true,
        b"ERROR payment failed: card declined",
    );
    let snap = l.store().unwrap().snapshot();
    let count = |q: &str| {
        let q = lucene::parse(q).unwrap();
        snap.iter().filter(|x| q.matches(&Doc::new(x), 0)).count()
    };
    assert_eq!(count("log:error"), 1);
    assert_eq!(count("log:ERROR AND stream:stderr"), 1);
    assert_eq!(count("\"card declined\""), 1);
    assert_eq!(count("\"declined card\""), 0);
    assert_eq!(count("log:pay*"), 1);
    assert_eq!(
        count("kubernetes.container_name.keyword:user-container AND NOT log:error"),
        2
    );
    // queue-proxy's three "Starting …" lines; the error line is on stderr.
    assert_eq!(count("(log:error OR message:starting) -stream:stderr"), 3);
    assert_eq!(count("kubernetes.container_name.keyword:user"), 0);
    assert_eq!(count("*"), snap.len());
}

#[test]
fn date_math() {
    let now = date_ms("2026-11-30T10:17:42.123Z", 0, false).unwrap();
    assert_eq!(date_ms("now-15m", now, false).unwrap(), now - 15 * 60_000);
    assert_eq!(
        date_ms("now/d", now, false).unwrap(),
        date_ms("2026-11-30", 0, false).unwrap()
    );
    assert_eq!(
        date_ms("now/d", now, true).unwrap(),
        date_ms("2026-12-01", 0, false).unwrap() - 1
    );
    assert_eq!(
        date_ms("2026-11-30||+1M", 0, false).unwrap(),
        date_ms("2026-12-30", 0, false).unwrap()
    );
    assert_eq!(
        date_ms("1790000000000", 0, false).unwrap(),
        1_790_000_000_000
    );
    assert!(date_ms("yesterday", now, false).is_err());
    assert!(date_ms("now-15x", now, false).is_err());
}

#[test]
fn index_patterns() {
    let existing = vec![
        "logstash-2026.11.29".to_string(),
        "logstash-2026.11.30".to_string(),
    ];
    assert_eq!(
        resolve("logstash-*,fluent-bit*", &existing).unwrap(),
        existing
    );
    assert_eq!(
        resolve("*,-logstash-2026.11.29", &existing).unwrap(),
        vec![existing[1].clone()]
    );
    assert!(resolve("fluent-bit*", &existing).unwrap().is_empty());
    let e = resolve("fluent-bit", &existing).unwrap_err();
    assert_eq!(e.status, 404);
    assert_eq!(
        e.to_json("fluent-bit")["error"]["root_cause"][0]["type"],
        "index_not_found_exception"
    );
}

#[test]
fn search_after_pages_through_ties_without_gaps() {
    let l = Logs::new(1, 1000);
    l.started(&pod("cart-1"));
    // Many lines in the same millisecond: only the tiebreaker orders them.
    for i in 0..100 {
        l.line(
            "shop",
            "cart-1",
            "user-container",
            false,
            format!("INFO {i}").as_bytes(),
        );
    }
    let snap = l.store().unwrap().snapshot();
    let mut seen = Vec::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({"size": 7, "sort": [{"@timestamp": "asc"}, {"_doc": "asc"}]});
        if let Some(a) = &after {
            body["search_after"] = a.clone();
        }
        let v = search::run(&snap, &body, 0, None, 1).unwrap();
        let hits = v["hits"]["hits"].as_array().unwrap().clone();
        if hits.is_empty() {
            break;
        }
        after = Some(hits.last().unwrap()["sort"].clone());
        seen.extend(hits.iter().map(|h| h["_id"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen.len(), snap.len());
    seen.dedup();
    assert_eq!(seen.len(), snap.len());
    // Beyond 10,000 by default the count is a lower bound.
    let v = search::run(
        &snap,
        &json!({"size": 0, "track_total_hits": 3}),
        0,
        None,
        1,
    )
    .unwrap();
    assert_eq!(v["hits"]["total"], json!({"value": 3, "relation": "gte"}));
}

#[test]
fn the_http_routes() {
    let l = Logs::new(1, 100);
    l.started(&pod("cart-1"));
    let get =
        |path: &str, body: &str| answer(&l, &hyper::Method::POST, path, None, body.as_bytes(), 0);
    let r = get("/logstash-*/_search", "{\"query\": {\"bogus\": {}}}");
    assert_eq!(r.code, 400);
    assert_eq!(r.value()["error"]["type"], "parsing_exception");
    assert_eq!(r.value()["error"]["reason"], "unknown query [bogus]");
    let r = get("/logstash-*/_search", "not json");
    assert_eq!(r.code, 400);
    let r = get("/logstash-*/_search", "{\"size\": 5, \"from\": 9999}");
    assert_eq!(r.code, 400);
    assert!(
        r.value()["error"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Result window is too large")
    );
    let r = get("/logstash-*/_pit", "");
    assert_eq!(r.code, 400);
    assert_eq!(
        r.value()["error"]["reason"],
        "Validation Failed: 1: [keep_alive] is not specified;"
    );
    let r = get("/_nope", "");
    assert_eq!(r.code, 400);
    assert_eq!(
        r.value()["error"],
        "no handler found for uri [/_nope] and method [POST]"
    );
}

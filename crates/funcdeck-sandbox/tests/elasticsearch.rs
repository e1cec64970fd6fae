//! The sandbox's Elasticsearch through the apiserver's service proxy
//! (`logging/elasticsearch:9200`), as a logs client on a real cluster reaches it: fluent-bit
//! shaped documents of the real data plane in daily `logstash-*` indices, request logs whose
//! `traceId` is a trace Jaeger has, the `_search` features a logs view uses, Elasticsearch's
//! errors, and paging through a point in time while documents keep arriving.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{Env, eventually, get, get_json, ready, request, send_json, svc};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

const ES: &str = "/api/v1/namespaces/logging/services/elasticsearch:9200/proxy";
const JAEGER: &str = "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy";
const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_secs(30),
        cold_start: Duration::from_millis(200),
        ..SandboxConfig::default()
    };
    Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    }
}

async fn deploy(env: &Env, name: &str, rps: f64) {
    env.sandbox.control().set_load("default", name, Some(0.0));
    let r = send_json(
        env.addr(),
        "POST",
        KSVC,
        "application/json",
        &svc(name, "ghcr.io/acme/hello:1"),
    )
    .await;
    assert_eq!(r.status, 201);
    let a = env.addr();
    eventually(20, || async move {
        let s = get_json(a, &format!("{KSVC}/{name}")).await;
        (ready(&s).map(|(st, _)| st) == Some("True".into())).then_some(())
    })
    .await;
    env.sandbox.control().set_load("default", name, Some(rps));
}

async fn search(a: SocketAddr, index: &str, body: &Value) -> (u16, Value) {
    let r = request(
        a,
        "POST",
        &format!("{ES}/{index}/_search"),
        &[("Content-Type", "application/json")],
        &serde_json::to_vec(body).unwrap(),
    )
    .await;
    (r.status, r.json())
}

/// Waits until `n` queue-proxy request logs of `svc` exist.
async fn request_logs(a: SocketAddr, svc: &str, n: u64) {
    eventually(30, || async move {
        let q = json!({"size": 0, "track_total_hits": true, "query": {"bool": {"filter": [
            {"term": {"kubernetes.container_name.keyword": "queue-proxy"}},
            {"exists": {"field": "httpRequest.status"}},
            {"term": {"kubernetes.labels.serving_knative_dev/service.keyword": svc}}]}}});
        let (_, v) = search(a, "logstash-*", &q).await;
        (v["hits"]["total"]["value"].as_u64().unwrap_or(0) >= n).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_are_fluent_bit_shaped_and_link_to_traces() {
    let env = start().await;
    let a = env.addr();
    deploy(&env, "hello", 40.0).await;
    request_logs(a, "hello", 50).await;

    let r = get(a, &format!("{ES}/")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.json()["version"]["number"]
            .as_str()
            .unwrap()
            .starts_with("8.")
    );
    assert_eq!(
        get(a, &format!("{ES}/_cluster/health")).await.json()["status"],
        "green"
    );

    let q = json!({"size": 200, "sort": [{"@timestamp": "desc"}, {"_doc": "desc"}],
        "query": {"bool": {"filter": [
            {"range": {"@timestamp": {"gte": "now-15m", "lte": "now"}}},
            {"term": {"kubernetes.namespace_name.keyword": "default"}},
            {"exists": {"field": "traceId"}},
            {"query_string": {"query": "kubernetes.labels.serving_knative_dev\\/service:hello AND kubernetes.container_name:queue\\-proxy"}}]}}});
    let (status, v) = search(a, "logstash-*,fluent-bit*", &q).await;
    assert_eq!(status, 200, "{v}");
    let hits = v["hits"]["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{v}");
    let h = &hits[0];
    assert!(
        h["_index"].as_str().unwrap().starts_with("logstash-20"),
        "{h}"
    );
    assert_eq!(h["_id"].as_str().unwrap().len(), 20);
    assert_eq!(h["sort"].as_array().unwrap().len(), 2);
    // Field names as the fixture of fluent-bit's kubernetes filter, dots replaced in keys.
    let fixture = std::fs::read_to_string(
        "/work/shared/fixtures/elasticsearch/fluent-bit/core_base_fluent-bit.out",
    );
    let src = &h["_source"];
    let k8s_keys: Vec<String> = src["kubernetes"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    if let Ok(f) = fixture {
        let line: Value = serde_json::from_str(f.lines().next().unwrap()).unwrap();
        for key in line[1]["kubernetes"].as_object().unwrap().keys() {
            assert!(
                k8s_keys.contains(key),
                "missing kubernetes.{key}: {k8s_keys:?}"
            );
        }
        for key in ["log", "stream"] {
            assert!(src.get(key).is_some(), "{key}");
        }
    }
    assert_eq!(
        src["kubernetes"]["labels"]["serving_knative_dev/service"],
        "hello"
    );
    assert_eq!(src["kubernetes"]["container_name"], "queue-proxy");
    assert!(src["log"].as_str().unwrap().ends_with("}\n"));
    assert_eq!(src["httpRequest"]["requestMethod"], "GET");
    assert!(src["@timestamp"].as_str().unwrap().ends_with('Z'));
    // Some request log's traceId is a trace the sandbox's Jaeger has.
    let mut linked = 0;
    for h in hits {
        let id = h["_source"]["traceId"].as_str().unwrap();
        assert_eq!(id.len(), 32);
        if get(a, &format!("{JAEGER}/api/traces/{id}")).await.status == 200 {
            linked += 1;
        }
    }
    assert!(linked > 0, "no request log links to a trace");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_features_and_errors() {
    let env = start().await;
    let a = env.addr();
    deploy(&env, "hello", 40.0).await;
    request_logs(a, "hello", 100).await;

    // Bad Lucene: Elasticsearch's 400 and its wording.
    let (status, v) = search(
        a,
        "logstash-*",
        &json!({"query": {"query_string": {"query": "log:(error"}}}),
    )
    .await;
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["status"], 400);
    assert_eq!(v["error"]["type"], "search_phase_execution_exception");
    assert_eq!(v["error"]["root_cause"][0]["type"], "query_shard_exception");
    assert_eq!(
        v["error"]["root_cause"][0]["reason"],
        "Failed to parse query [log:(error]"
    );
    let cause = v["error"]["failed_shards"][0]["reason"]["caused_by"]["reason"]
        .as_str()
        .unwrap();
    assert!(
        cause.starts_with("Cannot parse 'log:(error': Encountered \"<EOF>\" at line 1, column 10."),
        "{cause}"
    );
    // Unknown concrete index: 404; a wildcard matching nothing: empty.
    let (status, v) = search(a, "nope", &json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(v["error"]["type"], "index_not_found_exception");
    assert_eq!(v["error"]["reason"], "no such index [nope]");
    let (status, v) = search(a, "nope-*", &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(v["hits"]["total"]["value"], 0);
    assert_eq!(v["_shards"]["total"], 0);

    // track_total_hits: an int caps the count with `gte`; false leaves it out.
    let (_, v) = search(a, "logstash-*", &json!({"size": 1, "track_total_hits": 5})).await;
    assert_eq!(v["hits"]["total"], json!({"value": 5, "relation": "gte"}));
    let (_, v) = search(
        a,
        "logstash-*",
        &json!({"size": 1, "track_total_hits": false}),
    )
    .await;
    assert!(v["hits"].get("total").is_none());

    // must_not, match, exists and the Lucene forms, counted against each other.
    let count = |q: Value| async move {
        let (s, v) = search(
            a,
            "logstash-*",
            &json!({"size": 0, "track_total_hits": true, "query": q}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        v["hits"]["total"]["value"].as_u64().unwrap()
    };
    let queue = count(json!({"term": {"kubernetes.container_name.keyword": "queue-proxy"}})).await;
    let not_queue = count(json!({"bool": {"must_not": [{"term": {"kubernetes.container_name.keyword": "queue-proxy"}}]}})).await;
    // Counted last: documents keep arriving.
    let all = count(json!({"match_all": {}})).await;
    assert!(all >= queue + not_queue && queue > 0 && not_queue > 0);
    let lucene_not =
        count(json!({"query_string": {"query": "-kubernetes.container_name.keyword:queue-proxy"}}))
            .await;
    assert!(lucene_not >= not_queue);
    let phrase = count(json!({"query_string": {"query": "\"Starting queue-proxy\""}})).await;
    assert!(phrase >= 1);
    let wild =
        count(json!({"query_string": {"query": "kubernetes.pod_name.keyword:hello-*"}})).await;
    assert!(wild >= queue);
    let none =
        count(json!({"bool": {"filter": [{"range": {"@timestamp": {"lt": "now-1d/d"}}}]}})).await;
    assert_eq!(none, 0);

    // Aggregations: a histogram and a field's top values.
    let (_, v) = search(
        a,
        "logstash-*",
        &json!({"size": 0, "aggs": {
        "over_time": {"date_histogram": {"field": "@timestamp", "fixed_interval": "1s"}},
        "containers": {"terms": {"field": "kubernetes.container_name.keyword", "size": 5}}}}),
    )
    .await;
    let buckets = v["aggregations"]["over_time"]["buckets"]
        .as_array()
        .unwrap();
    let summed: u64 = buckets
        .iter()
        .map(|b| b["doc_count"].as_u64().unwrap())
        .sum();
    assert!(summed >= all, "{summed} {all}");
    assert_eq!(
        v["aggregations"]["containers"]["buckets"][0]["key"],
        "queue-proxy"
    );

    // _source filtering.
    let (_, v) = search(
        a,
        "logstash-*",
        &json!({"size": 1, "_source": ["kubernetes.pod_name", "log"]}),
    )
    .await;
    let src = v["hits"]["hits"][0]["_source"].as_object().unwrap();
    assert_eq!(src.keys().collect::<Vec<_>>(), vec!["kubernetes", "log"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_through_a_point_in_time_has_no_gaps_or_duplicates() {
    let env = start().await;
    let a = env.addr();
    deploy(&env, "hello", 80.0).await;
    request_logs(a, "hello", 200).await;
    let r = request(
        a,
        "POST",
        &format!("{ES}/logstash-*/_pit?keep_alive=1m"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    let pit = r.json()["id"].as_str().unwrap().to_string();
    let body = |after: Option<Value>| {
        let mut b = json!({"size": 37, "track_total_hits": true, "pit": {"id": pit, "keep_alive": "1m"},
            "sort": [{"@timestamp": "desc"}, {"_shard_doc": "desc"}]});
        if let Some(s) = after {
            b["search_after"] = s;
        }
        b
    };
    let (s, first) = search_all(a, &body(None)).await;
    assert_eq!(s, 200, "{first}");
    let total = first["hits"]["total"]["value"].as_u64().unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut page = first;
    loop {
        let hits = page["hits"]["hits"].as_array().unwrap().clone();
        if hits.is_empty() {
            break;
        }
        for h in &hits {
            assert!(
                seen.insert(h["_id"].as_str().unwrap().to_string()),
                "duplicate {h}"
            );
        }
        // Documents keep arriving meanwhile; the point in time does not see them.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (_, next) = search_all(a, &body(Some(hits.last().unwrap()["sort"].clone()))).await;
        page = next;
    }
    assert_eq!(seen.len() as u64, total);
    let (_, now) = search(
        a,
        "logstash-*",
        &json!({"size": 0, "track_total_hits": true}),
    )
    .await;
    assert!(now["hits"]["total"]["value"].as_u64().unwrap() > total);
    // An index with a point in time is refused; a closed one is gone.
    let (s, v) = search(a, "logstash-*", &body(None)).await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["type"], "action_request_validation_exception");
    let r = request(
        a,
        "DELETE",
        &format!("{ES}/_pit"),
        &[("Content-Type", "application/json")],
        &serde_json::to_vec(&json!({"id": pit})).unwrap(),
    )
    .await;
    assert_eq!(r.json(), json!({"succeeded": true, "num_freed": 1}));
    let (s, v) = search_all(a, &body(None)).await;
    assert_eq!(s, 404);
    assert_eq!(v["error"]["type"], "search_context_missing_exception");
}

async fn search_all(a: SocketAddr, body: &Value) -> (u16, Value) {
    let r = request(
        a,
        "POST",
        &format!("{ES}/_search"),
        &[("Content-Type", "application/json")],
        &serde_json::to_vec(body).unwrap(),
    )
    .await;
    (r.status, r.json())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_reaches_elasticsearch_and_anyone_may_read() {
    let env = start().await;
    deploy(&env, "hello", 20.0).await;
    request_logs(env.addr(), "hello", 5).await;
    // A URI search (kubectl sends no body): `q` in Lucene syntax, `size`.
    let path = format!(
        "{ES}/logstash-*/_search?size=2&q=kubernetes.container_name.keyword:queue-proxy%20AND%20traceId:*"
    );
    let out = env.kubectl(&["get", "--raw", &path]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let hits = v["hits"]["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{v}");
    assert!(
        hits.iter()
            .all(|h| h["_source"]["kubernetes"]["container_name"] == "queue-proxy")
    );
    let out = env
        .kubectl(&["get", "svc", "elasticsearch", "-n", "logging", "-o", "json"])
        .await;
    let s: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        s["spec"]["ports"][0],
        json!({"name": "http", "port": 9200, "protocol": "TCP", "targetPort": 9200})
    );
    let r = request(
        env.addr(),
        "GET",
        &format!("{ES}/"),
        &[("Impersonate-User", "dev@acme.io")],
        b"",
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let c = env.sandbox.control();
    c.set_elasticsearch_delay(Duration::from_millis(300));
    let t = std::time::Instant::now();
    assert_eq!(get(env.addr(), &format!("{ES}/")).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    c.set_elasticsearch_delay(Duration::ZERO);
}

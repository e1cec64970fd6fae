//! The Elasticsearch client against a tiny HTTP server on loopback that records each request
//! and answers as Elasticsearch (or OpenSearch) does: the request shapes on the wire, paging
//! with `search_after`, PIT and its fallback, the server's errors, a timeout, the API key.

mod loopback;

use funcdeck_core::backend::{AuthConfig, BackendError, EndpointConfig, Failure};
use funcdeck_core::elastic::{self, ElasticClient, LogQuery, PitSupport, Scope};
use loopback::{Seen, serve};
use serde_json::{Value, json};

async fn client(url: &str, auth: AuthConfig, timeout: &str) -> ElasticClient {
    let config = EndpointConfig {
        url: Some(url.to_owned()),
        auth,
        timeout: Some(timeout.to_owned()),
        ..EndpointConfig::default()
    };
    elastic::locate(Some(&config), None)
        .await
        .expect("configured")
}

fn hit(i: u64) -> Value {
    json!({
        "_index": "logstash-2026.11.27", "_id": format!("id{i}"), "_score": null,
        "_source": {
            "@timestamp": format!("2026-11-27T10:00:{:02}.000Z", i % 60),
            "log": format!("line {i}\n"), "stream": "stdout",
            "kubernetes": {"pod_name": "hello-00001-deployment-1-a", "namespace_name": "default",
                           "container_name": "user-container",
                           "labels": {"serving_knative_dev/service": "hello"}}
        },
        "sort": [1_795_773_600_000_i64 + i as i64 * 1000, i]
    })
}

/// 7 documents, paged as Elasticsearch does: `search_after` the sort values, `size` at most.
fn paged(seen: &Seen) -> (u16, String) {
    let size = seen.body["size"].as_u64().unwrap_or(10);
    let after = seen.body["search_after"][1].as_u64().map_or(0, |d| d + 1);
    let hits: Vec<Value> = (after..7).take(size as usize).map(hit).collect();
    let body = json!({"took": 3, "timed_out": false,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 7, "relation": "eq"}, "max_score": null, "hits": hits}});
    (200, body.to_string())
}

#[tokio::test]
async fn a_search_posts_the_query_dsl_and_reads_the_lines() {
    let server = serve(paged).await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let mut q = LogQuery::new(Scope::function("default", "hello")).with_text("log:line");
    q.track_total_hits = true;
    let page = es.search(&q).await.expect("page");
    assert_eq!(page.lines.len(), 7);
    assert_eq!(page.lines[0].message, "line 0");
    assert_eq!(page.lines[0].pod, "hello-00001-deployment-1-a");
    assert_eq!(page.total.map(|t| (t.value, t.exact)), Some((7, true)));
    assert_eq!(page.next, None);
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/logstash-*,fluent-bit*/_search");
    assert_eq!(seen[0].content_type, "application/json");
    assert_eq!(
        seen[0].body["query"]["bool"]["filter"][2]["query_string"]["query"],
        "log:line"
    );
    assert_eq!(seen[0].authorization, "");
}

#[tokio::test]
async fn search_after_pages_through_everything_once() {
    let server = serve(paged).await;
    let es = client(&server.url, AuthConfig::None, "5s")
        .await
        .with_indices("logs-knative-*");
    let mut q = LogQuery::new(Scope::default()).with_size(3);
    let mut ids = Vec::new();
    loop {
        let page = es.search(&q).await.expect("page");
        ids.extend(page.lines.iter().map(|l| l.id.clone()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    let want: Vec<String> = (0..7)
        .map(|i| format!("logstash-2026.11.27/id{i}"))
        .collect();
    assert_eq!(ids, want);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].path, "/logs-knative-*/_search");
    assert_eq!(
        seen[1].body["search_after"],
        json!([1_795_773_602_000_i64, 2])
    );
}

#[tokio::test]
async fn without_pit_the_client_falls_back_and_does_not_ask_again() {
    let server = serve(|seen| {
        if seen.path.contains("_pit") {
            let reason = format!(
                "no handler found for uri [{}] and method [{}]",
                seen.path, seen.method
            );
            (400, json!({"error": reason, "status": 400}).to_string())
        } else {
            paged(seen)
        }
    })
    .await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    assert_eq!(es.pit_support(), PitSupport::Unknown);
    assert_eq!(es.open_pit().await.expect("refusal is no error"), None);
    assert_eq!(es.pit_support(), PitSupport::Unsupported);
    // Clones share what was learnt; nothing more is sent.
    assert_eq!(es.clone().open_pit().await.expect("remembered"), None);
    assert_eq!(server.seen().len(), 1);
    assert_eq!(
        server.seen()[0].path,
        "/logstash-*,fluent-bit*/_pit?keep_alive=2m"
    );
}

#[tokio::test]
async fn with_pit_pages_go_to_the_pit_and_it_is_closed() {
    let server = serve(|seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", p) if p.contains("/_pit") => (200, json!({"id": "pit-1", "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}).to_string()),
        ("DELETE", "/_pit") => (200, json!({"succeeded": true, "num_freed": 1}).to_string()),
        _ => {
            let (s, body) = paged(seen);
            let mut v: Value = serde_json::from_str(&body).expect("json");
            v["pit_id"] = json!("pit-2");
            (s, v.to_string())
        }
    })
    .await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let pit = es.open_pit().await.expect("pit");
    assert_eq!(pit.as_deref(), Some("pit-1"));
    assert_eq!(es.pit_support(), PitSupport::Supported);
    let mut q = LogQuery::new(Scope::default()).with_size(3);
    q.pit = pit;
    let page = es.search(&q).await.expect("page");
    assert_eq!(page.pit_id.as_deref(), Some("pit-2"));
    es.close_pit("pit-2").await.expect("closed");
    let seen = server.seen();
    assert_eq!(seen[1].path, "/_search");
    assert_eq!(
        seen[1].body["pit"],
        json!({"id": "pit-1", "keep_alive": "2m"})
    );
    assert_eq!(seen[1].body["sort"][1], json!({"_shard_doc": "desc"}));
    assert_eq!(
        (seen[2].method.as_str(), &seen[2].body),
        ("DELETE", &json!({"id": "pit-2"}))
    );
}

#[tokio::test]
async fn an_invalid_query_shows_the_servers_reason() {
    let server = serve(|_| {
        (400, r#"{"error":{"root_cause":[{"type":"query_shard_exception","reason":"Failed to parse query [log:(]"}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}"#.to_owned())
    })
    .await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let e = es
        .search(&LogQuery::new(Scope::default()).with_text("log:("))
        .await
        .expect_err("400");
    assert_eq!(e.kind_label(), "bad-query");
    assert_eq!(
        e.to_string(),
        format!(
            "Elasticsearch at {}: bad query: Failed to parse query [log:(]",
            server.url
        )
    );
}

#[tokio::test]
async fn a_string_error_is_the_message() {
    let server = serve(|_| (405, r#"{"error":"Incorrect HTTP method for uri [/x] and method [POST], allowed: [GET]","status":405}"#.to_owned())).await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let e = es
        .count(&LogQuery::new(Scope::default()))
        .await
        .expect_err("405");
    let BackendError::Failed { reason, .. } = e else {
        panic!("failed")
    };
    assert_eq!(
        reason,
        Failure::Http {
            code: 405,
            message: "Incorrect HTTP method for uri [/x] and method [POST], allowed: [GET]".into()
        }
    );
}

#[tokio::test]
async fn a_silent_server_times_out_at_the_configured_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hold = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.expect("accept");
        std::future::pending::<()>().await;
    });
    let es = client(&url, AuthConfig::None, "300ms").await;
    let e = es
        .search(&LogQuery::new(Scope::default()))
        .await
        .expect_err("timeout");
    hold.abort();
    assert_eq!(e.kind_label(), "backend-timeout");
    assert!(e.is_retryable());
}

#[tokio::test]
async fn the_api_key_is_sent_and_the_root_names_the_product() {
    let server = serve(|_| (200, json!({"name": "n", "cluster_name": "c", "version": {"distribution": "opensearch", "number": "2.11.1"}}).to_string())).await;
    let auth = AuthConfig::ApiKey {
        key: Some("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==".into()),
        key_file: None,
    };
    let es = client(&server.url, auth, "5s").await;
    let info = es.ready().await.expect("ready");
    assert_eq!(info.to_string(), "OpenSearch 2.11.1");
    assert_eq!(
        es.source(),
        format!("OpenSearch 2.11.1 at {} (config)", server.url)
    );
    let seen = server.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("GET", "/")
    );
    assert_eq!(
        seen[0].authorization,
        "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
    );
}

#[tokio::test]
async fn histogram_and_top_values_read_their_aggregations() {
    let server = serve(|seen| {
        let aggs = if seen.body["aggs"].get("counts").is_some() {
            json!({"counts": {"buckets": [
                {"key_as_string": "2026-11-27T10:00:00.000Z", "key": 1_795_773_600_000_i64, "doc_count": 4},
                {"key_as_string": "2026-11-27T10:01:00.000Z", "key": 1_795_773_660_000_i64, "doc_count": 0}]}})
        } else {
            json!({"f0": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 3, "buckets": [
                {"key": "hello-00001-deployment-1-a", "doc_count": 9}]},
                   "f1": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []}})
        };
        (200, json!({"took": 1, "timed_out": false, "hits": {"total": {"value": 12, "relation": "eq"}, "hits": []}, "aggregations": aggs}).to_string())
    })
    .await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let from = chrono::DateTime::from_timestamp_millis(1_795_773_600_000);
    let to = chrono::DateTime::from_timestamp_millis(1_795_773_720_000);
    let q = LogQuery::new(Scope::function("default", "hello")).with_range(from, to);
    let h = es.histogram(&q, 2).await.expect("histogram");
    assert_eq!(h.interval_s, 60);
    assert_eq!(h.buckets.iter().map(|b| b.1).collect::<Vec<_>>(), [4, 0]);
    assert_eq!(
        server.seen()[0].body["aggs"]["counts"]["date_histogram"]["fixed_interval"],
        "60s"
    );
    let top = es
        .top_values(&q, &["kubernetes.pod_name", "stream.keyword"], 5)
        .await
        .expect("top");
    assert_eq!(top[0].exact_field, "kubernetes.pod_name.keyword");
    assert_eq!(
        top[0].values,
        [("hello-00001-deployment-1-a".to_owned(), 9)]
    );
    assert_eq!(top[0].others, 3);
    assert_eq!(top[1].exact_field, "stream.keyword");
    assert_eq!(
        server.seen()[1].body["aggs"]["f1"]["terms"]["field"],
        "stream.keyword"
    );
    let no_range = es
        .histogram(&LogQuery::new(Scope::default()), 10)
        .await
        .expect_err("range");
    assert_eq!(no_range.kind_label(), "bad-query");
}

#[tokio::test]
async fn without_config_or_cluster_it_says_what_was_tried() {
    let e = elastic::locate(None, None).await.expect_err("nothing");
    assert_eq!(
        e.to_string(),
        "Elasticsearch not found: tried config (none), the cluster (not connected)"
    );
}

#[tokio::test]
async fn a_tail_poll_pages_until_caught_up_and_the_next_gives_only_new_lines() {
    let server = serve(paged).await;
    let es = client(&server.url, AuthConfig::None, "5s").await;
    let since = chrono::DateTime::from_timestamp_millis(0).expect("epoch");
    let mut tail = elastic::Tail::with(since, chrono::Duration::seconds(30), 3);
    let base = LogQuery::new(Scope::function("default", "hello"));
    let mut parser = elastic::LineParser::default();
    let first = es.poll(&mut tail, &base, &mut parser).await.expect("poll");
    assert_eq!(first.len(), 7);
    let again = es.poll(&mut tail, &base, &mut parser).await.expect("poll");
    assert!(again.is_empty(), "{again:?}");
    let seen = server.seen();
    assert_eq!(seen[0].body["sort"][0], json!({"@timestamp": "asc"}));
    // The second poll starts again from the overlap window, not after the last line.
    let window_start = 1_795_773_606_000_i64 - 30_000;
    assert_eq!(
        seen[3].body["query"]["bool"]["filter"][0]["range"]["@timestamp"]["gte"],
        window_start
    );
    assert!(seen[3].body.get("search_after").is_none());
}

use chrono::DateTime;
use serde_json::json;

use super::*;

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("in range")
}

#[test]
fn a_search_filters_on_time_scope_and_the_users_text_and_sorts_with_a_tiebreaker() {
    let q = LogQuery::new(Scope {
        revision: Some("hello-00002".into()),
        ..Scope::function("default", "hello")
    })
    .with_text("log:error AND NOT queue")
    .with_range(Some(at(1_795_740_000_000)), Some(at(1_795_740_900_000)))
    .with_size(200);
    let body = q.search_json(".keyword", "2m");
    assert_eq!(
        body,
        json!({
            "size": 200,
            "track_total_hits": false,
            "query": {"bool": {"filter": [
                {"range": {"@timestamp": {"format": "epoch_millis",
                    "gte": 1_795_740_000_000_i64, "lte": 1_795_740_900_000_i64}}},
                {"term": {"kubernetes.namespace_name.keyword": "default"}},
                {"term": {"kubernetes.labels.serving_knative_dev/service.keyword": "hello"}},
                {"term": {"kubernetes.labels.serving_knative_dev/revision.keyword": "hello-00002"}},
                {"query_string": {"query": "log:error AND NOT queue"}},
            ]}},
            "sort": [{"@timestamp": "desc"}, {"_doc": "desc"}],
        })
    );
}

#[test]
fn paging_adds_search_after_and_a_pit_with_its_own_tiebreaker() {
    let mut q = LogQuery::new(Scope::default()).with_order(Order::OldestFirst);
    q.after = Some(vec![json!(1_795_740_560_000_i64), json!(42)]);
    q.pit = Some("46ToAwMDaWR5".into());
    q.track_total_hits = true;
    let body = q.search_json("", "1m");
    assert_eq!(body["search_after"], json!([1_795_740_560_000_i64, 42]));
    assert_eq!(
        body["pit"],
        json!({"id": "46ToAwMDaWR5", "keep_alive": "1m"})
    );
    assert_eq!(
        body["sort"],
        json!([{"@timestamp": "asc"}, {"_shard_doc": "asc"}])
    );
    assert_eq!(body["track_total_hits"], json!(true));
    // No scope, no range, blank text: no filter at all.
    assert_eq!(body["query"], json!({"bool": {"filter": []}}));
    assert_eq!(
        LogQuery::new(Scope::default())
            .with_text("  ")
            .query_json(""),
        body["query"]
    );
}

#[test]
fn the_users_text_goes_through_as_typed() {
    let typed = r#"kubernetes.labels.serving_knative_dev\/service:hello AND log:"a \"b\"" /re.*x/"#;
    let q = LogQuery::new(Scope::default()).with_text(typed);
    assert_eq!(
        q.query_json(".keyword")["bool"]["filter"][0]["query_string"]["query"],
        typed
    );
}

#[test]
fn histograms_and_top_values_count_without_hits() {
    let q = LogQuery::new(Scope::function("default", "hello"))
        .with_range(Some(at(0)), Some(at(900_000)));
    let h = q.histogram_json(".keyword", 15);
    assert_eq!(h["size"], 0);
    assert_eq!(
        h["aggs"]["counts"]["date_histogram"],
        json!({"field": "@timestamp", "fixed_interval": "15s", "min_doc_count": 0,
               "extended_bounds": {"min": 0, "max": 900_000}})
    );
    let t = q.top_values_json(
        ".keyword",
        &[
            "kubernetes.pod_name.keyword".into(),
            "stream.keyword".into(),
        ],
        5,
    );
    assert_eq!(
        t["aggs"]["f0"],
        json!({"terms": {"field": "kubernetes.pod_name.keyword", "size": 5}})
    );
    assert_eq!(t["aggs"]["f1"]["terms"]["field"], "stream.keyword");
    assert_eq!(t["query"], q.query_json(".keyword"));
}

#[test]
fn histogram_buckets_are_round_and_never_more_than_asked() {
    let cases = [
        (900, 60, 15),
        (900, 100, 10),
        (3600, 60, 60),
        (86_400, 48, 1800),
        (10, 100, 1),
    ];
    for (span_s, buckets, want) in cases {
        assert_eq!(
            histogram_interval(at(0), at(span_s * 1000), buckets),
            want,
            "{span_s}s/{buckets}"
        );
    }
    let month = histogram_interval(at(0), at(90 * 86_400_000), 10);
    assert_eq!(month, 9 * 86_400);
    assert_eq!(histogram_interval(at(5), at(0), 0), 1);
}

#[test]
fn sizes_are_kept_within_what_the_server_accepts() {
    assert_eq!(LogQuery::new(Scope::default()).with_size(0).size, 1);
    assert_eq!(
        LogQuery::new(Scope::default()).with_size(1_000_000).size,
        MAX_SIZE
    );
}

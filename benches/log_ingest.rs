//! Log pane ingest: 100,000 fluent-bit documents as `_search` pages of 1,000 (Knative-shaped:
//! user-container lines, klog lines, JSON request logs with a trace id), read from the wire
//! into lines (level, trace id, fields) and pushed into a bounded `LogBuffer`.
//! DESIGN.md §9 asks for at least 50,000 lines/s into the pane; the draw comes on top.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use funcdeck_core::backend::transport::RawResponse;
use funcdeck_core::elastic::answer::read_page;
use funcdeck_core::elastic::{LineParser, LogBuffer};
use serde_json::{Value, json};

const LINES: usize = 100_000;
const PAGE: usize = 1_000;

fn document(i: usize) -> Value {
    let revision = format!("hello-{:05}", 1 + i % 3);
    let log = match i % 4 {
        0 => format!("INFO handled request {i} in 3ms\n"),
        1 => format!("E1127 10:15:30.123456       1 main.go:42] upstream {i} refused\n"),
        2 => format!("plain text line number {i} with some words to make it typical length\n"),
        _ => json!({"httpRequest": {"requestMethod": "GET", "requestUrl": "/", "status": 200,
                    "latency": "0.003s"}, "traceId": format!("{i:032x}")})
        .to_string(),
    };
    let mut source = json!({
        "@timestamp": format!("2026-11-27T10:{:02}:{:02}.{:03}Z", (i / 60_000) % 60, (i / 1000) % 60, i % 1000),
        "log": log,
        "stream": if i.is_multiple_of(5) { "stderr" } else { "stdout" },
        "time": "2026-11-27T10:15:30.123456789Z",
        "kubernetes": {
            "pod_name": format!("{revision}-deployment-7d9f8b6c5d-{}", i % 7),
            "namespace_name": "default",
            "pod_id": "e9f2963f-55f2-11e9-84c5-02e422b8a84a",
            "labels": {"serving_knative_dev/service": "hello",
                       "serving_knative_dev/revision": revision, "app": revision},
            "annotations": {"autoscaling_knative_dev/target": "10"},
            "host": "node-1",
            "container_name": if i.is_multiple_of(9) { "queue-proxy" } else { "user-container" },
            "docker_id": "c9898099f6d235126d564ed38a020007ea7a6fac6e25e718de683c9dd0076c16",
            "container_image": "ghcr.io/funcdeck/hello:1"
        }
    });
    if i % 4 == 3 {
        source["traceId"] = json!(format!("{i:032x}"));
    }
    json!({"_index": "logstash-2026.11.27", "_id": format!("doc{i}"), "_score": null,
           "_source": source, "sort": [1_795_774_530_000_i64 + i as i64, i]})
}

fn pages() -> Vec<RawResponse> {
    (0..LINES / PAGE)
        .map(|p| {
            let hits: Vec<Value> = (p * PAGE..(p + 1) * PAGE).map(document).collect();
            let body = json!({"took": 5, "timed_out": false,
                "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": LINES, "relation": "eq"}, "hits": hits}});
            RawResponse {
                status: 200,
                content_type: "application/json".into(),
                body: body.to_string().into_bytes(),
            }
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let pages = pages();
    let mut group = c.benchmark_group("log ingest");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("parse + push 100k fluent-bit docs", |b| {
        b.iter(|| {
            let mut parser = LineParser::default();
            let mut buffer = LogBuffer::default();
            for page in &pages {
                let page = read_page(page, PAGE, &mut parser).expect("a page");
                buffer.extend(page.lines);
            }
            black_box(buffer.len())
        })
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);

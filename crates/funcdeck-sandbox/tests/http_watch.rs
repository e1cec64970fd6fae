//! Watch streams over raw HTTP: replay from a resourceVersion, in-stream 410 after compaction,
//! bookmarks only on request, streaming-list initial events, dropped watches.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{get_json, request, send_json, start, watch};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";
const SEC: Duration = Duration::from_secs(5);

fn cm(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": "t"}}, "data": {"k": "v"}})
}

#[tokio::test]
async fn watch_replays_from_resource_version_then_streams_live() {
    let env = start(1, 100).await;
    let a = env.addr();
    let rv =
        get_json(a, "/api/v1/namespaces/default/configmaps").await["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .to_string();
    for n in ["w1", "w2"] {
        assert_eq!(
            send_json(
                a,
                "POST",
                "/api/v1/namespaces/default/configmaps",
                "application/json",
                &cm(n)
            )
            .await
            .status,
            201
        );
    }
    let mut w = watch(
        a,
        &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"),
        &[],
    )
    .await;
    assert_eq!(w.status, 200);
    assert_eq!(
        w.headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_str()),
        Some("application/json")
    );
    let e1 = w.next(SEC).await.unwrap();
    let e2 = w.next(SEC).await.unwrap();
    assert_eq!(
        (
            e1["type"].as_str(),
            e1["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("w1"))
    );
    assert_eq!(
        (
            e2["type"].as_str(),
            e2["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("w2"))
    );
    let p = send_json(
        a,
        "PATCH",
        "/api/v1/namespaces/default/configmaps/w1",
        "application/merge-patch+json",
        &json!({"data": {"k": "v2"}}),
    )
    .await;
    assert_eq!(p.status, 200);
    let e3 = w.next(SEC).await.unwrap();
    assert_eq!(e3["type"], "MODIFIED");
    assert_eq!(e3["object"]["data"]["k"], "v2");
    let d = request(
        a,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/w2",
        &[],
        b"",
    )
    .await;
    assert_eq!(d.status, 200);
    assert_eq!(d.json()["status"], "Success");
    assert_eq!(d.json()["details"]["kind"], "configmaps");
    let e4 = w.next(SEC).await.unwrap();
    assert_eq!(e4["type"], "DELETED");
    let rv4: u64 = e4["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let rv3: u64 = e3["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rv4 > rv3, "DELETED carries the deletion RV");
    // RV "0" starts with synthetic ADDED events for what exists.
    let mut w0 = watch(
        a,
        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1",
        &[],
    )
    .await;
    let names: Vec<String> = w0
        .rest(SEC)
        .await
        .iter()
        .map(|e| {
            e["object"]["metadata"]["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        names.contains(&"w1".to_string()) && names.contains(&"kube-root-ca.crt".to_string()),
        "{names:?}"
    );
}

#[tokio::test]
async fn too_old_resource_version_is_an_in_stream_410() {
    let env = start(1, 100).await;
    let a = env.addr();
    let rv = env.sandbox.control().resource_version();
    assert_eq!(
        send_json(
            a,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            "application/json",
            &cm("x1")
        )
        .await
        .status,
        201
    );
    env.sandbox.control().compact_history();
    let mut w = watch(
        a,
        &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"),
        &[],
    )
    .await;
    assert_eq!(w.status, 200, "never an HTTP 410 at watch start (trap 4)");
    let e = w.next(SEC).await.unwrap();
    assert_eq!(e["type"], "ERROR");
    assert_eq!(e["object"]["code"], 410);
    assert_eq!(e["object"]["reason"], "Expired");
    assert!(
        e["object"]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("too old resource version: {rv} ("))
    );
    assert!(w.next(SEC).await.is_none());
    assert!(w.ended());
    // From the current RV it is fine again.
    let now = env.sandbox.control().resource_version();
    let mut ok = watch(a, &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={now}&timeoutSeconds=1"), &[]).await;
    assert!(ok.rest(SEC).await.is_empty());
}

#[tokio::test]
async fn bookmarks_only_when_asked_and_before_timeout_close() {
    let env = start(1, 100).await;
    let a = env.addr();
    let rv = env.sandbox.control().resource_version();
    let mut plain = watch(
        a,
        &format!("{KSVC}/services?watch=true&resourceVersion={rv}&timeoutSeconds=1"),
        &[],
    )
    .await;
    let events = plain.rest(SEC).await;
    assert!(events.iter().all(|e| e["type"] != "BOOKMARK"), "{events:?}");
    assert!(plain.ended());
    let mut asked = watch(a, &format!("{KSVC}/services?watch=true&resourceVersion={rv}&timeoutSeconds=1&allowWatchBookmarks=true"), &[]).await;
    let events = asked.rest(SEC).await;
    let bm = events
        .iter()
        .find(|e| e["type"] == "BOOKMARK")
        .expect("a bookmark before closing");
    assert_eq!(bm["object"]["kind"], "Service");
    assert_eq!(bm["object"]["apiVersion"], "serving.knative.dev/v1");
    let bm_rv: u64 = bm["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(bm_rv >= rv);
}

#[tokio::test]
async fn send_initial_events_ends_with_the_initial_events_end_bookmark() {
    let env = start(3, 100).await;
    let mut w = watch(
        env.addr(),
        &format!("{KSVC}/services?&watch=true&timeoutSeconds=290&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0"),
        &[],
    )
    .await;
    let mut added = 0;
    loop {
        let e = w.next(SEC).await.unwrap();
        if e["type"] == "ADDED" {
            added += 1;
            continue;
        }
        assert_eq!(e["type"], "BOOKMARK");
        assert_eq!(
            e["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
            "true"
        );
        break;
    }
    assert_eq!(added, 3);
    env.sandbox.control().drop_watches();
    assert!(
        w.next(SEC).await.is_none(),
        "drop_watches closes the stream"
    );
    assert!(w.ended());
}

#[tokio::test]
async fn table_watch_sends_one_row_tables_with_columns_first() {
    let env = start(2, 100).await;
    let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    let mut w = watch(
        env.addr(),
        &format!("{KSVC}/services?watch=1&resourceVersion=0&timeoutSeconds=1"),
        &[("Accept", accept)],
    )
    .await;
    assert_eq!(w.status, 200);
    let events = w.rest(SEC).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["object"]["kind"], "Table");
    assert_eq!(
        events[0]["object"]["columnDefinitions"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    assert_eq!(events[0]["object"]["rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        events[1]["object"]["rows"][0]["object"]["kind"],
        "PartialObjectMetadata"
    );
}

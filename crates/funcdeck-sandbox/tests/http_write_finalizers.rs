//! Deletion over raw HTTP: finalizers hold objects back, and each propagation policy.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, send_json, start};
use serde_json::json;

#[tokio::test]
async fn finalizers_and_propagation_policies() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "held", "finalizers": ["x/y"]}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = request(a, "DELETE", &format!("{cms}/held"), &[], b"").await;
    assert_eq!(r.status, 200);
    let o = r.json();
    assert_eq!(
        o["kind"], "ConfigMap",
        "the object comes back while finalizing"
    );
    assert!(o["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(o["metadata"]["deletionGracePeriodSeconds"], 0);
    let mut w = common::watch(
        a,
        &format!(
            "{cms}?watch=true&resourceVersion={}",
            o["metadata"]["resourceVersion"].as_str().unwrap()
        ),
        &[],
    )
    .await;
    let r = send_json(
        a,
        "PATCH",
        &format!("{cms}/held"),
        "application/merge-patch+json",
        &json!({"metadata": {"finalizers": null}}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(get(a, &format!("{cms}/held")).await.status, 404);
    let mut types = Vec::new();
    while let Some(ev) = w.next(std::time::Duration::from_secs(2)).await {
        types.push(ev["type"].as_str().unwrap().to_string());
        if types.last().map(String::as_str) == Some("DELETED") {
            break;
        }
    }
    assert_eq!(
        types.last().map(String::as_str),
        Some("DELETED"),
        "{types:?}"
    );

    // Ownership chains: a parent config map owning two children.
    let parent = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "parent"}}),
    )
    .await
    .json();
    let owner = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "parent", "uid": parent["metadata"]["uid"]}]);
    for c in ["kid1", "kid2"] {
        let r = send_json(
            a,
            "POST",
            cms,
            "application/json",
            &json!({"metadata": {"name": c, "ownerReferences": owner}}),
        )
        .await;
        assert_eq!(r.status, 201);
    }
    let r = send_json(
        a,
        "DELETE",
        &format!("{cms}/parent"),
        "application/json",
        &json!({"propagationPolicy": "Orphan"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let kid = get_json(a, &format!("{cms}/kid1")).await;
    assert!(kid["metadata"].get("ownerReferences").is_none(), "{kid}");

    let parent = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "p2"}}),
    )
    .await
    .json();
    let owner = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "p2", "uid": parent["metadata"]["uid"]}]);
    send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "kid3", "ownerReferences": owner}}),
    )
    .await;
    let r = request(
        a,
        "DELETE",
        &format!("{cms}/p2?propagationPolicy=Foreground"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    assert_eq!(get(a, &format!("{cms}/kid3")).await.status, 404);
    assert_eq!(get(a, &format!("{cms}/p2")).await.status, 404);

    // deletecollection with a selector.
    let r = request(
        a,
        "DELETE",
        &format!("{cms}?labelSelector=nothing%3Dhere"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"], json!([]));
    let r = request(a, "DELETE", cms, &[], b"").await;
    assert_eq!(r.status, 200);
    let left = get_json(a, cms).await;
    assert_eq!(left["items"], json!([]));
}

//! Raw HTTP against the sandbox: the query shapes kube sends, paging, and delete-collection by
//! label selector.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, send_json, start};
use serde_json::json;

const KSVC: &str = "/apis/serving.knative.dev/v1";

#[tokio::test]
async fn kube_rs_query_shapes_and_paging() {
    let env = start(24, 100).await;
    let all = get_json(env.addr(), &format!("{KSVC}/services?")).await;
    assert_eq!(all["kind"], "ServiceList");
    assert_eq!(all["items"].as_array().unwrap().len(), 24);
    let mut names = Vec::new();
    let mut token = String::new();
    let mut rvs = Vec::new();
    loop {
        let path = if token.is_empty() {
            format!("{KSVC}/services?&limit=5")
        } else {
            format!("{KSVC}/services?&limit=5&continue={token}")
        };
        let page = get_json(env.addr(), &path).await;
        rvs.push(
            page["metadata"]["resourceVersion"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        for i in page["items"].as_array().unwrap() {
            names.push(format!(
                "{}/{}",
                i["metadata"]["namespace"].as_str().unwrap(),
                i["metadata"]["name"].as_str().unwrap()
            ));
        }
        match page["metadata"]["continue"].as_str() {
            Some(c) if !c.is_empty() => token = c.to_string(),
            _ => break,
        }
    }
    assert_eq!(names.len(), 24);
    assert_eq!(rvs.len(), 5);
    assert!(
        rvs.iter().all(|r| r == &rvs[0]),
        "every page reports the snapshot RV"
    );
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 24);
    let one = get_json(
        env.addr(),
        &format!("{KSVC}/services?fieldSelector=metadata.name%3Dcheckout-api"),
    )
    .await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let shop = get_json(
        env.addr(),
        &format!(
            "{KSVC}/services?labelSelector=app.kubernetes.io%2Fpart-of%20in%20(shop,payments)"
        ),
    )
    .await;
    assert!(
        shop["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| ["shop", "payments"].contains(&i["metadata"]["namespace"].as_str().unwrap()))
    );
    let bad = get(
        env.addr(),
        &format!("{KSVC}/services?fieldSelector=spec.foo%3Dx"),
    )
    .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn delete_collection_with_label_selector_and_metadata_get() {
    let env = start(1, 100).await;
    let a = env.addr();
    for (n, team) in [("c1", "a"), ("c2", "a"), ("c3", "b")] {
        let body = json!({"metadata": {"name": n, "labels": {"team": team}}});
        let r = send_json(
            a,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            "application/json",
            &body,
        )
        .await;
        assert_eq!(r.status, 201);
    }
    let m = request(
        a,
        "GET",
        "/api/v1/namespaces/default/configmaps/c1",
        &[(
            "Accept",
            "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
        )],
        b"",
    )
    .await;
    assert_eq!(m.json()["kind"], "PartialObjectMetadata");
    assert_eq!(m.json()["metadata"]["labels"]["team"], "a");
    let d = request(
        a,
        "DELETE",
        "/api/v1/namespaces/default/configmaps?labelSelector=team%3Da",
        &[],
        b"",
    )
    .await;
    assert_eq!(d.status, 200);
    assert_eq!(d.json()["kind"], "ConfigMapList");
    assert_eq!(d.json()["items"].as_array().unwrap().len(), 2);
    let left = get_json(
        a,
        "/api/v1/namespaces/default/configmaps?labelSelector=team",
    )
    .await;
    let names: Vec<&str> = left["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["c3"]);
}

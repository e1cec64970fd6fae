//! Raw HTTP against the sandbox: the discovery, Table and metadata content types kubectl and
//! kube negotiate.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, start};

const KSVC: &str = "/apis/serving.knative.dev/v1";
const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const DISCOVERY_ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

#[tokio::test]
async fn discovery_content_types() {
    let env = start(1, 100).await;
    for path in ["/api", "/apis"] {
        let r = request(
            env.addr(),
            "GET",
            path,
            &[("Accept", DISCOVERY_ACCEPT)],
            b"",
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("content-type"),
            Some("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        );
        assert_eq!(r.json()["kind"], "APIGroupDiscoveryList");
    }
    // kube's Discovery::run sends no Accept: legacy documents.
    assert_eq!(get_json(env.addr(), "/api").await["kind"], "APIVersions");
    assert_eq!(
        get_json(env.addr(), "/apis").await["groups"][0]["name"],
        "serving.knative.dev"
    );
    let rl = get_json(env.addr(), KSVC).await;
    assert!(
        rl["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "services/status")
    );
    let v = get_json(env.addr(), "/version?timeout=5s").await;
    assert!(v["gitVersion"].as_str().unwrap().starts_with("v1.32."));
    let nf = get(env.addr(), "/apis/batch/v1/jobs").await;
    assert_eq!(nf.status, 404);
    assert_eq!(
        nf.json()["message"],
        "the server could not find the requested resource"
    );
}

#[tokio::test]
async fn table_and_metadata_content_types() {
    let env = start(6, 100).await;
    let r = request(
        env.addr(),
        "GET",
        &format!("{KSVC}/services?limit=500"),
        &[("Accept", TABLE_ACCEPT)],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json;as=Table;v=v1;g=meta.k8s.io")
    );
    let t = r.json();
    let cols: Vec<&str> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        cols,
        [
            "Name",
            "URL",
            "LatestCreated",
            "LatestReady",
            "Ready",
            "Reason",
            "Age"
        ]
    );
    assert_eq!(t["rows"].as_array().unwrap().len(), 6);
    assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    assert!(t["metadata"]["resourceVersion"].as_str().is_some());
    let m = request(
        env.addr(),
        "GET",
        &format!("{KSVC}/services"),
        &[(
            "Accept",
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
        )],
        b"",
    )
    .await;
    assert_eq!(
        m.header("content-type"),
        Some("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
    );
    let m = m.json();
    assert_eq!(m["kind"], "PartialObjectMetadataList");
    assert!(m["items"][0].get("spec").is_none());
    let pb = request(
        env.addr(),
        "GET",
        "/api/v1/pods",
        &[("Accept", "application/vnd.kubernetes.protobuf")],
        b"",
    )
    .await;
    assert_eq!(pb.status, 406);
}

//! Raw HTTP against the sandbox: the wire details kubectl and kube depend on (content types,
//! paging and query shapes, optimistic concurrency, status subresource, Status errors).
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, send_json, start};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";
const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const DISCOVERY_ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

fn cm(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": "t"}}, "data": {"k": "v"}})
}

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
    let nf = get(env.addr(), "/apis/apps/v1/deployments").await;
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
async fn stale_put_conflicts_and_status_subresource_is_separate() {
    let env = start(4, 100).await;
    let a = env.addr();
    let list = get_json(a, &format!("{KSVC}/namespaces/default/services")).await;
    let name = list["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("{KSVC}/namespaces/default/services/{name}");
    let cur = get_json(a, &path).await;
    let generation = cur["metadata"]["generation"].as_i64().unwrap();
    let mut edited = cur.clone();
    edited["metadata"]["labels"]["touched"] = json!("yes");
    edited["status"] = json!({"url": "http://evil"});
    let r = send_json(a, "PUT", &path, "application/json", &edited).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let after = r.json();
    assert_eq!(
        after["metadata"]["generation"].as_i64(),
        Some(generation),
        "metadata-only change keeps generation"
    );
    assert_ne!(
        after["status"]["url"], "http://evil",
        "main endpoint ignores status"
    );
    let stale = send_json(a, "PUT", &path, "application/json", &edited).await;
    assert_eq!(stale.status, 409);
    let s = stale.json();
    assert_eq!(s["reason"], "Conflict");
    assert_eq!(
        s["message"],
        format!(
            "Operation cannot be fulfilled on services.serving.knative.dev \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
        )
    );
    let spec = send_json(a, "PATCH", &path, "application/json-patch+json", &json!([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "ghcr.io/acme/x:9"}])).await;
    assert_eq!(spec.status, 200);
    assert_eq!(
        spec.json()["metadata"]["generation"].as_i64(),
        Some(generation + 1)
    );
    let failed = send_json(
        a,
        "PATCH",
        &path,
        "application/json-patch+json",
        &json!([{"op": "test", "path": "/spec/template/spec/containers/0/image", "value": "nope"}]),
    )
    .await;
    assert_eq!(failed.status, 422);
    let st = send_json(
        a,
        "PATCH",
        &format!("{path}/status"),
        "application/merge-patch+json",
        &json!({"status": {"url": "http://custom"}, "spec": {"traffic": []}}),
    )
    .await;
    assert_eq!(st.status, 200);
    let st = st.json();
    assert_eq!(st["status"]["url"], "http://custom");
    assert_ne!(
        st["spec"]["traffic"],
        json!([]),
        "/status ignores everything but status"
    );
    let smp = send_json(
        a,
        "PATCH",
        &path,
        "application/strategic-merge-patch+json",
        &json!({"metadata": {"labels": {"x": "y"}}}),
    )
    .await;
    assert_eq!(smp.status, 415);
    assert_eq!(
        smp.json()["message"],
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    );
}

#[tokio::test]
async fn status_errors() {
    let env = start(1, 100).await;
    let a = env.addr();
    let bad = request(
        a,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        &[("Content-Type", "application/json")],
        b"{nope",
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["reason"], "BadRequest");
    let dup = send_json(
        a,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        &cm("kube-root-ca.crt"),
    )
    .await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.json()["reason"], "AlreadyExists");
    assert_eq!(
        dup.json()["message"],
        "configmaps \"kube-root-ca.crt\" already exists"
    );
    let no_ns = send_json(
        a,
        "POST",
        "/api/v1/namespaces/nope/configmaps",
        "application/json",
        &cm("a"),
    )
    .await;
    assert_eq!(no_ns.status, 404);
    assert_eq!(no_ns.json()["message"], "namespaces \"nope\" not found");
    let generated = send_json(
        a,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        &json!({"metadata": {"generateName": "gen-"}}),
    )
    .await;
    assert_eq!(generated.status, 201);
    assert!(
        generated.json()["metadata"]["name"]
            .as_str()
            .unwrap()
            .starts_with("gen-")
    );
    let missing = get(a, &format!("{KSVC}/namespaces/default/services/k1")).await;
    assert_eq!(missing.status, 404);
    let m = missing.json();
    assert_eq!(
        m["message"],
        "services.serving.knative.dev \"k1\" not found"
    );
    assert_eq!(
        m["details"],
        json!({"name": "k1", "group": "serving.knative.dev", "kind": "services"})
    );
    let method = request(
        a,
        "PUT",
        &format!("{KSVC}/namespaces/default/services"),
        &[],
        b"{}",
    )
    .await;
    assert_eq!(method.status, 405);
    let big = vec![b' '; 3 * 1024 * 1024 + 10];
    let too_big = request(
        a,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        &[("Content-Type", "application/json")],
        &big,
    )
    .await;
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.json()["reason"], "RequestEntityTooLarge");
    let invalid = send_json(a, "POST", &format!("{KSVC}/namespaces/default/services"), "application/json",
        &json!({"metadata": {"name": "t"}, "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}, "traffic": [{"latestRevision": true, "percent": 90}]}})).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(
        invalid.json()["message"],
        "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Traffic targets sum to 90, want 100: spec.traffic"
    );
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

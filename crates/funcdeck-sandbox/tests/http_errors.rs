//! Raw HTTP against the sandbox: optimistic concurrency, the status subresource, and the
//! apiserver's Status errors.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, send_json, start};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";

fn cm(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": "t"}}, "data": {"k": "v"}})
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

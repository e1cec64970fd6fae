//! Bad input over raw HTTP gets the apiserver's Status errors: never a panic, never a
//! half-written store.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, message, raw, send_json, start};
use serde_json::json;

#[tokio::test]
async fn bad_bodies_and_parameters_get_status_errors() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let r = raw(a, "POST", cms, "application/json", b"{nope").await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string"
        )
    );
    let r = raw(a, "POST", cms, "application/json", b"{\"a\":").await;
    assert_eq!(
        message(&r),
        "couldn't get version/kind; json parse error: unexpected end of JSON input"
    );
    let r = raw(a, "POST", cms, "application/json", b"[1]").await;
    assert_eq!(r.status, 400);
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(
        message(&r),
        "the API version in the data (v2) does not match the expected API version (v1)"
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the kind in the data (Secret) does not match the expected kind (ConfigMap)"
        )
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "x", "namespace": "shop"}}),
    )
    .await;
    assert_eq!(
        message(&r),
        "the namespace of the provided object does not match the namespace sent on the request"
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = send_json(
        a,
        "PUT",
        &format!("{cms}/x"),
        "application/json",
        &json!({"metadata": {"name": "y"}}),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the name of the object (y) does not match the name on the URL (x)"
        )
    );
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x"),
        "application/merge-patch+json",
        b"{\"data\":",
    )
    .await;
    assert_eq!(r.status, 400);
    let r = raw(a, "PATCH", &format!("{cms}/x"), "text/plain", b"{}").await;
    assert_eq!(r.status, 415);
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x"),
        "application/json-patch+json",
        b"[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]",
    )
    .await;
    assert_eq!(r.status, 422);
    let r = get(a, "/apis/serving.knative.dev/v1/namespaces/default/widgets").await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (404, "the server could not find the requested resource")
    );
    let r = raw(a, "POST", &format!("{cms}/x"), "application/json", b"{}").await;
    assert_eq!(r.status, 405);
    for q in [
        "labelSelector=a%20in%20(",
        "fieldSelector=spec.nope%3D1",
        "limit=abc",
        "resourceVersion=abc",
        "continue=zz",
    ] {
        let r = get(a, &format!("{cms}?{q}")).await;
        assert_eq!(r.status, 400, "{q}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["kind"], "Status");
    }
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x?fieldValidation=Sloppy"),
        "application/merge-patch+json",
        b"{}",
    )
    .await;
    assert_eq!(r.status, 400);
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x?force=true"),
        "application/merge-patch+json",
        b"{}",
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            422,
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
        )
    );
}

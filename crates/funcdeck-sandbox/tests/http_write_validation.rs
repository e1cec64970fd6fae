//! Field validation on writes over raw HTTP: Strict rejects, Warn warns, Ignore drops.
#![allow(clippy::unwrap_used)]

mod common;

use common::{message, raw, send_json, start, svc};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";

#[tokio::test]
async fn field_validation_strict_warn_ignore() {
    let env = start(1, 50).await;
    let a = env.addr();
    let mut body = svc("fv", "ghcr.io/acme/fv:1");
    body["spec"]["foo"] = json!(1);
    let post = |q: &'static str, b: Value| async move {
        send_json(
            a,
            "POST",
            &format!("{KSVC}/namespaces/default/services?{q}"),
            "application/json",
            &b,
        )
        .await
    };
    let r = post("fieldValidation=Strict", body.clone()).await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\""
        )
    );
    let r = post("fieldValidation=Warn", body.clone()).await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.header("warning"),
        Some("299 - \"unknown field \\\"spec.foo\\\"\"")
    );
    assert!(
        r.json()["spec"].get("foo").is_none(),
        "unknown fields are pruned"
    );
    body["metadata"]["name"] = json!("fv2");
    let r = post("fieldValidation=Ignore", body).await;
    assert_eq!(r.status, 201);
    assert!(r.header("warning").is_none());
    let r = raw(
        a,
        "PATCH",
        &format!("{KSVC}/namespaces/default/services/fv?fieldValidation=Strict"),
        "application/merge-patch+json",
        br#"{"spec":{"template":{"spec":{"containers":[{"image":"i","imagePullPolicyy":"x"}]}}}}"#,
    )
    .await;
    assert_eq!(
        message(&r),
        "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
    );
}

//! Server-side apply over raw HTTP: its options, body checks, create-on-apply and ownership.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get_json, message, raw, send_json, start, svc};
use serde_json::json;

const KSVC: &str = "/apis/serving.knative.dev/v1";

#[tokio::test]
async fn apply_patch_options_body_checks_and_create() {
    let env = start(1, 50).await;
    let a = env.addr();
    let url = format!("{KSVC}/namespaces/default/services/ssa");
    let yaml = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: ssa\nspec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/acme/ssa:1\n";
    let r = raw(
        a,
        "PATCH",
        &url,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            422,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
        )
    );
    let with_m = format!("{url}?fieldManager=console");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let o = r.json();
    assert_eq!(o["metadata"]["managedFields"][0]["manager"], "console");
    assert_eq!(o["metadata"]["managedFields"][0]["operation"], "Apply");
    // Once the controllers have settled the status, a repeated apply writes nothing.
    let rv = common::eventually(10, || async {
        let o = get_json(a, &url).await;
        (common::ready(&o).map(|(s, _)| s) == Some("True".into()))
            .then(|| o["metadata"]["resourceVersion"].clone())
    })
    .await;
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["metadata"]["resourceVersion"],
        rv,
        "a repeated apply is a no-op"
    );
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        b"spec: [unclosed",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        message(&r).starts_with("error decoding YAML: "),
        "{}",
        message(&r)
    );
    let other = format!("{KSVC}/namespaces/default/services/other?fieldManager=console");
    let r = raw(
        a,
        "PATCH",
        &other,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the name of the object (ssa) does not match the name on the URL (other)"
        )
    );
    let wrong = yaml.replace("serving.knative.dev/v1", "serving.knative.dev/v9");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        wrong.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 400);
    let mut mf = svc("ssa", "x");
    mf["metadata"]["managedFields"] = json!([]);
    let r = send_json(a, "PATCH", &with_m, "application/apply-patch+yaml", &mf).await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (400, "metadata.managedFields must be nil")
    );

    // A merge patch under another manager takes the image; the next apply conflicts.
    let r = send_json(a, "PATCH", &format!("{url}?fieldManager=ops"), "application/merge-patch+json",
        &json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/ssa:hot"}]}}}})).await;
    assert_eq!(r.status, 200);
    let two = yaml.replace("ssa:1", "ssa:2");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        two.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 409);
    let st = r.json();
    assert_eq!(st["reason"], "Conflict");
    assert_eq!(
        st["message"],
        "Apply failed with 1 conflict: conflict with \"ops\" using serving.knative.dev/v1: .spec.template.spec.containers"
    );
    assert_eq!(
        st["details"]["causes"],
        json!([{"reason": "FieldManagerConflict", "message": "conflict with \"ops\" using serving.knative.dev/v1", "field": ".spec.template.spec.containers"}])
    );
    let r = raw(
        a,
        "PATCH",
        &format!("{with_m}&force=true"),
        "application/apply-patch+yaml",
        two.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/acme/ssa:2"
    );
}

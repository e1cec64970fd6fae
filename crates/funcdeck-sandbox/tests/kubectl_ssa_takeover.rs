//! `kubectl apply --server-side` taking over from client-side `kubectl apply` with the real
//! kubectl, as kube-apiserver's last-applied manager allows: the `kubectl` field manager takes
//! the fields the last-applied-configuration annotation vouches for (last applied with the value
//! they still have) without a conflict; another manager, or a field someone else changed since,
//! still conflicts with upstream's message.
#![allow(clippy::unwrap_used)]

mod common;

use common::conformance::managers;
use common::{Env, get_json, start};

fn cm(name: &str, k1: &str, k2: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\ndata:\n  k1: {k1}\n  k2: {k2}\n"
    )
}

async fn client_side(env: &Env, name: &str) -> std::path::PathBuf {
    let f = env.file(&format!("{name}.yaml"), &cm(name, "v1", "v2"));
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    f
}

async fn data(env: &Env, name: &str) -> serde_json::Value {
    get_json(
        env.addr(),
        &format!("/api/v1/namespaces/default/configmaps/{name}"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_manager_takes_over_what_it_last_applied() {
    let env = start(1, 50).await;
    let f = client_side(&env, "settings").await;
    std::fs::write(&f, cm("settings", "v1-new", "v2")).unwrap();
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f.to_str().unwrap()])
        .await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "configmap/settings serverside-applied"),
        "{}",
        out.stderr
    );
    let o = data(&env, "settings").await;
    assert_eq!(o["data"]["k1"], "v1-new");
    let m = managers(&o);
    assert!(m.contains(&"kubectl/Apply".to_string()), "{m:?}");
    // kubectl now owns .data.k1: another client-side owner no longer claims it.
    let owners: Vec<String> = o["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["fieldsV1"]["f:data"].get("f:k1").is_some())
        .map(|e| e["manager"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(owners, ["kubectl"], "{o}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_field_manager_still_conflicts() {
    let env = start(1, 50).await;
    let f = client_side(&env, "theirs").await;
    std::fs::write(&f, cm("theirs", "v1-new", "v2")).unwrap();
    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--field-manager",
            "other",
            "-f",
            f.to_str().unwrap(),
        ])
        .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.starts_with(
            "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.k1\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(data(&env, "theirs").await["data"]["k1"], "v1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_changed_since_the_client_side_apply_still_conflicts() {
    let env = start(1, 50).await;
    let f = client_side(&env, "edited").await;
    let out = env
        .kubectl(&[
            "patch",
            "configmap",
            "edited",
            "-n",
            "default",
            "--type",
            "merge",
            "-p",
            r#"{"data":{"k2":"patched"}}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(&f, cm("edited", "v1-new", "v2-new")).unwrap();
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f.to_str().unwrap()])
        .await;
    assert_ne!(out.code, 0);
    // .data.k1 alone would have been taken over; .data.k2 no longer has its last-applied value.
    assert!(
        out.stderr.starts_with(
            "error: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.k2\n"
        ),
        "{}",
        out.stderr
    );
    let o = data(&env, "edited").await;
    assert_eq!(
        (&o["data"]["k1"], &o["data"]["k2"]),
        (&"v1".into(), &"patched".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knative_template_annotation_is_taken_over_but_defaulted_containers_are_not() {
    let env = start(1, 50).await;
    let ksvc = |scale: &str, image: &str| {
        format!(
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: takeover\n  namespace: default\nspec:\n  template:\n    metadata:\n      annotations:\n        autoscaling.knative.dev/min-scale: \"{scale}\"\n    spec:\n      containers:\n      - image: {image}\n"
        )
    };
    let f = env.file("ksvc.yaml", &ksvc("1", "ghcr.io/acme/takeover:1"));
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The changed annotation is vouched for by the last-applied configuration and taken over;
    // the containers list is atomic and the webhook defaulted it (name, probe), so it never
    // equals its last-applied value: upstream conflicts there too (without the takeover this
    // would be 2 conflicts).
    std::fs::write(&f, ksvc("2", "ghcr.io/acme/takeover:2")).unwrap();
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f.to_str().unwrap()])
        .await;
    assert!(
        out.stderr.starts_with(
            "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using serving.knative.dev/v1: .spec.template.spec.containers\n"
        ),
        "{}",
        out.stderr
    );
}

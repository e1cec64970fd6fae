//! kubectl apply, client- and server-side, against the sandbox with the real kubectl 1.32:
//! last-applied, managed fields, conflicts and field validation.
//! Each test has its own sandbox and discovery cache (trap 8).
#![allow(clippy::unwrap_used)]

mod common;

use common::conformance::{KSVC, image, ksvc, managers};
use common::{get_json, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_apply_creates_then_configures_with_last_applied() {
    let env = start(1, 50).await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\n  labels:\n    a: \"1\"\ndata:\n  k1: v1\n  k2: v2\n";
    let f = env.file("cm.yaml", cm);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "configmap/settings created"),
        "{}",
        out.stderr
    );
    let f2 = env.file(
        "cm2.yaml",
        &cm.replace("  k2: v2\n", "").replace("k1: v1", "k1: v1b"),
    );
    let out = env.kubectl(&["apply", "-f", f2.to_str().unwrap()]).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "configmap/settings configured"),
        "{}",
        out.stderr
    );
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/settings").await;
    assert_eq!(o["data"], serde_json::json!({"k1": "v1b"}));
    let last = o["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
        .as_str()
        .unwrap();
    assert!(last.contains("v1b"), "{last}");
    assert!(
        managers(&o).contains(&"kubectl-client-side-apply/Update".to_string()),
        "{:?}",
        managers(&o)
    );
    let same = env.kubectl(&["apply", "-f", f2.to_str().unwrap()]).await;
    assert_eq!(same.stdout.trim(), "configmap/settings unchanged");

    // A Knative Service: created, then configured through a merge patch.
    let f = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf created",
        "{}",
        out.stderr
    );
    let f = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:2"));
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf configured",
        "{}",
        out.stderr
    );
    assert_eq!(image(&ksvc(&env, "conf").await), "ghcr.io/acme/conf:2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_conflicts_with_edit_until_forced() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    let path = f.to_str().unwrap();
    let out = env.kubectl(&["apply", "--server-side", "-f", path]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf serverside-applied"
    );
    let o = ksvc(&env, "conf").await;
    assert_eq!(managers(&o), vec!["kubectl/Apply"]);
    let fields = &o["metadata"]["managedFields"][0]["fieldsV1"];
    assert!(
        fields["f:spec"]["f:template"]["f:spec"]["f:containers"].is_object(),
        "{fields}"
    );
    assert!(
        fields["f:metadata"]["f:labels"]["f:team"].is_object(),
        "{fields}"
    );

    // Same config again: unchanged, no conflict.
    let out = env.kubectl(&["apply", "--server-side", "-f", path]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);

    // kubectl edit takes the containers list (an atomic list in the Knative CRD).
    let editor = env.sed_editor("edit.sh", "s|ghcr.io/acme/conf:1|ghcr.io/acme/conf:edited|");
    let out = env
        .kubectl_env(
            &["edit", "ksvc", "conf", "-n", "default"],
            &[("KUBE_EDITOR", editor.to_str().unwrap())],
        )
        .await;
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.trim(), "service.serving.knative.dev/conf edited");
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:edited");
    assert!(
        managers(&o).contains(&"kubectl-edit/Update".to_string()),
        "{:?}",
        managers(&o)
    );

    let f2 = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:2"));
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f2.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using serving.knative.dev/v1: .spec.template.spec.containers"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--force-conflicts"), "{}", out.stderr);
    assert_eq!(image(&ksvc(&env, "conf").await), "ghcr.io/acme/conf:edited");

    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            f2.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:2");
    let containers_owner: Vec<&str> = o["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"].is_null())
        .map(|e| e["manager"].as_str().unwrap())
        .collect();
    assert_eq!(containers_owner, vec!["kubectl"]);

    // Dropping the label from the applied config removes it (kubectl owned it alone).
    let f3 = env.file(
        "conf3.yaml",
        &KSVC
            .replace("conf:1", "conf:2")
            .replace("  labels:\n    team: a\n", ""),
    );
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f3.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        ksvc(&env, "conf").await["metadata"]["labels"]
            .get("team")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_after_client_side_apply_migrates_last_applied() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f2 = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:3"));
    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            f2.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:3");
    let m = managers(&o);
    assert!(m.contains(&"kubectl/Apply".to_string()), "{m:?}");
    // kubectl migrated the client-side-apply ownership (a JSON patch of managedFields), then
    // re-applied the last-applied annotation under its own manager.
    assert!(
        m.contains(&"kubectl-last-applied/Apply".to_string()),
        "{m:?}"
    );
    assert!(
        !m.iter().any(|x| x.starts_with("kubectl-client-side-apply")),
        "{m:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_field_validation_rejects_unknown_fields_and_warn_warns() {
    let env = start(1, 50).await;
    let bad = KSVC.replace("  template:\n", "  foo: bar\n  template:\n");
    let f = env.file("bad.yaml", &bad);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("strict decoding error: unknown field \"spec.foo\""),
        "{}",
        out.stderr
    );
    let out = env
        .kubectl(&["apply", "--validate=warn", "-f", f.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown field \"spec.foo\""),
        "{}",
        out.stderr
    );
    assert!(ksvc(&env, "conf").await["spec"].get("foo").is_none());
    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "--validate=false",
            "-f",
            f.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

//! kubectl edit, patch and delete against the sandbox with the real kubectl 1.32: exit codes
//! and the objects that result.
//! Each test has its own sandbox and discovery cache (trap 8).
#![allow(clippy::unwrap_used)]

mod common;

use common::conformance::{KSVC, image, ksvc};
use common::{get_json, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_with_an_unknown_field_is_refused() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let editor = env.sed_editor("edit.sh", "s|^  template:|  bogus: 1\\n  template:|");
    let out = env
        .kubectl_env(
            &["edit", "ksvc", "conf", "-n", "default"],
            &[("KUBE_EDITOR", editor.to_str().unwrap())],
        )
        .await;
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("unknown field \"spec.bogus\""),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_by_label_all_and_finalizers() {
    let env = start(1, 50).await;
    for (name, tier) in [("a", "web"), ("b", "web"), ("c", "db")] {
        // (`kubectl create configmap` speaks protobuf; `create -f` sends JSON.)
        let f = env.file(
            &format!("{name}.yaml"),
            &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\n  labels:\n    tier: {tier}\ndata:\n  k: v\n"),
        );
        let out = env.kubectl(&["create", "-f", f.to_str().unwrap()]).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let out = env
        .kubectl(&["delete", "cm", "-n", "default", "-l", "tier=web"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        vec!["configmap \"a\" deleted", "configmap \"b\" deleted"]
    );

    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "c",
            "-n",
            "default",
            "--type=merge",
            "-p",
            r#"{"metadata":{"finalizers":["example.com/hold"]}}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env
        .kubectl(&["delete", "cm", "c", "-n", "default", "--wait=false"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/c").await;
    assert!(o["metadata"]["deletionTimestamp"].is_string(), "{o}");
    assert_eq!(o["metadata"]["deletionGracePeriodSeconds"], 0);
    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "c",
            "-n",
            "default",
            "--type=json",
            "-p",
            r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let gone = env.kubectl(&["get", "cm", "c", "-n", "default"]).await;
    assert_eq!(gone.code, 1);
    assert!(
        gone.stderr.contains("configmaps \"c\" not found"),
        "{}",
        gone.stderr
    );

    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let out = env
        .kubectl(&["delete", "ksvc", "--all", "-n", "default"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("service.serving.knative.dev \"conf\" deleted"),
        "{}",
        out.stdout
    );
    let left = env
        .kubectl(&[
            "get",
            "ksvc,configurations,routes",
            "-n",
            "default",
            "-o",
            "name",
        ])
        .await;
    assert_eq!(left.stdout.trim(), "", "{}", left.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_types_merge_json_strategic() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let ksvc_patch = |kind: &'static str, p: &'static str| {
        let env = &env;
        async move {
            env.kubectl(&[
                "patch",
                "ksvc",
                "conf",
                "-n",
                "default",
                &format!("--type={kind}"),
                "-p",
                p,
            ])
            .await
        }
    };
    let out = ksvc_patch("merge", r#"{"metadata":{"labels":{"m":"1"}}}"#).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "service.serving.knative.dev/conf patched"),
        "{}",
        out.stderr
    );
    let out = ksvc_patch("json", r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"ghcr.io/acme/conf:j"}]"#).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(
        (o["metadata"]["labels"]["m"].as_str(), image(&o)),
        (Some("1"), "ghcr.io/acme/conf:j")
    );
    let out = ksvc_patch(
        "json",
        r#"[{"op":"test","path":"/metadata/labels/m","value":"2"}]"#,
    )
    .await;
    assert_eq!(out.code, 1);
    let out = ksvc_patch("strategic", r#"{"metadata":{"labels":{"s":"1"}}}"#).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        "{}",
        out.stderr
    );
    let f = env.file(
        "sm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sm\n  namespace: default\ndata:\n  a: \"1\"\n",
    );
    let out = env.kubectl(&["create", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "sm",
            "-n",
            "default",
            "--type=strategic",
            "-p",
            r#"{"data":{"a":null,"b":"2"},"$retainKeys":["data"]}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/sm").await;
    assert_eq!(o["data"], serde_json::json!({"b": "2"}));
}

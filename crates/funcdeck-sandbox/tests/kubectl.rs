//! The real kubectl 1.32 against an in-process sandbox: discovery, tables, -o yaml, errors,
//! create/wait/delete with garbage collection.
#![allow(clippy::unwrap_used)]

mod common;

use common::start;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_ksvc_all_namespaces_prints_knative_columns_and_seeded_names() {
    let env = start(24, 200).await;
    let out = env.kubectl(&["get", "ksvc", "-A"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = out.stdout.lines().next().unwrap();
    for col in [
        "NAMESPACE",
        "NAME",
        "URL",
        "LATESTCREATED",
        "LATESTREADY",
        "READY",
        "REASON",
        "AGE",
    ] {
        assert!(header.contains(col), "missing {col} in {header}");
    }
    assert_eq!(out.stdout.lines().count(), 25, "{}", out.stdout);
    assert!(out.stdout.contains("checkout-api"));
    assert!(
        out.stdout
            .contains("http://checkout-api.shop.svc.cluster.local")
    );
    assert!(
        out.stdout.contains("RevisionMissing"),
        "a never-ready service shows its reason"
    );
    assert!(
        out.stdout.contains("RevisionFailed"),
        "a failed latest revision shows its reason"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_ksvc_yaml_has_status() {
    let env = start(24, 200).await;
    let out = env
        .kubectl(&["get", "ksvc", "checkout-api", "-n", "shop", "-o", "yaml"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    for needle in [
        "kind: Service",
        "apiVersion: serving.knative.dev/v1",
        "status:",
        "latestReadyRevisionName: checkout-api-0000",
        "observedGeneration:",
        "url: http://checkout-api.shop.svc.cluster.local",
        "name: user-container",
        "resourceVersion:",
        "uid:",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing {needle:?} in\n{}",
            out.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_namespaces_and_pods() {
    let env = start(24, 200).await;
    let ns = env.kubectl(&["get", "ns"]).await;
    assert_eq!(ns.code, 0, "{}", ns.stderr);
    assert!(ns.stdout.starts_with("NAME"));
    for n in [
        "default",
        "shop",
        "payments",
        "analytics",
        "ml-inference",
        "platform-tools",
        "kube-system",
        "knative-serving",
    ] {
        assert!(
            ns.stdout
                .lines()
                .any(|l| l.starts_with(n) && l.contains("Active")),
            "{n} missing:\n{}",
            ns.stdout
        );
    }
    let pods = env.kubectl(&["get", "pods", "-A"]).await;
    assert_eq!(pods.code, 0, "{}", pods.stderr);
    let header = pods.stdout.lines().next().unwrap();
    for col in ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"] {
        assert!(header.contains(col), "{header}");
    }
    assert!(
        pods.stdout
            .lines()
            .any(|l| l.contains("-deployment-") && l.contains("2/2") && l.contains("Running"))
    );
    assert!(pods.stdout.contains("CrashLoopBackOff") || pods.stdout.contains("ImagePullBackOff"));
    let by_label = env
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "shop",
            "-l",
            "serving.knative.dev/service=checkout-api",
        ])
        .await;
    assert_eq!(by_label.code, 0);
    assert!(
        by_label
            .stdout
            .lines()
            .skip(1)
            .all(|l| l.starts_with("checkout-api-")),
        "{}",
        by_label.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_missing_service_is_not_found() {
    let env = start(4, 200).await;
    let out = env.kubectl(&["get", "ksvc", "nope"]).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "Error from server (NotFound): services.serving.knative.dev \"nope\" not found"
        ),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_resources_lists_knative_kinds() {
    let env = start(1, 200).await;
    let out = env.kubectl(&["api-resources"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ksvc = out
        .stdout
        .lines()
        .find(|l| l.starts_with("services ") && l.contains("serving.knative.dev"))
        .unwrap();
    // The core group's Service (the ingress gateway's kind) is listed too.
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("services ") && l.contains("svc") && l.contains(" v1 "))
    );
    assert!(
        ksvc.contains("kservice,ksvc")
            && ksvc.contains("serving.knative.dev/v1")
            && ksvc.contains("Service")
    );
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("revisions ") && l.contains("rev"))
    );
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("namespaces ") && l.contains("false"))
    );
}

const SERVICE_JSON: &str = r#"{
  "apiVersion": "serving.knative.dev/v1",
  "kind": "Service",
  "metadata": {"name": "made-by-kubectl", "namespace": "default"},
  "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/demo:1.0.0"}]}}}
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_wait_ready_then_delete_collects_children() {
    let env = start(2, 300).await;
    let file = env.file("svc.json", SERVICE_JSON);
    let out = env.kubectl(&["create", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/made-by-kubectl created"
    );
    let wait = env
        .kubectl(&[
            "wait",
            "--for=condition=Ready",
            "ksvc/made-by-kubectl",
            "--timeout=20s",
        ])
        .await;
    assert_eq!(wait.code, 0, "{}", wait.stderr);
    assert!(wait.stdout.contains("condition met"));
    let get = env.kubectl(&["get", "ksvc", "made-by-kubectl"]).await;
    assert!(
        get.stdout.contains("made-by-kubectl-00001") && get.stdout.contains("True"),
        "{}",
        get.stdout
    );
    let rev = env
        .kubectl(&[
            "get",
            "rev",
            "made-by-kubectl-00001",
            "-o",
            "jsonpath={.metadata.labels.serving\\.knative\\.dev/service}",
        ])
        .await;
    assert_eq!(rev.stdout, "made-by-kubectl");

    let del = env.kubectl(&["delete", "ksvc", "made-by-kubectl"]).await;
    assert_eq!(del.code, 0, "{}", del.stderr);
    assert!(
        del.stdout
            .contains("service.serving.knative.dev \"made-by-kubectl\" deleted")
    );
    for kind in ["ksvc", "configuration", "route", "revision"] {
        let name = if kind == "revision" {
            "made-by-kubectl-00001"
        } else {
            "made-by-kubectl"
        };
        let gone = env.kubectl(&["get", kind, name]).await;
        assert_eq!(gone.code, 1, "{kind} still there: {}", gone.stdout);
        assert!(gone.stderr.contains("not found"), "{}", gone.stderr);
    }
    let pods = env
        .kubectl(&[
            "get",
            "pods",
            "-l",
            "serving.knative.dev/service=made-by-kubectl",
        ])
        .await;
    assert!(
        pods.stderr.contains("No resources found"),
        "{}{}",
        pods.stdout,
        pods.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_yaml_and_apply_changes_create_a_new_revision() {
    let env = start(1, 100).await;
    let yaml = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: applied\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/acme/applied:1\n";
    let file = env.file("svc.yaml", yaml);
    let out = env.kubectl(&["apply", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/applied created"
    );
    let file2 = env.file("svc2.yaml", &yaml.replace("applied:1", "applied:2"));
    let out = env.kubectl(&["apply", "-f", file2.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/applied configured"
    );
    let wait = env
        .kubectl(&[
            "wait",
            "-n",
            "shop",
            "--for=jsonpath={.status.latestReadyRevisionName}=applied-00002",
            "ksvc/applied",
            "--timeout=20s",
        ])
        .await;
    assert_eq!(wait.code, 0, "{}{}", wait.stdout, wait.stderr);
    let revs = env
        .kubectl(&[
            "get",
            "rev",
            "-n",
            "shop",
            "-l",
            "serving.knative.dev/service=applied",
            "-o",
            "name",
        ])
        .await;
    assert_eq!(
        revs.stdout.lines().collect::<Vec<_>>(),
        vec![
            "revision.serving.knative.dev/applied-00001",
            "revision.serving.knative.dev/applied-00002"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_strategic_on_crd_is_rejected_but_merge_works() {
    let env = start(1, 100).await;
    let ns = "default";
    let list = env.kubectl(&["get", "ksvc", "-n", ns, "-o", "name"]).await;
    let name = list
        .stdout
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("service.serving.knative.dev/")
        .to_string();
    let bad = env
        .kubectl(&[
            "patch",
            "ksvc",
            &name,
            "-p",
            r#"{"metadata":{"labels":{"a":"b"}}}"#,
        ])
        .await;
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .contains("the body of the request was in an unknown format"),
        "{}",
        bad.stderr
    );
    let ok = env
        .kubectl(&[
            "patch",
            "ksvc",
            &name,
            "--type=merge",
            "-p",
            r#"{"metadata":{"labels":{"a":"b"}}}"#,
        ])
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    // `kubectl create configmap` sends protobuf (trap 2); a manifest goes through the JSON path.
    let file = env.file(
        "cm.json",
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"k":"v"}}"#,
    );
    let cm = env.kubectl(&["create", "-f", file.to_str().unwrap()]).await;
    assert_eq!(cm.code, 0, "{}", cm.stderr);
    let sp = env
        .kubectl(&[
            "patch",
            "configmap",
            "c1",
            "-p",
            r#"{"data":{"k":null,"x":"y"}}"#,
        ])
        .await;
    assert_eq!(sp.code, 0, "{}", sp.stderr);
    let got = env
        .kubectl(&["get", "cm", "c1", "-o", "jsonpath={.data}"])
        .await;
    assert_eq!(got.stdout, r#"{"x":"y"}"#);
}

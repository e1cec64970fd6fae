//! CRDs and admission webhooks for the stack wizard, through the real kubectl: a CRD becomes
//! Established and serves its kind (and takes its objects along when deleted), and a registered
//! webhook refuses writes with the apiserver's error until its Deployment is available.
#![allow(clippy::unwrap_used)]

mod common;

use common::stack::{CRD, WIDGET, apply, start};
use common::{eventually, get, get_json};
use funcdeck_sandbox::Scenario;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crd_becomes_established_serves_its_kind_and_goes_with_its_objects() {
    let env = start(true, vec![]).await;
    let out = apply(&env, "crd.yaml", CRD).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env
        .kubectl(&[
            "wait",
            "--for=condition=Established",
            "crd/widgets.example.dev",
            "--timeout=20s",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let crd = get_json(
        env.addr(),
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev",
    )
    .await;
    let conds = crd["status"]["conditions"].as_array().unwrap();
    let c = |t: &str| conds.iter().find(|c| c["type"] == t).unwrap().clone();
    assert_eq!(
        (
            c("NamesAccepted")["reason"].as_str(),
            c("NamesAccepted")["message"].as_str()
        ),
        (Some("NoConflicts"), Some("no conflicts found"))
    );
    assert_eq!(c("Established")["reason"], "InitialNamesAccepted");
    assert_eq!(
        crd["status"]["storedVersions"],
        serde_json::json!(["v1beta1"])
    );
    let out = env
        .kubectl(&["api-resources", "--api-group=example.dev"])
        .await;
    assert!(
        out.stdout.contains("widgets") && out.stdout.contains("wd"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    let out = apply(&env, "w.yaml", WIDGET).await;
    assert_eq!(
        out.stdout.trim(),
        "widget.example.dev/w1 serverside-applied",
        "{}",
        out.stderr
    );
    let out = env.kubectl(&["get", "wd", "-n", "default"]).await;
    assert!(out.stdout.contains("w1"), "{}{}", out.stdout, out.stderr);
    // Served in both versions, stored once.
    let o = get_json(
        env.addr(),
        "/apis/example.dev/v1alpha1/namespaces/default/widgets/w1",
    )
    .await;
    assert_eq!(o["spec"]["size"], 3);
    let out = env.kubectl(&["delete", "crd", "widgets.example.dev"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    eventually(10, || async {
        let r = get(
            env.addr(),
            "/apis/example.dev/v1beta1/namespaces/default/widgets/w1",
        )
        .await;
        (r.status == 404).then_some(())
    })
    .await;
    let out = env
        .kubectl(&["api-resources", "--api-group=example.dev"])
        .await;
    assert!(!out.stdout.contains("widgets"), "{}", out.stdout);
    // Re-created, the old object does not come back.
    apply(&env, "crd.yaml", CRD).await;
    env.kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/widgets.example.dev",
        "--timeout=20s",
    ])
    .await;
    let out = env.kubectl(&["get", "widgets", "-A"]).await;
    assert!(
        out.stderr.contains("No resources found"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crd_with_a_mismatched_name_is_invalid() {
    let env = start(true, vec![]).await;
    let out = apply(
        &env,
        "bad.yaml",
        &CRD.replace("name: widgets.example.dev", "name: widgets.example.com"),
    )
    .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("The CustomResourceDefinition \"widgets.example.com\" is invalid: metadata.name: Invalid value: \"widgets.example.com\": must be spec.names.plural+\".\"+spec.group"),
        "{}",
        out.stderr
    );
}

const WEBHOOK: &str = "apiVersion: v1
kind: Namespace
metadata: {name: cert-manager}
---
apiVersion: v1
kind: Service
metadata: {name: cert-manager-webhook, namespace: cert-manager}
spec:
  selector: {app: webhook}
  ports: [{name: https, port: 443, targetPort: 10250}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: cert-manager-webhook}
webhooks:
- name: webhook.cert-manager.io
  admissionReviewVersions: [v1]
  sideEffects: None
  timeoutSeconds: 30
  failurePolicy: Fail
  rules: [{apiGroups: [example.dev], apiVersions: ['*'], operations: [CREATE, UPDATE], resources: ['*/*']}]
  clientConfig:
    service: {name: cert-manager-webhook, namespace: cert-manager, path: /validate}
";

const WEBHOOK_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: cert-manager-webhook, namespace: cert-manager}
spec:
  selector: {matchLabels: {app: webhook}}
  template:
    metadata: {labels: {app: webhook}}
    spec: {containers: [{name: webhook, image: quay.io/jetstack/cert-manager-webhook:v1.16.2}]}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_refuses_writes_until_its_deployment_is_available() {
    let s: Scenario = "webhook-not-ready=cert-manager/cert-manager-webhook"
        .parse()
        .unwrap();
    let env = start(true, vec![s.clone()]).await;
    apply(&env, "crd.yaml", CRD).await;
    env.kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/widgets.example.dev",
        "--timeout=20s",
    ])
    .await;
    let out = apply(&env, "hook.yaml", WEBHOOK).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = apply(&env, "w.yaml", WIDGET).await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("Internal error occurred: failed calling webhook \"webhook.cert-manager.io\": failed to call webhook: Post \"https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s\": dial tcp ")
            && out.stderr.contains(":443: connect: connection refused"),
        "{}",
        out.stderr
    );
    apply(&env, "d.yaml", WEBHOOK_DEPLOYMENT).await;
    // Its pod runs but never becomes ready: the webhook keeps refusing.
    eventually(10, || async {
        let l = get_json(env.addr(), "/api/v1/namespaces/cert-manager/pods").await;
        (l["items"][0]["status"]["phase"] == "Running").then_some(())
    })
    .await;
    let out = apply(&env, "w.yaml", WIDGET).await;
    assert!(out.stderr.contains("connection refused"), "{}", out.stderr);
    env.sandbox.control().end_scenario(&s);
    let out = env
        .kubectl(&[
            "wait",
            "--for=condition=Available",
            "deployment/cert-manager-webhook",
            "-n",
            "cert-manager",
            "--timeout=20s",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = apply(&env, "w.yaml", WIDGET).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

//! The Knative webhook as clients meet it: every validation message in knative/pkg's wire form
//! over raw HTTP and through the real `kubectl create -f` (exit 1, message printed), and the
//! defaults visible in `kubectl get -o yaml`.
#![allow(clippy::unwrap_used)]

mod common;

use common::{send_json, start};
use serde_json::{Value, json};

const PREFIX: &str = "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: ";
const DNS: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn ksvc(name: &str, template: Value, traffic: Option<Value>) -> Value {
    let mut o = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"}, "spec": {"template": template}});
    if let Some(t) = traffic {
        o["spec"]["traffic"] = t;
    }
    o
}

fn image() -> Value {
    json!({"spec": {"containers": [{"image": "ghcr.io/acme/hello:1"}]}})
}

/// (kind plural, object, expected message after the prefix)
fn cases() -> Vec<(&'static str, Value, String)> {
    vec![
        (
            "services",
            ksvc("sum", image(), Some(json!([{"latestRevision": true, "percent": 90}]))),
            "Traffic targets sum to 90, want 100: spec.traffic".into(),
        ),
        (
            "services",
            ksvc(
                "pinned",
                image(),
                Some(json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}])),
            ),
            "may not set revisionName \"hello-00001\" when latestRevision is true: spec.traffic[0].latestRevision".into(),
        ),
        (
            "services",
            ksvc("floating", image(), Some(json!([{"latestRevision": false, "percent": 100}]))),
            "may not set revisionName \"\" when latestRevision is false: spec.traffic[0].latestRevision".into(),
        ),
        (
            "services",
            ksvc(
                "cfgname",
                image(),
                Some(json!([{"configurationName": "other", "percent": 100}])),
            ),
            "must not set the field(s): spec.traffic[0].configurationName".into(),
        ),
        (
            "routes",
            json!({"apiVersion": "serving.knative.dev/v1", "kind": "Route", "metadata": {"name": "both", "namespace": "default"},
                "spec": {"traffic": [{"configurationName": "c", "revisionName": "c-00001", "percent": 100}]}}),
            "expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName".into(),
        ),
        (
            "services",
            ksvc("range", image(), Some(json!([{"latestRevision": true, "percent": 110}]))),
            "Traffic targets sum to 110, want 100: spec.traffic\nexpected 0 <= 110 <= 100: spec.traffic[0].percent".into(),
        ),
        (
            "services",
            ksvc(
                "dup",
                image(),
                Some(json!([
                    {"latestRevision": true, "percent": 100, "tag": "canary"},
                    {"revisionName": "dup-00001", "percent": 0, "tag": "canary"}
                ])),
            ),
            "Multiple definitions for \"canary\": spec.traffic[0].tag, spec.traffic[1].tag".into(),
        ),
        (
            "services",
            ksvc(
                "badtag",
                image(),
                Some(json!([{"latestRevision": true, "percent": 100, "tag": "Blue_1"}])),
            ),
            format!("invalid value: not a DNS 1035 label: [{DNS}]: spec.traffic[0].tag"),
        ),
        (
            "services",
            ksvc("nocontainers", json!({"spec": {}}), None),
            "missing field(s): spec.template.spec.containers".into(),
        ),
        (
            "services",
            ksvc("noimage", json!({"spec": {"containers": [{"name": "app"}]}}), None),
            "missing field(s): spec.template.spec.containers[0].image".into(),
        ),
        (
            "services",
            ksvc(
                "greet",
                json!({"metadata": {"name": "foo-v2"}, "spec": {"containers": [{"image": "x"}]}}),
                None,
            ),
            "invalid value: \"foo-v2\" must have prefix \"greet-\": spec.template.metadata.name".into(),
        ),
        (
            "services",
            ksvc(
                "url",
                image(),
                Some(json!([{"latestRevision": true, "percent": 100, "url": "http://x.default.svc.cluster.local"}])),
            ),
            "must not set the field(s): spec.traffic[0].url".into(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_validation_message_over_http_and_kubectl() {
    let env = start(1, 50).await;
    let a = env.addr();
    for (i, (plural, body, want)) in cases().into_iter().enumerate() {
        let path = format!("/apis/serving.knative.dev/v1/namespaces/default/{plural}");
        let r = send_json(a, "POST", &path, "application/json", &body).await;
        assert_eq!(r.status, 400, "{want}");
        let s = r.json();
        assert_eq!(s["kind"], "Status");
        assert_eq!(s["apiVersion"], "v1");
        assert_eq!(s["status"], "Failure");
        assert_eq!(s["reason"], "BadRequest");
        assert_eq!(s["code"], 400);
        assert_eq!(s["message"], format!("{PREFIX}{want}"));

        let file = env.file(&format!("case{i}.json"), &body.to_string());
        let out = env.kubectl(&["create", "-f", file.to_str().unwrap()]).await;
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(
            out.stderr.contains("Error from server (BadRequest)"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains(&format!("{PREFIX}{want}")),
            "want {want:?} in:\n{}",
            out.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn byo_name_kept_with_changed_template_is_refused_with_a_diff() {
    let env = start(1, 50).await;
    let a = env.addr();
    let base = "/apis/serving.knative.dev/v1/namespaces/default/services";
    let body = ksvc(
        "greet",
        json!({"metadata": {"name": "greet-blue"}, "spec": {"containers": [{"image": "ghcr.io/acme/hello:1"}]}}),
        None,
    );
    assert_eq!(
        send_json(a, "POST", base, "application/json", &body)
            .await
            .status,
        201
    );
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/hello:2"}]}}}});
    let r = send_json(
        a,
        "PATCH",
        &format!("{base}/greet"),
        "application/merge-patch+json",
        &patch,
    )
    .await;
    assert_eq!(r.status, 400);
    let want = format!(
        "{PREFIX}Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{{*v1.RevisionTemplateSpec}}.spec.containers[0].image:\n\t-: \"ghcr.io/acme/hello:1\"\n\t+: \"ghcr.io/acme/hello:2\""
    );
    assert_eq!(r.json()["message"], want);
    let out = env
        .kubectl(&[
            "patch",
            "ksvc",
            "greet",
            "--type",
            "merge",
            "-p",
            &patch.to_string(),
        ])
        .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("Saw the following changes without a name change (-old +new): spec.template.metadata.name"),
        "{}",
        out.stderr
    );
    // Changing the name with the template is fine.
    let renamed = json!({"spec": {"template": {"metadata": {"name": "greet-green"}, "spec": {"containers": [{"image": "ghcr.io/acme/hello:2"}]}}}});
    let r = send_json(
        a,
        "PATCH",
        &format!("{base}/greet"),
        "application/merge-patch+json",
        &renamed,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_are_visible_in_kubectl_get_yaml() {
    let env = start(1, 50).await;
    let body = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "defaults", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/a:1"}, {"image": "ghcr.io/acme/b:1"}]}},
                 "traffic": [{"latestRevision": true, "percent": 100}, {"revisionName": "defaults-00001", "tag": "prev"}]}});
    let file = env.file("defaults.json", &body.to_string());
    let out = env.kubectl(&["create", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let y = env
        .kubectl(&["get", "ksvc", "defaults", "-o", "yaml"])
        .await;
    assert_eq!(y.code, 0, "{}", y.stderr);
    for want in [
        "name: user-container-0",
        "name: user-container-1",
        "timeoutSeconds: 300",
        "containerConcurrency: 0",
        "enableServiceLinks: false",
        "successThreshold: 1",
        "tcpSocket:",
        "port: 0",
        "serving.knative.dev/creator: ",
        "serving.knative.dev/lastModifier: ",
        "latestRevision: false",
        "percent: 0",
    ] {
        assert!(y.stdout.contains(want), "{want} missing:\n{}", y.stdout);
    }
    let creator = y
        .stdout
        .lines()
        .find(|l| l.contains("serving.knative.dev/creator:"))
        .unwrap();
    assert!(!creator.trim().ends_with(':'), "{creator}");
}

//! A pod the ResourceQuota refuses, reported the way a real cluster does: a `FailedCreate`
//! Warning from `replicaset-controller` on the ReplicaSet carrying the quota's exact Forbidden
//! message, `ReplicaFailure` on the ReplicaSet and the Deployment, and the Revision's
//! ResourcesAvailable/Ready False with that reason and message (Knative's
//! `PropagateDeploymentStatus`). Raising the quota lets the pod in and clears it all.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, eventually, get_json, send_json, try_get_json};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

const NS: &str = "tight";

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 1,
        ready_delay: Duration::from_millis(100),
        tick: Duration::from_millis(50),
        cold_start: Duration::from_millis(100),
        ..SandboxConfig::default()
    };
    Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    }
}

fn condition<'a>(o: &'a Value, t: &str) -> Option<&'a Value> {
    o["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == t)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_refusal_is_a_failed_create_on_the_replicaset_and_fails_the_revision() {
    let env = start().await;
    let a = env.addr();
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}});
    let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "one-pod"},
        "spec": {"hard": {"pods": "1"}}});
    let ksvc = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "wide"},
        "spec": {"template": {"metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "2"}},
                 "spec": {"containers": [{"image": "ghcr.io/acme/wide:1"}]}}}});
    for (path, body) in [
        ("/api/v1/namespaces".to_string(), ns),
        (format!("/api/v1/namespaces/{NS}/resourcequotas"), quota),
        (
            format!("/apis/serving.knative.dev/v1/namespaces/{NS}/services"),
            ksvc,
        ),
    ] {
        let r = send_json(a, "POST", &path, "application/json", &body).await;
        assert_eq!(
            r.status,
            201,
            "{path}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }

    let rev_path = format!("/apis/serving.knative.dev/v1/namespaces/{NS}/revisions/wide-00001");
    let rev = eventually(10, || async {
        let r = try_get_json(a, &rev_path).await?;
        (condition(&r, "Ready")?["reason"] == "FailedCreate").then_some(r)
    })
    .await;

    // The event, as `kubectl get events` lists it.
    let out = env
        .kubectl(&[
            "get",
            "events",
            "-n",
            NS,
            "--field-selector",
            "reason=FailedCreate",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events: Value = serde_json::from_str(&out.stdout).unwrap();
    let ev = &events["items"][0];
    assert_eq!(ev["type"], "Warning");
    assert_eq!(ev["source"]["component"], "replicaset-controller");
    assert_eq!(ev["involvedObject"]["kind"], "ReplicaSet");
    let rs_name = ev["involvedObject"]["name"].as_str().unwrap();
    assert!(rs_name.starts_with("wide-00001-deployment-"), "{rs_name}");
    let msg = ev["message"].as_str().unwrap();
    let pod = msg
        .strip_prefix("Error creating: pods \"")
        .and_then(|m| m.split_once('"'))
        .map(|(p, _)| p)
        .unwrap_or_else(|| panic!("{msg}"));
    assert!(pod.starts_with(&format!("{rs_name}-")), "{msg}");
    let forbidden = format!(
        "pods \"{pod}\" is forbidden: exceeded quota: one-pod, requested: pods=1, used: pods=1, limited: pods=1"
    );
    assert_eq!(msg, format!("Error creating: {forbidden}"));

    // ReplicaFailure on the ReplicaSet and on the Deployment.
    let rs = get_json(
        a,
        &format!("/apis/apps/v1/namespaces/{NS}/replicasets/{rs_name}"),
    )
    .await;
    let c = condition(&rs, "ReplicaFailure").unwrap();
    assert_eq!(
        (&c["status"], &c["reason"], &c["message"]),
        (&json!("True"), &json!("FailedCreate"), &json!(forbidden))
    );
    assert_eq!(rs["status"]["replicas"], 1);
    let d = get_json(
        a,
        &format!("/apis/apps/v1/namespaces/{NS}/deployments/wide-00001-deployment"),
    )
    .await;
    let c = condition(&d, "ReplicaFailure").unwrap();
    assert_eq!(
        (&c["status"], &c["reason"]),
        (&json!("True"), &json!("FailedCreate"))
    );
    assert_eq!(c["message"], forbidden.as_str());

    // The revision says so, on ResourcesAvailable and Ready.
    for t in ["ResourcesAvailable", "Ready"] {
        let c = condition(&rev, t).unwrap();
        assert_eq!(
            (&c["status"], &c["reason"], &c["message"]),
            (&json!("False"), &json!("FailedCreate"), &json!(forbidden)),
            "{t}"
        );
    }

    // Room for a second pod: the replica set controller gets it in, and the failure clears.
    let r = send_json(
        a,
        "PATCH",
        &format!("/api/v1/namespaces/{NS}/resourcequotas/one-pod"),
        "application/merge-patch+json",
        &json!({"spec": {"hard": {"pods": "2"}}}),
    )
    .await;
    assert_eq!(r.status, 200);
    eventually(10, || async {
        let r = try_get_json(a, &rev_path).await?;
        (condition(&r, "Ready")?["status"] == "True").then_some(())
    })
    .await;
    let rs_path = format!("/apis/apps/v1/namespaces/{NS}/replicasets/{rs_name}");
    let rs = eventually(10, || async {
        let rs = get_json(a, &rs_path).await;
        (rs["status"]["readyReplicas"] == 2).then_some(rs)
    })
    .await;
    assert!(condition(&rs, "ReplicaFailure").is_none(), "{rs}");
}

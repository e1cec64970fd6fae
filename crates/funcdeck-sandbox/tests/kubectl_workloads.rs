//! The workloads under a Knative revision as the real kubectl sees them: Revision → Deployment
//! → ReplicaSet → pods with upstream's names, labels and ownerReferences, `apps/v1` served
//! like any resource (discovery, tables, watch, RBAC), and a deleted Service garbage-collected
//! down to its pods.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use common::{Env, columns, eventually, get_json, request, send_json, svc, try_get_json, watch};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const APPS: &str = "/apis/apps/v1/namespaces/default";

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

fn owner(o: &Value) -> (String, String, String) {
    let r = &o["metadata"]["ownerReferences"][0];
    assert_eq!(r["controller"], true, "{r}");
    assert_eq!(r["blockOwnerDeletion"], true, "{r}");
    (
        r["kind"].as_str().unwrap().to_string(),
        r["name"].as_str().unwrap().to_string(),
        r["uid"].as_str().unwrap().to_string(),
    )
}

fn yaml(out: &str) -> Value {
    serde_saphyr::from_str(out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revision_owns_deployment_owns_replicaset_owns_pods_and_gc_takes_them_all() {
    let env = start().await;
    let a = env.addr();
    let mut w = watch(a, &format!("{APPS}/deployments?watch=true"), &[]).await;
    assert_eq!(w.status, 200);
    let mut kubectl_watch =
        env.kubectl_spawn(&["get", "rs", "-n", "default", "-w", "--output-watch-events"]);
    let stdout = kubectl_watch.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let head = rx.recv_timeout(Duration::from_secs(10)).expect("header");
    assert!(
        head.starts_with("EVENT") && head.contains("DESIRED"),
        "{head}"
    );
    let r = send_json(
        a,
        "POST",
        "/apis/serving.knative.dev/v1/namespaces/default/services",
        "application/json",
        &svc("chain", "ghcr.io/acme/chain:1"),
    )
    .await;
    assert_eq!(r.status, 201);
    let added = loop {
        let ev = w
            .next(Duration::from_secs(10))
            .await
            .expect("a deployment is added");
        if ev["type"] == "ADDED" && ev["object"]["metadata"]["name"] == "chain-00001-deployment" {
            break ev;
        }
    };
    assert_eq!(added["object"]["kind"], "Deployment");
    let rs_added = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("kubectl -w shows the new replica set");
        if line.starts_with("ADDED") && line.contains("chain-00001-deployment-") {
            break line;
        }
    };
    let _ = kubectl_watch.kill();
    let _ = kubectl_watch.wait();
    assert!(rs_added.split_whitespace().count() >= 6, "{rs_added}");

    let line = eventually(10, || async {
        let out = env
            .kubectl(&["get", "deploy,rs,pods", "-n", "default"])
            .await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
            .lines()
            .any(|l| {
                l.starts_with("deployment.apps/chain-00001-deployment ") && l.contains(" 1/1 ")
            })
            .then_some(out.stdout)
    })
    .await;
    let rs_line = line
        .lines()
        .find(|l| l.starts_with("replicaset.apps/chain-00001-deployment-"))
        .unwrap();
    let rs_name = rs_line
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("replicaset.apps/");
    assert_eq!(
        rs_line
            .split_whitespace()
            .skip(1)
            .take(3)
            .collect::<Vec<_>>(),
        ["1", "1", "1"],
        "DESIRED CURRENT READY: {line}"
    );
    let pod_line = line
        .lines()
        .find(|l| l.starts_with(&format!("pod/{rs_name}-")))
        .unwrap_or_else(|| panic!("a pod named after its ReplicaSet: {line}"));
    let pod_name = pod_line
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("pod/");

    // The owner chain, read back with `kubectl get -o yaml`.
    let out = env
        .kubectl(&["get", "pod", pod_name, "-n", "default", "-o", "yaml"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pod = yaml(&out.stdout);
    let hash = rs_name.rsplit('-').next().unwrap();
    assert_eq!(pod["metadata"]["labels"]["pod-template-hash"], hash);
    assert_eq!(pod["metadata"]["labels"]["app"], "chain-00001");
    assert_eq!(
        pod["metadata"]["labels"]["serving.knative.dev/revision"],
        "chain-00001"
    );
    assert_eq!(
        pod["metadata"]["labels"]["serving.knative.dev/service"],
        "chain"
    );
    let (kind, name, rs_uid) = owner(&pod);
    assert_eq!((kind.as_str(), name.as_str()), ("ReplicaSet", rs_name));

    let out = env
        .kubectl(&["get", "rs", rs_name, "-n", "default", "-o", "yaml"])
        .await;
    let rs = yaml(&out.stdout);
    assert_eq!(rs["metadata"]["uid"], rs_uid.as_str());
    assert_eq!(rs["metadata"]["labels"]["pod-template-hash"], hash);
    assert_eq!(
        rs["spec"]["selector"]["matchLabels"]["pod-template-hash"],
        hash
    );
    assert_eq!(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"],
        "1"
    );
    let (kind, name, d_uid) = owner(&rs);
    assert_eq!(
        (kind.as_str(), name.as_str()),
        ("Deployment", "chain-00001-deployment")
    );

    let out = env
        .kubectl(&[
            "get",
            "deploy",
            "chain-00001-deployment",
            "-n",
            "default",
            "-o",
            "yaml",
        ])
        .await;
    let d = yaml(&out.stdout);
    assert_eq!(d["metadata"]["uid"], d_uid.as_str());
    let rev = get_json(
        a,
        "/apis/serving.knative.dev/v1/namespaces/default/revisions/chain-00001",
    )
    .await;
    let (kind, name, rev_uid) = owner(&d);
    assert_eq!((kind.as_str(), name.as_str()), ("Revision", "chain-00001"));
    assert_eq!(rev["metadata"]["uid"], rev_uid.as_str());
    for (k, v) in [
        ("serving.knative.dev/service", "chain"),
        ("serving.knative.dev/configuration", "chain"),
        ("serving.knative.dev/revision", "chain-00001"),
        ("serving.knative.dev/revisionUID", rev_uid.as_str()),
        ("app", "chain-00001"),
    ] {
        assert_eq!(d["metadata"]["labels"][k], v, "{k}");
    }
    assert_eq!(
        d["spec"]["selector"]["matchLabels"]["serving.knative.dev/revisionUID"],
        rev_uid.as_str()
    );
    assert_eq!(d["spec"]["replicas"], 1);
    assert_eq!(d["status"]["readyReplicas"], 1);
    assert_eq!(d["status"]["availableReplicas"], 1);
    let conds: Vec<(String, String, String)> = d["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
                c["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        conds,
        [
            (
                "Available".into(),
                "True".into(),
                "MinimumReplicasAvailable".into()
            ),
            (
                "Progressing".into(),
                "True".into(),
                "NewReplicaSetAvailable".into()
            ),
        ]
    );
    let events = env
        .kubectl(&[
            "get",
            "events",
            "-n",
            "default",
            "--field-selector",
            "involvedObject.kind=ReplicaSet",
            "-o",
            "json",
        ])
        .await;
    assert!(
        events.stdout.contains(&format!("Created pod: {pod_name}")),
        "{}",
        events.stdout
    );

    // Deleting the Service collects the whole tree.
    let out = env
        .kubectl(&["delete", "ksvc", "chain", "-n", "default"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    for path in [
        format!("{APPS}/deployments/chain-00001-deployment"),
        format!("{APPS}/replicasets/{rs_name}"),
        format!("/api/v1/namespaces/default/pods/{pod_name}"),
    ] {
        eventually(10, || async {
            try_get_json(a, &path).await.is_none().then_some(())
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_v1_is_discovered_tabled_and_governed_by_rbac() {
    let env = start().await;
    let out = env.kubectl(&["api-resources", "--api-group=apps"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
            vec!["deployments", "deploy", "apps/v1", "true", "Deployment"],
            vec!["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
            vec!["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
        ]
    );
    // Legacy discovery too (what older clients and kube's discovery read).
    let list = get_json(env.addr(), "/apis/apps/v1").await;
    assert_eq!(list["groupVersion"], "apps/v1");
    let names: Vec<&str> = list["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "deployments",
            "deployments/status",
            "replicasets",
            "replicasets/status",
            "statefulsets",
            "statefulsets/status",
            "daemonsets",
            "daemonsets/status"
        ]
    );

    let out = env.kubectl(&["get", "deploy", "-A"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        columns(&out.stdout),
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"
        ]
    );
    let out = env.kubectl(&["get", "rs", "-A", "-o", "wide"]).await;
    assert_eq!(
        columns(&out.stdout),
        [
            "NAMESPACE",
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "AGE",
            "CONTAINERS",
            "IMAGES",
            "SELECTOR"
        ]
    );
    assert!(out.stdout.lines().count() > 1, "the seed has replica sets");

    // The platform admin reads and changes workloads; the viewer persona (funcdeck-viewer
    // reads functions, pods and events, not Deployments) and a user bound to nothing cannot.
    let can = |user: &'static str, verb: &'static str| {
        let env = &env;
        async move {
            let mut args = vec!["auth", "can-i", verb, "deployments.apps", "-n", "shop"];
            if user == "alice" {
                args.extend(["--as", user, "--as-group", "platform-admins"]);
            } else {
                args.extend(["--as", user]);
            }
            env.kubectl(&args).await.stdout.trim().to_string()
        }
    };
    assert_eq!(can("alice", "list").await, "yes");
    assert_eq!(can("viewer", "list").await, "no");
    assert_eq!(can("dev", "delete").await, "no");
    let r = request(
        env.addr(),
        "GET",
        "/apis/apps/v1/namespaces/shop/replicasets",
        &[("Impersonate-User", "nobody")],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "replicasets.apps is forbidden: User \"nobody\" cannot list resource \"replicasets\" in API group \"apps\" in the namespace \"shop\""
    );
}

//! The simulated Knative controllers over HTTP: revision names from the Configuration's
//! generation (traffic-only edits make none; long names are md5-truncated like kmeta.ChildName),
//! tags with their own URLs, and the condition reasons of each failure mode.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{eventually, get, get_json, ready, request, send_json, start, try_get_json, watch};
use serde_json::{Value, json};

const K: &str = "/apis/serving.knative.dev/v1/namespaces/default";

fn svc(name: &str, image: &str) -> Value {
    json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}})
}

fn cond<'a>(o: &'a Value, t: &str) -> &'a Value {
    o["status"]["conditions"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["type"] == t))
        .unwrap_or(&Value::Null)
}

async fn create(a: std::net::SocketAddr, plural: &str, body: &Value) {
    let r = send_json(
        a,
        "POST",
        &format!("{K}/{plural}"),
        "application/json",
        body,
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}

async fn patch(a: std::net::SocketAddr, path: &str, body: Value) {
    let r = send_json(
        a,
        "PATCH",
        &format!("{K}/{path}"),
        "application/merge-patch+json",
        &body,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

/// Waits until `path` has observed its generation and its Ready status is `status`.
async fn settled(a: std::net::SocketAddr, path: &str, status: &str) -> Value {
    let path = format!("{K}/{path}");
    eventually(10, || async {
        let o = try_get_json(a, &path).await?;
        let observed = o["status"]["observedGeneration"] == o["metadata"]["generation"];
        (observed && ready(&o).is_some_and(|(s, _)| s == status)).then_some(o)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revision_names_follow_configuration_generation_and_tags_get_urls() {
    let env = start(1, 100).await;
    let a = env.addr();
    create(a, "services", &svc("names", "ghcr.io/acme/names:1")).await;
    settled(a, "services/names", "True").await;
    // Traffic-only edit: Service generation 2, no new revision, a tag URL.
    patch(
        a,
        "services/names",
        json!({"spec": {"traffic": [
        {"latestRevision": true, "percent": 100},
        {"revisionName": "names-00001", "percent": 0, "tag": "prev"}]}}),
    )
    .await;
    let s = eventually(10, || async {
        let o = get_json(a, &format!("{K}/services/names")).await;
        let done = o["status"]["observedGeneration"] == 2
            && ready(&o).is_some_and(|(s, _)| s == "True")
            && o["status"]["traffic"]
                .as_array()
                .is_some_and(|t| t.len() == 2);
        done.then_some(o)
    })
    .await;
    assert_eq!(s["metadata"]["generation"], 2);
    assert_eq!(
        s["status"]["traffic"],
        json!([
            {"revisionName": "names-00001", "latestRevision": true, "percent": 100},
            {"revisionName": "names-00001", "latestRevision": false, "percent": 0, "tag": "prev",
             "url": "http://prev-names.default.svc.cluster.local"}
        ])
    );
    assert_eq!(
        get(a, &format!("{K}/revisions/names-00002")).await.status,
        404
    );
    let cfg = get_json(a, &format!("{K}/configurations/names")).await;
    assert_eq!(cfg["metadata"]["generation"], 1);
    // Template edit: Configuration generation 2 → names-00002 while the Service is at 3.
    patch(a, "services/names", json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/names:2"}]}}}})).await;
    let s = settled(a, "services/names", "True").await;
    assert_eq!(s["metadata"]["generation"], 3);
    assert_eq!(s["status"]["latestReadyRevisionName"], "names-00002");
    let rev = get_json(a, &format!("{K}/revisions/names-00002")).await;
    assert_eq!(
        rev["metadata"]["labels"]["serving.knative.dev/configurationGeneration"],
        "2"
    );
    assert_eq!(
        rev["metadata"]["ownerReferences"][0]["kind"],
        "Configuration"
    );
    let digest = rev["status"]["containerStatuses"][0]["imageDigest"]
        .as_str()
        .unwrap();
    assert!(digest.starts_with("ghcr.io/acme/names@sha256:"), "{digest}");
    let out = env.kubectl(&["get", "revisions", "-n", "default"]).await;
    assert!(
        out.stdout.contains("names-00001") && out.stdout.contains("names-00002"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_names_are_truncated_with_md5_like_kmeta_child_name() {
    let env = start(1, 50).await;
    let a = env.addr();
    let name = format!("long-{}", "x".repeat(55));
    create(a, "services", &svc(&name, "ghcr.io/acme/long:1")).await;
    let s = settled(a, &format!("services/{name}"), "True").await;
    let md5 = std::process::Command::new("md5sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(name.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let hex = String::from_utf8(md5.stdout).unwrap()[..32].to_string();
    let want = format!("{}{hex}-00001", &name[..25]);
    assert_eq!(want.len(), 63);
    assert_eq!(s["status"]["latestCreatedRevisionName"], want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditions_for_each_failure_mode() {
    let env = start(1, 100).await;
    let a = env.addr();
    // Healthy: route conditions, TLS off, Active is informational.
    create(a, "services", &svc("fine", "ghcr.io/acme/fine:1")).await;
    settled(a, "services/fine", "True").await;
    let route = get_json(a, &format!("{K}/routes/fine")).await;
    let cert = cond(&route, "CertificateProvisioned");
    assert_eq!(
        (cert["status"].as_str(), cert["reason"].as_str()),
        (Some("True"), Some("TLSNotEnabled"))
    );
    assert_eq!(cond(&route, "IngressReady")["status"], "True");
    let rev = get_json(a, &format!("{K}/revisions/fine-00001")).await;
    assert_eq!(cond(&rev, "Active")["severity"], "Info");
    assert!(cond(&rev, "Ready").get("severity").is_none());
    assert_eq!(rev["status"]["desiredReplicas"], 1);
    assert_eq!(rev["status"]["actualReplicas"], 1);

    // Unresolvable image: ContainerMissing → RevisionFailed → RevisionMissing.
    create(
        a,
        "services",
        &svc("missing", "ghcr.io/acme/does-not-exist:1"),
    )
    .await;
    let s = settled(a, "services/missing", "False").await;
    assert_eq!(ready(&s).unwrap().1, "RevisionMissing");
    assert_eq!(cond(&s, "ConfigurationsReady")["reason"], "RevisionFailed");
    let rev = get_json(a, &format!("{K}/revisions/missing-00001")).await;
    assert_eq!(cond(&rev, "ContainerHealthy")["reason"], "ContainerMissing");
    let route = get_json(a, &format!("{K}/routes/missing")).await;
    let ata = cond(&route, "AllTrafficAssigned");
    assert_eq!(
        (ata["status"].as_str(), ata["reason"].as_str()),
        (Some("False"), Some("RevisionMissing"))
    );

    // Crashing image: ExitCode1, and the initial scale never achieved.
    create(a, "services", &svc("crash", "ghcr.io/acme/crash:crashloop")).await;
    settled(a, "services/crash", "False").await;
    let rev = get_json(a, &format!("{K}/revisions/crash-00001")).await;
    assert_eq!(ready(&rev).unwrap(), ("False".into(), "ExitCode1".into()));
    assert!(
        cond(&rev, "ContainerHealthy")["message"]
            .as_str()
            .unwrap()
            .starts_with("Container failed with: ")
    );
    assert_eq!(
        cond(&rev, "ResourcesAvailable")["reason"],
        "ProgressDeadlineExceeded"
    );
    assert_eq!(
        cond(&rev, "ResourcesAvailable")["message"],
        "Initial scale was never achieved"
    );

    // A route to a configuration that does not exist.
    create(a, "routes", &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Route", "metadata": {"name": "lost"},
        "spec": {"traffic": [{"configurationName": "ghost", "percent": 100}]}})).await;
    let r = settled(a, "routes/lost", "False").await;
    let ata = cond(&r, "AllTrafficAssigned");
    assert_eq!(ata["reason"], "ConfigurationMissing");
    assert_eq!(
        ata["message"],
        "Configuration \"ghost\" referenced in traffic not found."
    );

    // A same-named Configuration owned by nobody: NotOwned.
    create(a, "configurations", &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Configuration",
        "metadata": {"name": "orphan"}, "spec": {"template": {"spec": {"containers": [{"image": "x/y:1"}]}}}})).await;
    create(a, "services", &svc("orphan", "x/y:1")).await;
    let s = eventually(10, || async {
        let o = get_json(a, &format!("{K}/services/orphan")).await;
        (cond(&o, "ConfigurationsReady")["reason"] == "NotOwned").then_some(o)
    })
    .await;
    assert_eq!(ready(&s).unwrap(), ("False".into(), "NotOwned".into()));

    // A BYO revision name taken by a revision we do not own.
    create(
        a,
        "revisions",
        &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Revision",
        "metadata": {"name": "taken-blue"}, "spec": {"containers": [{"image": "x/other:1"}]}}),
    )
    .await;
    create(a, "services", &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "taken"},
        "spec": {"template": {"metadata": {"name": "taken-blue"}, "spec": {"containers": [{"image": "x/taken:1"}]}}}})).await;
    let s = eventually(10, || async {
        let o = get_json(a, &format!("{K}/services/taken")).await;
        (cond(&o, "RoutesReady")["reason"] == "RevisionNameTaken").then_some(o)
    })
    .await;
    assert_eq!(
        cond(&s, "RoutesReady")["message"],
        "The revision name \"taken-blue\" is taken by a conflicting Revision, so traffic will not be migrated"
    );
    let c = get_json(a, &format!("{K}/configurations/taken")).await;
    assert_eq!(
        ready(&c).unwrap(),
        ("False".into(), "RevisionFailed".into())
    );

    // The latest ready revision deleted while the newest one fails: RevisionDeleted.
    patch(a, "services/fine", json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/fine:crashloop"}]}}}})).await;
    settled(a, "configurations/fine", "False").await;
    let d = request(a, "DELETE", &format!("{K}/revisions/fine-00001"), &[], b"").await;
    assert_eq!(d.status, 200);
    let c = eventually(10, || async {
        let o = get_json(a, &format!("{K}/configurations/fine")).await;
        (ready(&o).is_some_and(|(_, r)| r == "RevisionDeleted")).then_some(o)
    })
    .await;
    assert_eq!(
        cond(&c, "Ready")["message"],
        "Revision \"fine-00001\" was deleted."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_route_generation_is_ingress_not_configured_first() {
    let env = start(1, 500).await;
    let a = env.addr();
    let mut w = watch(
        a,
        &format!("{K}/routes?watch=true&fieldSelector=metadata.name%3Dingress"),
        &[],
    )
    .await;
    create(a, "services", &svc("ingress", "ghcr.io/acme/ingress:1")).await;
    let mut seen_unknown = false;
    let mut seen_true = false;
    while let Some(ev) = w.next(Duration::from_secs(5)).await {
        let ing = cond(&ev["object"], "IngressReady");
        if ing["reason"] == "IngressNotConfigured" && ing["status"] == "Unknown" {
            seen_unknown = true;
        }
        if ing["status"] == "True" {
            seen_true = seen_unknown;
            break;
        }
    }
    assert!(seen_unknown && seen_true, "IngressNotConfigured then True");
}

//! The simulated Knative controllers end to end over HTTP: defaulting, Deploying → Ready,
//! failed revisions keeping traffic on the old one, never-ready images, garbage collection,
//! deterministic seeding.
#![allow(clippy::unwrap_used)]

mod common;

use common::{eventually, get, get_json, ready, request, send_json, start, try_get_json};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";

#[tokio::test]
async fn knative_controller_transitions() {
    let env = start(1, 150).await;
    let a = env.addr();
    let svc = |name: &str, image: &str| {
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}})
    };
    let base = format!("{KSVC}/namespaces/shop/services");
    let created = send_json(
        a,
        "POST",
        &base,
        "application/json",
        &svc("good", "ghcr.io/acme/good:1"),
    )
    .await;
    assert_eq!(created.status, 201);
    let c = created.json();
    assert_eq!(
        c["spec"]["template"]["spec"]["containers"][0]["name"],
        "user-container"
    );
    assert_eq!(c["spec"]["template"]["spec"]["timeoutSeconds"], 300);
    assert_eq!(
        c["spec"]["traffic"],
        json!([{"latestRevision": true, "percent": 100}])
    );
    // Unknown/Deploying first, then Ready.
    let first = eventually(5, || async {
        let o = get_json(a, &format!("{base}/good")).await;
        ready(&o).filter(|(s, _)| s == "Unknown").map(|_| o)
    })
    .await;
    assert_eq!(first["metadata"]["name"], "good");
    let rev = eventually(5, || async {
        let r = try_get_json(a, &format!("{KSVC}/namespaces/shop/revisions/good-00001")).await?;
        ready(&r)
            .filter(|(s, r)| s == "Unknown" && r == "Deploying")
            .map(|_| r)
    })
    .await;
    assert_eq!(
        rev["metadata"]["labels"]["serving.knative.dev/configurationGeneration"],
        "1"
    );
    let good = eventually(5, || async {
        let o = get_json(a, &format!("{base}/good")).await;
        ready(&o).filter(|(s, _)| s == "True").map(|_| o)
    })
    .await;
    assert_eq!(
        good["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "good-00001"}])
    );
    assert_eq!(good["status"]["url"], "http://good.shop.svc.cluster.local");
    let types: Vec<&str> = good["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["ConfigurationsReady", "Ready", "RoutesReady"]);
    // A crashing new revision keeps traffic on the old one.
    let p = send_json(a, "PATCH", &format!("{base}/good"), "application/merge-patch+json",
        &json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/good:crashloop"}]}}}})).await;
    assert_eq!(p.status, 200);
    let broken = eventually(5, || async {
        let o = get_json(a, &format!("{base}/good")).await;
        ready(&o).filter(|(s, _)| s == "False").map(|_| o)
    })
    .await;
    assert_eq!(broken["status"]["latestCreatedRevisionName"], "good-00002");
    assert_eq!(broken["status"]["latestReadyRevisionName"], "good-00001");
    assert_eq!(broken["status"]["traffic"][0]["revisionName"], "good-00001");
    assert_eq!(ready(&broken).unwrap().1, "RevisionFailed");
    let r2 = get_json(a, &format!("{KSVC}/namespaces/shop/revisions/good-00002")).await;
    assert_eq!(
        ready(&r2).unwrap(),
        ("False".to_string(), "ExitCode1".to_string())
    );
    // A service whose image never resolves.
    assert_eq!(
        send_json(
            a,
            "POST",
            &base,
            "application/json",
            &svc("bad", "registry.acme.dev/does-not-exist/x:1")
        )
        .await
        .status,
        201
    );
    let bad = eventually(5, || async {
        let o = get_json(a, &format!("{base}/bad")).await;
        ready(&o).filter(|(s, _)| s == "False").map(|_| o)
    })
    .await;
    assert_eq!(ready(&bad).unwrap().1, "RevisionMissing");
    let conds = bad["status"]["conditions"].as_array().unwrap();
    assert_eq!(conds[0]["reason"], "RevisionFailed");
    assert!(
        conds[0]["message"]
            .as_str()
            .unwrap()
            .contains("Unable to fetch image \"registry.acme.dev/does-not-exist/x:1\"")
    );
    assert_eq!(
        conds[1]["message"],
        "Configuration \"bad\" does not have any ready Revision."
    );
    // Deleting the service removes its children.
    let d = request(
        a,
        "DELETE",
        &format!("{base}/good"),
        &[("Content-Type", "application/json")],
        br#"{"propagationPolicy":"Background"}"#,
    )
    .await;
    assert_eq!(d.status, 200);
    assert_eq!(d.json()["details"]["group"], "serving.knative.dev");
    for p in [
        "configurations/good",
        "routes/good",
        "revisions/good-00001",
        "revisions/good-00002",
    ] {
        assert_eq!(
            get(a, &format!("{KSVC}/namespaces/shop/{p}")).await.status,
            404,
            "{p}"
        );
    }
    let pods = get_json(
        a,
        "/api/v1/namespaces/shop/pods?labelSelector=serving.knative.dev%2Fservice%3Dgood",
    )
    .await;
    assert_eq!(pods["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn same_seed_same_content_and_namespace_delete_cascades() {
    let a = start(24, 100).await;
    let b = start(24, 100).await;
    let names = |v: &Value| -> Vec<(String, String, String)> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["metadata"]["name"].as_str().unwrap().to_string(),
                    i["status"]["latestCreatedRevisionName"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    ready(i).map(|r| r.0).unwrap_or_default(),
                )
            })
            .collect()
    };
    let la = get_json(a.addr(), &format!("{KSVC}/services")).await;
    let lb = get_json(b.addr(), &format!("{KSVC}/services")).await;
    assert_eq!(names(&la), names(&lb));
    let d = request(a.addr(), "DELETE", "/api/v1/namespaces/shop", &[], b"").await;
    assert_eq!(d.status, 200);
    let left = get_json(a.addr(), &format!("{KSVC}/namespaces/shop/services")).await;
    assert_eq!(left["items"].as_array().unwrap().len(), 0);
    assert_eq!(get(a.addr(), "/api/v1/namespaces/shop").await.status, 404);
    a.sandbox.shutdown().await;
}

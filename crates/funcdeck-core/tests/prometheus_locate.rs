//! Finding Prometheus through the sandbox's API server: what is tried, in order, and why each
//! failed; a persona that may not list Services is told "forbidden", never a panic or a hang.

mod common;

use funcdeck_core::backend::{Backend, BackendError, EndpointConfig};
use funcdeck_core::cluster::{ClusterTarget, connect};
use funcdeck_core::prometheus::{WELL_KNOWN, locate};
use k8s_openapi::api::core::v1::{Namespace, Service};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use serde_json::json;

fn tried(err: &BackendError) -> Vec<String> {
    match err {
        BackendError::NotFound {
            backend: Backend::Prometheus,
            tried,
        } => tried.iter().map(ToString::to_string).collect(),
        other => panic!("expected not found, got {other:?}"),
    }
}

/// Removes any Service discovery would consider, so the test does not depend on what the
/// sandbox seeds.
async fn remove_well_known(client: &kube::Client) {
    let all: Api<Service> = Api::all(client.clone());
    for svc in all.list(&ListParams::default()).await.expect("list").items {
        let (Some(ns), Some(name)) = (svc.metadata.namespace, svc.metadata.name) else {
            continue;
        };
        let known = WELL_KNOWN.exact.contains(&(ns.as_str(), name.as_str()))
            || WELL_KNOWN.names.iter().any(|p| match p.strip_prefix('*') {
                Some(suffix) => name.ends_with(suffix),
                None => name == *p,
            });
        if known {
            let api: Api<Service> = Api::namespaced(client.clone(), &ns);
            api.delete(&name, &DeleteParams::default())
                .await
                .expect("delete");
        }
    }
}

#[tokio::test]
async fn not_found_says_what_was_tried_and_a_service_that_does_not_answer_is_not_used() {
    let env = common::start().await;
    let client = &env.conn.client;
    remove_well_known(client).await;

    let err = locate(None, Some(client)).await.expect_err("nothing there");
    assert_eq!(
        tried(&err),
        [
            "config (none)",
            "service monitoring/prometheus (not found)",
            "service knative-monitoring/prometheus-system-np (not found)",
            "services named prometheus-server, prometheus-operated, *-kube-prometheus-prometheus in all namespaces (none)",
        ]
    );
    assert!(
        err.to_string()
            .starts_with("Prometheus not found: tried config (none), ")
    );
    assert_eq!(err.kind_label(), "backend-not-found");

    // A Service with no Prometheus behind it is tried through the proxy and passed over.
    let namespaces: Api<Namespace> = Api::all(client.clone());
    if namespaces
        .get_opt("monitoring")
        .await
        .expect("get ns")
        .is_none()
    {
        let ns = serde_json::from_value(json!({"metadata": {"name": "monitoring"}})).expect("ns");
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .expect("create ns");
    }
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": "prometheus-operated", "namespace": "monitoring"},
        "spec": {"ports": [{"name": "reloader", "port": 8080}, {"name": "web", "port": 9090}]}
    }))
    .expect("service");
    Api::<Service>::namespaced(client.clone(), "monitoring")
        .create(&PostParams::default(), &svc)
        .await
        .expect("create service");
    let err = locate(None, Some(client))
        .await
        .expect_err("no prometheus behind it");
    let tried = tried(&err);
    let attempt = tried
        .iter()
        .find(|t| t.starts_with("service monitoring/prometheus-operated:9090 (not ready: "))
        .unwrap_or_else(|| panic!("the Service on its web port was tried: {tried:?}"));
    assert!(!attempt.contains("(none)"), "{attempt}");
}

#[tokio::test]
async fn a_persona_without_service_rights_is_told_forbidden_at_each_step() {
    let env = common::start().await;
    let text = std::fs::read_to_string(env.sandbox.kubeconfig_path().expect("kubeconfig"))
        .expect("read kubeconfig");
    let server = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .expect("a server line");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nobody.kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
             contexts:\n- name: nobody\n  context:\n    cluster: c\n    user: nobody\n\
             current-context: nobody\nusers:\n- name: nobody\n  user:\n    as: nobody\n"
        ),
    )
    .expect("write kubeconfig");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(path),
        context: None,
    })
    .await
    .expect("connect as nobody");

    let err = locate(None, Some(&conn.client))
        .await
        .expect_err("forbidden");
    let tried = tried(&err);
    assert_eq!(tried[0], "config (none)");
    assert_eq!(tried[1], "service monitoring/prometheus (forbidden)");
    assert!(
        tried.contains(&"listing services in all namespaces (forbidden)".to_owned()),
        "{tried:?}"
    );
    for ns in WELL_KNOWN.namespaces {
        assert!(
            tried.contains(&format!("services in {ns} (forbidden)")),
            "{ns}: {tried:?}"
        );
    }
}

#[tokio::test]
async fn a_configured_service_goes_through_the_proxy_and_says_so() {
    let env = common::start().await;
    let config = EndpointConfig {
        service: Some("monitoring/prometheus:9090".into()),
        ..EndpointConfig::default()
    };
    let prom = locate(Some(&config), Some(&env.conn.client))
        .await
        .expect("configured");
    assert_eq!(
        prom.source(),
        "service monitoring/prometheus:9090 via the API server (config)"
    );
    // Without a cluster connection a service cannot be reached, and the error says so.
    let err = locate(Some(&config), None).await.expect_err("no cluster");
    let both = EndpointConfig {
        url: Some("http://x".into()),
        ..config.clone()
    };
    let bad = locate(Some(&both), None).await.expect_err("both");
    assert_eq!(
        bad.to_string(),
        "Prometheus at the configured endpoint: bad endpoint configuration: give either url or service, not both"
    );
    assert_eq!(
        err.to_string(),
        "Prometheus at service monitoring/prometheus:9090 (config): bad endpoint configuration: service monitoring/prometheus:9090 needs a cluster connection, and there is none"
    );
}

//! Finding Jaeger: the config as given, else `observability/jaeger-query` through a stand-in
//! API server (a tower service behind a real `kube::Client`) whose service proxy answers
//! v3's services, or only the classic ones (a Jaeger before 1.35); what was tried when nothing
//! answers.

use std::sync::{Arc, Mutex};

use funcdeck_core::backend::{Backend, BackendError, EndpointConfig};
use funcdeck_core::jaeger::{Api, locate};
use kube::client::Body;
use serde_json::json;

#[derive(Clone, Copy, PartialEq)]
enum Jaeger {
    /// Jaeger 1.35 and later: the v3 API.
    V3,
    /// Before 1.35: the classic API only, v3's paths are Go's plain 404.
    Classic,
    /// Not answering yet.
    Down,
}

/// An API server that knows one Service with Jaeger's ports and proxies Jaeger's services
/// paths to it as `jaeger` answers them; every other path is a 404 Status.
fn api_server(jaeger: Jaeger) -> (kube::Client, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let service = tower::service_fn(move |req: http::Request<Body>| {
        let log = log.clone();
        async move {
            let path = req.uri().path().to_owned();
            log.lock().expect("lock").push(path.clone());
            let svc = json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "jaeger-query", "namespace": "observability"},
                "spec": {"ports": [
                    {"name": "grpc-query", "port": 16685},
                    {"name": "http-query", "port": 16686}
                ]}
            });
            let proxy = "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy";
            let (status, body) = match path.as_str() {
                "/api/v1/namespaces/observability/services/jaeger-query" => (200, svc.to_string()),
                p if p == format!("{proxy}/api/v3/services") && jaeger == Jaeger::V3 => {
                    (200, r#"{"services":["activator","hello"]}"#.to_owned())
                }
                p if p == format!("{proxy}/api/v3/services") && jaeger == Jaeger::Classic => {
                    (404, "404 page not found\n".to_owned())
                }
                p if p == format!("{proxy}/api/services") && jaeger == Jaeger::Classic => (
                    200,
                    r#"{"data":["activator","hello"],"total":2,"limit":0,"offset":0,"errors":null}"#
                        .to_owned(),
                ),
                "/api/v1/services" => (200, json!({"kind": "ServiceList", "apiVersion": "v1", "metadata": {}, "items": []}).to_string()),
                _ => (
                    404,
                    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                           "message": "not found", "reason": "NotFound", "code": 404})
                    .to_string(),
                ),
            };
            http::Response::builder()
                .status(status)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body)
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
        }
    });
    (kube::Client::new(service, "default"), seen)
}

#[tokio::test]
async fn the_well_known_service_is_found_and_asked_on_its_query_port() {
    let (client, seen) = api_server(Jaeger::V3);
    let jaeger = locate(None, Some(&client)).await.expect("found");
    assert_eq!(
        jaeger.source(),
        "service observability/jaeger-query:16686 via the API server"
    );
    assert_eq!(
        jaeger.services().await.expect("services"),
        ["activator", "hello"]
    );
    assert_eq!(jaeger.api(), Some(Api::V3));
    assert_eq!(
        seen.lock().expect("lock")[..2],
        [
            "/api/v1/namespaces/observability/services/jaeger-query",
            "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy/api/v3/services",
        ]
    );
}

#[tokio::test]
async fn a_jaeger_with_only_the_classic_api_is_found_too() {
    let (client, seen) = api_server(Jaeger::Classic);
    let jaeger = locate(None, Some(&client)).await.expect("found");
    assert_eq!(
        jaeger.services().await.expect("services"),
        ["activator", "hello"]
    );
    assert_eq!(jaeger.api(), Some(Api::Classic));
    let seen = seen.lock().expect("lock");
    assert!(
        seen.iter().any(|p| p.ends_with("/proxy/api/services")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn not_found_says_what_was_tried() {
    let (client, _) = api_server(Jaeger::Down);
    let err = locate(None, Some(&client)).await.expect_err("not ready");
    let BackendError::NotFound {
        backend: Backend::Jaeger,
        tried,
    } = &err
    else {
        panic!("expected not found, got {err:?}");
    };
    let tried: Vec<String> = tried.iter().map(ToString::to_string).collect();
    assert_eq!(tried[0], "config (none)");
    assert!(
        tried[1].starts_with("service observability/jaeger-query:16686 (not ready: "),
        "{tried:?}"
    );
    assert_eq!(
        tried[2],
        "services named jaeger-query, *-query, jaeger in all namespaces (none)"
    );
    assert!(
        err.to_string()
            .starts_with("Jaeger not found: tried config (none), "),
        "{err}"
    );

    let err = locate(None, None).await.expect_err("no cluster");
    assert_eq!(
        err.to_string(),
        "Jaeger not found: tried config (none), the cluster (not connected)"
    );
}

#[tokio::test]
async fn a_configured_endpoint_is_used_as_given() {
    let config = EndpointConfig {
        url: Some("http://127.0.0.1:9/jaeger/".into()),
        ..EndpointConfig::default()
    };
    let jaeger = locate(Some(&config), None).await.expect("configured");
    assert_eq!(jaeger.source(), "http://127.0.0.1:9/jaeger (config)");
    let config = EndpointConfig {
        service: Some("observability/jaeger-query:16686".into()),
        ..EndpointConfig::default()
    };
    let err = locate(Some(&config), None)
        .await
        .expect_err("needs a cluster");
    assert!(
        err.to_string().contains("needs a cluster connection"),
        "{err}"
    );
}

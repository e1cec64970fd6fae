//! Finding Jaeger: the config as given, else `observability/jaeger-query` through a stand-in
//! API server (a tower service behind a real `kube::Client`) whose service proxy answers
//! v3's services; what was tried when nothing answers.

use std::sync::{Arc, Mutex};

use funcdeck_core::backend::{Backend, BackendError, EndpointConfig};
use funcdeck_core::jaeger::{Api, locate};
use kube::client::Body;
use serde_json::json;

/// An API server that knows one Service with Jaeger's ports and proxies `/api/v3/services`
/// to it when `ready`; every other path is a 404 Status.
fn api_server(ready: bool) -> (kube::Client, Arc<Mutex<Vec<String>>>) {
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
            let (status, body) = match path.as_str() {
                "/api/v1/namespaces/observability/services/jaeger-query" => (200, svc.to_string()),
                "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy/api/v3/services"
                    if ready =>
                {
                    (200, r#"{"services":["activator","hello"]}"#.to_owned())
                }
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
    let (client, seen) = api_server(true);
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
async fn not_found_says_what_was_tried() {
    let (client, _) = api_server(false);
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

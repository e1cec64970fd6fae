//! Finding Elasticsearch: the config as given, else the well-known Services through a
//! stand-in API server (a tower service behind a real `kube::Client`): ECK's `NAME-es-http`
//! over https on 9200, asked `/` and then searched through the service proxy.

use std::sync::{Arc, Mutex};

use funcdeck_core::backend::{Backend, BackendError, EndpointConfig};
use funcdeck_core::elastic::{LogQuery, Scope, locate};
use kube::client::Body;
use serde_json::json;

const PROXY: &str = "/api/v1/namespaces/elastic/services/https:quickstart-es-http:9200/proxy";

/// Method and path of each request the API server saw.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// An API server with no `logging/elasticsearch`, one ECK Service in `elastic`, and, when
/// `ready`, an Elasticsearch behind the proxy.
fn api_server(ready: bool) -> (kube::Client, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let service = tower::service_fn(move |req: http::Request<Body>| {
        let log = log.clone();
        async move {
            let path = req.uri().path().to_owned();
            log.lock()
                .expect("lock")
                .push((req.method().to_string(), path.clone()));
            let eck = json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "quickstart-es-http", "namespace": "elastic"},
                "spec": {"ports": [{"name": "https", "port": 9200}]}
            });
            let other = json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kibana", "namespace": "elastic"},
                "spec": {"ports": [{"name": "http", "port": 5601}]}
            });
            let root = json!({"name": "quickstart-es-default-0", "cluster_name": "quickstart",
                "version": {"number": "8.15.0", "build_flavor": "default"},
                "tagline": "You Know, for Search"});
            let search = json!({"took": 1, "timed_out": false,
                "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}});
            let (status, body) = match path.as_str() {
                "/api/v1/services" => (
                    200,
                    json!({"kind": "ServiceList", "apiVersion": "v1",
                    "metadata": {}, "items": [other, eck]})
                    .to_string(),
                ),
                p if ready && p == format!("{PROXY}/") => (200, root.to_string()),
                p if ready && p == format!("{PROXY}/logstash-*,fluent-bit*/_search") => {
                    (200, search.to_string())
                }
                _ => (
                    404,
                    json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                    "status": "Failure", "message": "not found", "reason": "NotFound",
                    "code": 404})
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
async fn an_eck_service_is_found_over_https_and_searched_through_the_proxy() {
    let (client, seen) = api_server(true);
    let es = locate(None, Some(&client)).await.expect("found");
    assert_eq!(
        es.source(),
        "service elastic/https:quickstart-es-http:9200 via the API server"
    );
    es.ready().await.expect("ready");
    assert_eq!(
        es.source(),
        "Elasticsearch 8.15.0 at service elastic/https:quickstart-es-http:9200 via the API server"
    );
    let page = es
        .search(&LogQuery::new(Scope::default()))
        .await
        .expect("search");
    assert!(page.lines.is_empty());
    let seen = seen.lock().expect("lock").clone();
    let paths: Vec<&str> = seen.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        paths[0],
        "/api/v1/namespaces/logging/services/elasticsearch"
    );
    assert_eq!(paths[1], "/api/v1/services");
    assert_eq!(paths[2], format!("{PROXY}/"));
    assert_eq!(seen.last().map(|(m, _)| m.as_str()), Some("POST"));
}

#[tokio::test]
async fn not_found_says_what_was_tried() {
    let (client, _) = api_server(false);
    let err = locate(None, Some(&client)).await.expect_err("not ready");
    let BackendError::NotFound {
        backend: Backend::Elasticsearch,
        tried,
    } = &err
    else {
        panic!("expected not found, got {err:?}");
    };
    let tried: Vec<String> = tried.iter().map(ToString::to_string).collect();
    assert_eq!(tried[0], "config (none)");
    assert_eq!(tried[1], "service logging/elasticsearch (not found)");
    assert!(
        tried[2].starts_with("service elastic/https:quickstart-es-http:9200 (not ready: "),
        "{tried:?}"
    );
}

#[tokio::test]
async fn a_configured_endpoint_is_used_as_given() {
    let config = EndpointConfig {
        url: Some("https://logs.example:9200/".into()),
        ..EndpointConfig::default()
    };
    let es = locate(Some(&config), None).await.expect("configured");
    assert_eq!(es.source(), "https://logs.example:9200 (config)");
    let config = EndpointConfig {
        service: Some("logging/elasticsearch:9200".into()),
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

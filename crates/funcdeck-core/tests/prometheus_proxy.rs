//! The service-proxy transport against a stand-in for the API server (a tower service behind
//! a real `kube::Client`): the exact proxy paths, GET for short reads and POST for long ones,
//! the API server's own refusals told apart from Prometheus' answers passed through.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use funcdeck_core::backend::{BackendError, Endpoint, Failure, ServiceRef};
use funcdeck_core::prometheus::{PrometheusClient, QueryData};
use kube::client::Body;

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    uri: String,
    content_type: String,
    body: String,
}

/// A kube client whose "API server" records each request and answers `status` + `body`.
fn fake(
    status: u16,
    content_type: &'static str,
    answer: &'static str,
) -> (kube::Client, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let service = tower::service_fn(move |req: http::Request<Body>| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let bytes = body.collect_bytes().await.expect("request body");
            log.lock().expect("lock").push(Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                content_type: parts
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
            http::Response::builder()
                .status(status)
                .header(http::header::CONTENT_TYPE, content_type)
                .body(answer.to_owned())
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
        }
    });
    (kube::Client::new(service, "default"), seen)
}

fn prom(client: kube::Client) -> PrometheusClient {
    PrometheusClient::new(Endpoint::service(
        client,
        ServiceRef::new("monitoring", "prometheus", 9090),
        Duration::from_secs(5),
    ))
}

const UP: &str = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"prometheus"},"value":[1795740584.234,"1"]}]}}"#;

#[tokio::test]
async fn a_short_query_is_a_get_on_the_proxy_path_and_its_answer_is_read() {
    let (client, seen) = fake(200, "application/json", UP);
    let prom = prom(client);
    assert_eq!(
        prom.source(),
        "service monitoring/prometheus:9090 via the API server"
    );
    let answer = prom
        .instant("up{job=\"prometheus\"}", None)
        .await
        .expect("answer");
    let QueryData::Vector(v) = answer.data else {
        panic!("a vector");
    };
    assert_eq!(v[0].value.map(|s| s.value), Some(1.0));
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [Seen {
            method: "GET".into(),
            uri: "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query?query=up%7Bjob%3D%22prometheus%22%7D".into(),
            content_type: String::new(),
            body: String::new(),
        }]
    );
}

#[tokio::test]
async fn a_long_query_is_a_form_post() {
    let (client, seen) = fake(200, "application/json", UP);
    let long = format!("up{}", " + 0 * up".repeat(1000));
    prom(client).instant(&long, None).await.expect("answer");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        seen[0].uri,
        "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query"
    );
    assert_eq!(seen[0].content_type, "application/x-www-form-urlencoded");
    assert!(
        seen[0].body.starts_with("query=up+%2B+0+*+up"),
        "{}",
        seen[0].body
    );
}

#[tokio::test]
async fn the_api_servers_status_is_a_proxy_refusal_naming_the_service() {
    let (client, _) = fake(
        503,
        "application/json",
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"no endpoints available for service \"prometheus\"","reason":"ServiceUnavailable","code":503}"#,
    );
    let err = prom(client).ready().await.expect_err("refused");
    assert!(
        matches!(
            &err,
            BackendError::Failed {
                reason: Failure::ProxyRefused { code: 503, .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "Prometheus at service monitoring/prometheus:9090 via the API server: the API server \
         refused the service proxy (503 ServiceUnavailable): no endpoints available for service \"prometheus\""
    );
    assert!(err.is_retryable());

    let (client, _) = fake(
        403,
        "application/json",
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services \"prometheus:9090\" is forbidden: User \"dev\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"monitoring\"","reason":"Forbidden","code":403}"#,
    );
    let err = prom(client)
        .instant("up", None)
        .await
        .expect_err("forbidden");
    assert_eq!(err.kind_label(), "proxy-refused");
    assert!(
        err.to_string()
            .ends_with("(403 Forbidden): services \"prometheus:9090\" is forbidden: User \"dev\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"monitoring\""),
        "{err}"
    );
}

#[tokio::test]
async fn prometheus_errors_pass_through_the_proxy_as_its_own() {
    let (client, _) = fake(
        400,
        "application/json",
        r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis"}"#,
    );
    let err = prom(client)
        .instant("sum(rate(foo[1m])", None)
        .await
        .expect_err("bad");
    assert!(
        matches!(&err, BackendError::Failed { reason: Failure::BadQuery { message }, .. } if message.contains("unclosed left parenthesis")),
        "{err:?}"
    );
    // A plain 404 from whatever listens behind the Service is not the API server's.
    let (client, _) = fake(404, "text/plain; charset=utf-8", "404 page not found\n");
    let err = prom(client).ready().await.expect_err("not found");
    assert!(
        matches!(
            &err,
            BackendError::Failed {
                reason: Failure::Http { code: 404, .. },
                ..
            }
        ),
        "{err:?}"
    );
}

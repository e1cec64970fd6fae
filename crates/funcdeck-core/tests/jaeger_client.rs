//! The Jaeger client against a tiny HTTP server on loopback that answers from a route table
//! (bodies from `shared/fixtures/jaeger/` where one fits): v3 first and the classic API when
//! v3 is not served, remembered; Jaeger's text/plain 404 for a missing trace; a server that
//! never answers.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use funcdeck_core::backend::{BackendError, DirectAuth, Endpoint, Failure};
use funcdeck_core::jaeger::{Api, JaegerClient, TraceId, TraceQuery};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fixture(name: &str) -> String {
    let dir = match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    };
    let path = dir.join("jaeger").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

type Route = (u16, &'static str, String);

/// Serves `answer(path)` for each request and records the request targets.
async fn serve(
    answer: impl Fn(&str) -> Route + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (log, answer) = (log.clone(), answer.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                log.lock().expect("lock").push(target.clone());
                let path = target.split('?').next().unwrap_or("");
                let (status, content_type, body) = answer(path);
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (url, seen)
}

fn client(url: &str, timeout: Duration) -> JaegerClient {
    JaegerClient::new(
        Endpoint::direct(url, DirectAuth::None, None, false, timeout).expect("valid url"),
    )
}

fn not_served() -> Route {
    (
        404,
        "text/plain; charset=utf-8",
        "404 page not found\n".to_owned(),
    )
}

fn reason(e: BackendError) -> Failure {
    match e {
        BackendError::Failed { reason, .. } => reason,
        other => panic!("expected a failure, got {other}"),
    }
}

#[tokio::test]
async fn without_v3_the_classic_api_answers_and_is_remembered() {
    let trace_body = format!(
        r#"{{"data":[{}],"total":1,"limit":0,"offset":0,"errors":null}}"#,
        fixture("v1-http-api/ui_01.trace.json")
    );
    let (url, seen) = serve(move |path| match path {
        "/api/traces/0000000000000001" => (200, "application/json", trace_body.clone()),
        "/api/services" => (
            200,
            "application/json",
            r#"{"data":["service-y","service-x"],"total":2}"#.to_owned(),
        ),
        _ => not_served(),
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    assert_eq!(jaeger.api(), None);
    let t = jaeger
        .trace(&TraceId::new("0000000000000001"))
        .await
        .expect("a trace");
    assert_eq!(t.spans.len(), 5);
    assert_eq!(jaeger.api(), Some(Api::Classic));
    // A clone shares what was learnt: no second v3 attempt.
    let services = jaeger.clone().services().await.expect("services");
    assert_eq!(services, ["service-x", "service-y"]);
    assert_eq!(
        *seen.lock().expect("lock"),
        [
            "/api/v3/traces/0000000000000001",
            "/api/traces/0000000000000001",
            "/api/services"
        ]
    );
}

#[tokio::test]
async fn v3_answers_in_otlp_and_is_used_from_then_on() {
    let (url, seen) = serve(|path| match path {
        "/api/v3/services" => (
            200,
            "application/json",
            fixture("v3-http-api/GetServices.json"),
        ),
        "/api/v3/operations" => (
            200,
            "application/json",
            fixture("v3-http-api/GetOperations.json"),
        ),
        "/api/v3/traces" => (
            200,
            "application/json",
            fixture("v3-http-api/FindTraces.json"),
        ),
        _ => not_served(),
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    assert_eq!(jaeger.services().await.expect("services"), ["foo"]);
    assert_eq!(jaeger.api(), Some(Api::V3));
    assert_eq!(
        jaeger.operations("foo").await.expect("operations"),
        ["get_users"]
    );
    let mut query = TraceQuery::recent("foo", Duration::from_secs(3600), Utc::now());
    query.errors_only = true;
    let traces = jaeger.search(&query).await.expect("traces");
    assert_eq!(traces.len(), 1, "the one span has status ERROR");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1], "/api/v3/operations?service=foo");
    assert!(
        seen[2].starts_with("/api/v3/traces?query.service_name=foo&query.start_time_min="),
        "{}",
        seen[2]
    );
}

#[tokio::test]
async fn a_missing_trace_is_not_found_in_either_api() {
    // Classic: `http.Error` writes the JSON envelope as text/plain.
    let (url, _) = serve(|path| match path {
        "/api/traces/00000000000000000000000000000abc" => (
            404,
            "text/plain; charset=utf-8",
            r#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"#.to_owned(),
        ),
        _ => not_served(),
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    let err = jaeger
        .trace(&TraceId::new("00000000000000000000000000000ABC"))
        .await
        .expect_err("missing");
    assert_eq!(err.kind_label(), "not-found");
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        format!("Jaeger at {url}: trace 00000000000000000000000000000abc not found")
    );

    let (url, _) = serve(|_| {
        (
            404,
            "application/json",
            r#"{"error":{"httpCode":404,"message":"No traces found"}}"#.to_owned(),
        )
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    let err = jaeger
        .trace(&TraceId::new("abc"))
        .await
        .expect_err("missing");
    assert_eq!(
        reason(err),
        Failure::NotFound {
            what: "trace abc".into()
        }
    );
    // v3 says the same for a search that found nothing: an empty list.
    let query = TraceQuery::recent("foo", Duration::from_secs(60), Utc::now());
    assert!(jaeger.search(&query).await.expect("no traces").is_empty());
    assert_eq!(jaeger.api(), Some(Api::V3));
}

#[tokio::test]
async fn a_server_with_neither_api_says_so_and_a_bad_id_is_not_sent() {
    let (url, seen) = serve(|_| {
        (
            200,
            "text/html",
            "<!doctype html><title>Grafana</title>".to_owned(),
        )
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    let got = reason(jaeger.services().await.expect_err("not Jaeger"));
    assert!(
        matches!(got, Failure::NotTheBackend { code: 200, .. }),
        "{got:?}"
    );
    assert_eq!(jaeger.api(), None);
    let got = reason(
        jaeger
            .trace(&TraceId::new("../admin"))
            .await
            .expect_err("not an id"),
    );
    assert!(matches!(got, Failure::BadQuery { .. }), "{got:?}");
    assert_eq!(
        seen.lock().expect("lock").len(),
        2,
        "the bad id was not sent"
    );
}

#[tokio::test]
async fn a_classic_search_keeps_only_traces_with_errors_when_asked() {
    let body = format!(
        r#"{{"data":[{},{}],"total":2,"limit":0,"offset":0,"errors":null}}"#,
        fixture("v1-http-api/ui_01.trace.json"),
        fixture("jaeger-ui/testTraceNormal.trace.json")
    );
    let (url, _) = serve(move |path| match path {
        "/api/traces" => (200, "application/json", body.clone()),
        _ => not_served(),
    })
    .await;
    let jaeger = client(&url, Duration::from_secs(5));
    let mut query = TraceQuery::recent("service-x", Duration::from_secs(3600), Utc::now());
    assert_eq!(jaeger.search(&query).await.expect("traces").len(), 2);
    query.errors_only = true;
    let traces = jaeger.search(&query).await.expect("traces");
    assert_eq!(traces.len(), 1);
    assert_eq!(traces[0].id.as_str(), "0000000000000001");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_without_falling_back() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let jaeger = client(&url, Duration::from_millis(200));
    let got = reason(jaeger.services().await.expect_err("timeout"));
    hold.abort();
    assert_eq!(
        got,
        Failure::Timeout {
            after: Duration::from_millis(200)
        }
    );
    assert_eq!(jaeger.api(), None);
}

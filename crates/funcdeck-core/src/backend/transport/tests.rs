use std::time::Duration;

use super::direct::{Direct, DirectAuth};
use super::proxy::api_server_refusal;
use super::*;
use crate::backend::config::AuthConfig;

fn direct(url: &str) -> Direct {
    Direct::new(url, DirectAuth::None, None, false).expect("valid url")
}

#[test]
fn queries_are_form_encoded_and_paths_join_under_a_prefix() {
    let req = RawRequest::get("/api/v1/query")
        .with_query("query", r#"sum(rate(x{a="b c"}[1m])) / 2 & more"#)
        .with_query("time", "1795740580.5");
    assert_eq!(
        req.path_and_query(),
        "/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b+c%22%7D%5B1m%5D%29%29+%2F+2+%26+more&time=1795740580.5"
    );
    assert_eq!(
        direct("http://127.0.0.1:9090").url(&req),
        format!("http://127.0.0.1:9090{}", req.path_and_query())
    );
    assert_eq!(
        direct("https://host/prom/").url(&RawRequest::get("/-/ready")),
        "https://host/prom/-/ready"
    );
}

#[test]
fn a_post_carries_its_form_as_the_body_and_get_has_none() {
    let req = RawRequest::post_form("/api/v1/query", vec![("query".into(), "up == 1".into())]);
    assert_eq!(req.body(), b"query=up+%3D%3D+1");
    assert_eq!(req.path_and_query(), "/api/v1/query");
    assert!(RawRequest::get("/x").with_query("a", "b").body().is_empty());
}

#[test]
fn service_proxy_uris_put_the_query_after_the_proxied_path() {
    let req =
        RawRequest::get("/api/v1/label/__name__/values").with_query("match[]", "up{job=\"x\"}");
    let service = ServiceRef::new("monitoring", "prometheus", 9090);
    assert_eq!(
        service.proxy_path(&req.path_and_query()),
        "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/label/__name__/values?match%5B%5D=up%7Bjob%3D%22x%22%7D"
    );
}

#[test]
fn bad_urls_and_ca_files_are_config_failures() {
    for url in ["not a url", "ftp://h/", "http://h/?q=1"] {
        let e = Direct::new(url, DirectAuth::None, None, false).err();
        assert!(matches!(e, Some(Failure::Config { .. })), "{url}: {e:?}");
    }
    let e = Direct::new("https://h", DirectAuth::None, Some(b"not pem"), false).err();
    assert!(matches!(e, Some(Failure::Config { .. })), "{e:?}");
}

#[test]
fn config_needs_a_cluster_for_a_service_and_readable_files() {
    let cfg = EndpointConfig {
        service: Some("monitoring/prometheus:9090".into()),
        ..EndpointConfig::default()
    };
    let e = Endpoint::from_config(&cfg, None).expect_err("no cluster");
    assert!(e.to_string().contains("needs a cluster connection"), "{e}");

    let cfg = EndpointConfig {
        url: Some("http://127.0.0.1:9".into()),
        ca: Some("/nonexistent/ca.pem".into()),
        ..EndpointConfig::default()
    };
    let e = Endpoint::from_config(&cfg, None).expect_err("no file");
    assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");

    let cfg = EndpointConfig {
        url: Some("http://127.0.0.1:9/".into()),
        timeout: Some("250ms".into()),
        ..EndpointConfig::default()
    };
    let ep = Endpoint::from_config(&cfg, None).expect("valid");
    assert_eq!(ep.source, "http://127.0.0.1:9 (config)");
    assert_eq!(ep.at(), "http://127.0.0.1:9");
    assert_eq!(ep.timeout, Duration::from_millis(250));
}

#[test]
fn bearer_needs_one_token_source_and_secrets_stay_out_of_debug() {
    let both = AuthConfig::Bearer {
        token: Some("a".into()),
        token_file: Some("/t".into()),
    };
    assert!(DirectAuth::from_config(&both).is_err());
    let auth = DirectAuth::from_config(&AuthConfig::Bearer {
        token: Some(" s3cret\n".into()),
        token_file: None,
    })
    .expect("token");
    assert_eq!(auth, DirectAuth::Bearer("s3cret".into()));
    assert!(!format!("{auth:?}").contains("s3cret"));
    let basic = DirectAuth::Basic {
        username: "u".into(),
        password: "pw".into(),
    };
    assert_eq!(format!("{basic:?}"), "Basic(u, ***)");
}

#[test]
fn only_a_v1_status_on_a_failed_answer_is_the_api_servers_refusal() {
    let status = br#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services \"prometheus\" not found","reason":"NotFound","details":{"name":"prometheus","kind":"services"},"code":404}"#;
    assert_eq!(
        api_server_refusal(404, status),
        Some(Failure::ProxyRefused {
            code: 404,
            reason: "NotFound".into(),
            message: "services \"prometheus\" not found".into()
        })
    );
    // The backend's own answers pass through, even on failure.
    assert_eq!(api_server_refusal(200, status), None);
    let prom = br#"{"status":"error","errorType":"bad_data","error":"x"}"#;
    assert_eq!(api_server_refusal(400, prom), None);
    assert_eq!(api_server_refusal(404, b"404 page not found\n"), None);
}

#[tokio::test]
async fn a_closed_port_is_unreachable_and_names_the_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let ep = Endpoint::direct(
        &format!("http://127.0.0.1:{port}"),
        DirectAuth::None,
        None,
        false,
        Duration::from_secs(5),
    )
    .expect("valid");
    match ep.send(&RawRequest::get("/-/ready")).await {
        Err(Failure::Unreachable { reason }) => {
            assert!(reason.to_lowercase().contains("refused"), "{reason}")
        }
        other => panic!("expected unreachable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_at_the_configured_timeout() {
    // Accepts and then says nothing: the endpoint's timeout must end the wait.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hold = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.expect("accept");
        std::future::pending::<()>().await;
    });
    let ep = Endpoint::direct(
        &format!("http://127.0.0.1:{port}"),
        DirectAuth::None,
        None,
        false,
        Duration::from_millis(200),
    )
    .expect("valid");
    let got = ep.send(&RawRequest::get("/-/ready")).await;
    hold.abort();
    assert_eq!(
        got,
        Err(Failure::Timeout {
            after: Duration::from_millis(200)
        })
    );
    assert_eq!(
        got.expect_err("timeout").to_string(),
        "no answer within 200ms"
    );
}

#[tokio::test]
async fn through_the_proxy_a_short_read_is_a_get_and_a_long_one_stays_a_post() {
    // Never contacted: only the request shape is looked at.
    crate::tls::install_crypto_provider();
    let config = kube::Config::new("http://127.0.0.1:1".parse().expect("uri"));
    let client = kube::Client::try_from(config).expect("client");
    let proxy = ServiceProxy::new(client, ServiceRef::new("monitoring", "prometheus", 9090));
    let short = RawRequest::read_form("/api/v1/query", vec![("query".into(), "up".into())]);
    let sent = proxy.effective(&short);
    assert_eq!(sent.method, Method::Get);
    assert_eq!(
        proxy.uri(&sent),
        "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query?query=up"
    );
    let long = RawRequest::read_form("/api/v1/query", vec![("query".into(), "up".repeat(3000))]);
    assert_eq!(proxy.effective(&long).method, Method::Post);
    // Only reads are turned into GETs.
    let write = RawRequest::post_form("/x", vec![("a".into(), "b".into())]);
    assert_eq!(proxy.effective(&write).method, Method::Post);
}

#[test]
fn an_api_key_comes_inline_or_from_a_file_and_stays_out_of_debug() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("key");
    std::fs::write(&file, "a2V5LWlkOnNlY3JldA==\n").expect("write");
    let from_file = DirectAuth::from_config(&AuthConfig::ApiKey {
        key: None,
        key_file: Some(file),
    })
    .expect("file key");
    assert_eq!(from_file, DirectAuth::ApiKey("a2V5LWlkOnNlY3JldA==".into()));
    assert_eq!(format!("{from_file:?}"), "ApiKey(***)");
    for (key, key_file) in [
        (None, None),
        (Some("k".to_owned()), Some("/k".into())),
        (Some("  ".to_owned()), None),
        (None, Some("/nonexistent/key".into())),
    ] {
        let auth = AuthConfig::ApiKey { key, key_file };
        assert!(DirectAuth::from_config(&auth).is_err(), "{auth:?}");
    }
}

#[test]
fn json_bodies_say_so_and_are_never_moved_into_a_url() {
    let body = serde_json::json!({"size": 1});
    let req = RawRequest::post_json("/logstash-*/_search", &body);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.content_type(), Some("application/json"));
    assert_eq!(req.body(), br#"{"size":1}"#);
    let del = RawRequest::delete_json("/_pit", &serde_json::json!({"id": "x"}));
    assert_eq!(del.method, Method::Delete);
    assert_eq!(del.body(), br#"{"id":"x"}"#);
    assert_eq!(RawRequest::get("/").content_type(), None);
}

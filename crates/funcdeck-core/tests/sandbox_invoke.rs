//! Invoking functions against the in-process simulated cluster: the gateway is found through
//! its Service, the request carries the function's host, and the typed failures (unknown
//! function, unknown tag) say what is wrong.

mod common;

use std::time::Duration;

use common::{WAIT, services, start};
use funcdeck_core::CoreError;
use funcdeck_core::invoke::{InvokeError, InvokeRequest, Rendered, find_gateway, invoke};
use funcdeck_core::knative::Service;
use kube::api::PostParams;

const NS: &str = "default";

async fn ready(env: &common::Env, name: &str) {
    let api = services(&env.conn, NS);
    api.create(
        &PostParams::default(),
        &Service::new(NS, name, common::IMAGE),
    )
    .await
    .expect("created");
    tokio::time::timeout(WAIT, async {
        loop {
            let s = api.get(name).await.expect("read back");
            let ready = s
                .status
                .as_ref()
                .and_then(|st| st.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.is_true()));
            if ready {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("ready in time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_goes_through_the_gateway_with_the_functions_host() {
    let env = start().await;
    let gw = find_gateway(&env.conn)
        .await
        .expect("the sandbox publishes kourier");
    assert_eq!(gw.service, "kourier-system/kourier");
    assert_eq!(gw.address, "127.0.0.1");
    assert_eq!(gw.http_port, env.sandbox.gateway_addr().port());

    ready(&env, "greeter").await;
    let req = InvokeRequest {
        method: "POST".into(),
        path: "/greet?who=me".into(),
        headers: vec![("X-Trace".into(), "abc".into())],
        body: br#"{"hello": "world"}"#.to_vec(),
        ..InvokeRequest::default()
    };
    let resp = invoke(&env.conn, NS, "greeter", &req)
        .await
        .expect("an answer");
    assert_eq!((resp.status, resp.reason.as_str()), (200, "OK"));
    assert_eq!(resp.sent_to.host, "greeter.default.svc.cluster.local");
    assert_eq!(
        resp.sent_to.gateway.as_deref(),
        Some("kourier-system/kourier")
    );
    let body: serde_json::Value = serde_json::from_slice(&resp.body).expect("JSON");
    assert_eq!(body["revision"], "greeter-00001");
    assert_eq!(body["headers"]["x-trace"], "abc");
    assert_eq!(body["body"]["hello"], "world");
    assert!(matches!(resp.rendered_body(), Rendered::Json(s) if s.contains("\n  \"body\": {")));

    let missing = invoke(&env.conn, NS, "nobody", &InvokeRequest::default()).await;
    assert!(
        matches!(&missing, Err(InvokeError::Cluster(CoreError::NotFound { message })) if message.contains("\"nobody\"")),
        "{missing:?}"
    );
    let tag = InvokeRequest {
        tag: Some("blue".into()),
        ..InvokeRequest::default()
    };
    let err = invoke(&env.conn, NS, "greeter", &tag)
        .await
        .expect_err("no such tag");
    assert_eq!(
        err.to_string(),
        "function \"greeter\" has no tag \"blue\" (it has no tags)"
    );
}

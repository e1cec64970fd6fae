//! `funcdeck fn invoke` as a user runs it against the sandbox: the request goes through the
//! sandbox's ingress gateway (found through its Service) with the function's host; headers and
//! a body from text or a file come back in the stand-in function's echo; a tag's URL reaches
//! the tagged revision; bad input is refused before anything is sent; a cold start shows in the
//! latency.

mod support;

use serde_json::Value;
use support::cluster::Cluster;

fn manifest(text: &str) -> Value {
    serde_json::from_str(text).expect("a JSON manifest")
}

fn echo(c: &Cluster) {
    c.apply_and_wait(
        &manifest(
            r#"{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "echo", "namespace": "default"},
            "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/echo:1"}]}}}}"#,
        ),
        "echo-00001",
    );
}

/// The reported latency of a table answer's last line, `latency: 12.3 ms (...)`.
fn latency(stdout: &str) -> f64 {
    let last = stdout.lines().last().expect("a last line");
    last.strip_prefix("latency: ")
        .and_then(|r| r.split(" ms").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no latency in {last:?}"))
}

#[test]
fn invoke_echoes_headers_and_bodies_and_reaches_tags() {
    let c = Cluster::start(6, 5);
    echo(&c);
    let fd = |args: &[&str]| c.funcdeck(args);

    // GET by default: status line, headers, blank line, pretty JSON, latency.
    let out = fd(&[
        "fn",
        "invoke",
        "echo",
        "-n",
        "default",
        "-H",
        "X-Env: staging",
        "-H",
        "Accept: application/json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("HTTP 200 OK"), "{}", out.stdout);
    assert!(
        out.stdout.contains("\ncontent-type: application/json\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\n\n{\n  \"body\": null,"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\n  \"revision\": \"echo-00001\","),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\"x-env\": \"staging\""),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\"method\": \"GET\""), "{}", out.stdout);
    let last = out.stdout.lines().last().unwrap_or("");
    assert!(
        last.contains("(GET http://echo.default.svc.cluster.local/ through kourier-system/kourier at 127.0.0.1:"),
        "{last}"
    );

    // -d @FILE: a POST with the file's JSON, echoed back parsed; JSON output for scripts.
    let file = c.home.path().join("order.json");
    std::fs::write(&file, r#"{"order": 42, "items": ["tea"]}"#).expect("write body");
    let at_file = format!("@{}", file.display());
    let out = fd(&[
        "fn",
        "invoke",
        "echo",
        "-n",
        "default",
        "-d",
        &at_file,
        "-H",
        "Content-Type: application/json",
        "--path",
        "/orders?dry=1",
        "-o",
        "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON output");
    assert_eq!(v["function"], "echo");
    assert_eq!(v["namespace"], "default");
    assert_eq!(v["url"], "http://echo.default.svc.cluster.local");
    assert_eq!(v["gateway"], "kourier-system/kourier");
    assert_eq!(
        (v["status"].as_u64(), v["method"].as_str()),
        (Some(200), Some("POST"))
    );
    assert_eq!(v["headers"]["content-type"], "application/json");
    assert_eq!(
        v["body"]["body"],
        serde_json::json!({"order": 42, "items": ["tea"]})
    );
    assert_eq!(v["body"]["path"], "/orders");
    assert_eq!(v["body"]["query"]["dry"], serde_json::json!(["1"]));
    assert!(v["latency_ms"].as_f64().is_some());

    // A tag's URL reaches the tagged revision, while the function's URL reaches the new one.
    c.apply_and_wait(
        &manifest(
            r#"{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "echo", "namespace": "default"},
            "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/echo:2"}]}},
                     "traffic": [{"latestRevision": true, "percent": 100}, {"revisionName": "echo-00001", "percent": 0, "tag": "stable"}]}}"#,
        ),
        "echo-00002",
    );
    support::wait_for(
        std::time::Duration::from_secs(20),
        "the tag to be routed",
        || {
            let out = fd(&[
                "fn", "invoke", "echo", "-n", "default", "--tag", "stable", "-o", "json",
            ]);
            let v: Value = serde_json::from_str(&out.stdout).ok()?;
            (v["body"]["revision"] == "echo-00001").then_some(v)
        },
    );
    let out = fd(&[
        "fn", "invoke", "echo", "-n", "default", "--tag", "stable", "-o", "yaml",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("url: http://stable-echo.default.svc.cluster.local"),
        "{}",
        out.stdout
    );

    // Any signed-in persona can find the gateway, not only the admin.
    let out = fd(&[
        "--context",
        "sandbox-viewer",
        "fn",
        "invoke",
        "echo",
        "-n",
        "default",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("through kourier-system/kourier"),
        "{}",
        out.stdout
    );

    // Refused before anything is sent, with the reason.
    let out = fd(&["fn", "invoke", "echo", "-n", "default", "--tag", "blue"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("function \"echo\" has no tag \"blue\" (known tags: stable)"),
        "{}",
        out.stderr
    );
    let out = fd(&["fn", "invoke", "nobody", "-n", "default"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("function \"nobody\" not found in namespace \"default\""),
        "{}",
        out.stderr
    );
    let out = fd(&[
        "fn",
        "invoke",
        "echo",
        "-n",
        "default",
        "-H",
        "no colon here",
    ]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .contains("is not a header: write it as 'Name: value'"),
        "{}",
        out.stderr
    );
    let missing = c.home.path().join("missing.json");
    let at_missing = format!("@{}", missing.display());
    let out = fd(&["fn", "invoke", "echo", "-n", "default", "-d", &at_missing]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("cannot read the request body from"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
}

#[test]
fn a_cold_function_answers_slower_than_when_warm() {
    let c = Cluster::start(24, 1);
    // A ready function whose every routed revision is scaled to zero.
    let ksvcs = c.kubectl_json(&["get", "ksvc", "-A"]);
    let revisions = c.kubectl_json(&["get", "revisions", "-A"]);
    let replicas = |ns: &str, rev: &str| {
        revisions["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["metadata"]["namespace"] == ns && r["metadata"]["name"] == rev)
            .and_then(|r| r["status"]["actualReplicas"].as_u64())
    };
    let (ns, name) = ksvcs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
        .find_map(|s| {
            let ns = s["metadata"]["namespace"].as_str()?;
            let traffic = s["status"]["traffic"].as_array()?;
            let cold = traffic
                .iter()
                .all(|t| t["revisionName"].as_str().and_then(|r| replicas(ns, r)) == Some(0));
            let name = s["metadata"]["name"].as_str()?;
            cold.then(|| (ns.to_owned(), name.to_owned()))
        })
        .expect("a function scaled to zero in the seeded sandbox");
    let cold = c.funcdeck(&["fn", "invoke", &name, "-n", &ns]);
    assert_eq!(cold.status, 0, "{}", cold.stderr);
    assert!(cold.stdout.starts_with("HTTP 200 OK\n"), "{}", cold.stdout);
    let warm = c.funcdeck(&["fn", "invoke", &name, "-n", &ns]);
    assert_eq!(warm.status, 0, "{}", warm.stderr);
    let (cold_ms, warm_ms) = (latency(&cold.stdout), latency(&warm.stdout));
    assert!(
        cold_ms > warm_ms,
        "cold {cold_ms} ms should exceed warm {warm_ms} ms"
    );
}

#[test]
fn invoking_an_offline_function_says_why_the_gateway_has_no_route() {
    let c = Cluster::start(0, 1);
    echo(&c);
    let out = c.funcdeck(&["fn", "offline", "echo", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = c.funcdeck(&["fn", "invoke", "echo", "-n", "default"]);
    assert_eq!(out.status, 0, "an HTTP answer: {}", out.stderr);
    assert!(
        out.stdout.starts_with("HTTP 404 Not Found"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "note: function \"echo\" is offline (cluster-local), so the external gateway does not route to it"
        ),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&["fn", "online", "echo", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = c.funcdeck(&["fn", "invoke", "echo", "-n", "default"]);
    assert!(out.stdout.starts_with("HTTP 200 OK"), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

//! `funcdeck fn templates`, `fn create` and `fn update` as a user runs them against the
//! sandbox, each checked with the real kubectl: what is written, what is refused before anything
//! is sent, `--wait` following a revision to Ready or to its failure, and updates that keep what
//! kubectl (client-side or server-side apply) wrote.

mod support;

use serde_json::{Value, json};
use support::cluster::Cluster;

fn ksvc(c: &Cluster, name: &str) -> Value {
    c.kubectl_json(&["get", "ksvc", name, "-n", "default"])
}

fn container(service: &Value) -> &Value {
    &service["spec"]["template"]["spec"]["containers"][0]
}

#[test]
fn the_template_catalogue_lists_every_language_and_os() {
    let c = Cluster::start(0, 1);
    let out = c.funcdeck(&["fn", "templates"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("TEMPLATE "), "{}", out.stdout);
    for id in [
        "go:alpine",
        "python:distroless",
        "node:debian",
        "java:alpine",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{id} "))),
            "{id} missing:\n{}",
            out.stdout
        );
    }
    let out = c.funcdeck(&["fn", "templates", "-o", "json"]);
    let templates: Vec<Value> = serde_json::from_str(&out.stdout).expect("JSON list");
    assert_eq!(templates.len(), 12);
    assert!(
        templates
            .iter()
            .all(|t| t["image"].is_string() && t["port"] == 8080)
    );
}

#[test]
fn create_from_a_template_with_flags_and_wait() {
    let c = Cluster::start(0, 1);
    let out = c.funcdeck(&[
        "fn",
        "create",
        "hello",
        "-n",
        "default",
        "--template",
        "python:alpine",
        "--env",
        "GREETING=hi",
        "--request",
        "cpu=300m",
        "--limit",
        "memory=1Gi,gpu=1",
        "--scale",
        "1..4",
        "--concurrency",
        "8",
        "--timeout",
        "60",
        "--label",
        "team=web",
        "--revision-name",
        "first",
        "--wait",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("hello-first is ready"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .starts_with("function \"hello\" created: http://hello.default.svc.cluster.local"),
        "{}",
        out.stdout
    );
    let service = ksvc(&c, "hello");
    let user = container(&service);
    assert_eq!(user["image"], "ghcr.io/funcdeck/runtime-python:3.12-alpine");
    assert_eq!(
        user["env"],
        json!([{"name": "PYTHONUNBUFFERED", "value": "1"}, {"name": "WEB_CONCURRENCY", "value": "4"},
               {"name": "GREETING", "value": "hi"}])
    );
    assert_eq!(
        user["resources"],
        json!({"requests": {"cpu": "300m", "memory": "128Mi"},
               "limits": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}})
    );
    let template = &service["spec"]["template"];
    assert_eq!(template["spec"]["containerConcurrency"], 8);
    assert_eq!(template["spec"]["timeoutSeconds"], 60);
    assert_eq!(template["metadata"]["name"], "hello-first");
    assert_eq!(
        template["metadata"]["annotations"]["autoscaling.knative.dev/max-scale"],
        "4"
    );
    assert_eq!(service["metadata"]["labels"]["team"], "web");
    assert_eq!(service["status"]["latestReadyRevisionName"], "hello-first");
}

#[test]
fn bad_input_is_refused_at_its_flag_and_nothing_is_created() {
    let c = Cluster::start(0, 1);
    let cases: [(&[&str], &str); 6] = [
        (
            &["--image", "ghcr.io/acme/x:1", "--limit", "cpu=lots"],
            "--limit: cpu: \"lots\" is not a quantity",
        ),
        (
            &["--template", "cobol"],
            "--template: no template for language \"cobol\"; there are: go, python, node, java",
        ),
        (
            &["--template", "go:windows"],
            "no \"windows\" variant of the go template",
        ),
        (
            &["--image", "Ghcr.io/Acme/X"],
            "--image: \"Ghcr.io/Acme/X\" is not a valid image reference",
        ),
        (
            &["--image", "x", "--scale", "5..2"],
            "--scale: min scale 5 is above max scale 2",
        ),
        (
            &["--image", "x", "--env", "NOEQUALS"],
            "--env: \"NOEQUALS\" is not KEY=VALUE",
        ),
    ];
    for (flags, message) in cases {
        let out = c.funcdeck(&[&["fn", "create", "fresh", "-n", "default"], flags].concat());
        assert_eq!(out.status, 1, "{flags:?}");
        assert!(out.stderr.contains(message), "{flags:?}: {}", out.stderr);
    }
    let out = c.funcdeck(&["fn", "create", "Bad_Name", "-n", "default", "--image", "x"]);
    assert!(
        out.stderr
            .contains("NAME: \"Bad_Name\" is not a valid name"),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&["fn", "create", "fresh", "-n", "default"]);
    assert_ne!(out.status, 0, "an image or a template is required");
    let out = c.funcdeck(&[
        "--readonly",
        "fn",
        "create",
        "fresh",
        "-n",
        "default",
        "--image",
        "x",
    ]);
    assert!(
        out.stderr.contains("funcdeck runs read-only"),
        "{}",
        out.stderr
    );
    let gone = c.kubectl(&["get", "ksvc", "fresh", "-n", "default"]);
    assert_ne!(gone.status, 0, "nothing was created");

    // Creating over an existing function says how to change it instead.
    let ok = c.funcdeck(&[
        "fn",
        "create",
        "fresh",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/x:1",
    ]);
    assert_eq!(ok.status, 0, "{}", ok.stderr);
    let again = c.funcdeck(&[
        "fn",
        "create",
        "fresh",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/x:2",
    ]);
    assert_eq!(again.status, 1);
    assert!(
        again.stderr.contains("already exists") && again.stderr.contains("fn update"),
        "{}",
        again.stderr
    );
}

/// A function as a team writes it with kubectl: a label, a secret-backed variable and a
/// request that funcdeck's update must not lose.
fn team_manifest() -> Value {
    json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "orders", "namespace": "default", "labels": {"owner": "team-a"}},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/orders:1",
            "env": [{"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}],
            "resources": {"requests": {"memory": "100Mi"}}}]}}}})
}

#[test]
fn an_update_changes_only_what_was_asked_on_a_kubectl_applied_function() {
    let c = Cluster::start(0, 1);
    c.apply_and_wait(&team_manifest(), "orders-00001");
    let out = c.funcdeck(&[
        "fn",
        "update",
        "orders",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/orders:2",
        "--env",
        "MODE=fast",
        "--wait",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("orders-00002 is ready"),
        "{}",
        out.stderr
    );
    let service = ksvc(&c, "orders");
    let user = container(&service);
    assert_eq!(user["image"], "ghcr.io/acme/orders:2");
    assert_eq!(
        user["env"],
        json!([{"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}},
               {"name": "MODE", "value": "fast"}])
    );
    assert_eq!(user["resources"], json!({"requests": {"memory": "100Mi"}}));
    assert_eq!(service["metadata"]["labels"]["owner"], "team-a");
    assert!(
        service["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string(),
        "kubectl's record of its last apply is kept"
    );

    // Nothing to change: nothing written.
    let out = c.funcdeck(&[
        "fn",
        "update",
        "orders",
        "-n",
        "default",
        "--env",
        "MODE=fast",
    ]);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);

    // kubectl apply of the team's manifest still works afterwards. Its manifest is the source
    // of truth for what it names: a CRD's lists are replaced whole by kubectl's merge patch, so
    // the containers go back to the manifest's, as with any other writer.
    c.apply(&team_manifest());
    let service = ksvc(&c, "orders");
    assert_eq!(container(&service)["image"], "ghcr.io/acme/orders:1");
    assert_eq!(service["metadata"]["labels"]["owner"], "team-a");
}

#[test]
fn a_failing_update_exits_non_zero_and_the_old_revision_keeps_the_traffic() {
    let c = Cluster::start(0, 1);
    c.apply_and_wait(&team_manifest(), "orders-00001");
    let out = c.funcdeck(&[
        "fn",
        "update",
        "orders",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/does-not-exist:2",
        "--wait",
        "--wait-timeout",
        "60s",
    ]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("orders-00002 failed")
            && out.stderr.contains("cannot be pulled")
            && out.stderr.contains("orders-00001 keeps the traffic"),
        "{}",
        out.stderr
    );
    let service = ksvc(&c, "orders");
    assert_eq!(
        service["status"]["traffic"][0]["revisionName"],
        "orders-00001"
    );

    // The fix rolls out over the failed revision.
    let out = c.funcdeck(&[
        "fn",
        "update",
        "orders",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/orders:3",
        "--wait",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        ksvc(&c, "orders")["status"]["traffic"][0]["revisionName"],
        "orders-00003"
    );
}

#[test]
fn an_update_of_a_server_side_applied_function_keeps_the_appliers_fields() {
    let c = Cluster::start(0, 1);
    let path = c.home.path().join("orders.json");
    std::fs::write(&path, team_manifest().to_string()).expect("write");
    let path = path.to_str().expect("utf8");
    let out = c.kubectl(&["apply", "--server-side", "-f", path]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = c.funcdeck(&["fn", "update", "orders", "-n", "default", "--scale", "2..5"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let service = c.kubectl_json(&[
        "get",
        "ksvc",
        "orders",
        "-n",
        "default",
        "--show-managed-fields",
    ]);
    let managers: Vec<&str> = service["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .filter_map(|m| m["manager"].as_str())
        .collect();
    assert!(
        managers.contains(&"kubectl") && managers.contains(&"funcdeck"),
        "{managers:?}"
    );
    let annotations = &service["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(annotations["autoscaling.knative.dev/min-scale"], "2");
    assert_eq!(container(&service)["image"], "ghcr.io/acme/orders:1");
    // Re-applying the same manifest server-side: the scale annotations are funcdeck's and
    // are left alone; what kubectl applied is still kubectl's.
    let out = c.kubectl(&["apply", "--server-side", "-f", path]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let service = ksvc(&c, "orders");
    assert_eq!(
        service["spec"]["template"]["metadata"]["annotations"]["autoscaling.knative.dev/max-scale"],
        "5"
    );
}

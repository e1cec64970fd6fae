//! `funcdeck stack plan|install|status|uninstall` against `funcdeck sandbox --bare`, checked
//! with the real kubectl: the plan as JSON with each object's action, an install that makes
//! the backend answer, a second plan with nothing to do, status per component, an uninstall
//! that asks first and leaves nothing, and the air-gapped directory's missing file named.

mod support;

use serde_json::Value;
use support::cluster::Cluster;

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("funcdeck prints JSON")
}

fn actions(plan: &Value) -> Vec<(String, String)> {
    plan["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            let at = o["namespace"]
                .as_str()
                .map_or(String::new(), |ns| format!("{ns}/"));
            (
                format!(
                    "{} {at}{}",
                    o["kind"].as_str().unwrap_or(""),
                    o["name"].as_str().unwrap_or("")
                ),
                o["action"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_metrics_component_installs_reruns_unchanged_and_uninstalls_from_the_cli() {
    let c = Cluster::start_with(&["--bare", "--functions", "0"]);
    let metrics = ["--components", "metrics"];

    let out = c.funcdeck(&[&["stack", "plan", "-o", "json"][..], &metrics].concat());
    assert_eq!(out.status, 0, "{}", out.stderr);
    let plan = json_of(&out.stdout);
    assert_eq!(plan["components"], serde_json::json!(["metrics"]));
    let planned = actions(&plan);
    assert!(
        planned.contains(&("Deployment monitoring/prometheus".into(), "create".into())),
        "{planned:?}"
    );
    assert!(
        planned.iter().all(|(_, action)| action == "create"),
        "{planned:?}"
    );

    let out = c.funcdeck(&[&["stack", "install", "--yes"][..], &metrics].concat());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ready: Deployment monitoring/prometheus"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("metrics: monitoring/prometheus:9090 answers through the service proxy"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.starts_with("installed: "), "{}", out.stdout);
    let deployment = c.kubectl_json(&[
        "get",
        "deployment",
        "prometheus",
        "-n",
        "monitoring",
        "--show-managed-fields",
    ]);
    assert_eq!(
        deployment["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "funcdeck"
    );
    let managers: Vec<&str> = deployment["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .filter_map(|f| f["manager"].as_str())
        .collect();
    assert!(managers.contains(&"funcdeck"), "{managers:?}");

    let out = c.funcdeck(&[&["stack", "status", "-o", "json"][..], &metrics].concat());
    assert_eq!(out.status, 0, "{}", out.stderr);
    let status = json_of(&out.stdout);
    assert_eq!(status["components"][0]["component"], "metrics");
    assert_eq!(status["components"][0]["state"], "ready", "{status}");

    let out = c.funcdeck(&[&["stack", "plan", "-o", "json"][..], &metrics].concat());
    let again = actions(&json_of(&out.stdout));
    assert!(
        again.iter().all(|(_, action)| action == "unchanged"),
        "{again:?}"
    );

    // Uninstalling asks first; without a terminal or --yes nothing is deleted.
    let out = c.funcdeck(&[&["stack", "uninstall"][..], &metrics].concat());
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("refusing to uninstall the stack's metrics without confirmation: pass --yes"),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&[&["stack", "uninstall", "--yes", "-o", "json"][..], &metrics].concat());
    assert_eq!(out.status, 0, "{}", out.stderr);
    let run = json_of(&out.stdout);
    assert_eq!(run["result"], "succeeded", "{run}");
    assert_eq!(run["left"], serde_json::json!([]));
    assert_ne!(
        c.kubectl(&["get", "namespace", "monitoring"]).status,
        0,
        "the namespace is gone"
    );
    let out = c.funcdeck(&[&["stack", "status"][..], &metrics].concat());
    assert!(
        out.stdout.contains("metrics     not-installed"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_air_gapped_install_names_the_missing_release_file_and_writes_nothing() {
    let c = Cluster::start_with(&["--bare", "--functions", "0"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let from = dir.path().to_str().expect("utf8");
    let out = c.funcdeck(&[
        "stack",
        "install",
        "--components",
        "tracing",
        "--from",
        from,
        "--yes",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("cert-manager v1.16.2: cert-manager.yaml is not in"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("download https://github.com/cert-manager/cert-manager/releases/download/v1.16.2/cert-manager.yaml there"), "{}", out.stderr);
    assert_ne!(c.kubectl(&["get", "namespace", "observability"]).status, 0);
}

#[test]
fn ctrl_c_stops_an_install_saying_what_is_left_and_the_next_install_finishes_it() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let c = Cluster::start_with(&["--bare", "--functions", "0"]);
    let mut child = support::funcdeck(c.home.path())
        .args([
            "stack",
            "install",
            "--components",
            "metrics,logging",
            "--yes",
        ])
        .args(["--kubeconfig", &c.kubeconfig])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    // Interrupted while it waits for the first workloads (they take about two seconds).
    for line in lines.by_ref() {
        if line
            .expect("readable")
            .contains("waiting for Deployment monitoring/prometheus")
        {
            break;
        }
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(1), "{rest:#?}");
    let text = rest.join("\n");
    assert!(text.contains("failed: interrupted"), "{text}");
    assert!(
        text.contains("  Deployment monitoring/prometheus"),
        "{text}"
    );
    assert!(
        text.contains("`funcdeck stack install --components metrics,logging` resumes it"),
        "{text}"
    );

    let out = c.funcdeck(&[
        "stack",
        "install",
        "--components",
        "metrics,logging",
        "--yes",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = c.funcdeck(&[
        "stack",
        "status",
        "--components",
        "metrics,logging",
        "-o",
        "json",
    ]);
    let status = json_of(&out.stdout);
    assert_eq!(status["components"][0]["state"], "ready", "{status}");
    assert_eq!(status["components"][1]["state"], "ready", "{status}");
}

#[test]
fn someone_elses_prometheus_stops_the_install_before_any_write() {
    // A sandbox with its stack: a Prometheus funcdeck did not install.
    let c = Cluster::start_with(&["--functions", "0"]);
    let out = c.funcdeck(&["stack", "install", "--components", "metrics", "--yes"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .starts_with("error: refusing to install; nothing was written:\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.lines().any(|l| l
            .starts_with("  Deployment monitoring/prometheus already exists and is managed by")),
        "{}",
        out.stderr
    );
    let written = c.kubectl(&["get", "configmap", "prometheus-config", "-n", "monitoring"]);
    assert_ne!(written.status, 0, "nothing is written: {}", written.stdout);
}

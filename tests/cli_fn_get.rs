//! `funcdeck fn get` and `funcdeck fn revisions` as a user runs them, checked against what the
//! real kubectl reports for the same function on the same sandbox.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::cluster::Cluster;
use support::{funcdeck, run, wait_for};

const WAIT: Duration = Duration::from_secs(30);

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Creates a function with one warm pod (min-scale 1) in `default`.
fn create_function(c: &Cluster, name: &str, image: &str) {
    c.apply(&serde_json::json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {
            "metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "1"}},
            "spec": {"containers": [{"image": image}]}
        }}
    }));
}

fn get_json(c: &Cluster, name: &str) -> Value {
    let out = c.funcdeck(&["fn", "get", name, "-n", "default", "-o", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    json(&out.stdout)
}

/// The given fields of every element of a JSON list, for comparing ours with kubectl's.
fn fields(list: &Value, names: [&str; 4]) -> Vec<[Value; 4]> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| names.map(|name| item[name].clone()))
        .collect()
}

fn names_of(list: &Value) -> BTreeSet<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().expect("name").to_owned())
        .collect()
}

#[test]
fn fn_get_and_revisions_agree_with_kubectl() {
    let c = Cluster::start(6, 4);
    create_function(&c, "agree", "ghcr.io/funcdeck/hello:1");
    let got = wait_for(WAIT, "agree ready with a ready pod", || {
        let got = get_json(&c, "agree");
        (got["ready"] == "True" && got["revisions"][0]["pods_ready"] == "1/1").then_some(got)
    });

    // Exactly the documented fields, at every level.
    assert_eq!(
        keys(&got),
        set(&[
            "name",
            "namespace",
            "url",
            "ready",
            "conditions",
            "traffic",
            "revisions",
            "pods",
            "events"
        ])
        .iter()
        .map(String::as_str)
        .collect()
    );
    let field_sets: [(&str, &[&str]); 5] = [
        ("conditions", &["type", "status", "reason", "message"]),
        ("traffic", &["revision", "percent", "tag", "url"]),
        (
            "revisions",
            &[
                "name",
                "ready",
                "reason",
                "created",
                "image",
                "concurrency",
                "min_scale",
                "max_scale",
                "traffic_percent",
                "pods_ready",
            ],
        ),
        (
            "pods",
            &["name", "revision", "phase", "ready", "restarts", "reason"],
        ),
        (
            "events",
            &["type", "reason", "object", "message", "count", "last_seen"],
        ),
    ];
    for (list, fields) in field_sets {
        let items = got[list]
            .as_array()
            .unwrap_or_else(|| panic!("{list} is a list"));
        assert!(!items.is_empty(), "{list} has rows: {got:#}");
        for item in items {
            let expected: BTreeSet<&str> = fields.iter().copied().collect();
            assert_eq!(keys(item), expected, "{list} row fields");
        }
    }
    assert_eq!(
        (got["name"].as_str(), got["namespace"].as_str()),
        (Some("agree"), Some("default"))
    );

    // The Service as kubectl sees it.
    let ksvc = c.kubectl_json(&["get", "ksvc", "agree", "-n", "default"]);
    let status = &ksvc["status"];
    assert_eq!(got["url"], status["url"]);
    let conditions = status["conditions"].as_array().expect("conditions");
    let ready = conditions
        .iter()
        .find(|c| c["type"] == "Ready")
        .expect("Ready");
    assert_eq!(got["ready"], ready["status"]);
    assert_eq!(
        fields(&got["conditions"], ["type", "status", "reason", "message"]),
        fields(
            &status["conditions"],
            ["type", "status", "reason", "message"]
        )
    );
    assert_eq!(
        fields(&got["traffic"], ["revision", "percent", "tag", "url"]),
        fields(
            &status["traffic"],
            ["revisionName", "percent", "tag", "url"]
        )
    );

    // Revisions and pods, by the function's label.
    let selector = "serving.knative.dev/service=agree";
    let revisions = c.kubectl_json(&["get", "revisions", "-n", "default", "-l", selector]);
    let pods = c.kubectl_json(&["get", "pods", "-n", "default", "-l", selector]);
    let our_revisions: BTreeSet<String> = got["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(our_revisions, names_of(&revisions));
    let our_pods: BTreeSet<String> = got["pods"]
        .as_array()
        .expect("pods")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(our_pods, names_of(&pods));
    let revision = &got["revisions"][0];
    assert_eq!(revision["image"], "ghcr.io/funcdeck/hello:1");
    assert_eq!(revision["min_scale"], 1);
    assert_eq!(revision["max_scale"], Value::Null);
    assert_eq!(revision["traffic_percent"], 100);
    assert!(
        chrono::DateTime::parse_from_rfc3339(revision["created"].as_str().expect("created"))
            .is_ok(),
        "RFC 3339: {}",
        revision["created"]
    );
    let events = got["events"].as_array().expect("events");
    assert!(
        events
            .iter()
            .all(|e| e["object"].as_str().is_some_and(|o| o.contains("/agree"))),
        "only the function's events: {events:#?}"
    );

    // fn revisions -o json is the same list.
    let out = c.funcdeck(&["fn", "revisions", "agree", "-n", "default", "-o", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let list = json(&out.stdout);
    assert_eq!(list, got["revisions"]);
    let out = c.funcdeck(&["fn", "revisions", "agree", "-n", "default", "-o", "yaml"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("name: agree-00001"), "{}", out.stdout);

    // And as tables a person reads.
    let out = c.funcdeck(&["fn", "revisions", "agree", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    let header = lines.next().expect("header");
    for column in [
        "NAME",
        "READY",
        "REASON",
        "TRAFFIC",
        "PODS",
        "IMAGE",
        "CONCURRENCY",
        "MIN",
        "MAX",
        "AGE",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let row = lines.next().expect("a row");
    assert!(row.starts_with("agree-00001 "), "{row}");
    // A ready revision has no REASON, so its cells split cleanly on whitespace.
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[1..5],
        ["True", "100%", "1/1", "ghcr.io/funcdeck/hello:1"],
        "{row}"
    );
    assert_eq!(cells[6..8], ["1", "-"], "min and max scale: {row}");

    let out = c.funcdeck(&["fn", "get", "agree", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let text = &out.stdout;
    for line in ["Name:      agree", "Namespace: default", "Ready:     True"] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
    for section in [
        "\nConditions:\n",
        "\nTraffic:\n",
        "\nRevisions:\n",
        "\nPods:\n",
        "\nEvents:\n",
    ] {
        assert!(text.contains(section), "{section:?} in\n{text}");
    }
    assert!(text.contains(got["url"].as_str().expect("url")), "{text}");
    assert!(!text.contains("Why not ready:"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape sequences");
}

#[test]
fn a_crash_looping_function_says_why_and_a_missing_one_fails() {
    let c = Cluster::start(6, 4);
    // Switch the scenario on at run time, as a demo would.
    c.apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "funcdeck-sandbox-scenarios", "namespace": "kube-system"},
        "data": {"crashloop": "default/crashy"}
    }));
    create_function(&c, "crashy", "ghcr.io/funcdeck/hello:1");
    let got = wait_for(WAIT, "crashy's pod crash-looping", || {
        let got = get_json(&c, "crashy");
        (got["pods"][0]["reason"] == "CrashLoopBackOff").then_some(got)
    });
    assert_eq!(got["ready"], "False");
    assert_eq!(got["revisions"][0]["ready"], "False");
    assert!(
        got["pods"][0]["restarts"].as_u64().is_some_and(|r| r > 0),
        "{got:#}"
    );
    assert!(
        got["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["type"] == "Warning" && e["reason"] == "BackOff"),
        "{got:#}"
    );

    let out = c.funcdeck(&["fn", "get", "crashy", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Ready:     False ("), "{}", out.stdout);
    let why = out
        .stdout
        .lines()
        .skip_while(|l| *l != "Why not ready:")
        .nth(1)
        .unwrap_or_else(|| panic!("a why section in\n{}", out.stdout));
    assert!(
        why.starts_with("  crashy-00001: user-container keeps crashing: exit code 1, restarted "),
        "{why}"
    );

    let missing = c.funcdeck(&["fn", "get", "nope", "-n", "default"]);
    assert_eq!(missing.status, 1);
    assert_eq!(missing.stdout, "");
    assert!(
        missing
            .stderr
            .contains("error: function \"nope\" not found in namespace \"default\""),
        "{}",
        missing.stderr
    );
    let missing = c.funcdeck(&["fn", "revisions", "nope", "-n", "default", "-o", "json"]);
    assert_eq!(missing.status, 1, "{}", missing.stdout);
    assert!(missing.stderr.contains("not found"), "{}", missing.stderr);
}

/// A kubeconfig for the same sandbox as user `as`, by impersonation.
fn impersonating(home: &Path, sandbox_kubeconfig: &str, user: &str) -> String {
    let text = std::fs::read_to_string(sandbox_kubeconfig).expect("read kubeconfig");
    let server = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .expect("a server line");
    let path = home.join(format!("{user}.kubeconfig"));
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
             contexts:\n- name: {user}\n  context:\n    cluster: c\n    user: {user}\n    namespace: default\n\
             current-context: {user}\nusers:\n- name: {user}\n  user:\n    as: {user}\n"
        ),
    )
    .expect("write kubeconfig");
    path.to_str().expect("utf8").to_owned()
}

#[test]
fn a_user_who_cannot_read_pods_or_events_still_sees_the_function() {
    let c = Cluster::start(6, 4);
    create_function(&c, "partial", "ghcr.io/funcdeck/hello:1");
    c.apply(&serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "knative-reader"},
        "rules": [{"apiGroups": ["serving.knative.dev"], "resources": ["*"],
                   "verbs": ["get", "list", "watch"]}]
    }));
    c.apply(&serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "kn-only", "namespace": "default"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "knative-reader"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "kn-only"}]
    }));
    let kubeconfig = impersonating(c.home.path(), &c.kubeconfig, "kn-only");
    let run_as = |args: &[&str]| {
        let mut command = funcdeck(c.home.path());
        command.args(args).args(["--kubeconfig", &kubeconfig]);
        run(&mut command)
    };
    wait_for(WAIT, "partial to be ready", || {
        (get_json(&c, "partial")["ready"] == "True").then_some(())
    });

    let out = run_as(&["fn", "get", "partial"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    for part in ["pods", "events"] {
        let warning = out
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("warning: {part} not shown: forbidden: ")))
            .unwrap_or_else(|| panic!("a {part} warning in {}", out.stderr));
        assert!(
            warning.contains("\"kn-only\""),
            "the server's reason: {warning}"
        );
    }
    assert!(out.stdout.contains("Name:      partial"), "{}", out.stdout);
    assert!(
        out.stdout.contains("partial-00001"),
        "revisions still shown: {}",
        out.stdout
    );
    let pods = out
        .stdout
        .lines()
        .skip_while(|l| *l != "Pods:")
        .nth(1)
        .expect("a pods line");
    assert!(pods.starts_with("  (not shown: forbidden: "), "{pods}");

    let out = run_as(&["fn", "get", "partial", "-o", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let got = json(&out.stdout);
    assert_eq!(got["ready"], "True");
    assert_eq!(got["pods"], serde_json::json!([]));
    assert_eq!(
        got["revisions"][0]["pods_ready"],
        Value::Null,
        "unknown, not 0/0"
    );
}

//! `funcdeck logs` against the sandbox with the real binary: from its Elasticsearch (found
//! through the service proxy) as JSON and as text, `--revision`, `--since`, `--limit`, `-q`
//! (and the server's reason for a bad one), `-f` read line by line; with Elasticsearch off,
//! from the pods (one-shot, `-q` as text, and `-f` picking up a pod that appears when the
//! function scales out); hostile bytes never reaching the terminal; a slow Elasticsearch.

mod support;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use support::logs::{
    deploy, eventually, exit_after_one_line, interrupt, lines_read, pods, read_follow,
    spawn_follow, start,
};
use support::metered::funcdeck;

/// Written into a container's log by the tests: every control byte a terminal acts on.
const HOSTILE: &[u8] = b"\x1b]52;c;aGk=\x07\x1b]0;pwned\x07\x1b[2J\x1b[31m zebra42 red\r\x07\xff";

async fn logs(home: &Path, kc: &Path, extra: &[&str]) -> support::Output {
    let args = [&["logs", "hello", "-n", "default"][..], extra].concat();
    funcdeck(home, kc, &args).await
}

async fn logs_json(home: &Path, kc: &Path, extra: &[&str]) -> Value {
    let out = logs(home, kc, &[&["-o", "json"][..], extra].concat()).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn lines(json: &Value) -> &Vec<Value> {
    json["lines"].as_array().expect("lines")
}

fn time(line: &Value) -> DateTime<Utc> {
    line["timestamp"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("a timestamp: {line}"))
}

/// Every line has the contract's shape, oldest first.
fn check_shape(json: &Value, source: &str, streams: &[&str]) {
    assert_eq!(json["source"], source);
    let all = lines(json);
    for line in all {
        let keys: Vec<&str> = line
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["timestamp", "pod", "container", "stream", "message"] {
            assert!(keys.contains(&key), "{key} in {line}");
        }
        for key in &keys {
            let known = [
                "timestamp",
                "pod",
                "container",
                "stream",
                "level",
                "message",
            ];
            assert!(known.contains(key) || *key == "trace_id", "{key} in {line}");
        }
        assert!(
            line["pod"]
                .as_str()
                .is_some_and(|p| p.starts_with("hello-")),
            "{line}"
        );
        let container = line["container"].as_str().expect("container");
        assert!(
            ["user-container", "queue-proxy"].contains(&container),
            "{line}"
        );
        assert!(
            streams.contains(&line["stream"].as_str().expect("stream")),
            "{line}"
        );
    }
    assert!(
        all.windows(2).all(|w| time(&w[0]) <= time(&w[1])),
        "oldest first"
    );
}

/// The text output has no byte a terminal would act on (newlines end lines).
fn assert_inert(stdout: &str) {
    let bad: Vec<char> = stdout
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "control characters reached stdout: {bad:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_elasticsearch() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = start(&kubeconfig, true).await;
    let (home, kc) = (home.path(), kubeconfig.as_path());
    let pod = deploy(home, kc, &sandbox, "hello", 20.0).await;
    let json = eventually("request logs", || async {
        let json = logs_json(home, kc, &["--limit", "50"]).await;
        let traced = lines(&json).iter().any(|l| l["trace_id"].is_string());
        (lines(&json).len() == 50 && traced).then_some(json)
    })
    .await;
    check_shape(&json, "elasticsearch", &["stdout", "stderr"]);
    let all = lines(&json);
    assert!(
        all.iter().any(|l| l["trace_id"].is_string()),
        "request logs carry traces"
    );
    assert!(all.iter().any(|l| l["level"].is_string()));

    // --limit: the newest N.
    assert_eq!(
        lines(&logs_json(home, kc, &["--limit", "3"]).await).len(),
        3
    );
    // --since: nothing older than asked (the clock read before asking).
    let asked = Utc::now();
    let recent = logs_json(home, kc, &["--since", "2s", "--limit", "10000"]).await;
    for line in lines(&recent) {
        assert!(time(line) >= asked - chrono::Duration::seconds(2), "{line}");
    }
    // --revision: its pods only; another function's revision is refused by name.
    let revision = logs_json(home, kc, &["--revision", "hello-00001", "--limit", "20"]).await;
    assert!(!lines(&revision).is_empty());
    let out = logs(home, kc, &["--revision", "nope-00001"]).await;
    assert_ne!(out.status, 0);
    assert!(
        out.stderr
            .contains("revision \"nope-00001\" not found in namespace \"default\""),
        "{}",
        out.stderr
    );

    // A hostile line: found by -q, inert in text.
    let control = sandbox.control();
    assert!(control.write_log("default", &pod, "user-container", false, HOSTILE));
    let out = eventually("the hostile line searchable", || async {
        let out = logs(home, kc, &["-q", "zebra42"]).await;
        (out.status == 0 && out.stdout.contains("zebra42")).then_some(out)
    })
    .await;
    assert_eq!(
        out.stdout.lines().count(),
        1,
        "-q keeps only it:\n{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("␛]52;c;aGk=␇"),
        "shown escaped: {}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!("{pod}/user-container")));
    assert_inert(&out.stdout);
    assert!(
        out.stderr.contains("reading Elasticsearch"),
        "{}",
        out.stderr
    );

    // A bad query: the server's reason, and a failure.
    let out = logs(home, kc, &["-q", "status:(500"]).await;
    assert_ne!(out.status, 0);
    assert!(out.stderr.contains("bad query"), "{}", out.stderr);
    assert!(
        out.stderr.contains("Cannot parse"),
        "the server's reason: {}",
        out.stderr
    );

    // -f: the history, then a line written after it was read, each one JSON object.
    let child = spawn_follow(home, kc, &["--limit", "2"]);
    let seen = read_follow(
        child,
        |seen| seen.iter().any(|l| l["message"] == "giraffe7 late"),
        |counted| async move {
            lines_read(counted, 2).await;
            assert!(control.write_log("default", &pod, "user-container", false, b"giraffe7 late"));
        },
    )
    .await;
    assert!(seen.len() >= 3, "history then new lines: {seen:?}");
    let distinct: std::collections::HashSet<String> = seen.iter().map(Value::to_string).collect();
    assert_eq!(distinct.len(), seen.len(), "no line twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_the_pods_without_elasticsearch() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = start(&kubeconfig, false).await;
    let (home, kc) = (home.path(), kubeconfig.as_path());
    let pod = deploy(home, kc, &sandbox, "hello", 20.0).await;
    let control = sandbox.control();
    assert!(control.write_log("default", &pod, "user-container", false, HOSTILE));
    let json = eventually(
        "lines from both containers, request logs among them",
        || async {
            let json = logs_json(home, kc, &["--limit", "10000"]).await;
            let containers: std::collections::HashSet<&str> = lines(&json)
                .iter()
                .filter_map(|l| l["container"].as_str())
                .collect();
            let traced = lines(&json).iter().any(|l| l["trace_id"].is_string());
            (containers.len() == 2 && traced).then_some(json)
        },
    )
    .await;
    // The kubelet does not say which stream a line came from.
    check_shape(&json, "pods", &[""]);
    let all = lines(&json);
    assert!(
        all.iter().any(|l| l["trace_id"].is_string()),
        "request logs carry traces"
    );
    let hostile = all
        .iter()
        .find(|l| l["message"].as_str().is_some_and(|m| m.contains("zebra42")))
        .expect("the hostile line");
    // Kept raw for display-time reveal (invalid UTF-8 replaced).
    assert!(
        hostile["message"]
            .as_str()
            .expect("text")
            .starts_with("\u{1b}]52;c;aGk=\u{7}")
    );
    assert!(
        hostile["message"]
            .as_str()
            .expect("text")
            .ends_with('\u{fffd}')
    );

    // Which source, and why, on stderr.
    let out = logs(home, kc, &["--limit", "3"]).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("Elasticsearch not found: tried"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("reading the pods' logs"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout.lines().count(), 3, "--limit: {}", out.stdout);

    // -q is text here: the hostile line alone, inert; Lucene is named as not read.
    let out = logs(home, kc, &["-q", "ZEBRA42"]).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(out.stdout.contains("␛]52;c;aGk=␇"), "{}", out.stdout);
    assert_inert(&out.stdout);
    let out = logs(home, kc, &["-q", "zebra42 AND red"]).await;
    assert!(
        out.stderr.contains("boolean operators are not interpreted"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout.lines().count(), 0, "{}", out.stdout);
    // --revision narrows the pods.
    let out = logs(home, kc, &["--revision", "hello-00001", "-q", "zebra42"]).await;
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stderr);

    // -f: the pod there at the start, then one that appears when the function scales out.
    let before = pods(kc, "hello").await;
    let child = spawn_follow(home, kc, &["--limit", "1"]);
    let known = before.clone();
    let seen = read_follow(
        child,
        move |seen| {
            seen.iter().any(|l| {
                l["pod"]
                    .as_str()
                    .is_some_and(|p| !known.iter().any(|k| k == p))
            })
        },
        |counted| async move {
            lines_read(counted, 1).await;
            control.set_load("default", "hello", Some(180.0));
        },
    )
    .await;
    assert!(seen.iter().all(|l| l["stream"] == ""), "{seen:?}");
    // Interrupted, or its reader gone: a clean exit either way.
    let child = spawn_follow(home, kc, &["--limit", "1"]);
    assert_eq!(exit_after_one_line(child, interrupt).await, Some(0));
    let child = spawn_follow(home, kc, &["--limit", "1"]);
    assert_eq!(exit_after_one_line(child, |_| {}).await, Some(0));
    assert!(
        seen.iter().any(|l| l["pod"] == before[0].as_str()),
        "the first pod's lines: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_elasticsearch_is_named_with_where_it_is() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = start(&kubeconfig, true).await;
    let (home, kc) = (home.path(), kubeconfig.as_path());
    deploy(home, kc, &sandbox, "hello", 0.0).await;
    let config = home.join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        "[elasticsearch]\nservice = \"logging/elasticsearch:9200\"\ntimeout = \"1s\"\n",
    )
    .expect("config.toml");
    sandbox
        .control()
        .set_elasticsearch_delay(Duration::from_secs(30));
    let out = logs(home, kc, &[]).await;
    assert_ne!(out.status, 0);
    assert!(
        out.stderr.contains(
            "Elasticsearch at service logging/elasticsearch:9200 via the API server: no answer within 1s"
        ),
        "{}",
        out.stderr
    );
    sandbox.control().set_elasticsearch_delay(Duration::ZERO);
}

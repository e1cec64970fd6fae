//! kubectl get, get -w and api-resources against the sandbox with the real kubectl 1.32: the
//! printed tables, YAML/JSON and the served kinds.
//! Each test has its own sandbox and discovery cache (trap 8).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use common::conformance::{KSVC, header};
use common::start;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_knative_table_columns_and_yaml_json() {
    let env = start(3, 50).await;
    let cases: [(&str, &[&str]); 4] = [
        (
            "ksvc",
            &[
                "NAMESPACE",
                "NAME",
                "URL",
                "LATESTCREATED",
                "LATESTREADY",
                "READY",
                "REASON",
                "AGE",
            ],
        ),
        (
            "configurations",
            &[
                "NAMESPACE",
                "NAME",
                "LATESTCREATED",
                "LATESTREADY",
                "READY",
                "REASON",
                "AGE",
            ],
        ),
        (
            "revisions",
            &[
                "NAMESPACE",
                "NAME",
                "CONFIG NAME",
                "GENERATION",
                "READY",
                "REASON",
                "ACTUAL REPLICAS",
                "DESIRED REPLICAS",
            ],
        ),
        (
            "routes",
            &["NAMESPACE", "NAME", "URL", "READY", "REASON", "AGE"],
        ),
    ];
    for (kind, cols) in cases {
        let out = env.kubectl(&["get", kind, "-A"]).await;
        assert_eq!(out.code, 0, "{kind}: {}", out.stderr);
        let got = header(&out.stdout);
        assert_eq!(&got[..cols.len()], cols, "{kind}:\n{}", out.stdout);
        assert!(out.stdout.lines().count() >= 4, "{kind}: {}", out.stdout);
    }
    let names = env.kubectl(&["get", "ksvc", "-A", "-o", "name"]).await;
    let first = names.stdout.lines().next().unwrap().to_string();
    let ns_list = env
        .kubectl(&[
            "get",
            "ksvc",
            "-A",
            "-o",
            "jsonpath={.items[0].metadata.namespace}",
        ])
        .await;
    let yaml = env
        .kubectl(&["get", &first, "-n", &ns_list.stdout, "-o", "yaml"])
        .await;
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    assert!(
        yaml.stdout
            .starts_with("apiVersion: serving.knative.dev/v1\nkind: Service\n")
    );
    assert!(yaml.stdout.contains("latestReadyRevisionName"));
    let json = env
        .kubectl(&["get", &first, "-n", &ns_list.stdout, "-o", "json"])
        .await;
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["kind"], "Service");
    assert!(v["metadata"]["resourceVersion"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_watch_prints_a_line_per_change() {
    let env = start(1, 50).await;
    let file = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut child = env.kubectl_spawn(&[
        "get",
        "ksvc",
        "conf",
        "-n",
        "default",
        "-w",
        "--output-watch-events",
    ]);
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let recv = |secs: u64| rx.recv_timeout(Duration::from_secs(secs)).ok();
    let head = recv(10).expect("header line");
    assert!(head.contains("EVENT") && head.contains("NAME"), "{head}");
    let first = recv(10).expect("initial row");
    assert!(
        first.starts_with("ADDED") && first.contains("conf"),
        "{first}"
    );
    let patch = env
        .kubectl(&["label", "ksvc", "conf", "-n", "default", "watched=yes"])
        .await;
    assert_eq!(patch.code, 0, "{}", patch.stderr);
    let mut seen = false;
    while let Some(line) = recv(10) {
        if line.starts_with("MODIFIED") && line.contains("conf") {
            seen = true;
            break;
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(seen, "no MODIFIED row after the label change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_resources_lists_served_kinds() {
    let env = start(1, 50).await;
    let out = env
        .kubectl(&["api-resources", "--api-group=serving.knative.dev"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        rows.contains(&vec![
            "services",
            "kservice,ksvc",
            "serving.knative.dev/v1",
            "true",
            "Service"
        ]),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"revisions")),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"routes")),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"configurations")),
        "{}",
        out.stdout
    );
}

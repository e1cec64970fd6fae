//! `funcdeck fn traffic` and `fn offline|online` as a user runs them against the sandbox, each
//! outcome checked with the real kubectl: splits, @latest, tags and their URLs, promotion by
//! tag, untagging; bad input refused with nothing written; read-only refused; offline writes
//! the label and its record and online takes exactly those away.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::wait_for;

fn function(name: &str, image: &str) -> Value {
    json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
           "metadata": {"name": name, "namespace": "default", "labels": {"team": "web"}},
           "spec": {"template": {"spec": {"containers": [{"image": image}]}}}})
}

/// `split` with two ready revisions (all traffic to @latest, i.e. 00002), and `other` with one.
fn two_revisions() -> Cluster {
    let c = Cluster::start(0, 3);
    c.apply_and_wait(&function("split", "ghcr.io/acme/split:1"), "split-00001");
    c.apply_and_wait(&function("split", "ghcr.io/acme/split:2"), "split-00002");
    c.apply_and_wait(&function("other", "ghcr.io/acme/other:1"), "other-00001");
    c
}

fn ksvc(c: &Cluster) -> Value {
    c.kubectl_json(&["get", "ksvc", "split", "-n", "default"])
}

/// `spec.traffic` as (revision or @latest, percent, tag) triples.
fn spec_traffic(svc: &Value) -> Vec<(String, i64, String)> {
    svc["spec"]["traffic"]
        .as_array()
        .expect("spec.traffic")
        .iter()
        .map(|t| {
            let target = if t["latestRevision"] == json!(true) {
                "@latest".to_owned()
            } else {
                t["revisionName"].as_str().unwrap_or("?").to_owned()
            };
            let tag = t["tag"].as_str().unwrap_or("").to_owned();
            (target, t["percent"].as_i64().unwrap_or(0), tag)
        })
        .collect()
}

fn triples(expected: &[(&str, i64, &str)]) -> Vec<(String, i64, String)> {
    expected
        .iter()
        .map(|(r, p, t)| ((*r).to_owned(), *p, (*t).to_owned()))
        .collect()
}

#[test]
fn splits_tags_promotes_and_untags_as_kubectl_sees_it() {
    let c = two_revisions();
    let fd = |args: &[&str]| c.funcdeck(args);

    // 50/50, previewed on stderr, the outcome on stdout.
    let out = fd(&[
        "fn",
        "traffic",
        "split",
        "-n",
        "default",
        "split-00001=50",
        "split-00002=50",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "function \"split\" traffic: 00001 50% · 00002 50% (was @latest 100%)\n"
    );
    assert!(
        out.stderr
            .contains("Traffic now: @latest 100%\nAfter:       00001 50% · 00002 50%"),
        "{}",
        out.stderr
    );
    let svc = ksvc(&c);
    assert_eq!(
        spec_traffic(&svc),
        triples(&[("split-00001", 50, ""), ("split-00002", 50, "")])
    );
    assert_eq!(
        svc["metadata"]["labels"]["team"], "web",
        "what the user did not change stays"
    );

    // @latest beside a pinned revision, as JSON.
    let out = fd(&[
        "fn",
        "traffic",
        "split",
        "-n",
        "default",
        "@latest=80",
        "split-00001=20",
        "-o",
        "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        json,
        json!({"function": "split", "namespace": "default",
               "before": "00001 50% · 00002 50%", "after": "@latest 80% · 00001 20%"})
    );
    assert_eq!(
        spec_traffic(&ksvc(&c)),
        triples(&[("@latest", 80, ""), ("split-00001", 20, "")])
    );

    // A tag gets its own URL in the status.
    let out = fd(&[
        "fn",
        "traffic",
        "split",
        "-n",
        "default",
        "--tag",
        "split-00001=old",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        spec_traffic(&ksvc(&c)),
        triples(&[("@latest", 80, ""), ("split-00001", 20, "old")])
    );
    wait_for(Duration::from_secs(15), "the tag URL", || {
        let status = ksvc(&c)["status"]["traffic"].clone();
        status
            .as_array()?
            .iter()
            .any(|t| t["tag"] == "old" && t["url"] == "http://old-split.default.svc.cluster.local")
            .then_some(())
    });

    // Promote the tagged revision by its tag: all traffic to it, the tag kept.
    let out = fd(&["fn", "traffic", "split", "-n", "default", "old=100"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "function \"split\" traffic: 00001 100% #old (was @latest 80% · 00001 20% #old)\n"
    );
    assert_eq!(
        spec_traffic(&ksvc(&c)),
        triples(&[("split-00001", 100, "old")])
    );

    // Untag: the target stays (it carries all traffic), the tag goes.
    let out = fd(&["fn", "traffic", "split", "-n", "default", "--untag", "old"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        spec_traffic(&ksvc(&c)),
        triples(&[("split-00001", 100, "")])
    );
}

#[test]
fn bad_input_and_read_only_write_nothing() {
    let c = two_revisions();
    let fd = |args: &[&str]| c.funcdeck(args);
    let version = || ksvc(&c)["metadata"]["resourceVersion"].clone();
    let before = version();
    // Words that do not parse are usage errors (exit 2, as clap has it); the rest exit 1.
    let refused = |args: &[&str], says: &str| {
        let out = fd(&[&["fn", "traffic", "split", "-n", "default"], args].concat());
        let usage = says.starts_with("the percentage for");
        assert_eq!(
            out.status,
            if usage { 2 } else { 1 },
            "{args:?}: {}",
            out.stdout
        );
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "");
    };
    refused(
        &["split-00001=50", "split-00002=40"],
        "the percentages sum to 90, not 100 (split-00001=50 split-00002=40)",
    );
    refused(
        &["split-00001=150"],
        "the percentage for split-00001 is 150, outside 0..100",
    );
    refused(
        &["split-00009=100"],
        "no revision or tag \"split-00009\" in function \"split\" (its revisions: split-00002, split-00001; no tags)",
    );
    refused(
        &["other-00001=100"],
        "revision \"other-00001\" belongs to function \"other\", not \"split\"",
    );
    refused(
        &["split-00001=50", "split-00001=50"],
        "split-00001 is named twice",
    );
    refused(
        &["--tag", "split-00001=Bad_Tag"],
        "invalid tag \"Bad_Tag\": not a DNS 1035 label",
    );
    refused(
        &["--untag", "nope"],
        "function \"split\" has no tag \"nope\" to remove",
    );
    refused(&[], "nothing to change");
    let out = fd(&[
        "--readonly",
        "fn",
        "traffic",
        "split",
        "-n",
        "default",
        "split-00001=100",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "refusing to change the traffic of function default/split: funcdeck runs read-only"
        ),
        "{}",
        out.stderr
    );
    let out = fd(&["--readonly", "fn", "offline", "split", "-n", "default"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("refusing to take function default/split offline")
    );
    assert_eq!(version(), before, "nothing was written");
}

#[test]
fn offline_writes_the_label_and_its_record_and_online_takes_them_away() {
    let c = two_revisions();
    let fd = |args: &[&str]| c.funcdeck(args);
    let before = ksvc(&c);

    let out = fd(&["fn", "offline", "split", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "function \"split\" is offline: wrote label networking.knative.dev/visibility=cluster-local; annotation funcdeck.dev/offline={\"since\":\""
        ),
        "{}",
        out.stdout
    );
    let offline = ksvc(&c);
    assert_eq!(
        offline["metadata"]["labels"],
        json!({"team": "web", "networking.knative.dev/visibility": "cluster-local"})
    );
    let record: Value = serde_json::from_str(
        offline["metadata"]["annotations"]["funcdeck.dev/offline"]
            .as_str()
            .expect("the record"),
    )
    .expect("JSON");
    assert!(record["since"].is_string() && record.get("previousVisibility").is_none());
    assert_eq!(
        offline["spec"], before["spec"],
        "split and template untouched"
    );
    assert_eq!(
        offline["metadata"]["generation"], before["metadata"]["generation"],
        "no new revision"
    );

    // Knative carries the Service's labels to its Route, which the ingress (and the sandbox's
    // load) goes by; the URL stays the cluster-local one.
    wait_for(Duration::from_secs(15), "the route's label", || {
        let route = c.kubectl_json(&["get", "route", "split", "-n", "default"]);
        (route["metadata"]["labels"]["networking.knative.dev/visibility"] == "cluster-local"
            && route["status"]["url"] == "http://split.default.svc.cluster.local")
            .then_some(())
    });

    // Again: already offline, nothing written, exit 0.
    let out = fd(&["fn", "offline", "split", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "function \"split\" is already offline; nothing was written\n"
    );
    let fn_list = fd(&["fn", "list", "-n", "default"]);
    assert!(
        fn_list
            .stdout
            .lines()
            .any(|l| l.contains("split") && l.contains("Offline")),
        "{}",
        fn_list.stdout
    );

    let out = fd(&["fn", "online", "split", "-n", "default", "-o", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        json,
        json!({"function": "split", "namespace": "default", "online": true, "changed": true,
               "writes": ["label networking.knative.dev/visibility removed",
                          "annotation funcdeck.dev/offline removed"],
               "warnings": []})
    );
    let online = ksvc(&c);
    assert_eq!(online["metadata"]["labels"], json!({"team": "web"}));
    assert!(
        online["metadata"]["annotations"]
            .get("funcdeck.dev/offline")
            .is_none()
    );
    let out = fd(&["fn", "online", "split", "-n", "default"]);
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (
            0,
            "function \"split\" is already online; nothing was written\n"
        )
    );
}

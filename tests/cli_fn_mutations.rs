//! `funcdeck fn delete`, `fn prune` and `fn rollback` as a user runs them against the sandbox,
//! each outcome checked with the real kubectl: refused without confirmation or in read-only
//! mode, refused by RBAC with the server's words, done with `--yes`, leaving what the user did
//! not change (other managers' fields, tagged and latest revisions) alone.

mod support;

use std::time::Duration;

use support::cluster::Cluster;
use support::wait_for;

/// A manifest written as JSON text.
fn manifest(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("a JSON manifest")
}

#[test]
fn delete_goes_through_the_gate_and_kubectl_sees_the_result() {
    let c = Cluster::start(6, 5);
    c.apply_and_wait(
        &manifest(r#"{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "doomed", "namespace": "default"},
            "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/doomed:1"}]}}}}"#),
        "doomed-00001",
    );
    let kubectl = |args: &[&str]| c.kubectl(args);
    let fd = |args: &[&str]| c.funcdeck(args);
    let still_there = || kubectl(&["get", "ksvc", "doomed", "-n", "default"]).status == 0;

    // No terminal to ask at and no --yes: refused, nothing changed.
    let out = fd(&["fn", "delete", "doomed", "-n", "default"]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "refusing to delete function default/doomed without confirmation: pass --yes"
        ),
        "{}",
        out.stderr
    );
    assert!(still_there());

    // Read-only refuses even with --yes.
    let out = fd(&[
        "--readonly",
        "fn",
        "delete",
        "doomed",
        "-n",
        "default",
        "--yes",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("funcdeck runs read-only"),
        "{}",
        out.stderr
    );
    assert!(still_there());

    // The viewer may not delete: the server's refusal, verbatim.
    let out = fd(&[
        "fn",
        "delete",
        "doomed",
        "-n",
        "default",
        "--yes",
        "--context",
        "sandbox-viewer",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("cannot delete function default/doomed")
            && out.stderr.contains(
                "cannot delete resource \"services\" in API group \"serving.knative.dev\""
            ),
        "{}",
        out.stderr
    );
    assert!(still_there());

    // With --yes it goes, and its revisions are collected with it.
    let out = fd(&[
        "fn", "delete", "doomed", "-n", "default", "--yes", "-o", "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"name": "doomed", "namespace": "default", "deleted": true})
    );
    let gone = kubectl(&["get", "ksvc", "doomed", "-n", "default"]);
    assert_eq!(gone.status, 1);
    assert!(
        gone.stderr.contains("NotFound") || gone.stderr.contains("not found"),
        "{}",
        gone.stderr
    );
    wait_for(
        Duration::from_secs(15),
        "the revisions to be collected",
        || {
            let revisions = kubectl(&[
                "get",
                "revisions",
                "-n",
                "default",
                "-l",
                "serving.knative.dev/service=doomed",
                "-o",
                "name",
            ]);
            (revisions.status == 0 && revisions.stdout.trim().is_empty()).then_some(())
        },
    );

    // Again: it is not there any more, and the message says so.
    let out = fd(&["fn", "delete", "doomed", "-n", "default", "--yes"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("error: function \"doomed\" not found in namespace \"default\""),
        "{}",
        out.stderr
    );
}

#[test]
fn prune_deletes_only_revisions_nothing_routes_to() {
    let c = Cluster::start(3, 5);
    let kubectl = |args: &[&str]| c.kubectl(args);
    let fd = |args: &[&str]| c.funcdeck(args);
    // Three revisions: 00001 tagged (kept at 0%), 00002 unrouted, 00003 latest with all traffic.
    for (generation, image) in [
        (1, "ghcr.io/acme/layers:1"),
        (2, "ghcr.io/acme/layers:2"),
        (3, "ghcr.io/acme/layers:3"),
    ] {
        let traffic = if generation == 3 {
            r#", "traffic": [{"latestRevision": true, "percent": 100}, {"revisionName": "layers-00001", "percent": 0, "tag": "first"}]"#
        } else {
            ""
        };
        c.apply_and_wait(
            &manifest(&format!(
                r#"{{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {{"name": "layers", "namespace": "default"}},
                    "spec": {{"template": {{"spec": {{"containers": [{{"image": "{image}"}}]}}}}{traffic}}}}}"#
            )),
            &format!("layers-0000{generation}"),
        );
    }
    wait_for(Duration::from_secs(20), "the tag to be routed", || {
        let traffic = kubectl(&[
            "get",
            "ksvc",
            "layers",
            "-n",
            "default",
            "-o",
            "jsonpath={.status.traffic[*].tag}",
        ]);
        traffic.stdout.contains("first").then_some(())
    });

    let out = fd(&["fn", "prune", "layers", "-n", "default"]);
    assert_eq!(out.status, 1, "no terminal, no --yes: {}", out.stdout);
    assert!(
        out.stderr
            .contains("delete 1 unrouted revision of function default/layers: layers-00002"),
        "{}",
        out.stderr
    );

    let out = fd(&[
        "fn", "prune", "layers", "-n", "default", "--yes", "-o", "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"function": "layers", "namespace": "default", "deleted": ["layers-00002"]})
    );
    let left = kubectl(&[
        "get",
        "revisions",
        "-n",
        "default",
        "-l",
        "serving.knative.dev/service=layers",
        "-o",
        "name",
    ]);
    assert_eq!(
        left.stdout.lines().collect::<Vec<_>>(),
        [
            "revision.serving.knative.dev/layers-00001",
            "revision.serving.knative.dev/layers-00003"
        ],
        "the tagged and the latest revision stay"
    );
    let again = fd(&["fn", "prune", "layers", "-n", "default", "--yes"]);
    assert_eq!(again.status, 0);
    assert!(
        again.stderr.contains("Nothing to prune"),
        "{}",
        again.stderr
    );
}

#[test]
fn rollback_moves_all_traffic_back_and_leaves_other_fields_alone() {
    let c = Cluster::start(3, 5);
    let kubectl = |args: &[&str]| c.kubectl(args);
    let fd = |args: &[&str]| c.funcdeck(args);
    // Written by client-side kubectl apply, twice: 00002 follows @latest with all traffic.
    for (generation, image) in [(1, "ghcr.io/acme/api:1"), (2, "ghcr.io/acme/api:2")] {
        c.apply_and_wait(
            &manifest(&format!(
                r#"{{"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                    "metadata": {{"name": "api", "namespace": "default", "labels": {{"team": "web"}}}},
                    "spec": {{"template": {{"spec": {{"containers": [{{"image": "{image}"}}]}}}}}}}}"#
            )),
            &format!("api-0000{generation}"),
        );
    }
    let routed = |revision: &'static str| {
        move || {
            let t = kubectl(&[
                "get",
                "ksvc",
                "api",
                "-n",
                "default",
                "-o",
                "jsonpath={range .status.traffic[*]}{.revisionName}={.percent};{end}",
            ]);
            (t.stdout == format!("{revision}=100;")).then_some(())
        }
    };
    wait_for(
        Duration::from_secs(20),
        "00002 to take all traffic",
        routed("api-00002"),
    );

    let out = fd(&["fn", "rollback", "api", "-n", "default"]);
    assert_eq!(out.status, 1, "no terminal, no --yes: {}", out.stdout);
    assert!(out.stderr.contains("pass --yes"), "{}", out.stderr);

    let out = fd(&[
        "fn", "rollback", "api", "-n", "default", "--yes", "-o", "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["to"], "api-00001");
    assert_eq!(json["after"], "00001 100%");
    wait_for(
        Duration::from_secs(20),
        "00001 to take all traffic",
        routed("api-00001"),
    );
    // Only spec.traffic changed: kubectl's label and template stay.
    let svc = kubectl(&["get", "ksvc", "api", "-n", "default", "-o", "json"]);
    let svc: serde_json::Value = serde_json::from_str(&svc.stdout).expect("json");
    assert_eq!(svc["metadata"]["labels"]["team"], "web");
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/acme/api:2"
    );

    let out = fd(&["fn", "rollback", "api", "-n", "default", "--yes"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "cannot roll back function \"api\": there is no earlier ready revision to roll back to"
        ),
        "{}",
        out.stderr
    );
    let out = fd(&[
        "fn",
        "rollback",
        "api",
        "-n",
        "default",
        "--to",
        "api-00002",
        "--yes",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("rolled back to api-00002: 00002 100% (was 00001 100%)"),
        "{}",
        out.stdout
    );
    wait_for(
        Duration::from_secs(20),
        "00002 to take all traffic again",
        routed("api-00002"),
    );
}

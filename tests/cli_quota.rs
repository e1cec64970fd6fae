//! `funcdeck quota get|set` against the sandbox's namespace with a quota and a limit range
//! (`ml-inference`), each outcome checked with the real kubectl: what get shows is what the
//! server holds, set writes only the values given under the `funcdeck` manager, a value below
//! usage needs --yes, read-only mode and a persona without access are refused.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::wait_for;

const NS: &str = "ml-inference";

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("funcdeck prints JSON")
}

#[test]
fn quota_get_shows_what_kubectl_reads() {
    let c = Cluster::start(6, 1);
    let quotas = c.kubectl_json(&["get", "resourcequota", "-n", NS]);
    let ranges = c.kubectl_json(&["get", "limitrange", "-n", NS]);
    let quota = &quotas["items"][0];
    assert_eq!(quotas["items"].as_array().map(Vec::len), Some(1));

    // Usage moves as pods scale: compare once both reads agree with a kubectl read after.
    let shown = wait_for(Duration::from_secs(20), "a steady usage", || {
        let out = c.funcdeck(&["quota", "get", "-n", NS, "-o", "json"]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        let shown = json_of(&out.stdout);
        let now = c.kubectl_json(&["get", "resourcequota", "-n", NS]);
        (shown["quotas"][0]["used"] == now["items"][0]["status"]["used"]).then_some(shown)
    });
    assert_eq!(shown["namespace"], NS);
    assert_eq!(shown["quotas"][0]["name"], quota["metadata"]["name"]);
    assert_eq!(shown["quotas"][0]["hard"], quota["spec"]["hard"]);
    let usage = shown["quotas"][0]["usage"].as_array().expect("usage rows");
    let keys: Vec<&str> = usage.iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(
        keys,
        [
            "requests.cpu",
            "limits.cpu",
            "requests.memory",
            "limits.memory",
            "requests.nvidia.com/gpu",
            "pods",
            "count/services.serving.knative.dev"
        ]
    );
    let limits = &ranges["items"][0]["spec"]["limits"][0];
    let cpu = &shown["limitRanges"][0]["limits"][0];
    assert_eq!(
        (
            &cpu["resource"],
            &cpu["default"],
            &cpu["defaultRequest"],
            &cpu["max"]
        ),
        (
            &json!("cpu"),
            &limits["default"]["cpu"],
            &limits["defaultRequest"]["cpu"],
            &limits["max"]["cpu"]
        )
    );

    // The table: a bar per resource and the limit range's columns.
    let out = c.funcdeck(&["quota", "get", "-n", NS]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("QUOTA"), "{}", out.stdout);
    let gpus = out
        .stdout
        .lines()
        .find(|l| l.contains(" gpus "))
        .expect("a gpu row");
    let hard = quota["spec"]["hard"]["requests.nvidia.com/gpu"]
        .as_str()
        .expect("gpu hard");
    assert!(
        gpus.contains(hard) && gpus.contains('░') && gpus.ends_with('%'),
        "{gpus}"
    );
    assert!(
        out.stdout.contains("DEFAULT REQUEST") && out.stdout.contains("container-defaults"),
        "{}",
        out.stdout
    );

    // A namespace without either says so; -A makes no sense.
    let out = c.funcdeck(&["quota", "get", "-n", "default"]);
    assert_eq!(out.status, 0);
    assert!(
        out.stderr
            .contains("No quotas or limit ranges in namespace default.")
    );
    let out = c.funcdeck(&["quota", "get", "-A"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("use -n NAMESPACE instead of -A"),
        "{}",
        out.stderr
    );
}

#[test]
fn quota_set_round_trips_and_is_gated() {
    let c = Cluster::start(6, 1);
    let hard = || {
        let q = c.kubectl_json(&["get", "resourcequota", "funcdeck", "-n", NS]);
        q["spec"]["hard"].clone()
    };

    // Within usage: no question, before → after on stderr, written by server-side apply.
    let out = c.funcdeck(&[
        "quota",
        "set",
        "-n",
        NS,
        "--cpu",
        "3500m",
        "--memory",
        "6Gi",
        "--gpu",
        "2",
        "--pods",
        "15",
        "--functions",
        "9",
        "-o",
        "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cpu requests (requests.cpu): none → 3500m (used "),
        "{}",
        out.stderr
    );
    let written = json!({"requests.cpu": "3500m", "requests.memory": "6Gi",
        "requests.nvidia.com/gpu": "2", "pods": "15", "count/services.serving.knative.dev": "9"});
    assert_eq!(json_of(&out.stdout)["hard"], written);
    assert_eq!(hard(), written);
    let q = c.kubectl_json(&[
        "get",
        "resourcequota",
        "funcdeck",
        "-n",
        NS,
        "--show-managed-fields",
    ]);
    let managers: Vec<(&str, &str)> = q["metadata"]["managedFields"]
        .as_array()
        .expect("managed fields")
        .iter()
        .filter_map(|m| Some((m["manager"].as_str()?, m["operation"].as_str()?)))
        .collect();
    assert_eq!(managers, [("funcdeck", "Apply")]);

    // Only the values given change; the rest of the quota stays.
    let out = c.funcdeck(&["quota", "set", "-n", NS, "--pods", "16"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("pods (pods): 15 → 16"),
        "{}",
        out.stderr
    );
    let mut expected = written.clone();
    expected["pods"] = json!("16");
    assert_eq!(hard(), expected);

    // Below usage (a function runs there): warned, refused without --yes, nothing written.
    let out = c.funcdeck(&["quota", "set", "-n", NS, "--functions", "0", "--pods", "20"]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("warning: functions: 0 is below the")
            && out.stderr.contains(
                "refusing to set the quota of namespace ml-inference without confirmation: pass --yes"
            ),
        "{}",
        out.stderr
    );
    assert_eq!(hard(), expected);
    let out = c.funcdeck(&["quota", "set", "-n", NS, "--functions", "0", "--yes"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(hard()["count/services.serving.knative.dev"], "0");

    // Read-only refuses even with --yes; the viewer is refused by the server, in its words.
    let out = c.funcdeck(&[
        "--readonly",
        "quota",
        "set",
        "-n",
        NS,
        "--pods",
        "3",
        "--yes",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "refusing to set the quota of namespace ml-inference: funcdeck runs read-only"
        ),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&[
        "quota",
        "set",
        "-n",
        NS,
        "--pods",
        "3",
        "--yes",
        "--context",
        "sandbox-viewer",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("User \"viewer\" cannot patch resource \"resourcequotas\""),
        "{}",
        out.stderr
    );
    assert_eq!(hard()["pods"], "16");

    // Malformed values are refused at their flag; no value at all is refused too.
    let out = c.funcdeck(&["quota", "set", "-n", NS, "--memory", "2GB"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .contains("invalid value '2GB' for '--memory <Q>'")
            && out.stderr.contains("unknown unit \"GB\""),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&["quota", "set", "-n", NS]);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("nothing to set"), "{}", out.stderr);
}

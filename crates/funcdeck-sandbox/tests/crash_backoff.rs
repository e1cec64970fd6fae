//! Crash loops in the kubelet's rhythm: restarted at once, then after a back-off that doubles
//! per restart up to 30 times the initial one (10 s → 5 min on a real node). The sandbox's
//! `crash_every` scales the whole rhythm, so one test watches it at 50 ms → 1.5 s, and another
//! checks that at the real 10 s nothing restarts early. (The 5 min cap and the 10 min reset are
//! unit-tested on the back-off itself, in `dataplane::backoff`.)
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Env, get_json, send_json, svc};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const PODS: &str =
    "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev%2Fservice%3Dboom";

async fn start(crash_every: Duration) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 1,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(20),
        cold_start: Duration::from_millis(50),
        crash_every,
        ..SandboxConfig::default()
    };
    let env = Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    };
    let r = send_json(
        env.addr(),
        "POST",
        "/apis/serving.knative.dev/v1/namespaces/default/services",
        "application/json",
        &svc("boom", "ghcr.io/acme/boom:crashloop"),
    )
    .await;
    assert_eq!(r.status, 201);
    env
}

/// The crash-looping pod and its user container status, once there is one.
async fn crashing(env: &Env) -> Option<(Value, Value)> {
    let pods = get_json(env.addr(), PODS).await;
    let pod = pods["items"].as_array()?.first()?.clone();
    let c = pod["status"]["containerStatuses"][0].clone();
    (c["state"]["waiting"]["reason"] == "CrashLoopBackOff" && c["restartCount"].as_u64()? > 0)
        .then_some((pod, c))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_back_off_doubling_to_thirty_times_the_first_delay() {
    let env = start(Duration::from_millis(50)).await;
    // (restartCount, when it was first seen, the waiting message, lastState.terminated)
    let mut seen: Vec<(u64, Instant, String, Value)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut pod = Value::Null;
    while seen.last().map(|s| s.0) < Some(7) {
        assert!(Instant::now() < deadline, "{seen:?}");
        if let Some((p, c)) = crashing(&env).await {
            let n = c["restartCount"].as_u64().unwrap();
            if seen.last().map(|s| s.0) != Some(n) {
                let msg = c["state"]["waiting"]["message"]
                    .as_str()
                    .unwrap()
                    .to_string();
                seen.push((n, Instant::now(), msg, c["lastState"]["terminated"].clone()));
            }
            pod = p;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let counts: Vec<u64> = seen.iter().map(|s| s.0).collect();
    assert_eq!(counts, [1, 2, 3, 4, 5, 6, 7], "one restart at a time");
    let (name, uid) = (
        pod["metadata"]["name"].as_str().unwrap(),
        pod["metadata"]["uid"].as_str().unwrap(),
    );
    let delays = ["50ms", "100ms", "200ms", "400ms", "800ms", "1.5s", "1.5s"];
    for ((n, _, msg, term), d) in seen.iter().zip(delays) {
        assert_eq!(
            msg,
            &format!(
                "back-off {d} restarting failed container=user-container pod={name}_default({uid})"
            ),
            "restart {n}"
        );
        assert_eq!(term["exitCode"], 1);
        assert_eq!(term["reason"], "Error");
        assert!(term["startedAt"].as_str().unwrap() <= term["finishedAt"].as_str().unwrap());
    }
    // The gap before restart n+1 is the back-off announced at restart n.
    let want_ms = [50u128, 100, 200, 400, 800, 1500];
    for (i, want) in want_ms.iter().enumerate() {
        let gap = seen[i + 1].1.duration_since(seen[i].1).as_millis();
        assert!(
            gap + 60 >= *want && gap <= want + 400,
            "restart {} came {gap} ms after the previous one, want {want} ms",
            i + 2
        );
    }
    // The kubelet's BackOff event counts one per crash.
    let events = get_json(
        env.addr(),
        "/api/v1/namespaces/default/events?fieldSelector=reason%3DBackOff",
    )
    .await;
    let ev = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["involvedObject"]["name"] == name)
        .unwrap();
    assert_eq!(ev["type"], "Warning");
    assert_eq!(
        ev["message"],
        format!("Back-off restarting failed container user-container in pod {name}_default({uid})")
    );
    assert_eq!(ev["count"], 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_kubelets_ten_seconds_the_first_restart_waits() {
    let env = start(Duration::from_secs(10)).await;
    let started = Instant::now();
    let (_, c) = loop {
        if let Some(found) = crashing(&env).await {
            break found;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no crash loop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(c["restartCount"], 1, "restarted once, at once");
    assert!(
        c["state"]["waiting"]["message"]
            .as_str()
            .unwrap()
            .starts_with(
                "back-off 10s restarting failed container=user-container pod=boom-00001-deployment-"
            ),
        "{c}"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, c) = crashing(&env).await.unwrap();
    assert_eq!(c["restartCount"], 1, "still backing off");
}

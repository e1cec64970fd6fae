//! Running `funcdeck logs` against an in-process sandbox: deploying a function with a pinned
//! load, and `-f` as a child whose JSON lines are read as they come.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

pub async fn start(kubeconfig: &Path, elasticsearch: bool) -> Sandbox {
    Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.to_path_buf()),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(100),
        idle_window: Duration::from_secs(600),
        cold_start: Duration::from_millis(100),
        elasticsearch,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

/// Polls `read` every 250 ms until it gives something, for at most 30 s.
pub async fn eventually<T, F: Future<Output = Option<T>>>(what: &str, read: impl Fn() -> F) -> T {
    for _ in 0..120 {
        if let Some(found) = read().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{what} in time");
}

/// `hello`'s running pods, as kubectl lists them.
pub async fn pods(kubeconfig: &Path, function: &str) -> Vec<String> {
    let mut kubectl = std::process::Command::new("kubectl");
    kubectl
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["get", "pods", "-n", "default", "-l"])
        .arg(format!("serving.knative.dev/service={function}"))
        .args(["--field-selector=status.phase=Running", "-o", "name"]);
    let out = tokio::task::spawn_blocking(move || super::run(&mut kubectl))
        .await
        .expect("kubectl ran");
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_owned())
        .collect()
}

/// Creates `name` in `default` with `rps` of load and waits for a running pod.
pub async fn deploy(home: &Path, kc: &Path, sandbox: &Sandbox, name: &str, rps: f64) -> String {
    sandbox.control().set_load("default", name, Some(rps));
    let create = ["fn", "create", name, "--image", "ghcr.io/acme/hello:1"];
    let out = super::metered::funcdeck(home, kc, &[&create[..], &["-n", "default"]].concat()).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually("a running pod", || async {
        pods(kc, name).await.into_iter().next()
    })
    .await
}

/// `funcdeck logs hello -f ARGS` with stdout and stderr piped.
pub fn spawn_follow(home: &Path, kc: &Path, extra: &[&str]) -> Child {
    super::funcdeck(home)
        .args(["logs", "hello", "-n", "default", "-f", "-o", "json"])
        .args(extra)
        .arg("--kubeconfig")
        .arg(kc)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn funcdeck logs -f")
}

/// Reads the child's JSON lines until `done` says so, running `meanwhile` (given the count
/// of lines read so far, live) alongside; the lines read. The child is killed after, or when
/// nothing satisfying comes within a minute (then this panics).
pub async fn read_follow<F: Future<Output = ()>>(
    mut child: Child,
    mut done: impl FnMut(&[Value]) -> bool + Send + 'static,
    meanwhile: impl FnOnce(tokio::sync::watch::Receiver<usize>) -> F,
) -> Vec<Value> {
    let stdout = child.stdout.take().expect("stdout");
    let (count, counted) = tokio::sync::watch::channel(0);
    let reading = tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            let value: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("one JSON object per line ({e}): {line:?}"));
            seen.push(value);
            count.send_replace(seen.len());
            if done(&seen) {
                return Some(seen);
            }
        }
        None
    });
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        meanwhile(counted).await;
        reading.await
    })
    .await;
    let _ = child.kill();
    let output = child.wait_with_output().expect("the child ends");
    match outcome {
        Ok(Ok(Some(seen))) => seen,
        _ => panic!(
            "the lines in time; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// Waits until `counted` reaches `n` (or the reader ended).
pub async fn lines_read(mut counted: tokio::sync::watch::Receiver<usize>, n: usize) {
    let _ = counted.wait_for(|c| *c >= n).await;
}

/// Reads one line of `child`'s output, then ends it the way `end` does; its exit code.
pub async fn exit_after_one_line(mut child: Child, end: fn(&mut Child)) -> Option<i32> {
    let pid = child.id();
    let waited = tokio::task::spawn_blocking(move || {
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("a first line");
        assert!(!first.is_empty(), "a first line");
        end(&mut child);
        drop(stdout);
        child.wait().expect("the child ends").code()
    });
    match tokio::time::timeout(Duration::from_secs(60), waited).await {
        Ok(code) => code.expect("waited"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
            panic!("funcdeck logs -f did not end");
        }
    }
}

pub fn interrupt(child: &mut Child) {
    let sent = std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .expect("kill -INT");
    assert!(sent.success());
}

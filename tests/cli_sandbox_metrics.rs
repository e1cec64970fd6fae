//! `funcdeck sandbox --metrics-era … --prometheus …`: the real binary starts its Prometheus
//! (kubectl reads it through the service proxy), says how to get one when there is none, refuses
//! bad values, and leaves no Prometheus behind even when it is killed outright.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::funcdeck;

const QUERY: &str =
    "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query?query=up";

struct Running {
    child: Child,
    kubeconfig: PathBuf,
    stderr: std::process::ChildStderr,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(home: &Path, args: &[&str], path: Option<&str>) -> Running {
    start_in(home, args, path, false)
}

/// `own_group`: in a process group of its own, as a shell or tmux runs it in a terminal.
fn start_in(home: &Path, args: &[&str], path: Option<&str>, own_group: bool) -> Running {
    let mut c = funcdeck(home);
    if own_group {
        use std::os::unix::process::CommandExt;
        c.process_group(0);
    }
    c.args(["sandbox", "--functions", "2"]).args(args);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn funcdeck sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("readable");
    let kubeconfig = PathBuf::from(first.strip_prefix("kubeconfig: ").expect("kubeconfig line"));
    assert_eq!(lines.next().expect("a line").expect("readable"), "ready");
    let stderr = child.stderr.take().expect("stderr");
    Running {
        child,
        kubeconfig,
        stderr,
    }
}

fn kubectl(r: &Running, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(&r.kubeconfig)
        .arg("--cache-dir")
        .arg(home.join("kube-cache"))
        .args(args)
        .output()
        .expect("kubectl")
}

/// Pids of processes named `prometheus` whose parent chain starts at `pid` (ours only: other
/// tests run their own).
fn prometheus_children(pid: u32) -> Vec<u32> {
    let out = Command::new("pgrep")
        .args(["-P", &pid.to_string(), "prometheus"])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// The temp dir holding Prometheus's `--config.file`, from its command line.
fn config_dir(pid: u32) -> Option<PathBuf> {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    cmdline
        .split(|b| *b == 0)
        .filter_map(|a| std::str::from_utf8(a).ok())
        .find_map(|a| a.strip_prefix("--config.file="))
        .and_then(|f| Path::new(f).parent().map(Path::to_path_buf))
}

fn gone(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn auto_starts_prometheus_and_kubectl_reads_it_through_the_proxy() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut r = start(home.path(), &["--metrics-era", "1.18"], None);
    let deadline = Instant::now() + Duration::from_secs(30);
    let out = loop {
        let out = kubectl(&r, home.path(), &["get", "--raw", QUERY]);
        if out.status.success() || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status"], "success");

    // Killed outright (no destructor runs): its Prometheus still goes, within a second or so.
    let pids = prometheus_children(r.child.id());
    assert_eq!(pids.len(), 1, "one prometheus child: {pids:?}");
    let dir = config_dir(pids[0]).expect("prometheus's --config.file");
    assert!(dir.exists(), "{}", dir.display());
    let _ = r.child.kill();
    let _ = r.child.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gone(pids[0]) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        gone(pids[0]),
        "prometheus {} outlived funcdeck sandbox",
        pids[0]
    );
    // And its temp dir (config, TSDB) goes with it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while dir.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!dir.exists(), "{} left behind", dir.display());
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut r.stderr, &mut rest);
    assert!(!rest.contains("note:"), "{rest}");
}

#[test]
fn without_the_binary_it_says_how_to_get_it_and_carries_on() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut r = start(home.path(), &[], Some("/nonexistent"));
    let mut line = String::new();
    BufReader::new(&mut r.stderr)
        .read_line(&mut line)
        .expect("a note");
    assert_eq!(
        line.trim_end(),
        "note: sandbox metrics need the `prometheus` binary (apt-get install prometheus on Debian/Ubuntu): none found on PATH; continuing without metrics"
    );
    let out = kubectl(&r, home.path(), &["get", "--raw", QUERY]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Error from server (ServiceUnavailable): no endpoints available for service \"prometheus\""),
        "{err}"
    );
}

#[test]
fn off_publishes_no_prometheus() {
    let home = tempfile::tempdir().expect("tempdir");
    let r = start(home.path(), &["--prometheus", "off"], None);
    assert!(prometheus_children(r.child.id()).is_empty());
    let out = kubectl(
        &r,
        home.path(),
        &["get", "svc", "-n", "monitoring", "prometheus"],
    );
    assert!(!out.status.success());
}

#[test]
fn bad_values_are_refused_with_what_is_accepted() {
    let home = tempfile::tempdir().expect("tempdir");
    for (args, want) in [
        (
            vec!["sandbox", "--metrics-era", "1.20"],
            "expected 1.18 or 1.19",
        ),
        (
            vec!["sandbox", "--prometheus", "sometimes"],
            "is not auto, off or an http:// URL",
        ),
        (
            vec!["sandbox", "--prometheus", "https://prom:9090"],
            "plain http:// only",
        ),
        (vec!["--prometheus", "off"], "--sandbox"),
    ] {
        let out = funcdeck(home.path()).args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn a_hangup_to_its_terminal_group_stops_prometheus_too() {
    // A closed terminal (or tmux kill-server) sends SIGHUP to the foreground process group;
    // Prometheus would take it as "reload config" and live on if it were in that group.
    let home = tempfile::tempdir().expect("tempdir");
    let mut r = start_in(home.path(), &[], None, true);
    let pids = prometheus_children(r.child.id());
    assert_eq!(pids.len(), 1, "one prometheus child: {pids:?}");
    let dir = config_dir(pids[0]).expect("prometheus's --config.file");
    let group = format!("-{}", r.child.id());
    let status = Command::new("kill")
        .args(["-HUP", "--", &group])
        .status()
        .expect("kill");
    assert!(status.success());
    let _ = r.child.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while (!gone(pids[0]) || dir.exists()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(gone(pids[0]), "prometheus {} outlived a hangup", pids[0]);
    assert!(!dir.exists(), "{} left behind", dir.display());
}

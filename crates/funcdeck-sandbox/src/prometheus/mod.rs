//! The sandbox's Prometheus: a real `prometheus` (Debian's 2.42 works) started as a child
//! process on loopback, scraping the `/metrics` exporters, or an external one named by URL.
//! Either is served as `monitoring/prometheus:9090` through the apiserver's service proxy
//! ([`crate::proxy`]). The child keeps its config and TSDB in a temp dir; both the process and the dir
//! go when the sandbox does (killed and reaped on drop, so a test leaves no stray process).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::metrics::Era;
use crate::metrics::expo::{ACTIVATOR_POD, Component};

pub const NAMESPACE: &str = "monitoring";
pub const SERVICE: &str = "prometheus";
pub const PORT: u16 = 9090;
pub const BINARY: &str = "prometheus";

/// Where the sandbox's Prometheus comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PrometheusMode {
    /// Start the `prometheus` on PATH if there is one.
    Auto,
    /// No Prometheus: no `monitoring/prometheus` Service.
    #[default]
    Off,
    /// Proxy to this one (`http://host:port[/prefix]`).
    Url(String),
}

impl std::str::FromStr for PrometheusMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "auto" => Ok(PrometheusMode::Auto),
            "off" => Ok(PrometheusMode::Off),
            url if url.starts_with("http://") => {
                let rest = &url["http://".len()..];
                let authority = rest.split('/').next().unwrap_or("");
                if authority.is_empty() {
                    return Err(format!("{url:?} has no host"));
                }
                Ok(PrometheusMode::Url(url.trim_end_matches('/').to_string()))
            }
            url if url.starts_with("https://") => Err(format!(
                "{url:?}: the sandbox proxies plain http:// only (put Prometheus behind http on loopback)"
            )),
            other => Err(format!(
                "{other:?} is not auto, off or an http:// URL of a Prometheus"
            )),
        }
    }
}

/// `name` on the directories of `path` (a PATH value), if it is an executable file there.
pub fn find_on_path(name: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// The scrape config: one job per component, every `interval`, with the labels a cluster's
/// Kubernetes service discovery would add (`namespace`, `pod`, `service`); queue-proxy's series
/// get `namespace`/`pod` from the revision's own labels, as its per-pod targets would.
pub fn config_yaml(era: Era, targets: &[(Component, SocketAddr)], interval: Duration) -> String {
    let ms = interval.as_millis().max(10);
    let mut y = format!(
        "global:\n  scrape_interval: {ms}ms\n  scrape_timeout: {ms}ms\n  evaluation_interval: {ms}ms\nscrape_configs:\n"
    );
    let (ns_label, pod_label) = match era {
        Era::V118 => ("namespace_name", "pod_name"),
        Era::V119 => ("k8s_namespace_name", "k8s_pod_name"),
    };
    for (c, addr) in targets {
        y.push_str(&format!(
            "  - job_name: {job}\n    static_configs:\n      - targets: ['{addr}']\n",
            job = c.job()
        ));
        match c {
            Component::Activator => y.push_str(&format!(
                "        labels: {{namespace: knative-serving, pod: {ACTIVATOR_POD}, service: activator-service}}\n"
            )),
            Component::Autoscaler => y.push_str(
                "        labels: {namespace: knative-serving, pod: autoscaler-6c8f9b7d5c-k4x9p, service: autoscaler}\n",
            ),
            Component::QueueProxy => y.push_str(&format!(
                "    metric_relabel_configs:\n      - source_labels: [{ns_label}]\n        target_label: namespace\n      - source_labels: [{pod_label}]\n        target_label: pod\n"
            )),
        }
    }
    y
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("none found on PATH")]
    NotFound,
    #[error("cannot prepare Prometheus's temp dir: {0}")]
    TempDir(std::io::Error),
    #[error("cannot start {path}: {source}")]
    Spawn {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running `prometheus` child: killed, reaped and its dir removed on drop.
pub struct Process {
    child: Mutex<Option<Child>>,
    pub addr: SocketAddr,
    ready: AtomicBool,
    // Dropped after the child (field order): the TSDB dir goes once nothing writes to it.
    _dir: tempfile::TempDir,
}

impl Process {
    pub fn start(binary: &Path, config: &str) -> Result<Process, StartError> {
        let dir = tempfile::Builder::new()
            .prefix("funcdeck-prometheus-")
            .tempdir()
            .map_err(StartError::TempDir)?;
        let config_path = dir.path().join("prometheus.yml");
        std::fs::write(&config_path, config).map_err(StartError::TempDir)?;
        let log = std::fs::File::create(dir.path().join("prometheus.log"))
            .map_err(StartError::TempDir)?;
        // A free port now; Prometheus binds it a moment later (loopback, so a race is unlikely).
        let addr = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map_err(StartError::TempDir)?;
        let child = watched(binary, dir.path())
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .arg("--log.level=warn")
            .arg("--storage.tsdb.retention.time=1d")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|source| StartError::Spawn {
                path: binary.to_path_buf(),
                source,
            })?;
        tracing::info!(%addr, pid = child.id(), "prometheus started");
        Ok(Process {
            child: Mutex::new(Some(child)),
            addr,
            ready: AtomicBool::new(false),
            _dir: dir,
        })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.lock().ok()?.as_ref().map(Child::id)
    }

    /// Still running (reaps it if it has exited).
    pub fn alive(&self) -> bool {
        let Ok(mut g) = self.child.lock() else {
            return false;
        };
        match g.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => true,
            Some(_) => {
                if let Some(c) = g.take() {
                    tracing::warn!(pid = c.id(), "prometheus exited");
                }
                false
            }
            None => false,
        }
    }

    /// Ready as its readiness probe (`/-/ready`) last said, and still running.
    pub fn ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed) && self.alive()
    }

    /// Polls `/-/ready` until it answers 200 (then marks the child ready), the child exits, or
    /// `timeout` passes.
    pub async fn wait_ready(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while tokio::time::Instant::now() < deadline && self.alive() {
            let probe = crate::proxy::forward(self.addr, "GET", "/-/ready", None, None, Vec::new());
            if let Ok(Ok(r)) = tokio::time::timeout(Duration::from_secs(1), probe).await
                && r.status == 200
            {
                self.ready.store(true, Ordering::Relaxed);
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Kills and reaps the process now (for tests of a Prometheus that died).
    pub fn kill(&self) {
        if let Ok(mut g) = self.child.lock()
            && let Some(mut c) = g.take()
        {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Keeps an eye on the sandbox's process for the child: killing the sandbox outright (SIGKILL,
/// a closed terminal's SIGHUP) runs no destructor, so a small shell watches our pid and, once we
/// are gone, stops Prometheus and removes its temp dir. `exec` makes the child's pid
/// Prometheus's own, so `kill` and `wait` act on Prometheus itself, and the watcher ends as soon
/// as Prometheus is gone. It runs in its own process group, so signals meant for the terminal's
/// foreground group (a closed tmux pane's SIGHUP) reach only funcdeck.
#[cfg(unix)]
fn watched(binary: &Path, dir: &Path) -> Command {
    const SCRIPT: &str = "parent=$1; dir=$2; shift 2; \
        (trap '' HUP INT; while kill -0 \"$parent\" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 0.5; done; \
        if ! kill -0 \"$parent\" 2>/dev/null; then kill -TERM $$ 2>/dev/null; n=0; \
        while kill -0 $$ 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done; \
        rm -rf \"$dir\"; fi) </dev/null >/dev/null 2>&1 & \
        exec \"$@\"";
    use std::os::unix::process::CommandExt;
    let mut c = Command::new("sh");
    // A group of its own: a terminal's SIGHUP or Ctrl-C goes to funcdeck's group, not here
    // (Prometheus takes SIGHUP as "reload" and would outlive us; the watcher would die).
    c.process_group(0);
    c.arg("-c")
        .arg(SCRIPT)
        .arg("sh")
        .arg(std::process::id().to_string())
        .arg(dir)
        .arg(binary);
    c
}

#[cfg(not(unix))]
fn watched(binary: &Path, _dir: &Path) -> Command {
    Command::new(binary)
}

/// What the service proxy forwards `monitoring/prometheus` to.
pub enum Upstream {
    /// Configured but no process (`auto` without the binary, or it failed to start).
    Missing,
    Child(Process),
    /// An external Prometheus: its `host:port` and path prefix.
    Url {
        authority: String,
        prefix: String,
    },
}

impl Upstream {
    pub fn url(url: &str) -> Upstream {
        let rest = url.trim_start_matches("http://");
        let (authority, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("/{}", prefix.trim_end_matches('/'))
        };
        Upstream::Url {
            authority: authority.to_string(),
            prefix,
        }
    }
}

/// What serves `monitoring/prometheus:9090` in this sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrometheusStatus {
    /// `prometheus: off`: no Service, no process.
    Off,
    /// Configured, but nothing to start (`auto` without the binary on PATH, or it failed): the
    /// Service exists and the proxy says it has no endpoints. The reason says which.
    Missing(String),
    /// A child process the sandbox started, at this base URL.
    Started(String),
    /// An external Prometheus the sandbox proxies to.
    External(String),
}

/// Sets up what `mode` asks for: the child started (not yet ready; see
/// [`Process::wait_ready`]), the external URL, or nothing.
pub fn launch(
    mode: &PrometheusMode,
    era: Era,
    targets: &[(Component, SocketAddr)],
    interval: Duration,
) -> (Option<std::sync::Arc<Upstream>>, PrometheusStatus) {
    match mode {
        PrometheusMode::Off => (None, PrometheusStatus::Off),
        PrometheusMode::Url(url) => (
            Some(std::sync::Arc::new(Upstream::url(url))),
            PrometheusStatus::External(url.clone()),
        ),
        PrometheusMode::Auto => {
            let found = find_on_path(BINARY, std::env::var_os("PATH").as_deref());
            let started = found
                .ok_or(StartError::NotFound)
                .and_then(|bin| Process::start(&bin, &config_yaml(era, targets, interval)));
            match started {
                Ok(p) => {
                    let url = format!("http://{}", p.addr);
                    (
                        Some(std::sync::Arc::new(Upstream::Child(p))),
                        PrometheusStatus::Started(url),
                    )
                }
                Err(e) => {
                    tracing::warn!(error = %e, "no prometheus for the sandbox");
                    (
                        Some(std::sync::Arc::new(Upstream::Missing)),
                        PrometheusStatus::Missing(e.to_string()),
                    )
                }
            }
        }
    }
}

/// The Service the sandbox publishes while a Prometheus is configured.
pub fn service_object(created: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": SERVICE,
            "namespace": NAMESPACE,
            "creationTimestamp": created,
            "labels": {"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/part-of": "funcdeck-sandbox"},
        },
        "spec": {
            "type": "ClusterIP",
            "selector": {"app.kubernetes.io/name": "prometheus"},
            "clusterIP": "10.96.90.90",
            "clusterIPs": ["10.96.90.90"],
            "ports": [{"name": "http-web", "port": PORT, "protocol": "TCP", "targetPort": PORT}],
            "sessionAffinity": "None",
        },
        "status": {"loadBalancer": {}},
    })
}

//! An in-process sandbox with a real Prometheus scraping it fast (the `prometheus` binary on
//! PATH, as `.ci/run` installs it): quick ticks and scrapes, so a pinned load is read back
//! within seconds, for the tests that check figures against the known load.

use std::path::Path;
use std::time::Duration;

use funcdeck_sandbox::{MetricsEra, PrometheusMode, PrometheusStatus, Sandbox, SandboxConfig};

use super::Output;

pub async fn start(kubeconfig: &Path, era: MetricsEra) -> Sandbox {
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.to_path_buf()),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(200),
        cold_start: Duration::from_millis(100),
        metrics_era: era,
        prometheus: PrometheusMode::Auto,
        scrape_interval: Duration::from_millis(250),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    assert!(
        matches!(sandbox.prometheus(), PrometheusStatus::Started(_)),
        "the `prometheus` binary must be on PATH (apt-get install prometheus): {:?}",
        sandbox.prometheus()
    );
    sandbox
}

/// `funcdeck ARGS --kubeconfig KUBECONFIG`, off the runtime's threads (the sandbox runs on them).
pub async fn funcdeck(home: &Path, kubeconfig: &Path, args: &[&str]) -> Output {
    let mut command = super::funcdeck(home);
    command.args(args).arg("--kubeconfig").arg(kubeconfig);
    tokio::task::spawn_blocking(move || super::run(&mut command))
        .await
        .expect("the CLI ran")
}

/// `default/hello` created from an image and its load pinned to `rps` requests a second.
pub async fn pinned_hello(home: &Path, kubeconfig: &Path, sandbox: &Sandbox, rps: f64) {
    let create = [
        "fn",
        "create",
        "hello",
        "--image",
        "ghcr.io/acme/hello:1",
        "-n",
        "default",
    ];
    let out = funcdeck(home, kubeconfig, &create).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    sandbox.control().set_load("default", "hello", Some(rps));
}

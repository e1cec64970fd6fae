//! `funcdeck sandbox` (foreground, for kubectl) and the in-process sandbox behind `--sandbox`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use funcdeck_sandbox::{MetricsEra, PrometheusMode, PrometheusStatus, Sandbox, SandboxConfig};

use super::SandboxArgs;
use crate::config::Paths;

pub async fn serve_sandbox(args: &SandboxArgs, paths: &Paths) -> anyhow::Result<()> {
    let kubeconfig = args
        .kubeconfig_out
        .clone()
        .unwrap_or_else(|| paths.state_dir.join("sandbox").join("kubeconfig"));
    let kubeconfig = std::path::absolute(&kubeconfig).unwrap_or(kubeconfig);
    let sandbox = Sandbox::start(SandboxConfig {
        listen: args.listen,
        kubeconfig_out: Some(kubeconfig.clone()),
        functions: args.functions,
        seed: args.seed,
        scenarios: args.scenarios.clone(),
        metrics_era: args.metrics_era,
        prometheus: args.prometheus.clone(),
        elasticsearch: args.elasticsearch.on(),
        ..SandboxConfig::default()
    })
    .await
    .context("cannot start the sandbox")?;
    if let Some(note) = prometheus_note(&sandbox) {
        eprintln!("{note}");
    }
    // Listen for signals before saying `ready`: a caller may stop us the moment it reads it.
    let shutdown = shutdown_signal()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "kubeconfig: {}", kubeconfig.display())?;
    writeln!(stdout, "ready")?;
    stdout.flush()?;
    drop(stdout);
    tracing::info!(addr = %sandbox.addr(), "sandbox serving");
    shutdown.await;
    sandbox.shutdown().await;
    Ok(())
}

/// Starts a sandbox inside this process for `funcdeck --sandbox`; the kubeconfig is private to
/// this run and removed by [`EmbeddedSandbox::stop`].
pub async fn start_embedded_sandbox(
    paths: &Paths,
    functions: usize,
    seed: u64,
    metrics_era: MetricsEra,
    prometheus: PrometheusMode,
    elasticsearch: bool,
) -> anyhow::Result<EmbeddedSandbox> {
    let kubeconfig = paths
        .state_dir
        .join("sandbox")
        .join(format!("embedded-{}.kubeconfig", std::process::id()));
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.clone()),
        functions,
        seed,
        metrics_era,
        prometheus,
        elasticsearch,
        ..SandboxConfig::default()
    })
    .await
    .context("cannot start the built-in sandbox")?;
    Ok(EmbeddedSandbox {
        note: prometheus_note(&sandbox),
        sandbox,
        kubeconfig,
    })
}

pub struct EmbeddedSandbox {
    sandbox: Sandbox,
    pub kubeconfig: PathBuf,
    /// Said once at start (the TUI shows it as a warning): why there are no metrics.
    pub note: Option<String>,
}

/// What to tell the user when `auto` found no Prometheus to start.
fn prometheus_note(sandbox: &Sandbox) -> Option<String> {
    match sandbox.prometheus() {
        PrometheusStatus::Missing(why) => Some(format!(
            "note: sandbox metrics need the `prometheus` binary (apt-get install prometheus on Debian/Ubuntu): {why}; continuing without metrics"
        )),
        _ => None,
    }
}

impl EmbeddedSandbox {
    pub async fn stop(self) {
        self.sandbox.shutdown().await;
        let _ = std::fs::remove_file(&self.kubeconfig);
    }
}

/// A future that resolves on Ctrl-C or SIGTERM; the handlers are installed when this returns.
pub(super) fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

//! The real runner against an in-process sandbox, for the panes' end-to-end reads: a quick
//! sandbox (fast ticks and cold starts), a runner connected to it, and the next message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use funcdeck::app::{Effect, Msg, Ticket, ViewId};
use funcdeck::runner::Runner;
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc::UnboundedReceiver;

/// A sandbox without seeded functions that reacts fast, its kubeconfig at `kubeconfig`,
/// serving Elasticsearch or not.
pub async fn quick_sandbox(kubeconfig: &Path, elasticsearch: bool) -> Sandbox {
    funcdeck_core::tls::install_crypto_provider();
    Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.to_path_buf()),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(100),
        cold_start: Duration::from_millis(100),
        elasticsearch,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

/// A runner connected to the cluster of `kubeconfig`, and the channel it answers on.
pub async fn connected(kubeconfig: PathBuf) -> (Runner, UnboundedReceiver<Msg>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(
        ClusterTarget {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
        tx,
    );
    runner.run(Effect::Connect {
        ticket: Ticket {
            view: ViewId(0),
            generation: 1,
        },
        context: None,
    });
    assert!(matches!(
        next(&mut rx).await,
        Msg::Connected { result: Ok(_), .. }
    ));
    (runner, rx)
}

/// The runner's next message, within 30 s.
pub async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("an answer in time")
        .expect("the channel stays open")
}

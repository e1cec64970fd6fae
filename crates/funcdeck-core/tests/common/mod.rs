//! Shared setup for the tests against the in-process simulated cluster: a seeded sandbox with
//! a connection made through its kubeconfig, and helpers to build services and read watches.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use funcdeck_core::cluster::{ClusterTarget, Connection, connect};
use funcdeck_core::knative::Service;
use funcdeck_core::watch::WatchEvent;
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use futures::StreamExt;
use futures::stream::BoxStream;
use kube::Api;

pub mod stack;

pub const WAIT: Duration = Duration::from_secs(15);
pub const IMAGE: &str = "ghcr.io/funcdeck/hello:1";

pub struct Env {
    pub sandbox: Sandbox,
    pub conn: Connection,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Env {
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 12,
        seed: 7,
        ready_delay: Duration::from_millis(100),
        ..Default::default()
    })
    .await
    .expect("sandbox starts");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(
            sandbox
                .kubeconfig_path()
                .expect("kubeconfig written")
                .to_path_buf(),
        ),
        context: None,
    })
    .await
    .expect("connect via the sandbox kubeconfig");
    Env {
        sandbox,
        conn,
        _dir: dir,
    }
}

pub fn services(conn: &Connection, ns: &str) -> Api<Service> {
    Api::namespaced(conn.client.clone(), ns)
}

pub fn labelled(ns: &str, name: &str, labels: &[(&str, &str)]) -> Service {
    let mut svc = Service::new(ns, name, IMAGE);
    svc.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    );
    svc
}

/// The next event satisfying `pred`, skipping others; panics after `WAIT`.
pub async fn next_matching<T>(
    events: &mut BoxStream<'static, WatchEvent<T>>,
    what: &str,
    mut pred: impl FnMut(&WatchEvent<T>) -> bool,
) -> WatchEvent<T> {
    let found = tokio::time::timeout(WAIT, async {
        while let Some(ev) = events.next().await {
            if pred(&ev) {
                return Some(ev);
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(ev)) => ev,
        Ok(None) => panic!("watch stream ended while waiting for {what}"),
        Err(_) => panic!("no {what} within {WAIT:?}"),
    }
}

/// Polls the stream for `d`, so the watcher gets past its list and opens the watch.
pub async fn drain_for<T>(events: &mut BoxStream<'static, WatchEvent<T>>, d: Duration) {
    let _ = tokio::time::timeout(d, async { while events.next().await.is_some() {} }).await;
}

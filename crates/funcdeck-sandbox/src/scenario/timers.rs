//! The periodic scenarios: close every watch stream each `drop-watches` period and restart the
//! apiserver each `apiserver-restart` period. Both reuse the one-shot triggers tests call
//! (`SandboxControl::drop_watches` / `restart_apiserver`), so a timer and a test do the same.

use std::future::pending;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use super::Scenarios;

fn next(period: Option<Duration>, from: Instant) -> Option<Instant> {
    period.filter(|d| !d.is_zero()).map(|d| from + d)
}

async fn until(at: Option<Instant>) {
    match at {
        Some(t) => sleep_until(t).await,
        None => pending().await,
    }
}

pub async fn run(
    scenarios: Arc<Scenarios>,
    drops: Arc<watch::Sender<u64>>,
    restarts: Arc<watch::Sender<u64>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut rx = scenarios.subscribe();
    let mut cur = scenarios.current();
    let mut drop_at = next(cur.drop_watches, Instant::now());
    let mut restart_at = next(cur.apiserver_restart, Instant::now());
    loop {
        tokio::select! {
            _ = until(drop_at) => {
                drops.send_modify(|n| *n += 1);
                drop_at = next(cur.drop_watches, Instant::now());
            }
            _ = until(restart_at) => {
                restarts.send_modify(|n| *n += 1);
                restart_at = next(cur.apiserver_restart, Instant::now());
            }
            changed = rx.changed() => {
                if changed.is_err() {
                    return;
                }
                let new = rx.borrow_and_update().clone();
                if new.drop_watches != cur.drop_watches {
                    drop_at = next(new.drop_watches, Instant::now());
                }
                if new.apiserver_restart != cur.apiserver_restart {
                    restart_at = next(new.apiserver_restart, Instant::now());
                }
                cur = new;
            }
            _ = shutdown.changed() => return,
        }
    }
}

//! The accept loop: one hyper HTTP/1.1 connection task per client, graceful shutdown (stop
//! accepting, let in-flight requests finish, watch streams end on the shutdown signal).
//! Two failure scenarios live here because only the accept loop can fake them: a slow API
//! (every request waits first; an open watch stream is unaffected after its start) and an
//! apiserver restart (every connection cut, the port closed so connects are refused for the
//! downtime, then the same store served again on the same address, RVs continuing).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::api;
use crate::scenario::Scenarios;
use crate::watch::WatchEnv;

/// What the accept loop needs for the scenarios it plays.
pub struct Faults {
    pub scenarios: Arc<Scenarios>,
    /// Bumped to restart the apiserver.
    pub restarts: watch::Receiver<u64>,
    /// How long connections are refused during a restart.
    pub downtime: Duration,
}

pub async fn serve(
    mut listener: TcpListener,
    env: Arc<WatchEnv>,
    mut shutdown: watch::Receiver<bool>,
    mut faults: Faults,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let env = env.clone();
                    let scenarios = faults.scenarios.clone();
                    let mut stop = shutdown.clone();
                    conns.spawn(async move {
                        let _ = stream.set_nodelay(true);
                        let svc = service_fn(move |req| {
                            let env = env.clone();
                            let slow = scenarios.slow_api();
                            async move {
                                if let Some(d) = slow {
                                    tokio::time::sleep(d).await;
                                }
                                Ok::<_, Infallible>(api::handle(env, req).await)
                            }
                        });
                        let conn = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = stop.changed() => {
                                conn.as_mut().graceful_shutdown();
                                let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                            }
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            changed = faults.restarts.changed() => {
                if changed.is_err() {
                    continue;
                }
                match restart(listener, &mut conns, faults.downtime, &mut shutdown).await {
                    Some(l) => listener = l,
                    None => return,
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}

/// Cuts every connection, closes the port for `downtime`, and binds the same address again.
/// `None` when shut down meanwhile.
async fn restart(
    listener: TcpListener,
    conns: &mut JoinSet<()>,
    downtime: Duration,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<TcpListener> {
    let addr: SocketAddr = listener.local_addr().ok()?;
    tracing::info!(%addr, "simulated apiserver restart");
    drop(listener);
    conns.abort_all();
    while conns.join_next().await.is_some() {}
    tokio::select! {
        _ = tokio::time::sleep(downtime) => {}
        _ = shutdown.changed() => return None,
    }
    loop {
        match TcpListener::bind(addr).await {
            Ok(l) => return Some(l),
            Err(e) => {
                tracing::warn!(%addr, error = %e, "rebind after restart failed; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = shutdown.changed() => return None,
                }
            }
        }
    }
}

//! Performs [`Effect`]s: spawns the I/O and sends the answers back to the UI task as messages.
//!
//! The runner owns the cluster connection and the running watch; the app only ever sees
//! messages, tagged with the generation that asked, so late answers are dropped by `update`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use funcdeck_core::cluster::{self, ClusterTarget, Connection};
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::{self, FunctionEvent};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::{ContextInfo, Effect, Msg};

const NAMESPACE_LIST_TIMEOUT: Duration = Duration::from_secs(10);

/// The newest connection and the generation that made it; written by the connect task, read
/// by later effects.
type ConnectionSlot = Arc<Mutex<Option<(u64, Connection)>>>;

pub struct Runner {
    target: ClusterTarget,
    tx: UnboundedSender<Msg>,
    connection: ConnectionSlot,
    watch: Option<JoinHandle<()>>,
}

impl Runner {
    pub fn new(target: ClusterTarget, tx: UnboundedSender<Msg>) -> Self {
        Runner {
            target,
            tx,
            connection: Arc::new(Mutex::new(None)),
            watch: None,
        }
    }

    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Connect { generation } => {
                self.stop_watch();
                let target = self.target.clone();
                let slot = Arc::clone(&self.connection);
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = cluster::connect(&target).await.map(|conn| {
                        let info = ContextInfo {
                            context: conn.context.clone(),
                            server: conn.cluster.clone(),
                            default_namespace: conn.default_namespace.clone(),
                        };
                        // A slower, older connect must not replace a newer one.
                        if let Ok(mut slot) = slot.lock()
                            && slot.as_ref().is_none_or(|(newest, _)| *newest < generation)
                        {
                            *slot = Some((generation, conn));
                        }
                        info
                    });
                    if let Err(error) = &result {
                        tracing::warn!(%error, "connect failed");
                    }
                    let _ = tx.send(Msg::Connected { generation, result });
                });
            }
            Effect::WatchFunctions { generation, scope } => {
                self.stop_watch();
                let tx = self.tx.clone();
                let Some(conn) = self.current_connection() else {
                    let _ = tx.send(Msg::Functions {
                        generation,
                        event: FunctionEvent::Failed(not_connected()),
                    });
                    return;
                };
                let mut events = functions::watch_functions(&conn, scope);
                self.watch = Some(tokio::spawn(async move {
                    while let Some(event) = events.next().await {
                        if tx.send(Msg::Functions { generation, event }).is_err() {
                            break;
                        }
                    }
                }));
            }
            Effect::LoadNamespaces { generation } => {
                let tx = self.tx.clone();
                let conn = self.current_connection();
                tokio::spawn(async move {
                    let result = match conn {
                        None => Err(not_connected()),
                        Some(conn) => {
                            match tokio::time::timeout(
                                NAMESPACE_LIST_TIMEOUT,
                                functions::list_namespaces(&conn),
                            )
                            .await
                            {
                                Ok(result) => result,
                                Err(_) => Err(CoreError::Unreachable {
                                    server: conn.cluster.clone(),
                                    reason: "listing namespaces timed out".into(),
                                }),
                            }
                        }
                    };
                    let _ = tx.send(Msg::Namespaces { generation, result });
                });
            }
            Effect::Probe { generation } => {
                let tx = self.tx.clone();
                let conn = self.current_connection();
                tokio::spawn(async move {
                    let result = match conn {
                        None => Err(not_connected()),
                        Some(conn) => cluster::probe(&conn).await,
                    };
                    let _ = tx.send(Msg::Probed { generation, result });
                });
            }
        }
    }

    fn current_connection(&self) -> Option<Connection> {
        self.connection
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|(_, conn)| conn.clone()))
    }

    fn stop_watch(&mut self) {
        if let Some(task) = self.watch.take() {
            task.abort();
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.stop_watch();
    }
}

fn not_connected() -> CoreError {
    CoreError::Api {
        code: 0,
        reason: "NotConnected".into(),
        message: "not connected to a cluster yet".into(),
    }
}

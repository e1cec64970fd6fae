//! Performs [`Effect`]s: spawns the I/O and sends the answers back to the UI task as messages.
//!
//! The runner owns the cluster connection and a registry of running watches, keyed by the view
//! that asked and the kind of watch: a view's new watch of a kind replaces its old one, a popped
//! view's watches are aborted, and a reconnect stops them all. The app only ever sees messages,
//! tagged with the ticket that asked, so late answers are dropped by `update`.

mod edit;
mod kube;
pub mod logs;
mod metrics;
mod platform;
mod pod_logs;
mod stack;
mod traces;
mod usage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use funcdeck_core::cluster::{ClusterTarget, Connection};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::{Effect, Msg, Mutation, ViewId};
use crate::drafts::DraftStore;

/// The newest connection and the generation that made it; written by the connect task, read
/// by later effects.
type ConnectionSlot = Arc<Mutex<Option<(u64, Connection)>>>;

/// What `config.toml` says about backends, per kube context (shared with every poll).
#[derive(Debug, Clone, Default)]
pub struct Backends(Arc<crate::config::Config>);

impl Backends {
    pub fn new(config: crate::config::Config) -> Self {
        Backends(Arc::new(config))
    }

    fn prometheus_for(&self, context: &str) -> Option<funcdeck_core::backend::EndpointConfig> {
        self.0.prometheus_for(context).cloned()
    }

    fn jaeger_for(&self, context: &str) -> Option<funcdeck_core::backend::EndpointConfig> {
        self.0.jaeger_for(context).cloned()
    }

    fn elasticsearch_for(&self, context: &str) -> Option<funcdeck_core::backend::EndpointConfig> {
        self.0.elasticsearch_for(context).cloned()
    }

    /// The indices the logs are searched in on `context` (`[elasticsearch] indices`).
    fn elasticsearch_indices_for(&self, context: &str) -> &str {
        self.0.elasticsearch_indices_for(context)
    }

    /// The config's pins of the stack's third-party releases (`[stack.upstream.NAME]`).
    fn stack_pins(&self) -> &std::collections::BTreeMap<String, funcdeck_core::stack::Pin> {
        &self.0.stack.upstream
    }

    /// The Knative metrics era the config pins for `context` (unreadable: read off the metric
    /// names instead; the start-up warnings said so).
    fn era_for(&self, context: &str) -> Option<funcdeck_core::prometheus::dialect::Era> {
        self.0.metrics_era_for(context).ok().flatten()
    }
}

pub struct Runner {
    backends: Backends,
    target: ClusterTarget,
    tx: UnboundedSender<Msg>,
    connection: ConnectionSlot,
    watches: HashMap<(ViewId, &'static str), JoinHandle<()>>,
    drafts: Option<DraftStore>,
    /// The last draft write (each waits for the one before); `flush` waits for it so quitting
    /// never loses the last buffer.
    last_write: Option<JoinHandle<()>>,
}

impl Runner {
    pub fn new(target: ClusterTarget, tx: UnboundedSender<Msg>) -> Self {
        Runner {
            backends: Backends::default(),
            target,
            tx,
            connection: Arc::new(Mutex::new(None)),
            watches: HashMap::new(),
            drafts: None,
            last_write: None,
        }
    }

    /// The backends' settings from the config.
    pub fn with_backends(mut self, backends: Backends) -> Self {
        self.backends = backends;
        self
    }

    /// Where the editor's drafts are kept.
    pub fn with_drafts(mut self, drafts: DraftStore) -> Self {
        self.drafts = Some(drafts);
        self
    }

    /// Waits for the draft writes still under way (called on the way out).
    pub async fn flush(&mut self) {
        if let Some(write) = self.last_write.take() {
            let _ = write.await;
        }
    }

    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Connect { ticket, context } => {
                self.stop_all();
                let mut target = self.target.clone();
                if context.is_some() {
                    target.context = context;
                }
                kube::connect(
                    target,
                    ticket,
                    Arc::clone(&self.connection),
                    self.tx.clone(),
                );
            }
            Effect::Watch { ticket, watch } => {
                let key = (ticket.view, watch.kind());
                if let Some(old) = self.watches.remove(&key) {
                    old.abort();
                }
                let task = kube::watch(
                    self.current_connection(),
                    self.backends.clone(),
                    ticket,
                    watch,
                    self.tx.clone(),
                );
                self.watches.insert(key, task);
            }
            Effect::Unsubscribe { view } => {
                self.watches.retain(|(owner, _), task| {
                    if *owner == view {
                        task.abort();
                    }
                    *owner != view
                });
            }
            Effect::LoadNamespaces { ticket } => {
                kube::load_namespaces(self.current_connection(), ticket, self.tx.clone());
            }
            // The stack's runs take minutes and report progress: they have their own runner.
            Effect::Mutate {
                ticket,
                mutation:
                    mutation @ (Mutation::InstallStack { .. } | Mutation::UninstallStack { .. }),
            } => stack::run(
                self.current_connection(),
                self.backends.clone(),
                ticket,
                mutation,
                self.tx.clone(),
            ),
            Effect::Mutate { ticket, mutation } => {
                kube::mutate(self.current_connection(), ticket, mutation, self.tx.clone());
            }
            Effect::StackStatus { ticket, options } => stack::status(
                self.current_connection(),
                self.backends.clone(),
                ticket,
                *options,
                self.tx.clone(),
            ),
            Effect::StackPlan {
                ticket,
                options,
                from,
            } => stack::plan(
                self.current_connection(),
                self.backends.clone(),
                ticket,
                (*options, from),
                self.tx.clone(),
            ),
            Effect::Probe { ticket } => {
                kube::probe(self.current_connection(), ticket, self.tx.clone());
            }
            Effect::ReviewAccess { ticket, namespace } => {
                kube::review_access(
                    self.current_connection(),
                    ticket,
                    namespace,
                    self.tx.clone(),
                );
            }
            Effect::LoadEdit { ticket, id } => edit::load(
                self.current_connection(),
                self.drafts.clone(),
                ticket,
                id,
                self.tx.clone(),
            ),
            Effect::LoadTheirs { ticket, key } => {
                edit::load_theirs(self.current_connection(), ticket, key, self.tx.clone());
            }
            Effect::SaveDraft { draft } => self.write(edit::DraftChange::Save(draft)),
            Effect::DeleteDraft { id } => self.write(edit::DraftChange::Delete(id)),
            Effect::ListDrafts { ticket } => {
                edit::list(self.drafts.clone(), ticket, self.tx.clone());
            }
            Effect::ExternalEdit { ticket, .. } => {
                // Only the terminal loop can suspend the screen; reaching here is a wiring bug.
                let reply = Box::new(crate::app::Reply::ExternalEdited(Err(
                    "no terminal to run $EDITOR in".into(),
                )));
                let _ = self.tx.send(Msg::Reply { ticket, reply });
            }
            Effect::WriteFile { ticket, path, text } => write_file(ticket, path, text, &self.tx),
            Effect::Invoke {
                ticket,
                key,
                request,
            } => {
                kube::invoke(
                    self.current_connection(),
                    ticket,
                    key,
                    request,
                    self.tx.clone(),
                );
            }
            Effect::ReadTrace { ticket, id } => traces::read_trace(
                self.current_connection(),
                self.backends.clone(),
                ticket,
                id,
                self.tx.clone(),
            ),
        }
    }

    /// How many watches are running, per view (tests check that popping a view stops them).
    pub fn running_watches(&self) -> usize {
        self.watches.values().filter(|t| !t.is_finished()).count()
    }

    fn current_connection(&self) -> Option<Connection> {
        self.connection
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|(_, conn)| conn.clone()))
    }

    fn write(&mut self, change: edit::DraftChange) {
        let previous = self.last_write.take();
        let task = edit::write(self.drafts.clone(), change, previous, self.tx.clone());
        self.last_write = Some(task);
    }

    fn stop_all(&mut self) {
        for (_, task) in self.watches.drain() {
            task.abort();
        }
    }
}

/// Writes off the UI task (a full logs buffer is megabytes); the answer names the file or
/// says why it could not be written.
fn write_file(
    ticket: crate::app::Ticket,
    path: std::path::PathBuf,
    text: String,
    tx: &UnboundedSender<Msg>,
) {
    let tx = tx.clone();
    tokio::task::spawn_blocking(move || {
        let result = std::fs::write(&path, text)
            .map(|()| path.clone())
            .map_err(|error| format!("cannot write {}: {error}", path.display()));
        let reply = Box::new(crate::app::Reply::Saved(result));
        let _ = tx.send(Msg::Reply { ticket, reply });
    });
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.stop_all();
    }
}

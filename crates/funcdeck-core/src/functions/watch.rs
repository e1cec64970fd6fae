//! A live, self-healing view of the functions in scope.
//!
//! kube's watcher does the list-then-watch dance, resumes from the last resourceVersion and
//! relists on 410 Gone; this turns its events into whole-set replacements and single-row
//! changes the UI can apply without knowing any of that, and paces retries with backoff.

use futures::stream::BoxStream;
use futures::{StreamExt, future};
use kube::runtime::{WatchStreamExt, watcher};

use super::{NamespaceScope, services_api};
use crate::CoreError;
use crate::cluster::Connection;
use crate::error::is_gone;
use crate::function::{FunctionKey, FunctionSummary};
use crate::knative::Service;

#[derive(Debug, Clone)]
pub enum FunctionEvent {
    /// A (re)list completed: the full current set, sorted by key. Replace what you had.
    Synced(Vec<FunctionSummary>),
    /// A function was added or changed.
    Applied(FunctionSummary),
    Deleted(FunctionKey),
    /// The watch failed and will retry with backoff; keep the data and show the reason.
    Failed(CoreError),
}

/// Watches Knative Services in scope. The stream never ends on its own; drop it to stop.
pub fn watch_functions(
    conn: &Connection,
    scope: NamespaceScope,
) -> BoxStream<'static, FunctionEvent> {
    let api = services_api(&conn.watch_client, &scope);
    let server = conn.cluster.clone();
    let mut relist = Relist::default();
    watcher(api, watcher::Config::default())
        .default_backoff()
        .filter_map(move |item| future::ready(relist.step(item, &server)))
        .boxed()
}

/// Buffers a relist so the consumer sees it as one atomic `Synced`.
#[derive(Default)]
struct Relist {
    buffer: Vec<FunctionSummary>,
}

impl Relist {
    fn step(
        &mut self,
        item: Result<watcher::Event<Service>, watcher::Error>,
        server: &str,
    ) -> Option<FunctionEvent> {
        match item {
            Ok(watcher::Event::Init) => {
                self.buffer.clear();
                None
            }
            Ok(watcher::Event::InitApply(svc)) => {
                self.buffer.push(FunctionSummary::from_service(&svc));
                None
            }
            Ok(watcher::Event::InitDone) => {
                let mut all = std::mem::take(&mut self.buffer);
                all.sort_by(|a, b| a.key.cmp(&b.key));
                Some(FunctionEvent::Synced(all))
            }
            Ok(watcher::Event::Apply(svc)) => {
                Some(FunctionEvent::Applied(FunctionSummary::from_service(&svc)))
            }
            Ok(watcher::Event::Delete(svc)) => Some(FunctionEvent::Deleted(FunctionKey::of(&svc))),
            // 410 Gone is routine: the watcher relists and a fresh `Synced` follows.
            Err(e) if is_gone(&e) => {
                tracing::debug!(error = %e, "function watch expired; relisting");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "function watch failed; retrying");
                Some(FunctionEvent::Failed(
                    CoreError::from(e).with_server(server),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests;

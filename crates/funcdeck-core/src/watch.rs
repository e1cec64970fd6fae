//! Live, self-healing views of any kind of object, as whole-set replacements and single-row
//! changes.
//!
//! kube's watcher does the list-then-watch dance, resumes from the last resourceVersion and
//! relists on 410 Gone; [`watch_mapped`] turns its events into [`WatchEvent`]s the UI can
//! apply without knowing any of that, maps each object to the row it needs (a summary, or the
//! object itself), and paces retries with backoff. Functions, revisions, pods and events all
//! go through this one helper, so they recover from the same failures the same way.

use std::fmt::Debug;

use futures::stream::BoxStream;
use futures::{StreamExt, future};
use kube::Api;
use kube::runtime::{WatchStreamExt, watcher};
use serde::de::DeserializeOwned;

use crate::CoreError;
use crate::error::is_gone;
use crate::key::ObjectKey;

#[derive(Debug, Clone)]
pub enum WatchEvent<T> {
    /// A (re)list completed: the full current set, sorted by key. Replace what you had.
    Synced(Vec<T>),
    /// An object was added or changed.
    Applied(T),
    Deleted(ObjectKey),
    /// The watch failed and will retry with backoff; keep the data and show the reason.
    Failed(CoreError),
}

/// Watches `api` (label and field selectors go in `config`), mapping each object with `map`.
/// `server` names the API server in `Unreachable` errors. The stream never ends on its own;
/// drop it to stop.
pub fn watch_mapped<K, T>(
    api: Api<K>,
    config: watcher::Config,
    map: fn(&K) -> T,
    server: String,
) -> BoxStream<'static, WatchEvent<T>>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug + Send + 'static,
    K::DynamicType: Default,
    T: Send + 'static,
{
    let mut relist = Relist::new(map);
    watcher(api, config)
        .default_backoff()
        .filter_map(move |item| future::ready(relist.step(item, &server)))
        .boxed()
}

/// Buffers a relist so the consumer sees it as one atomic `Synced`.
struct Relist<K, T> {
    map: fn(&K) -> T,
    buffer: Vec<(ObjectKey, T)>,
    /// For logs: which watch expired or failed.
    kind: String,
}

impl<K: kube::Resource, T> Relist<K, T>
where
    K::DynamicType: Default,
{
    fn new(map: fn(&K) -> T) -> Self {
        Self {
            map,
            buffer: Vec::new(),
            kind: K::kind(&K::DynamicType::default()).into_owned(),
        }
    }

    fn step(
        &mut self,
        item: Result<watcher::Event<K>, watcher::Error>,
        server: &str,
    ) -> Option<WatchEvent<T>> {
        match item {
            Ok(watcher::Event::Init) => {
                self.buffer.clear();
                None
            }
            Ok(watcher::Event::InitApply(obj)) => {
                self.buffer.push((ObjectKey::of(&obj), (self.map)(&obj)));
                None
            }
            Ok(watcher::Event::InitDone) => {
                let mut all = std::mem::take(&mut self.buffer);
                all.sort_by(|a, b| a.0.cmp(&b.0));
                Some(WatchEvent::Synced(
                    all.into_iter().map(|(_, t)| t).collect(),
                ))
            }
            Ok(watcher::Event::Apply(obj)) => Some(WatchEvent::Applied((self.map)(&obj))),
            Ok(watcher::Event::Delete(obj)) => Some(WatchEvent::Deleted(ObjectKey::of(&obj))),
            // 410 Gone is routine: the watcher relists and a fresh `Synced` follows.
            Err(e) if is_gone(&e) => {
                tracing::debug!(kind = %self.kind, error = %e, "watch expired; relisting");
                None
            }
            Err(e) => {
                tracing::warn!(kind = %self.kind, error = %e, "watch failed; retrying");
                Some(WatchEvent::Failed(CoreError::from(e).with_server(server)))
            }
        }
    }
}

#[cfg(test)]
mod tests;

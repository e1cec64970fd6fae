//! Logs of the simulated data plane, as a cluster's fluent-bit ships them to Elasticsearch and
//! as the kubelet serves them to `kubectl logs`: one source of truth, a [`Line`] per record.
//!
//! Who writes: queue-proxy's request log (one JSON line per request the metrics count, its
//! `traceId` the id the traces recorder gave the request, or a fresh one when it was not
//! sampled, as B3 headers carry an id either way), the user container now and then (levels,
//! JSON, multi-line, very long and — deterministically from the seed — hostile lines), pods'
//! start-up lines and a crash-looping container's crash output.
//!
//! Where it goes: a ring of the most recent lines (the Elasticsearch documents, [`store`]) and
//! per container a buffer of its newest lines (what the kubelet keeps on disk). Both hold the
//! same `Arc<Line>`, so the pod log and the documents never disagree.

mod aggs;
mod datemath;
pub mod docs;
pub mod lucene;
pub mod pit;
pub mod query;
pub mod record;
pub mod search;
pub mod serve;
pub mod store;

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::Notify;

use crate::rng::Rng;
use store::Store;

pub const NAMESPACE: &str = "logging";
pub const SERVICE: &str = "elasticsearch";
pub const PORT: u16 = 9200;
pub const PORT_NAME: &str = "http";
/// Documents kept by default (the oldest go first).
pub const DEFAULT_CAPACITY: usize = 200_000;
/// Lines kept per container for `kubectl logs` (the kubelet rotates at 10 MiB; lines here).
pub const PER_CONTAINER: usize = 5_000;

pub const USER: &str = "user-container";
pub const QUEUE: &str = "queue-proxy";

/// What fluent-bit's kubernetes filter knows about a pod, label keys already de-dotted.
#[derive(Debug)]
pub struct PodMeta {
    pub ns: String,
    pub name: String,
    pub uid: String,
    pub labels: Vec<(String, String)>,
    pub host: String,
    pub user_image: String,
    pub queue_image: String,
    pub ip: String,
}

/// One log record: one document, one (possibly multi-line) entry of a container's log.
#[derive(Debug)]
pub struct Line {
    /// Write order: the `_doc` tiebreaker and what a follower resumes after.
    pub seq: u64,
    pub ts_ns: i64,
    pub pod: Arc<PodMeta>,
    pub container: &'static str,
    pub stderr: bool,
    /// The container's run (its restart count then): `--previous` reads the run before.
    pub run: u64,
    /// The bytes the container wrote, without the final newline; may be invalid UTF-8.
    pub text: Box<[u8]>,
}

impl Line {
    pub fn ts_ms(&self) -> i64 {
        self.ts_ns.div_euclid(1_000_000)
    }
}

/// A line about to be written: (time in ns, pod, container, on stderr, bytes).
pub(crate) type Pending = (i64, Arc<PodMeta>, &'static str, bool, Vec<u8>);

/// The recorder and the search server's data: cheap to clone.
#[derive(Clone)]
pub struct Logs {
    store: Arc<Mutex<Store>>,
    rng: Arc<Mutex<Rng>>,
    /// Woken on every write, for `kubectl logs -f`.
    pub(crate) written: Arc<Notify>,
    pub(crate) pits: Arc<pit::Pits>,
    seed: u64,
}

impl Logs {
    pub fn new(seed: u64, capacity: usize) -> Self {
        Logs {
            store: Arc::new(Mutex::new(Store::new(capacity, PER_CONTAINER))),
            rng: Arc::new(Mutex::new(Rng::new(seed.wrapping_add(0x1095)))),
            written: Arc::new(Notify::new()),
            pits: Arc::new(pit::Pits::default()),
            seed,
        }
    }

    pub(crate) fn store(&self) -> Option<MutexGuard<'_, Store>> {
        self.store.lock().ok()
    }

    pub(crate) fn rng(&self) -> Option<MutexGuard<'_, Rng>> {
        self.rng.lock().ok()
    }

    /// Documents kept now.
    pub fn len(&self) -> usize {
        self.store().map_or(0, |s| s.len())
    }

    /// Registers (or refreshes) a pod from its object; returns its metadata.
    pub fn pod(&self, pod: &Value) -> Arc<PodMeta> {
        let meta = Arc::new(docs::pod_meta(pod));
        match self.store() {
            Some(mut s) => s.register(meta),
            None => meta,
        }
    }

    /// The registered pod `ns/name`, if it ever logged.
    pub(crate) fn known(&self, ns: &str, name: &str) -> Option<Arc<PodMeta>> {
        self.store()?.pod(ns, name)
    }

    pub(crate) fn write(&self, mut lines: Vec<Pending>) {
        if lines.is_empty() {
            return;
        }
        lines.sort_by_key(|l| l.0);
        if let Some(mut s) = self.store() {
            for (ts_ns, pod, container, stderr, text) in lines {
                s.push(ts_ns, pod, container, stderr, text);
            }
        }
        self.written.notify_waiters();
    }
}

#[cfg(test)]
mod tests;

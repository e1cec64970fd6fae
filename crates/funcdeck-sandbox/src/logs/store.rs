//! The documents (a ring of the newest lines, by write order) and the kubelet's side (per
//! container, its newest lines), sharing each `Arc<Line>`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use super::{Line, PodMeta, USER, docs};

pub struct Store {
    capacity: usize,
    per_container: usize,
    ring: VecDeque<Arc<Line>>,
    /// (pod uid, container) → newest lines.
    buffers: HashMap<(String, &'static str), VecDeque<Arc<Line>>>,
    /// (ns, pod name) → the pod now bearing that name (names come back after a scale to 0).
    pods: HashMap<(String, String), Arc<PodMeta>>,
    /// pod uid → the user container's run (restart count).
    runs: HashMap<String, u64>,
    next_seq: u64,
    /// `logstash-YYYY.MM.DD` → documents in the ring: the indices that exist.
    indices: BTreeMap<String, usize>,
}

impl Store {
    pub fn new(capacity: usize, per_container: usize) -> Self {
        Store {
            capacity: capacity.max(1),
            per_container: per_container.max(1),
            ring: VecDeque::new(),
            buffers: HashMap::new(),
            pods: HashMap::new(),
            runs: HashMap::new(),
            next_seq: 1,
            indices: BTreeMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// Keeps `meta` as the pod of its name; a new uid forgets the old pod's buffers.
    pub fn register(&mut self, meta: Arc<PodMeta>) -> Arc<PodMeta> {
        let key = (meta.ns.clone(), meta.name.clone());
        match self.pods.get(&key) {
            Some(old) if old.uid == meta.uid => return old.clone(),
            Some(old) => {
                let uid = old.uid.clone();
                self.buffers.retain(|(u, _), _| *u != uid);
                self.runs.remove(&uid);
            }
            None => {}
        }
        self.pods.insert(key, meta.clone());
        meta
    }

    pub fn pod(&self, ns: &str, name: &str) -> Option<Arc<PodMeta>> {
        self.pods.get(&(ns.to_string(), name.to_string())).cloned()
    }

    pub fn set_run(&mut self, uid: &str, run: u64) {
        self.runs.insert(uid.to_string(), run);
    }

    pub fn run(&self, uid: &str) -> u64 {
        self.runs.get(uid).copied().unwrap_or(0)
    }

    pub fn push(
        &mut self,
        ts_ns: i64,
        pod: Arc<PodMeta>,
        container: &'static str,
        stderr: bool,
        text: Vec<u8>,
    ) {
        // A container's log is written in order: no line is older than the one before it, so
        // the pod log's order and the documents' time order agree.
        let key = (pod.uid.clone(), container);
        let ts_ns = self
            .buffers
            .get(&key)
            .and_then(|b| b.back())
            .map_or(ts_ns, |last| ts_ns.max(last.ts_ns));
        let run = if container == USER {
            self.run(&pod.uid)
        } else {
            0
        };
        let line = Arc::new(Line {
            seq: self.next_seq,
            ts_ns,
            pod,
            container,
            stderr,
            run,
            text: text.into_boxed_slice(),
        });
        self.next_seq += 1;
        if self.ring.len() >= self.capacity
            && let Some(old) = self.ring.pop_front()
        {
            let day = docs::index_of(old.ts_ms());
            if let Some(n) = self.indices.get_mut(&day) {
                *n -= 1;
                if *n == 0 {
                    self.indices.remove(&day);
                }
            }
        }
        *self
            .indices
            .entry(docs::index_of(line.ts_ms()))
            .or_default() += 1;
        let buf = self.buffers.entry(key).or_default();
        if buf.len() >= self.per_container {
            buf.pop_front();
        }
        buf.push_back(line.clone());
        self.ring.push_back(line);
    }

    /// Every document, oldest write first (a PIT keeps this snapshot).
    pub fn snapshot(&self) -> Vec<Arc<Line>> {
        self.ring.iter().cloned().collect()
    }

    pub fn indices(&self) -> Vec<String> {
        self.indices.keys().cloned().collect()
    }

    /// A container's kept lines, oldest first, after `after` (a sequence number).
    pub fn container(&self, uid: &str, container: &str, after: u64) -> Vec<Arc<Line>> {
        self.buffers
            .iter()
            .find(|((u, c), _)| u == uid && *c == container)
            .map(|(_, b)| b.iter().filter(|l| l.seq > after).cloned().collect())
            .unwrap_or_default()
    }

    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }
}

//! The one in-memory store: objects per (resource, namespace, name), a global resourceVersion
//! counter like etcd's, a bounded event history for watch replay (older RVs get 410), fan-out to
//! API watchers (tokio broadcast: a lagging watcher is dropped and reconnects) and lossless feeds
//! for the in-process controllers. Write *semantics* live in `write.rs`; this file only keeps
//! state consistent and emits events, always under one lock so a watch can subscribe atomically.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use crate::obj;
use crate::resources::{Catalog, Res};
use crate::rng::Rng;

pub type Key = (String, String);

type Table = BTreeMap<String, BTreeMap<String, Arc<Value>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Added,
    Modified,
    Deleted,
}

#[derive(Debug)]
pub struct Event {
    pub rv: u64,
    pub res: Res,
    pub kind: EventKind,
    pub namespace: String,
    pub object: Arc<Value>,
    /// The state before this event (for selector transitions in watches).
    pub old: Option<Arc<Value>>,
}

struct Inner {
    rv: u64,
    /// Per kind, per namespace, per name: lookups borrow `&str` keys (no allocation), lists
    /// come out ordered by namespace then name.
    tables: BTreeMap<Res, Table>,
    dependents: HashMap<String, BTreeSet<(Res, Key)>>,
    history: VecDeque<Arc<Event>>,
    /// Highest RV whose event is no longer retained: a watch from below this gets 410.
    floor: u64,
    rng: Rng,
    clock: Option<DateTime<Utc>>,
    feeds: Vec<mpsc::UnboundedSender<Arc<Event>>>,
    /// The custom kinds served now (discovery and routing read a snapshot).
    catalog: Arc<Catalog>,
}

pub struct Store {
    inner: Mutex<Inner>,
    watchers: broadcast::Sender<Arc<Event>>,
    history_limit: usize,
}

/// Watch start point computed under the store lock.
pub enum WatchStart {
    /// Replay these retained events, then follow the receiver.
    Replay(Vec<Arc<Event>>, broadcast::Receiver<Arc<Event>>),
    /// The requested RV is older than the retained history.
    Expired { requested: u64, oldest: u64 },
}

pub const WATCH_BUFFER: usize = 16 * 1024;

impl Store {
    pub fn new(seed: u64, history_limit: usize) -> Self {
        let (watchers, _) = broadcast::channel(WATCH_BUFFER);
        Store {
            inner: Mutex::new(Inner {
                rv: 1,
                tables: BTreeMap::new(),
                dependents: HashMap::new(),
                history: VecDeque::new(),
                floor: 0,
                rng: Rng::new(seed.wrapping_mul(31).wrapping_add(17)),
                clock: None,
                feeds: Vec::new(),
                catalog: Arc::new(Catalog::default()),
            }),
            watchers,
            history_limit: history_limit.max(1),
        }
    }

    pub fn txn(&self) -> Txn<'_> {
        Txn {
            g: self.inner.lock().unwrap_or_else(|e| e.into_inner()),
            store: self,
        }
    }

    pub fn resource_version(&self) -> u64 {
        self.txn().g.rv
    }

    pub fn get(&self, res: Res, ns: &str, name: &str) -> Option<Arc<Value>> {
        self.txn().get(res, ns, name)
    }

    /// The custom kinds served now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.txn().g.catalog.clone()
    }

    /// Changes what is served (the CRD controller, as CRDs are established or deleted).
    pub fn edit_catalog(&self, f: impl FnOnce(&mut Catalog)) {
        let mut t = self.txn();
        f(Arc::make_mut(&mut t.g.catalog));
    }

    /// A lossless feed of every event (for controllers).
    pub fn feed(&self) -> mpsc::UnboundedReceiver<Arc<Event>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.txn().g.feeds.push(tx);
        rx
    }

    /// Forget all retained events: any watch resuming from an older RV now gets 410 Expired.
    pub fn compact(&self) {
        let mut t = self.txn();
        t.g.history.clear();
        t.g.floor = t.g.rv;
    }

    /// Pin "now" (used while seeding history that happened in the past); `None` = wall clock.
    pub fn set_clock(&self, at: Option<DateTime<Utc>>) {
        self.txn().g.clock = at;
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.txn().now()
    }

    /// Subscribe to live events and collect retained events after `from` atomically.
    pub fn watch_from(&self, res: Res, from: u64) -> WatchStart {
        let t = self.txn();
        if from < t.g.floor {
            return WatchStart::Expired {
                requested: from,
                oldest: t.g.floor,
            };
        }
        let rx = self.watchers.subscribe();
        let replay: Vec<Arc<Event>> =
            t.g.history
                .iter()
                .filter(|e| e.rv > from && e.res == res)
                .cloned()
                .collect();
        WatchStart::Replay(replay, rx)
    }

    /// Subscribe to live events and snapshot current objects atomically (for synthetic ADDED).
    pub fn watch_snapshot(
        &self,
        res: Res,
        ns: Option<&str>,
    ) -> (u64, Vec<Arc<Value>>, broadcast::Receiver<Arc<Event>>) {
        let t = self.txn();
        let rx = self.watchers.subscribe();
        (t.g.rv, t.list(res, ns), rx)
    }
}

pub struct Txn<'a> {
    g: MutexGuard<'a, Inner>,
    store: &'a Store,
}

impl Txn<'_> {
    pub fn rv(&self) -> u64 {
        self.g.rv
    }

    /// Events at or below this RV are no longer retained.
    pub fn floor(&self) -> u64 {
        self.g.floor
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.g.clock.unwrap_or_else(Utc::now)
    }

    pub fn uid(&mut self) -> String {
        self.g.rng.uuid()
    }

    pub fn name_suffix(&mut self) -> String {
        self.g.rng.name_suffix(5)
    }

    pub fn get(&self, res: Res, ns: &str, name: &str) -> Option<Arc<Value>> {
        self.g.tables.get(&res)?.get(ns)?.get(name).cloned()
    }

    /// All objects of `res` (in one namespace, or all), ordered by namespace then name.
    /// The custom kinds served now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.g.catalog.clone()
    }

    pub fn list(&self, res: Res, ns: Option<&str>) -> Vec<Arc<Value>> {
        let Some(table) = self.g.tables.get(&res) else {
            return Vec::new();
        };
        match ns {
            None => table.values().flat_map(|m| m.values().cloned()).collect(),
            Some(ns) => table
                .get(ns)
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default(),
        }
    }

    /// Objects with key strictly after `after`, up to `limit` matching `keep`; also reports
    /// whether more matching objects follow.
    pub fn page(
        &self,
        res: Res,
        ns: Option<&str>,
        after: Option<&Key>,
        limit: usize,
        keep: &dyn Fn(&Value) -> bool,
    ) -> (Vec<Arc<Value>>, Option<Key>, usize) {
        let Some(table) = self.g.tables.get(&res) else {
            return (Vec::new(), None, 0);
        };
        let start_ns: &str = match (ns, after) {
            (Some(ns), _) => ns,
            (None, Some(k)) => k.0.as_str(),
            (None, None) => "",
        };
        let mut items = Vec::new();
        let mut last: Option<Key> = None;
        let mut remaining = 0usize;
        for (n, names) in table.range::<str, _>((
            std::ops::Bound::Included(start_ns),
            std::ops::Bound::Unbounded,
        )) {
            if ns.is_some_and(|ns| ns != n) {
                break;
            }
            let iter: Box<dyn Iterator<Item = (&String, &Arc<Value>)>> = match after {
                Some(k) if k.0 == *n => Box::new(names.range::<str, _>((
                    std::ops::Bound::Excluded(k.1.as_str()),
                    std::ops::Bound::Unbounded,
                ))),
                Some(k) if k.0.as_str() > n.as_str() => continue,
                _ => Box::new(names.iter()),
            };
            for (name, v) in iter {
                if !keep(v) {
                    continue;
                }
                if items.len() < limit {
                    items.push(v.clone());
                    last = Some((n.clone(), name.clone()));
                } else {
                    remaining += 1;
                }
            }
        }
        let next = if remaining > 0 { last } else { None };
        (items, next, remaining)
    }

    pub fn dependents(&self, owner_uid: &str) -> Vec<(Res, Key)> {
        self.g
            .dependents
            .get(owner_uid)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Stores `obj` under a fresh resourceVersion and emits ADDED or MODIFIED.
    pub fn put(&mut self, res: Res, mut obj: Value) -> Arc<Value> {
        self.g.rv += 1;
        let rv = self.g.rv;
        obj::set(
            &mut obj,
            &["metadata", "resourceVersion"],
            json!(rv.to_string()),
        );
        let key = (
            obj::namespace(&obj).to_string(),
            obj::name(&obj).to_string(),
        );
        let obj = Arc::new(obj);
        let old = self
            .g
            .tables
            .entry(res)
            .or_default()
            .entry(key.0.clone())
            .or_default()
            .insert(key.1.clone(), obj.clone());
        if let Some(o) = &old {
            self.unindex(res, &key, o);
        }
        self.index(res, &key, &obj);
        let kind = if old.is_some() {
            EventKind::Modified
        } else {
            EventKind::Added
        };
        self.emit(Event {
            rv,
            res,
            kind,
            namespace: key.0,
            object: obj.clone(),
            old,
        });
        obj
    }

    /// Removes an object and emits DELETED carrying its last state at the deletion RV.
    pub fn remove(&mut self, res: Res, ns: &str, name: &str) -> Option<Arc<Value>> {
        let key = (ns.to_string(), name.to_string());
        let table = self.g.tables.get_mut(&res)?;
        let names = table.get_mut(ns)?;
        let old = names.remove(name)?;
        if names.is_empty() {
            table.remove(ns);
        }
        self.unindex(res, &key, &old);
        self.g.rv += 1;
        let rv = self.g.rv;
        let mut last = (*old).clone();
        obj::set(
            &mut last,
            &["metadata", "resourceVersion"],
            json!(rv.to_string()),
        );
        let last = Arc::new(last);
        self.emit(Event {
            rv,
            res,
            kind: EventKind::Deleted,
            namespace: key.0,
            object: last.clone(),
            old: Some(old),
        });
        Some(last)
    }

    fn index(&mut self, res: Res, key: &Key, obj: &Value) {
        for owner in obj::owner_uids(obj) {
            self.g
                .dependents
                .entry(owner)
                .or_default()
                .insert((res, key.clone()));
        }
    }

    fn unindex(&mut self, res: Res, key: &Key, obj: &Value) {
        for owner in obj::owner_uids(obj) {
            if let Some(set) = self.g.dependents.get_mut(&owner) {
                set.remove(&(res, key.clone()));
                if set.is_empty() {
                    self.g.dependents.remove(&owner);
                }
            }
        }
    }

    fn emit(&mut self, ev: Event) {
        let ev = Arc::new(ev);
        self.g.history.push_back(ev.clone());
        while self.g.history.len() > self.store.history_limit {
            if let Some(old) = self.g.history.pop_front() {
                self.g.floor = self.g.floor.max(old.rv);
            }
        }
        // No receivers is not an error for us.
        let _ = self.store.watchers.send(ev.clone());
        self.g.feeds.retain(|f| f.send(ev.clone()).is_ok());
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;

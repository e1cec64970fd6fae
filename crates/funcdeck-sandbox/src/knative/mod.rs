//! The Knative Serving controllers, simulated in-process (reference §6). They are level-driven
//! like the real ones: store events enqueue keys, each reconcile reads current state and writes
//! the difference through the same `write::commit` path API clients use. Timers (a revision
//! becoming ready after `ready_delay`) are wake-ups on the same queue. Seeding drives the same
//! code synchronously with [`Controller::run_until_idle`], so seeded statuses are real ones.

pub mod conditions;
pub mod configuration;
mod feed;
pub mod md5;
pub mod revision;
pub mod route;
pub mod service;

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::dataplane::{self, scale::Plane};
use crate::identity::Identity;
use crate::load::Loads;
use crate::obj;
use crate::resources::Res;
use crate::scenario::{self, Active, Scenarios};
use crate::status::ApiError;
use crate::store::{Event, EventKind, Store};
use crate::write::{self, Outcome, WriteCtx, WriteOp};

pub const DOMAIN: &str = "svc.cluster.local";
pub const L_SERVICE: &str = "serving.knative.dev/service";
pub const L_SERVICE_UID: &str = "serving.knative.dev/serviceUID";
pub const L_CONFIGURATION: &str = "serving.knative.dev/configuration";
pub const L_CONFIGURATION_GEN: &str = "serving.knative.dev/configurationGeneration";
pub const L_CONFIGURATION_UID: &str = "serving.knative.dev/configurationUID";
pub const L_ROUTING_STATE: &str = "serving.knative.dev/routingState";
pub const L_REVISION: &str = "serving.knative.dev/revision";
pub const L_REVISION_UID: &str = "serving.knative.dev/revisionUID";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Service(String, String),
    Configuration(String, String),
    Revision(String, String),
    Route(String, String),
    /// A plain Deployment, StatefulSet, DaemonSet or PersistentVolumeClaim (`apps`).
    Apps(Res, String, String),
    /// A CustomResourceDefinition (`crd`).
    Crd(String),
}

pub struct Controller {
    pub(crate) store: Arc<Store>,
    feed: mpsc::UnboundedReceiver<Arc<Event>>,
    /// One queue per kind, children first: a parent is reconciled once its children settled,
    /// instead of once per child event (this keeps seeding 10,000 services fast).
    queues: [VecDeque<Key>; 5],
    queued: HashSet<Key>,
    pub(crate) ready_delay: Duration,
    pub(crate) deadlines: HashMap<(String, String), Instant>,
    wakeups: BTreeSet<(Instant, Key)>,
    pub(crate) identity: Identity,
    pub(crate) scenarios: Arc<Scenarios>,
    /// Scenario state last acted on, and the ConfigMap keys that set part of it.
    applied: Active,
    cm_keys: BTreeSet<String>,
    pub(crate) plane: Plane,
    /// The plain workload controllers' timers.
    pub(crate) apps: crate::apps::AppsState,
}

/// `http://<name>.<ns>.svc.cluster.local`
pub fn url(name: &str, ns: &str) -> String {
    format!("http://{name}.{ns}.{DOMAIN}")
}

impl Controller {
    pub fn new(store: Arc<Store>, ready_delay: Duration) -> Self {
        let feed = store.feed();
        Controller {
            store,
            feed,
            queues: Default::default(),
            queued: HashSet::new(),
            ready_delay,
            deadlines: HashMap::new(),
            wakeups: BTreeSet::new(),
            identity: Identity::controller(),
            scenarios: Arc::new(Scenarios::new(&[])),
            applied: Active::default(),
            cm_keys: BTreeSet::new(),
            // Until `attach`: no cold starts when revisions are ready at once (unit tests).
            plane: Plane::new(
                dataplane::scale::PlaneConfig {
                    cold_start: ready_delay.min(Duration::from_secs(2)),
                    ..Default::default()
                },
                Loads::default(),
            ),
            apps: crate::apps::AppsState::default(),
        }
    }

    /// How long a plain workload's pod takes to start (or to fail, under a scenario).
    pub fn set_workload_delay(&mut self, d: Duration) {
        self.apps.delay = d;
    }

    /// Shares the sandbox's scenario state and data-plane settings with this controller.
    pub fn attach(&mut self, scenarios: Arc<Scenarios>, plane: Plane) {
        self.applied = scenarios.current();
        self.scenarios = scenarios;
        self.plane = plane;
    }

    /// While seeding, pods start Running and idle functions start scaled to zero.
    pub fn set_seeding(&mut self, on: bool) {
        self.plane.seeding = on;
    }

    /// Re-reconciles the revisions of services whose scenario fate changed.
    fn scenarios_changed(&mut self) {
        let now = self.scenarios.current();
        if now == self.applied {
            return;
        }
        let spaces: BTreeSet<String> = now
            .workload_namespaces()
            .union(&self.applied.workload_namespaces())
            .cloned()
            .collect();
        for ns in spaces {
            for res in [
                Res::Deployment,
                Res::StatefulSet,
                Res::DaemonSet,
                Res::PersistentVolumeClaim,
            ] {
                let objects = self.store.txn().list(res, Some(&ns));
                for o in objects {
                    if !crate::apps::knative_owned(&o) {
                        self.enqueue(Key::Apps(res, ns.clone(), obj::name(&o).to_string()));
                    }
                }
            }
        }
        let touched: BTreeSet<(String, String)> = now
            .targets()
            .symmetric_difference(&self.applied.targets())
            .cloned()
            .collect();
        self.applied = now;
        for (ns, svc) in touched {
            let revs = self.store.txn().list(Res::KRevision, Some(&ns));
            for r in revs {
                let owner = obj::label(&r, L_SERVICE).or_else(|| obj::label(&r, L_CONFIGURATION));
                if owner == Some(svc.as_str()) {
                    self.enqueue(Key::Revision(ns.clone(), obj::name(&r).to_string()));
                }
            }
        }
    }

    pub fn set_ready_delay(&mut self, d: Duration) {
        self.ready_delay = d;
    }

    /// Makes revision `ns/name` resolve at `at` instead of after the default delay.
    pub fn schedule_ready(&mut self, ns: &str, name: &str, at: Instant) {
        self.deadlines
            .insert((ns.to_string(), name.to_string()), at);
        self.wake_at(at, Key::Revision(ns.to_string(), name.to_string()));
    }

    pub(crate) fn wake_at(&mut self, at: Instant, key: Key) {
        self.wakeups.insert((at, key));
    }

    pub(crate) fn enqueue(&mut self, key: Key) {
        if self.queued.insert(key.clone()) {
            let rank = match key {
                Key::Revision(..) => 0,
                Key::Configuration(..) => 1,
                Key::Route(..) => 2,
                Key::Service(..) => 3,
                Key::Apps(..) | Key::Crd(..) => 4,
            };
            if let Some(q) = self.queues.get_mut(rank) {
                q.push_back(key);
            }
        }
    }

    fn pop(&mut self) -> Option<Key> {
        let key = self.queues.iter_mut().find_map(VecDeque::pop_front)?;
        self.queued.remove(&key);
        Some(key)
    }

    pub(crate) fn commit(&self, op: WriteOp) -> Result<Outcome, ApiError> {
        write::commit(&self.store, &WriteCtx::new(&self.identity), op)
    }

    pub(crate) fn now_str(&self) -> String {
        obj::format_time(self.store.now())
    }

    /// Creates `object` as the controller; returns the stored object.
    pub(crate) fn create(&self, res: Res, ns: &str, object: Value) -> Option<Arc<Value>> {
        match self.commit(WriteOp::Create {
            res,
            namespace: ns.to_string(),
            object,
        }) {
            Ok(Outcome::Stored { object, .. }) => Some(object),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(error = %e.message, "controller create failed");
                None
            }
        }
    }

    /// Replaces the main resource (spec/metadata) unconditionally; a no-op if nothing changed.
    pub(crate) fn update(&self, res: Res, object: Value) -> Option<Arc<Value>> {
        let ns = obj::namespace(&object).to_string();
        let name = obj::name(&object).to_string();
        let mut object = object;
        obj::remove(&mut object, &["metadata", "resourceVersion"]);
        match self.commit(WriteOp::Update {
            res,
            namespace: ns,
            name,
            object,
            status: false,
        }) {
            Ok(Outcome::Stored { object, .. }) => Some(object),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(error = %e.message, "controller update failed");
                None
            }
        }
    }

    /// Writes `status` through the status subresource when it differs.
    pub(crate) fn write_status(&self, res: Res, current: &Value, status: Value) {
        if current.get("status") == Some(&status) {
            return;
        }
        // Built by hand: `json!` would deep-copy `status` through serde (a hot path when seeding).
        let mut body =
            json!({"metadata": {"name": obj::name(current), "namespace": obj::namespace(current)}});
        body["status"] = status;
        if let Err(e) = self.commit(WriteOp::Update {
            res,
            namespace: obj::namespace(current).to_string(),
            name: obj::name(current).to_string(),
            object: body,
            status: true,
        }) {
            tracing::debug!(error = %e.message, "controller status update failed");
        }
    }

    fn drain_feed(&mut self) {
        while let Ok(ev) = self.feed.try_recv() {
            self.on_event(&ev);
        }
    }

    fn due_wakeups(&mut self) {
        let now = Instant::now();
        while let Some((at, _)) = self.wakeups.first() {
            if *at > now {
                break;
            }
            if let Some((_, key)) = self.wakeups.pop_first() {
                self.enqueue(key);
            }
        }
    }

    fn reconcile(&mut self, key: &Key) {
        match key {
            Key::Service(ns, n) => service::reconcile(self, ns, n),
            Key::Configuration(ns, n) => configuration::reconcile(self, ns, n),
            Key::Revision(ns, n) => revision::reconcile(self, ns, n),
            Key::Route(ns, n) => route::reconcile(self, ns, n),
            Key::Apps(res, ns, n) => crate::apps::reconcile(self, *res, ns, n),
            Key::Crd(n) => crate::crd::reconcile(self, n),
        }
    }

    /// Processes events and due timers until nothing is left to do.
    pub fn run_until_idle(&mut self) {
        let mut budget: u64 = 10_000_000;
        loop {
            self.drain_feed();
            self.due_wakeups();
            let Some(key) = self.pop() else {
                return;
            };
            self.reconcile(&key);
            budget = budget.saturating_sub(1);
            if budget == 0 {
                tracing::warn!("controller did not settle");
                return;
            }
        }
    }

    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>) {
        let mut scenarios = self.scenarios.subscribe();
        let mut tick = tokio::time::interval(self.plane.cfg.tick.max(Duration::from_millis(10)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let loads = self.plane.loads.clone();
        loop {
            self.scenarios_changed();
            self.run_until_idle();
            let next = self.wakeups.first().map(|(at, _)| *at);
            tokio::select! {
                ev = self.feed.recv() => match ev {
                    Some(ev) => self.on_event(&ev),
                    None => return,
                },
                _ = async { match next { Some(at) => tokio::time::sleep_until(at).await, None => std::future::pending().await } } => {}
                _ = tick.tick() => dataplane::tick(&mut self),
                _ = loads.poked() => dataplane::wake(&mut self),
                changed = scenarios.changed() => if changed.is_err() { return },
                _ = shutdown.changed() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests;

//! The autoscaler's side of the data plane: how many pods each revision should run. It follows
//! Knative's KPA in shape, not in math: one pod per `target_rps` of load, between the
//! `autoscaling.knative.dev/min-scale` and `max-scale` annotations, held for an idle window after
//! the last request and then scaled to `min-scale` (0 by default). The tick touches only routes
//! with load and revisions above their floor ("warm"), so 10,000 idle functions cost nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::backoff::{Backoff, Crash};
use crate::load::{Key, Loads, Profile, profile};
use crate::obj;

pub const MIN_SCALE: &str = "autoscaling.knative.dev/min-scale";
pub const MAX_SCALE: &str = "autoscaling.knative.dev/max-scale";

#[derive(Debug, Clone)]
pub struct PlaneConfig {
    pub seed: u64,
    /// How often load is advanced and scale decided.
    pub tick: Duration,
    /// No requests for this long → scale to min-scale.
    pub idle_window: Duration,
    /// Pending → ContainerCreating → Running takes this long for a new pod.
    pub cold_start: Duration,
    /// The kubelet's initial restart back-off (10 s); it doubles up to 30 times this.
    pub crash_every: Duration,
    /// Requests per second one pod takes before another is added.
    pub target_rps: f64,
    /// The ceiling when max-scale is unset ("unbounded", capped sensibly).
    pub max_cap: u32,
}

impl Default for PlaneConfig {
    fn default() -> Self {
        PlaneConfig {
            seed: 1,
            tick: Duration::from_secs(1),
            idle_window: Duration::from_secs(60),
            cold_start: Duration::from_millis(2000),
            crash_every: Duration::from_secs(10),
            target_rps: 50.0,
            max_cap: 20,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RevScale {
    pub desired: u32,
    pub routed: bool,
    min: u32,
    max: u32,
    /// Since when the load has needed fewer pods than `desired` (scale-down delay).
    below_since: Option<Instant>,
}

/// A revision's refused pod create: how often it failed, when to try again, and why.
#[derive(Debug, Clone)]
pub struct CreateRetry {
    pub attempts: u32,
    pub next: Instant,
    pub error: String,
}

pub struct Plane {
    pub cfg: PlaneConfig,
    pub loads: Loads,
    pub tick_no: u64,
    /// Seeding: pods start Running and idle revisions start at min-scale.
    pub seeding: bool,
    busy_routes: HashMap<Key, Profile>,
    /// Routes labelled `networking.knative.dev/visibility: cluster-local`: off the external
    /// ingress, so the simulated load (which stands for external callers, seeded or pinned)
    /// does not reach them and their revisions scale to zero after the idle window.
    cluster_local: HashSet<Key>,
    traffic: HashMap<Key, Vec<(String, f64)>>,
    pub(super) scale: HashMap<Key, RevScale>,
    warm: BTreeSet<Key>,
    loaded: HashSet<Key>,
    pub(super) born: HashMap<Key, Instant>,
    /// Crash-looping revisions (one pod each): the kubelet's back-off for their container.
    pub(super) crashing: BTreeMap<Key, Crash>,
    /// The back-off of containers that stopped crashing, resumed if they crash again soon.
    pub(super) crashed_before: HashMap<Key, Crash>,
    /// Revisions whose last pod create was refused, backing off before the next attempt
    /// (sooner when a quota's limits in their namespace change).
    pub(crate) failed_create: BTreeMap<Key, CreateRetry>,
    /// Where the tick's requests are counted for the `/metrics` exporters (none in unit tests).
    pub metrics: Option<crate::metrics::Metrics>,
    /// This tick's simulated rate (without the gateway's real requests, which the gateway
    /// counts itself) and total rate per revision.
    pub(super) simulated: HashMap<Key, f64>,
    pub(super) rates: HashMap<Key, f64>,
    /// When the last tick ran, and how long before it the one before did: the metrics count
    /// `rate × elapsed` so a late tick (a busy machine) does not lose requests.
    last_tick: Option<Instant>,
    pub(super) elapsed: Duration,
}

const VISIBILITY: &str = "networking.knative.dev/visibility";
const CLUSTER_LOCAL: &str = "cluster-local";

fn scale_annotation(rev: &Value, key: &str, legacy: &str) -> Option<u32> {
    [key, legacy].iter().find_map(|k| {
        obj::str_at(rev, &["metadata", "annotations", k]).and_then(|v| v.trim().parse().ok())
    })
}

impl Plane {
    pub fn new(cfg: PlaneConfig, loads: Loads) -> Self {
        Plane {
            cfg,
            loads,
            tick_no: 0,
            seeding: false,
            busy_routes: HashMap::new(),
            cluster_local: HashSet::new(),
            traffic: HashMap::new(),
            scale: HashMap::new(),
            warm: BTreeSet::new(),
            loaded: HashSet::new(),
            born: HashMap::new(),
            crashing: BTreeMap::new(),
            crashed_before: HashMap::new(),
            failed_create: BTreeMap::new(),
            metrics: None,
            simulated: HashMap::new(),
            rates: HashMap::new(),
            last_tick: None,
            elapsed: Duration::ZERO,
        }
    }

    /// Keeps the route → (revision, percent) table the tick splits load by.
    pub fn note_route(&mut self, ns: &str, route: &Value, deleted: bool) {
        let key = (ns.to_string(), obj::name(route).to_string());
        if deleted {
            self.traffic.remove(&key);
            self.busy_routes.remove(&key);
            self.cluster_local.remove(&key);
            return;
        }
        if obj::label(route, VISIBILITY) == Some(CLUSTER_LOCAL) {
            self.cluster_local.insert(key.clone());
        } else {
            self.cluster_local.remove(&key);
        }
        let split: Vec<(String, f64)> = obj::at(route, &["status", "traffic"])
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| {
                        let rev = t.get("revisionName")?.as_str()?;
                        let pct = t.get("percent").and_then(Value::as_f64).unwrap_or(0.0);
                        (pct > 0.0).then(|| (rev.to_string(), pct))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let p = profile(self.cfg.seed, &key.0, &key.1);
        if p != Profile::Idle {
            self.busy_routes.insert(key.clone(), p);
        }
        self.traffic.insert(key, split);
    }

    /// The simulated load per revision, and that plus the gateway's real and held requests.
    fn rates(&self) -> (HashMap<Key, f64>, HashMap<Key, f64>) {
        let overrides = self.loads.overrides();
        let mut out: HashMap<Key, f64> = HashMap::new();
        let routes = self.busy_routes.keys().chain(
            overrides
                .keys()
                .filter(|k| !self.busy_routes.contains_key(*k)),
        );
        for route in routes.filter(|r| !self.cluster_local.contains(*r)) {
            let rps = match overrides.get(route) {
                Some(r) => *r,
                None => self
                    .busy_routes
                    .get(route)
                    .map_or(0.0, |p| p.rate(self.tick_no)),
            };
            if rps <= 0.0 {
                continue;
            }
            for (rev, pct) in self.traffic.get(route).into_iter().flatten() {
                *out.entry((route.0.clone(), rev.clone())).or_default() += rps * pct / 100.0;
            }
        }
        let simulated = out.clone();
        let secs = self.cfg.tick.as_secs_f64().max(0.001);
        for (rev, n) in self.loads.take_hits() {
            *out.entry(rev).or_default() += n as f64 / secs;
        }
        // A waiting request is concurrency 1: as much as one request a second, for scaling.
        for (rev, n) in self.loads.held() {
            *out.entry(rev).or_default() += f64::from(n);
        }
        (simulated, out)
    }

    /// Revisions that just got a request while scaled to zero get a pod now, not at the next
    /// tick: the activator reports the waiting request to the autoscaler at once.
    pub fn wake(&mut self) -> Vec<Key> {
        let mut changed = Vec::new();
        for key in self.loads.hit_revisions() {
            let Some(s) = self.scale.get_mut(&key) else {
                continue;
            };
            if s.routed && s.desired == 0 {
                s.desired = 1u32.max(s.min).min(s.max);
                s.below_since = None;
                self.warm.insert(key.clone());
                changed.push(key);
            }
        }
        changed
    }

    /// The load reaching one revision now, from the route(s) it is labelled with; O(1), for
    /// seeding thousands of revisions.
    fn rate_of(&self, ns: &str, rev: &Value) -> f64 {
        let name = obj::name(rev);
        let routes = [
            obj::str_at(
                rev,
                &["metadata", "annotations", "serving.knative.dev/routes"],
            ),
            obj::label(rev, "serving.knative.dev/service"),
        ];
        let mut seen: Vec<&str> = Vec::new();
        let mut total = 0.0;
        for route in routes.into_iter().flatten() {
            if seen.contains(&route) {
                continue;
            }
            seen.push(route);
            let key = (ns.to_string(), route.to_string());
            if self.cluster_local.contains(&key) {
                continue;
            }
            let rps = match self.loads.override_of(&key) {
                Some(r) => r,
                None => self
                    .busy_routes
                    .get(&key)
                    .map_or(0.0, |p| p.rate(self.tick_no)),
            };
            let pct: f64 = self
                .traffic
                .get(&key)
                .into_iter()
                .flatten()
                .filter(|(r, _)| r == name)
                .map(|(_, p)| *p)
                .sum();
            total += rps * pct / 100.0;
        }
        total
    }

    /// Scale up at once; scale down only once the lower need has held for the idle window
    /// (Knative's scale-down delay and scale-to-zero grace, folded into one knob).
    fn want(&self, s: &RevScale, rps: f64, now: Instant) -> (u32, Option<Instant>) {
        if !s.routed {
            return (0, None);
        }
        let need = if rps > 0.0 {
            let pods = (rps / self.cfg.target_rps).ceil() as u32;
            pods.max(1).max(s.min).min(s.max)
        } else {
            s.min
        };
        if need >= s.desired {
            return (need, None);
        }
        let since = s.below_since.unwrap_or(now);
        if now.duration_since(since) >= self.cfg.idle_window {
            (need, None)
        } else {
            (s.desired, Some(since))
        }
    }

    /// Advances the load model one tick; returns the revisions whose scale changed.
    pub fn tick(&mut self, now: Instant) -> Vec<Key> {
        self.tick_no += 1;
        self.elapsed = self
            .last_tick
            .map_or(self.cfg.tick, |t| now.saturating_duration_since(t));
        self.last_tick = Some(now);
        let (simulated, rates) = self.rates();
        for gone in self.loaded.iter().filter(|k| !rates.contains_key(*k)) {
            self.loads.publish(gone, 0.0);
        }
        for (k, r) in &rates {
            self.loads.publish(k, *r);
        }
        self.loaded = rates.keys().cloned().collect();
        let candidates: BTreeSet<Key> = self.warm.iter().chain(rates.keys()).cloned().collect();
        self.simulated = simulated;
        self.rates = rates.clone();
        let mut changed = Vec::new();
        for key in candidates {
            let rps = rates.get(&key).copied().unwrap_or(0.0);
            let Some(s) = self.scale.get(&key).cloned() else {
                continue;
            };
            let (want, below_since) = self.want(&s, rps, now);
            if let Some(e) = self.scale.get_mut(&key) {
                e.below_since = below_since;
                if want != e.desired {
                    e.desired = want;
                    changed.push(key.clone());
                }
                if e.desired > e.min || rps > 0.0 {
                    self.warm.insert(key);
                } else {
                    self.warm.remove(&key);
                }
            }
        }
        changed
    }

    /// The pod count for a ready revision, registering it on first sight (initial scale 1,
    /// or, while seeding, what its current load asks for).
    pub fn replicas(&mut self, ns: &str, rev: &Value, routed: bool, now: Instant) -> u32 {
        let key = (ns.to_string(), obj::name(rev).to_string());
        let min = scale_annotation(rev, MIN_SCALE, "autoscaling.knative.dev/minScale").unwrap_or(0);
        let max = scale_annotation(rev, MAX_SCALE, "autoscaling.knative.dev/maxScale")
            .filter(|m| *m > 0)
            .unwrap_or(self.cfg.max_cap)
            .max(min.max(1));
        let seeding = self.seeding;
        let rps = if seeding { self.rate_of(ns, rev) } else { 0.0 };
        let fresh = !self.scale.contains_key(&key);
        let entry = self.scale.entry(key.clone()).or_insert(RevScale {
            desired: 0,
            routed,
            min,
            max,
            below_since: None,
        });
        entry.routed = routed;
        entry.min = min;
        entry.max = max;
        let s = entry.clone();
        let desired = if !routed {
            0
        } else if seeding {
            // What the load asks for right now (the route may have just been resolved).
            self.want(&RevScale { desired: 0, ..s }, rps, now).0
        } else if fresh {
            1u32.max(min).min(max)
        } else {
            s.desired.max(min).min(max)
        };
        if let Some(e) = self.scale.get_mut(&key) {
            e.desired = desired;
        }
        if desired > min {
            self.warm.insert(key);
        }
        desired
    }

    /// The revisions the metrics should hear about this tick: loaded or warm, with their
    /// desired pods, simulated rate and total rate.
    pub fn metered(&self) -> Vec<(Key, u32, f64, f64)> {
        let keys: BTreeSet<&Key> = self.warm.iter().chain(self.rates.keys()).collect();
        keys.into_iter()
            .map(|k| {
                let desired = self.scale.get(k).map_or(0, |s| s.desired);
                let sim = self.simulated.get(k).copied().unwrap_or(0.0);
                let all = self.rates.get(k).copied().unwrap_or(0.0);
                (k.clone(), desired, sim, all)
            })
            .collect()
    }

    pub fn desired_of(&self, key: &Key) -> u32 {
        self.scale.get(key).map_or(0, |s| s.desired)
    }

    pub fn backoff(&self) -> Backoff {
        Backoff {
            initial: self.cfg.crash_every,
        }
    }

    pub fn forget(&mut self, key: &Key) {
        self.scale.remove(key);
        self.warm.remove(key);
        self.crashing.remove(key);
        self.crashed_before.remove(key);
        self.failed_create.remove(key);
    }
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;

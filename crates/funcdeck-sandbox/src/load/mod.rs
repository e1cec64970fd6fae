//! The simulated request load: a deterministic function of (seed, namespace/route, tick), so the
//! same seed gives the same busy, idle and bursty functions in every run. Most functions are
//! idle and cost nothing per tick; tests pin a route's load with an override. Request rates
//! per revision are published in [`Loads`] for the data plane and, later, metrics.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::rng::fnv64;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Profile {
    Idle,
    /// A steady rate with a slow sine wave (about 4 minutes at 1 s ticks) of ±30% around `base`.
    Busy {
        base: f64,
        phase: u64,
    },
    /// `rate` rps for `on` ticks out of every `period` (5–15 minutes at 1 s ticks), otherwise
    /// nothing: a cold start now and then, not a pod storm.
    Bursty {
        rate: f64,
        period: u64,
        on: u64,
        phase: u64,
    },
}

/// The profile of route `ns/name`: about 60% idle, 25% busy, 15% bursty.
pub fn profile(seed: u64, ns: &str, name: &str) -> Profile {
    let h = fnv64(&format!("{seed}/{ns}/{name}"));
    let pick = h % 100;
    let x = h >> 8;
    if pick < 60 {
        Profile::Idle
    } else if pick < 85 {
        Profile::Busy {
            base: 0.5 + (x % 600) as f64 / 10.0,
            phase: (x >> 12) % 360,
        }
    } else {
        let period = 300 + (x % 600);
        Profile::Bursty {
            rate: 20.0 + ((x >> 8) % 200) as f64,
            period,
            on: 20 + (x >> 16) % 70,
            phase: (x >> 24) % period,
        }
    }
}

impl Profile {
    /// Requests per second at `tick`.
    pub fn rate(&self, tick: u64) -> f64 {
        match *self {
            Profile::Idle => 0.0,
            Profile::Busy { base, phase } => {
                let angle = ((tick + phase) as f64 / 40.0).sin();
                (base * (1.0 + 0.3 * angle) * 10.0).round() / 10.0
            }
            Profile::Bursty {
                rate,
                period,
                on,
                phase,
            } => {
                if (tick + phase) % period.max(1) < on {
                    rate
                } else {
                    0.0
                }
            }
        }
    }
}

pub type Key = (String, String);

/// Current requests per second per revision (absent = 0), per-route overrides from tests, and
/// the real requests the ingress gateway served since the last tick (they count as load, and a
/// request for a revision scaled to zero pokes the autoscaler at once, like the activator).
#[derive(Clone, Default)]
pub struct Loads {
    per_revision: Arc<Mutex<HashMap<Key, f64>>>,
    overrides: Arc<Mutex<HashMap<Key, f64>>>,
    hits: Arc<Mutex<HashMap<Key, u64>>>,
    /// Requests being held for a revision with no ready pod yet (the activator's queue): they
    /// keep counting as load, so the pod they wait for is not scaled away under them.
    held: Arc<Mutex<HashMap<Key, u32>>>,
    poke: Arc<tokio::sync::Notify>,
}

/// One request being held; dropping it (answered or given up) releases it.
pub struct Held {
    loads: Loads,
    key: Key,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Ok(mut m) = self.loads.held.lock()
            && let Some(n) = m.get_mut(&self.key)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.key);
            }
        }
    }
}

impl Loads {
    pub fn of(&self, ns: &str, revision: &str) -> f64 {
        self.per_revision
            .lock()
            .map(|m| {
                m.get(&(ns.to_string(), revision.to_string()))
                    .copied()
                    .unwrap_or(0.0)
            })
            .unwrap_or(0.0)
    }

    pub fn publish(&self, key: &Key, rps: f64) {
        if let Ok(mut m) = self.per_revision.lock() {
            if rps > 0.0 {
                m.insert(key.clone(), rps);
            } else {
                m.remove(key);
            }
        }
    }

    /// Pins route (= service) `ns/name` at `rps`, or back to its profile with `None`.
    pub fn set_override(&self, ns: &str, name: &str, rps: Option<f64>) {
        if let Ok(mut m) = self.overrides.lock() {
            let key = (ns.to_string(), name.to_string());
            match rps {
                Some(r) => m.insert(key, r),
                None => m.remove(&key),
            };
        }
    }

    pub fn override_of(&self, key: &Key) -> Option<f64> {
        self.overrides.lock().ok().and_then(|m| m.get(key).copied())
    }

    pub fn overrides(&self) -> HashMap<Key, f64> {
        self.overrides.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// One request reached revision `ns/revision` through the gateway.
    pub fn hit(&self, ns: &str, revision: &str) {
        if let Ok(mut m) = self.hits.lock() {
            *m.entry((ns.to_string(), revision.to_string())).or_default() += 1;
        }
        self.poke.notify_one();
    }

    /// The requests counted since the last call (the tick turns them into a rate).
    pub fn take_hits(&self) -> HashMap<Key, u64> {
        self.hits
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default()
    }

    /// A request for revision `ns/revision` is waiting for a pod until the guard drops.
    pub fn hold(&self, ns: &str, revision: &str) -> Held {
        let key = (ns.to_string(), revision.to_string());
        if let Ok(mut m) = self.held.lock() {
            *m.entry(key.clone()).or_default() += 1;
        }
        self.poke.notify_one();
        Held {
            loads: self.clone(),
            key,
        }
    }

    /// Requests held now, per revision.
    pub fn held(&self) -> HashMap<Key, u32> {
        self.held.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The revisions that got requests since the last tick or have requests waiting, without
    /// counting them off.
    pub fn hit_revisions(&self) -> Vec<Key> {
        let mut out: Vec<Key> = self
            .hits
            .lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        out.extend(self.held().into_keys());
        out.sort();
        out.dedup();
        out
    }

    /// Resolves after a [`Loads::hit`] (at once if one came since the last wait).
    pub async fn poked(&self) {
        self.poke.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_mix() {
        let profiles: Vec<Profile> = (0..1000)
            .map(|i| profile(7, "shop", &format!("fn-{i}")))
            .collect();
        let again: Vec<Profile> = (0..1000)
            .map(|i| profile(7, "shop", &format!("fn-{i}")))
            .collect();
        assert_eq!(profiles, again);
        let idle = profiles.iter().filter(|p| **p == Profile::Idle).count();
        assert!((500..700).contains(&idle), "{idle}");
        let busy = profiles
            .iter()
            .find(|p| matches!(p, Profile::Busy { .. }))
            .expect("some busy");
        assert!(busy.rate(3) > 0.0);
        let bursty = profiles
            .iter()
            .find(|p| matches!(p, Profile::Bursty { .. }))
            .expect("some bursty");
        let rates: Vec<f64> = (0..1000).map(|t| bursty.rate(t)).collect();
        assert!(rates.contains(&0.0) && rates.iter().any(|r| *r > 0.0));
    }
}

//! Traces of the simulated data plane, served through the Jaeger query APIs as
//! `observability/jaeger-query:16686` (classic `/api/...` JSON and API v3's OTLP JSON).
//!
//! Every request the metrics count (the simulated load's and the gateway's real ones) can become
//! a trace with Knative's span structure for the era the sandbox speaks ([`spans`]). A trace is
//! kept as one small [`Recorded`] request in a ring of the most recent ones ([`store`]), and its
//! spans are derived on demand, so 20,000 traces cost a few megabytes.
//!
//! Sampling, like Jaeger's rate-limiting sampler: of the simulated load, at most
//! [`PER_TICK`] request per revision per data-plane tick is traced (evenly spread over the
//! tick's requests, so errors are sampled in their share), and always the first request an
//! activator held through a cold start; the gateway's real requests are all traced.
//!
//! The activator stays on every request's path (as with `target-burst-capacity: -1`), so every
//! trace starts at the activator; `throttler_try` lasts the wait for a pod exactly when the data
//! plane had no ready pod for the revision (a scale from zero), and microseconds otherwise.

mod classic;
mod otlp;
mod params;
pub mod serve;
pub mod spans;
mod store;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::metrics::Era;
use crate::rng::Rng;
use store::Ring;

pub const NAMESPACE: &str = "observability";
pub const SERVICE: &str = "jaeger-query";
pub const PORT: u16 = 16686;
/// The port's name in Jaeger's Helm chart and operator.
pub const PORT_NAME: &str = "http-query";
/// Traces kept by default (the oldest go first).
pub const DEFAULT_CAPACITY: usize = 20_000;
/// Simulated requests traced per revision per tick.
pub const PER_TICK: u64 = 1;

/// One traced request: what happened, from which the spans are derived.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub id: u128,
    /// When the activator received it (µs since the epoch).
    pub start_us: i64,
    pub ns: Arc<str>,
    pub service: Arc<str>,
    pub configuration: Arc<str>,
    pub revision: Arc<str>,
    pub pod: Arc<str>,
    pub method: Arc<str>,
    pub path: Arc<str>,
    pub code: u16,
    /// Latency at queue-proxy (the metrics' `revision_request_latencies`).
    pub latency_us: u64,
    /// How long the activator held it for a pod (a cold start).
    pub waited_us: Option<u64>,
    /// `throttler_try` when a pod had room at once.
    pub warm_us: u32,
}

/// A request to record, as the data plane or the gateway saw it.
pub struct Call<'a> {
    pub ns: &'a str,
    pub service: &'a str,
    pub configuration: &'a str,
    pub revision: &'a str,
    pub pod: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub code: u16,
    pub latency_ms: f64,
    pub waited_ms: Option<f64>,
    /// When it arrived at the activator (µs since the epoch).
    pub start_us: i64,
}

/// The recorder and the query server's data: cheap to clone, shared by the data plane, the
/// gateway, the Jaeger server and the control handle.
#[derive(Clone)]
pub struct Traces {
    pub era: Era,
    ring: Arc<Mutex<Ring>>,
    rng: Arc<Mutex<Rng>>,
}

pub fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

impl Traces {
    pub fn new(seed: u64, era: Era, capacity: usize) -> Self {
        Traces {
            era,
            ring: Arc::new(Mutex::new(Ring::new(capacity))),
            rng: Arc::new(Mutex::new(Rng::new(seed.wrapping_add(0x7ace)))),
        }
    }

    pub(crate) fn ring(&self) -> Option<MutexGuard<'_, Ring>> {
        self.ring.lock().ok()
    }

    /// Records one request; returns its trace id.
    pub fn record(&self, c: &Call<'_>) -> u128 {
        let (id, warm_us) = match self.rng.lock() {
            Ok(mut r) => {
                let id = (u128::from(r.next_u64()) << 64) | u128::from(r.next_u64());
                (id, 8 + r.below(50) as u32)
            }
            Err(_) => (0, 10),
        };
        let us = |ms: f64| (ms.max(0.0) * 1000.0).round() as u64;
        if let Some(mut ring) = self.ring() {
            let rec = Recorded {
                id,
                start_us: c.start_us,
                ns: ring.intern(c.ns),
                service: ring.intern(c.service),
                configuration: ring.intern(c.configuration),
                revision: ring.intern(c.revision),
                pod: ring.intern(c.pod),
                method: ring.intern(c.method),
                path: Arc::from(c.path),
                code: c.code,
                latency_us: us(c.latency_ms),
                waited_us: c.waited_ms.map(us),
                warm_us,
            };
            ring.push(self.era, rec);
        }
        id
    }

    /// Traces kept now.
    pub fn len(&self) -> usize {
        self.ring().map_or(0, |r| r.len())
    }
}

/// `trace_id` as Jaeger prints it: 32 lower-case hex characters.
pub fn hex_id(id: u128) -> String {
    format!("{id:032x}")
}

/// Jaeger's `TraceIDFromString`: up to 32 hex characters (shorter ones are zero-padded).
pub fn parse_id(s: &str) -> Result<u128, String> {
    if s.len() > 32 {
        return Err(format!(
            "TraceID cannot be longer than 32 hex characters: {s}"
        ));
    }
    u128::from_str_radix(s, 16)
        .ok()
        .filter(|_| !s.is_empty() && !s.starts_with('+'))
        .ok_or_else(|| format!("strconv.ParseUint: parsing {s:?}: invalid syntax"))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sampling_tests;

//! Knative-shaped metrics of the simulated data plane, kept per revision and pod and served in
//! the Prometheus text format ([`expo`], [`serve`]) as either Knative metrics era: 1.18
//! (OpenCensus names) or 1.19 (OpenTelemetry names, labels as the OTLP-promoted setup shows
//! them). Everything is a function of the seed and the simulated load, so tests can predict it:
//!
//! - each tick, a revision with a simulated rate `r` gets `floor` of the running sum of
//!   `r × (time since the previous tick)` requests (the fraction is carried), so its request
//!   counter is the integral of its rate over wall time; requests the gateway really served
//!   are added as they happen;
//! - the n-th request of a revision takes `lo + (hi − lo) × frac(n × 0.618…)` ms (an even
//!   spread over the revision's [`Profile`] `lo..hi`), the user container 1 ms less;
//! - a share [`Profile::error_ratio`] of each tick's requests answers 500 (carried likewise);
//! - a revision with no ready pod has its simulated requests buffered by the activator
//!   (`activator_request_concurrency`) until a pod is ready; they are then counted with the wait
//!   added to their latency, by the activator and then by queue-proxy;
//! - the autoscaler's gauges are the data plane's desired pods and its ready pods, for every
//!   revision that has ever had a pod or load since the sandbox started (so a scale from zero,
//!   a cold start, shows as a 0 → 1 step).

pub mod expo;
mod hist;
pub mod serve;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::rng::fnv64;
use crate::traces::{self, Call, PER_TICK, Traces};
use hist::Hist;

/// Which Knative release's metric names the exporters speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Era {
    /// Knative ≤ 1.18: OpenCensus (`revision_request_count`, ms histograms).
    V118,
    /// Knative ≥ 1.19: OpenTelemetry (`http_server_request_duration_seconds`, seconds).
    #[default]
    V119,
}

impl Era {
    /// The Knative release the sandbox plays for this era (its labels and image tags).
    pub fn release(self) -> &'static str {
        match self {
            Era::V118 => "1.18.0",
            Era::V119 => "1.19.0",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Era::V118 => "1.18",
            Era::V119 => "1.19",
        }
    }
}

impl std::str::FromStr for Era {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "1.18" => Ok(Era::V118),
            "1.19" => Ok(Era::V119),
            other => Err(format!(
                "unknown Knative metrics era {other:?} (expected 1.18 or 1.19)"
            )),
        }
    }
}

/// What a revision's requests look like: latency spread evenly over `lo_ms..hi_ms`, and a share
/// answering 500. Derived from (seed, namespace, revision) alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    pub lo_ms: f64,
    pub hi_ms: f64,
    pub error_ratio: f64,
}

pub fn profile(seed: u64, ns: &str, revision: &str) -> Profile {
    let h = fnv64(&format!("{seed}/{ns}/{revision}/latency"));
    let lo_ms = 5.0 + (h % 40) as f64;
    let hi_ms = lo_ms + 20.0 + ((h >> 8) % 200) as f64;
    let error_ratio = match (h >> 20) % 100 {
        0..80 => 0.0,
        80..95 => 0.01,
        _ => 0.1,
    };
    Profile {
        lo_ms,
        hi_ms,
        error_ratio,
    }
}

/// The golden ratio's fraction: `frac(n × φ)` spreads requests evenly (a low-discrepancy
/// sequence), so quantiles converge fast and exactly.
const PHI: f64 = 0.618_033_988_749_894_9;
/// What queue-proxy adds around the user container.
const QUEUE_OVERHEAD_MS: f64 = 1.0;

pub type Key = (String, String);

/// Who a revision belongs to (its labels), for the resource labels of every series.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Owner {
    pub service: String,
    pub configuration: String,
}

/// The autoscaler's view of a revision.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pods {
    pub desired: u32,
    pub ready: u32,
    pub pending: u32,
    pub not_ready: u32,
}

#[derive(Debug, Default)]
pub(crate) struct RevState {
    pub owner: Owner,
    pub profile: Option<Profile>,
    /// Requests so far (drives the latency sequence).
    pub served: u64,
    /// Fractions of a request and of an error carried to the next tick.
    pub carry: f64,
    pub error_carry: f64,
    /// Requests the activator holds for a pod, and the ticks they have waited.
    pub buffered: u64,
    pub buffered_ticks: u64,
    pub pods: Pods,
    /// The rate this tick (simulated and real), for the autoscaler's rps/concurrency gauges.
    pub rps: f64,
    /// queue-proxy per (pod, status code): latency as seen by queue-proxy and by the app.
    pub queue: BTreeMap<(String, u16), (Hist, Hist)>,
    /// activator per status code.
    pub activator: BTreeMap<u16, Hist>,
}

/// One request as it was answered.
#[derive(Debug, Clone)]
pub struct Served {
    pub pod: String,
    pub code: u16,
    /// Total latency at queue-proxy; the activator adds `waited_ms` in front when it held it.
    pub latency_ms: f64,
    pub waited_ms: Option<f64>,
}

#[derive(Default)]
pub(crate) struct State {
    pub revs: BTreeMap<Key, RevState>,
}

/// The shared metric state: advanced by the data plane's tick and the gateway, read by the
/// exporters. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    seed: u64,
    pub era: Era,
    state: Arc<Mutex<State>>,
    /// Where sampled requests become traces (none without the sandbox's Jaeger).
    pub traces: Option<Traces>,
    /// Where every request becomes a queue-proxy request log line (none without the logs).
    pub logs: Option<crate::logs::Logs>,
}

impl Metrics {
    pub fn new(seed: u64, era: Era) -> Self {
        Metrics {
            seed,
            era,
            state: Arc::new(Mutex::new(State::default())),
            traces: None,
            logs: None,
        }
    }

    pub(crate) fn lock(&self) -> Option<MutexGuard<'_, State>> {
        self.state.lock().ok()
    }

    pub fn profile(&self, ns: &str, revision: &str) -> Profile {
        profile(self.seed, ns, revision)
    }

    /// One tick of simulated load for revision `key`: `rps` for `secs` seconds, spread over its
    /// ready pods (`ready_pods`, in order); with none, the activator buffers the requests.
    pub fn advance(
        &self,
        key: &Key,
        owner: &Owner,
        rps: f64,
        secs: f64,
        ready_pods: &[String],
        tick_ms: f64,
    ) {
        let profile = self.profile(&key.0, &key.1);
        let mut sampled = Vec::new();
        let Some(mut st) = self.lock() else { return };
        let rev = st.revs.entry(key.clone()).or_default();
        rev.owner = owner.clone();
        rev.profile = Some(profile);
        rev.carry += rps.max(0.0) * secs;
        let now = rev.carry.floor();
        rev.carry -= now;
        let fresh = now as u64;
        if ready_pods.is_empty() {
            if rev.buffered > 0 || fresh > 0 {
                rev.buffered += fresh;
                rev.buffered_ticks += 1;
            }
            return;
        }
        let waited = rev.buffered_ticks as f64 * tick_ms;
        let held = std::mem::take(&mut rev.buffered);
        rev.buffered_ticks = 0;
        let total = fresh + held;
        rev.error_carry += total as f64 * profile.error_ratio;
        let errors = rev.error_carry.floor();
        rev.error_carry -= errors;
        let errors = errors as u64;
        // Tracing samples PER_TICK requests evenly over the tick (a rotating offset, so the
        // errors at its end get their share) and always the first one held for a cold start.
        let stride = total.div_ceil(PER_TICK).max(1);
        let offset = rev.served % stride;
        for i in 0..total {
            let latency = next_latency(rev, &profile);
            // Errors go last in the tick, so the held (older) requests are the successful ones.
            let code = if i >= total - errors { 500 } else { 200 };
            let pod = &ready_pods[(i % ready_pods.len() as u64) as usize];
            let s = Served {
                pod: pod.clone(),
                code,
                latency_ms: latency,
                waited_ms: (i < held).then_some(waited),
            };
            record(rev, &s);
            let traced = self.traces.is_some() && (i % stride == offset || (i == 0 && held > 0));
            if traced || self.logs.is_some() {
                sampled.push((i, s, traced));
            }
        }
        drop(st);
        let tick_start = traces::now_us() - (secs * 1e6) as i64;
        let mut logged = Vec::new();
        for (i, s, traced) in sampled {
            let ahead = (s.waited_ms.unwrap_or(0.0) + s.latency_ms) * 1000.0;
            let at = tick_start + ((i as f64 + 0.5) / total as f64 * secs * 1e6) as i64;
            let id = match &self.traces {
                Some(t) if traced => {
                    Some(trace(t, key, owner, &s, ("GET", "/"), at - ahead as i64))
                }
                _ => None,
            };
            // queue-proxy sees it once the activator lets it through: `at - ahead + waited`.
            let waited = (s.waited_ms.unwrap_or(0.0) * 1000.0) as i64;
            logged.push((s, at - ahead as i64 + waited, id));
        }
        if let Some(l) = &self.logs {
            let reqs: Vec<crate::logs::record::Request<'_>> = logged
                .iter()
                .map(|(s, start_us, id)| request(key, s, ("GET", "/"), *start_us, *id))
                .collect();
            l.requests(&reqs);
        }
    }

    /// A request the gateway really answered (it counts as load too, through [`crate::load`]),
    /// `call` its method and path; every one is traced: returns its trace id.
    pub fn served(&self, key: &Key, owner: &Owner, s: &Served, call: (&str, &str)) -> Option<u128> {
        let profile = self.profile(&key.0, &key.1);
        {
            let mut st = self.lock()?;
            let rev = st.revs.entry(key.clone()).or_default();
            rev.owner = owner.clone();
            rev.profile = Some(profile);
            rev.served += 1;
            record(rev, s);
        }
        let took = (s.waited_ms.unwrap_or(0.0) + s.latency_ms) * 1000.0;
        let at = traces::now_us() - took as i64;
        let id = self
            .traces
            .as_ref()
            .map(|t| trace(t, key, owner, s, call, at));
        if let Some(l) = &self.logs {
            let waited = (s.waited_ms.unwrap_or(0.0) * 1000.0) as i64;
            l.requests(&[request(key, s, call, at + waited, id)]);
        }
        id
    }

    /// The autoscaler's figures for `key` this tick; a revision seen once stays exported.
    pub fn set_pods(&self, key: &Key, owner: &Owner, pods: Pods, rps: f64) {
        let Some(mut st) = self.lock() else { return };
        let rev = st.revs.entry(key.clone()).or_default();
        rev.owner = owner.clone();
        rev.pods = pods;
        rev.rps = rps;
    }

    /// The revisions exported so far (for tests and the control handle).
    pub fn revisions(&self) -> Vec<Key> {
        self.lock()
            .map(|s| s.revs.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Requests counted so far for revision `key` at queue-proxy (all pods and codes).
    pub fn request_count(&self, key: &Key) -> u64 {
        self.lock()
            .and_then(|s| {
                s.revs
                    .get(key)
                    .map(|r| r.queue.values().map(|(h, _)| h.count).sum())
            })
            .unwrap_or(0)
    }
}

fn trace(t: &Traces, key: &Key, owner: &Owner, s: &Served, call: (&str, &str), at: i64) -> u128 {
    t.record(&Call {
        ns: &key.0,
        service: &owner.service,
        configuration: &owner.configuration,
        revision: &key.1,
        pod: &s.pod,
        method: call.0,
        path: call.1,
        code: s.code,
        latency_ms: s.latency_ms,
        waited_ms: s.waited_ms,
        start_us: at,
    })
}

fn request<'a>(
    key: &'a Key,
    s: &'a Served,
    call: (&'a str, &'a str),
    start_us: i64,
    trace_id: Option<u128>,
) -> crate::logs::record::Request<'a> {
    crate::logs::record::Request {
        ns: &key.0,
        pod: &s.pod,
        revision: &key.1,
        method: call.0,
        path: call.1,
        code: s.code,
        latency_ms: s.latency_ms,
        start_us,
        trace_id,
    }
}

fn next_latency(rev: &mut RevState, p: &Profile) -> f64 {
    rev.served += 1;
    let f = (rev.served as f64 * PHI).fract();
    p.lo_ms + (p.hi_ms - p.lo_ms) * f
}

fn record(rev: &mut RevState, s: &Served) {
    let (q, app) = rev.queue.entry((s.pod.clone(), s.code)).or_default();
    q.observe(s.latency_ms);
    app.observe((s.latency_ms - QUEUE_OVERHEAD_MS).max(0.0));
    if let Some(w) = s.waited_ms {
        rev.activator
            .entry(s.code)
            .or_default()
            .observe(w + s.latency_ms);
    }
}

/// The owner labels of a revision object (`service_name="unknown"` without a Service, as
/// Knative's OpenCensus tags say).
pub fn owner_of(rev: &serde_json::Value) -> Owner {
    let label = |k: &str| crate::obj::label(rev, k).map(str::to_string);
    let name = crate::obj::name(rev).to_string();
    Owner {
        service: label(crate::knative::L_SERVICE).unwrap_or_else(|| "unknown".into()),
        configuration: label(crate::knative::L_CONFIGURATION).unwrap_or(name),
    }
}

#[cfg(test)]
mod tests;

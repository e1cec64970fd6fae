//! The handle tests (and the CLI) use to poke a running sandbox: drop watches, compact history,
//! failure scenarios, load, and its metrics and Prometheus.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch as tokio_watch;

use crate::load::Loads;
use crate::metrics::{self, Metrics};
use crate::prometheus::Upstream;
use crate::scenario::{Active, Scenario, Scenarios};
use crate::store::Store;
use crate::traces::Traces;

/// A cheap handle for tests to poke the sandbox (drop watches, compact history, failure
/// scenarios, load).
#[derive(Clone)]
pub struct SandboxControl {
    pub(crate) store: Arc<Store>,
    pub(crate) drops: Arc<tokio_watch::Sender<u64>>,
    pub(crate) restarts: Arc<tokio_watch::Sender<u64>>,
    pub(crate) scenarios: Arc<Scenarios>,
    pub(crate) loads: Loads,
    pub(crate) metrics: Metrics,
    pub(crate) prometheus: Option<Arc<Upstream>>,
    pub(crate) traces: Option<Traces>,
    pub(crate) logs: Option<crate::logs::Logs>,
}

impl SandboxControl {
    /// The latency spread and 5xx share of revision `ns/revision`'s requests.
    pub fn revision_profile(&self, ns: &str, revision: &str) -> metrics::Profile {
        self.metrics.profile(ns, revision)
    }

    /// Requests counted so far for revision `ns/revision` (queue-proxy, every pod and code).
    pub fn request_count(&self, ns: &str, revision: &str) -> u64 {
        self.metrics
            .request_count(&(ns.to_string(), revision.to_string()))
    }

    /// The Prometheus child is running and passed its readiness probe.
    pub fn prometheus_ready(&self) -> bool {
        match self.prometheus.as_deref() {
            Some(Upstream::Child(c)) => c.ready(),
            Some(Upstream::Url { .. }) => true,
            _ => false,
        }
    }

    /// Kills the Prometheus child now, as if it had crashed: the Service stays and the proxy
    /// answers that it has no endpoints.
    pub fn kill_prometheus(&self) {
        if let Some(Upstream::Child(c)) = self.prometheus.as_deref() {
            c.kill();
        }
    }

    /// The process id of the Prometheus child while it runs.
    pub fn prometheus_pid(&self) -> Option<u32> {
        match self.prometheus.as_deref() {
            Some(Upstream::Child(c)) if c.alive() => c.pid(),
            _ => None,
        }
    }

    /// A slow Jaeger (the `slow-jaeger` scenario, "a slow backend"): every query answer waits
    /// `delay` first; `Duration::ZERO` makes it prompt again.
    pub fn set_jaeger_delay(&self, delay: Duration) {
        if delay.is_zero() {
            self.end_scenario(&Scenario::SlowJaeger(delay));
        } else {
            self.start_scenario(&Scenario::SlowJaeger(delay));
        }
    }

    /// How long each Jaeger answer is held back now.
    pub fn jaeger_delay(&self) -> Duration {
        self.scenarios.slow_jaeger().unwrap_or_default()
    }

    /// Traces kept now (at most `SandboxConfig::trace_capacity`).
    pub fn trace_count(&self) -> usize {
        self.traces.as_ref().map_or(0, Traces::len)
    }

    /// A slow Elasticsearch (the `slow-elasticsearch` scenario): every answer waits `delay`
    /// first; `Duration::ZERO` makes it prompt again.
    pub fn set_elasticsearch_delay(&self, delay: Duration) {
        if delay.is_zero() {
            self.end_scenario(&Scenario::SlowElasticsearch(delay));
        } else {
            self.start_scenario(&Scenario::SlowElasticsearch(delay));
        }
    }

    /// Log documents kept now (at most `SandboxConfig::log_capacity`).
    pub fn log_count(&self) -> usize {
        self.logs.as_ref().map_or(0, crate::logs::Logs::len)
    }

    /// Writes `text` (any bytes: escapes, invalid UTF-8) as one line of container `container`
    /// (`user-container` or `queue-proxy`) of pod `ns/pod`, to its pod log and as a document;
    /// false when the pod never started here or the logs are off.
    pub fn write_log(
        &self,
        ns: &str,
        pod: &str,
        container: &str,
        stderr: bool,
        text: &[u8],
    ) -> bool {
        self.logs
            .as_ref()
            .is_some_and(|l| l.line(ns, pod, container, stderr, text))
    }

    /// Closes every open watch stream now; clients reconnect from their last resourceVersion.
    pub fn drop_watches(&self) {
        self.drops.send_modify(|n| *n += 1);
    }

    /// Forgets all retained events: a watch resuming from an older resourceVersion gets an
    /// in-stream 410 Expired.
    pub fn compact_history(&self) {
        self.store.compact();
    }

    pub fn resource_version(&self) -> u64 {
        self.store.resource_version()
    }

    /// Restarts the apiserver once now: connections cut, refused for the downtime, then back.
    pub fn restart_apiserver(&self) {
        self.restarts.send_modify(|n| *n += 1);
    }

    /// Turns a scenario on (a later one of the same kind replaces a duration).
    pub fn start_scenario(&self, s: &Scenario) {
        self.scenarios.modify(|a| a.apply(s));
    }

    /// Turns a scenario off (for `crashloop`/`unpullable`, only that target).
    pub fn end_scenario(&self, s: &Scenario) {
        self.scenarios.modify(|a| match s {
            Scenario::CrashLoop(ns, svc) => {
                a.crashloop.remove(&(ns.clone(), svc.clone()));
            }
            Scenario::Unpullable(ns, svc) => {
                a.unpullable.remove(&(ns.clone(), svc.clone()));
            }
            Scenario::SlowApi(_) => a.slow_api = None,
            Scenario::DropWatches(_) => a.drop_watches = None,
            Scenario::ApiserverRestart(_) => a.apiserver_restart = None,
            Scenario::SlowJaeger(_) => a.slow_jaeger = None,
            Scenario::SlowElasticsearch(_) => a.slow_elasticsearch = None,
            Scenario::UnpullableWorkload(ns, n) => {
                a.unpullable_workloads.remove(&(ns.clone(), n.clone()));
            }
            Scenario::PendingPvc(ns, n) => {
                a.pending_pvc.remove(&(ns.clone(), n.clone()));
            }
            Scenario::WebhookNotReady(ns, n) => {
                a.webhook_not_ready.remove(&(ns.clone(), n.clone()));
            }
        });
    }

    /// The scenarios in force now (from the config, the ConfigMap and these methods).
    pub fn scenarios(&self) -> Vec<Scenario> {
        let a: Active = self.scenarios.current();
        let mut out: Vec<Scenario> = a
            .crashloop
            .iter()
            .map(|(n, s)| Scenario::CrashLoop(n.clone(), s.clone()))
            .chain(
                a.unpullable
                    .iter()
                    .map(|(n, s)| Scenario::Unpullable(n.clone(), s.clone())),
            )
            .collect();
        out.extend(a.slow_api.map(Scenario::SlowApi));
        out.extend(a.drop_watches.map(Scenario::DropWatches));
        out.extend(a.apiserver_restart.map(Scenario::ApiserverRestart));
        out.extend(a.slow_jaeger.map(Scenario::SlowJaeger));
        out.extend(a.slow_elasticsearch.map(Scenario::SlowElasticsearch));
        let pairs = |set: &std::collections::BTreeSet<(String, String)>| -> Vec<(String, String)> {
            set.iter().cloned().collect()
        };
        out.extend(
            pairs(&a.unpullable_workloads)
                .into_iter()
                .map(|(n, s)| Scenario::UnpullableWorkload(n, s)),
        );
        out.extend(
            pairs(&a.pending_pvc)
                .into_iter()
                .map(|(n, s)| Scenario::PendingPvc(n, s)),
        );
        out.extend(
            pairs(&a.webhook_not_ready)
                .into_iter()
                .map(|(n, s)| Scenario::WebhookNotReady(n, s)),
        );
        out
    }

    /// The simulated request rate (requests per second) reaching revision `ns/revision` now.
    pub fn load_of(&self, ns: &str, revision: &str) -> f64 {
        self.loads.of(ns, revision)
    }

    /// Pins the load on service (route) `ns/name` to `rps`; `None` returns it to its seeded
    /// profile.
    pub fn set_load(&self, ns: &str, name: &str, rps: Option<f64>) {
        self.loads.set_override(ns, name, rps);
    }
}

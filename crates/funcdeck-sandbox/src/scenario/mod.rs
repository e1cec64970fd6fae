//! Switchable failure scenarios: what a console must survive on a real cluster (a crash-looping
//! or unpullable image, a slow or restarting apiserver, watches that drop; for the stack
//! wizard, a workload whose image cannot be pulled, a claim that stays Pending, a webhook that
//! is not ready), made reproducible.
//! They are set at start (`SandboxConfig::scenarios`, the `--scenario` flag), at run time through
//! the ConfigMap `kube-system/funcdeck-sandbox-scenarios` (one key per kind; deleting a key ends
//! it), or from tests via `SandboxControl`. One shared [`Scenarios`] value is read by the server
//! (slow API), the timers (drops, restarts), the controller (image fates) and the Jaeger query
//! service (slow Jaeger).

mod configmap;
mod spec;
mod timers;

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::sync::watch;

pub use configmap::{CONFIGMAP, CONFIGMAP_NAMESPACE, apply as apply_configmap};
pub use spec::{Scenario, parse_duration};
pub use timers::run as run_timers;

/// The scenarios in force now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Active {
    /// `(namespace, service)` whose pods crash (CrashLoopBackOff, revision ExitCode1).
    pub crashloop: BTreeSet<(String, String)>,
    /// `(namespace, service)` whose image cannot be pulled (ImagePullBackOff, ContainerMissing).
    pub unpullable: BTreeSet<(String, String)>,
    /// Every API request waits this long before it is handled.
    pub slow_api: Option<Duration>,
    /// Every watch stream is closed this often.
    pub drop_watches: Option<Duration>,
    /// The apiserver "restarts" this often.
    pub apiserver_restart: Option<Duration>,
    /// Every answer of the Jaeger query service waits this long.
    pub slow_jaeger: Option<Duration>,
    /// Every answer of the Elasticsearch logs service waits this long.
    pub slow_elasticsearch: Option<Duration>,
    /// `(namespace, workload)` whose pods cannot pull their image.
    pub unpullable_workloads: BTreeSet<(String, String)>,
    /// `(namespace, claim or statefulset)` whose claims stay Pending.
    pub pending_pvc: BTreeSet<(String, String)>,
    /// `(namespace, workload)` whose pods never become Ready.
    pub webhook_not_ready: BTreeSet<(String, String)>,
}

impl Active {
    pub fn apply(&mut self, s: &Scenario) {
        match s {
            Scenario::CrashLoop(ns, svc) => {
                self.crashloop.insert((ns.clone(), svc.clone()));
            }
            Scenario::Unpullable(ns, svc) => {
                self.unpullable.insert((ns.clone(), svc.clone()));
            }
            Scenario::SlowApi(d) => self.slow_api = Some(*d),
            Scenario::DropWatches(d) => self.drop_watches = Some(*d),
            Scenario::ApiserverRestart(d) => self.apiserver_restart = Some(*d),
            Scenario::SlowJaeger(d) => self.slow_jaeger = Some(*d),
            Scenario::SlowElasticsearch(d) => self.slow_elasticsearch = Some(*d),
            Scenario::UnpullableWorkload(ns, n) => {
                self.unpullable_workloads.insert((ns.clone(), n.clone()));
            }
            Scenario::PendingPvc(ns, n) => {
                self.pending_pvc.insert((ns.clone(), n.clone()));
            }
            Scenario::WebhookNotReady(ns, n) => {
                self.webhook_not_ready.insert((ns.clone(), n.clone()));
            }
        }
    }

    /// Namespaces whose plain workloads and claims the scenarios affect.
    pub fn workload_namespaces(&self) -> BTreeSet<String> {
        self.unpullable_workloads
            .iter()
            .chain(&self.pending_pvc)
            .chain(&self.webhook_not_ready)
            .map(|(ns, _)| ns.clone())
            .collect()
    }

    /// Services whose image fate the scenarios change.
    pub fn targets(&self) -> BTreeSet<(String, String)> {
        self.crashloop.union(&self.unpullable).cloned().collect()
    }
}

/// Shared, observable scenario state.
pub struct Scenarios {
    tx: watch::Sender<Active>,
}

impl Scenarios {
    pub fn new(initial: &[Scenario]) -> Self {
        let mut a = Active::default();
        for s in initial {
            a.apply(s);
        }
        Scenarios {
            tx: watch::Sender::new(a),
        }
    }

    pub fn current(&self) -> Active {
        self.tx.borrow().clone()
    }

    pub fn slow_api(&self) -> Option<Duration> {
        self.tx.borrow().slow_api
    }

    pub fn slow_jaeger(&self) -> Option<Duration> {
        self.tx.borrow().slow_jaeger
    }

    pub fn slow_elasticsearch(&self) -> Option<Duration> {
        self.tx.borrow().slow_elasticsearch
    }

    pub fn subscribe(&self) -> watch::Receiver<Active> {
        self.tx.subscribe()
    }

    /// Changes the state; watchers are told only when something changed.
    pub fn modify(&self, f: impl FnOnce(&mut Active)) {
        self.tx.send_if_modified(|a| {
            let before = a.clone();
            f(a);
            *a != before
        });
    }
}

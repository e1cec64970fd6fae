//! funcdeck-sandbox: a simulated Kubernetes API server plus Knative Serving controllers on
//! loopback, faithful enough that the real `kubectl` 1.32 and `kube` 5 work against it unchanged.
//! It is the demo cluster behind `funcdeck --sandbox` and the ground every funcdeck test stands
//! on, so it deliberately shares no parsing code with funcdeck-core: it works on untyped JSON.

mod admission;
mod age;
mod api;
mod apply;
mod apps;
mod authz_review;
mod config;
mod control;
mod crd;
mod dataplane;
mod discovery;
mod endpoints;
mod events;
mod gateway;
mod http;
mod identity;
mod knative;
mod kubeconfig;
mod list;
mod load;
mod logs;
mod metrics;
mod obj;
mod patch;
mod podlog;
mod prometheus;
mod protobuf;
mod proxy;
mod quota;
mod rbac;
mod request;
mod resources;
mod rng;
mod routes;
mod scenario;
mod schema;
mod seed;
mod selector;
mod server;
mod status;
mod store;
mod table;
mod traces;
mod watch;
mod write;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch as tokio_watch;
use tokio::task::JoinHandle;

pub use config::SandboxConfig;
pub use control::SandboxControl;
pub use metrics::expo::Component;
pub use metrics::{Era as MetricsEra, Profile as RevisionProfile};
pub use prometheus::{PrometheusMode, PrometheusStatus};
pub use scenario::{Scenario, parse_duration as parse_scenario_duration};

use crate::dataplane::scale::{Plane, PlaneConfig};
use crate::knative::Controller;
use crate::load::Loads;
use crate::metrics::Metrics;
use crate::prometheus::Upstream;
use crate::scenario::Scenarios;
use crate::store::Store;
use crate::watch::WatchEnv;

/// How often an idle watch that asked for bookmarks gets one (the real server: about a minute).
const BOOKMARK_EVERY: Duration = Duration::from_secs(60);
/// How long a started Prometheus may take to pass `/-/ready` (it replays no WAL here: fast).
const PROMETHEUS_READY_WITHIN: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot write kubeconfig {path}: {source}")]
    WriteKubeconfig {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen for the ingress gateway on {addr}: {source}")]
    BindGateway {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the bound address: {0}")]
    LocalAddr(std::io::Error),
    #[error("cannot listen for the Jaeger query API on {addr}: {source}")]
    BindJaeger {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen for Elasticsearch on {addr}: {source}")]
    BindElasticsearch {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen for the {job} metrics on {addr}: {source}")]
    BindMetrics {
        job: &'static str,
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A running sandbox. Dropping it signals the server and controllers to stop; `shutdown`
/// does the same and waits for them.
pub struct Sandbox {
    addr: SocketAddr,
    gateway_addr: SocketAddr,
    kubeconfig_path: Option<PathBuf>,
    kubeconfig_yaml: String,
    control: SandboxControl,
    shutdown_tx: tokio_watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    metrics_addrs: Vec<(Component, SocketAddr)>,
    prometheus_status: PrometheusStatus,
    jaeger_addr: Option<SocketAddr>,
    elasticsearch_addr: Option<SocketAddr>,
}

impl Sandbox {
    /// Binds, seeds (statuses settled), writes the kubeconfig, and spawns the server and
    /// controller tasks on the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| SandboxError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(SandboxError::LocalAddr)?;
        let gateway_bind = SocketAddr::new(config.listen.ip(), 0);
        let gateway_listener =
            TcpListener::bind(gateway_bind)
                .await
                .map_err(|source| SandboxError::BindGateway {
                    addr: gateway_bind,
                    source,
                })?;
        let gateway_addr = gateway_listener
            .local_addr()
            .map_err(SandboxError::LocalAddr)?;
        let store = Arc::new(Store::new(config.seed, config.history_limit));
        let mut controller = Controller::new(store.clone(), config.ready_delay);
        controller.set_workload_delay(config.workload_delay);
        let scenarios = Arc::new(Scenarios::new(&config.scenarios));
        let loads = Loads::default();
        let plane = PlaneConfig {
            seed: config.seed,
            tick: config.tick,
            idle_window: config.idle_window,
            cold_start: config.cold_start,
            crash_every: config.crash_every,
            ..PlaneConfig::default()
        };
        let mut metrics = Metrics::new(config.seed, config.metrics_era);
        let traces = config
            .jaeger
            .then(|| traces::Traces::new(config.seed, config.metrics_era, config.trace_capacity));
        metrics.traces = traces.clone();
        // Pods always write logs (the kubelet keeps them with or without a log stack);
        // `elasticsearch` only decides whether they are also served as documents.
        let logs = Some(logs::Logs::new(config.seed, config.log_capacity));
        metrics.logs = logs.clone();
        let mut plane = Plane::new(plane, loads.clone());
        plane.metrics = Some(metrics.clone());
        controller.attach(scenarios.clone(), plane);
        controller.set_seeding(true);
        seed::seed(
            &store,
            &mut controller,
            (config.functions, config.seed),
            gateway_addr.port(),
            config.metrics_era.release(),
        );
        let mut metrics_listeners = Vec::new();
        for c in Component::ALL {
            let bind = SocketAddr::new(config.listen.ip(), 0);
            let err = |source| SandboxError::BindMetrics {
                job: c.job(),
                addr: bind,
                source,
            };
            let l = TcpListener::bind(bind).await.map_err(err)?;
            let a = l.local_addr().map_err(SandboxError::LocalAddr)?;
            metrics_listeners.push((c, a, l));
        }
        let metrics_addrs: Vec<(Component, SocketAddr)> =
            metrics_listeners.iter().map(|(c, a, _)| (*c, *a)).collect();
        let (prometheus, prometheus_status) = prometheus::launch(
            &config.prometheus,
            config.metrics_era,
            &metrics_addrs,
            config.scrape_interval,
        );
        let mut backends = proxy::Backends::default();
        // The backends always run (and record); whether the proxy reaches them depends on the
        // Service and ready workload in front of each, which a bare sandbox starts without.
        let stack = !config.bare;
        if let Some(up) = &prometheus {
            if stack {
                seed::prometheus(&store, &mut controller);
            }
            backends.add(
                prometheus::NAMESPACE,
                prometheus::SERVICE,
                proxy::Backend::Prometheus(up.clone()),
            );
        }
        let jaeger = match &traces {
            Some(t) => {
                let bind = SocketAddr::new(config.listen.ip(), 0);
                let err = |source| SandboxError::BindJaeger { addr: bind, source };
                let l = TcpListener::bind(bind).await.map_err(err)?;
                let a = l.local_addr().map_err(SandboxError::LocalAddr)?;
                if stack {
                    seed::jaeger(&store, &mut controller);
                }
                backends.add(
                    traces::NAMESPACE,
                    traces::SERVICE,
                    proxy::Backend::Loopback(a),
                );
                Some((t.clone(), l, a))
            }
            None => None,
        };
        let elasticsearch = match logs.as_ref().filter(|_| config.elasticsearch) {
            Some(l) => {
                let bind = SocketAddr::new(config.listen.ip(), 0);
                let err = |source| SandboxError::BindElasticsearch { addr: bind, source };
                let listener = TcpListener::bind(bind).await.map_err(err)?;
                let a = listener.local_addr().map_err(SandboxError::LocalAddr)?;
                if stack {
                    seed::elasticsearch(&store, &mut controller);
                }
                backends.add(logs::NAMESPACE, logs::SERVICE, proxy::Backend::Loopback(a));
                Some((l.clone(), listener, a))
            }
            None => None,
        };
        controller.set_seeding(false);

        let kubeconfig_yaml = kubeconfig::render(addr);
        if let Some(path) = &config.kubeconfig_out {
            write_kubeconfig(path, &kubeconfig_yaml)?;
        }

        let (shutdown_tx, shutdown_rx) = tokio_watch::channel(false);
        let (drops_tx, drops_rx) = tokio_watch::channel(0u64);
        let drops_tx = Arc::new(drops_tx);
        let (restarts_tx, restarts_rx) = tokio_watch::channel(0u64);
        let restarts_tx = Arc::new(restarts_tx);
        let faults = server::Faults {
            scenarios: scenarios.clone(),
            restarts: restarts_rx,
            downtime: config.restart_downtime,
        };
        let env = Arc::new(WatchEnv {
            store: store.clone(),
            drops: drops_rx,
            shutdown: shutdown_rx.clone(),
            bookmark_every: BOOKMARK_EVERY,
            backends: Arc::new(backends),
            logs: logs.clone(),
        });
        let mut gateway =
            gateway::Gateway::new(store.clone(), loads.clone(), scenarios.clone(), config.seed);
        gateway.metrics = Some(metrics.clone());
        let gateway = Arc::new(gateway);
        let mut tasks = vec![
            tokio::spawn(server::serve(listener, env, shutdown_rx.clone(), faults)),
            tokio::spawn(gateway::serve(
                gateway_listener,
                gateway,
                shutdown_rx.clone(),
            )),
            tokio::spawn(scenario::run_timers(
                scenarios.clone(),
                drops_tx.clone(),
                restarts_tx.clone(),
                shutdown_rx.clone(),
            )),
            tokio::spawn(quota::run(store.clone(), shutdown_rx.clone())),
            tokio::spawn(controller.run(shutdown_rx.clone())),
        ];
        let jaeger_addr = jaeger.as_ref().map(|(_, _, a)| *a);
        if let Some((t, l, _)) = jaeger {
            let serve = traces::serve::serve(l, t, scenarios.clone(), shutdown_rx.clone());
            tasks.push(tokio::spawn(serve));
        }
        let elasticsearch_addr = elasticsearch.as_ref().map(|(_, _, a)| *a);
        if let Some((l, listener, _)) = elasticsearch {
            let serve = logs::serve::serve(listener, l, scenarios.clone(), shutdown_rx.clone());
            tasks.push(tokio::spawn(serve));
        }
        for (c, _, l) in metrics_listeners {
            let serve = metrics::serve::serve(l, metrics.clone(), c, shutdown_rx.clone());
            tasks.push(tokio::spawn(serve));
        }
        if let Some(up) = prometheus.clone()
            && matches!(*up, Upstream::Child(_))
        {
            let mut stop = shutdown_rx.clone();
            tasks.push(tokio::spawn(async move {
                if let Upstream::Child(c) = &*up {
                    tokio::select! {
                        ready = c.wait_ready(PROMETHEUS_READY_WITHIN) => if !ready {
                            tracing::warn!("prometheus did not become ready");
                        },
                        _ = stop.changed() => {}
                    }
                }
            }));
        }
        tracing::info!(%addr, %gateway_addr, functions = config.functions, "sandbox started");
        Ok(Sandbox {
            addr,
            gateway_addr,
            kubeconfig_path: config.kubeconfig_out,
            kubeconfig_yaml,
            control: SandboxControl {
                store,
                drops: drops_tx,
                restarts: restarts_tx,
                scenarios,
                loads,
                metrics,
                prometheus,
                traces,
                logs,
            },
            shutdown_tx,
            tasks,
            metrics_addrs,
            prometheus_status,
            jaeger_addr,
            elasticsearch_addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn server_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where the ingress gateway listens (published as Service `kourier-system/kourier`).
    pub fn gateway_addr(&self) -> SocketAddr {
        self.gateway_addr
    }

    pub fn kubeconfig_path(&self) -> Option<&Path> {
        self.kubeconfig_path.as_deref()
    }

    /// The kubeconfig text (the same that was written, if a path was given).
    pub fn kubeconfig_yaml(&self) -> String {
        self.kubeconfig_yaml.clone()
    }

    pub fn control(&self) -> SandboxControl {
        self.control.clone()
    }

    /// The `/metrics` endpoints, one per component: `http://127.0.0.1:PORT/metrics`.
    pub fn metrics_urls(&self) -> Vec<(Component, String)> {
        self.metrics_addrs
            .iter()
            .map(|(c, a)| (*c, format!("http://{a}/metrics")))
            .collect()
    }

    /// What serves `monitoring/prometheus:9090`, and its URL when there is one.
    pub fn prometheus(&self) -> &PrometheusStatus {
        &self.prometheus_status
    }

    /// The Prometheus base URL (`http://127.0.0.1:PORT`) when one is started or configured.
    pub fn prometheus_url(&self) -> Option<String> {
        match &self.prometheus_status {
            PrometheusStatus::Started(u) | PrometheusStatus::External(u) => Some(u.clone()),
            _ => None,
        }
    }

    /// The Jaeger query API's base URL on loopback (`http://127.0.0.1:PORT`), also served as
    /// `observability/jaeger-query:16686` through the service proxy; `None` when turned off.
    pub fn jaeger_url(&self) -> Option<String> {
        self.jaeger_addr.map(|a| format!("http://{a}"))
    }

    /// The Elasticsearch API's base URL on loopback (`http://127.0.0.1:PORT`), also served as
    /// `logging/elasticsearch:9200` through the service proxy; `None` when turned off.
    pub fn elasticsearch_url(&self) -> Option<String> {
        self.elasticsearch_addr.map(|a| format!("http://{a}"))
    }

    /// Stops accepting, ends watch streams, stops the controllers, and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        self.control.kill_prometheus();
        for t in std::mem::take(&mut self.tasks) {
            let _ = t.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
        // No orphan: the child goes with the sandbox even while tasks still hold it.
        self.control.kill_prometheus();
    }
}

fn write_kubeconfig(path: &Path, yaml: &str) -> Result<(), SandboxError> {
    let err = |source| SandboxError::WriteKubeconfig {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    std::fs::write(path, yaml).map_err(err)
}

//! Building kube clients with timeouts, and the one cheap health check.

use std::fmt;
use std::time::Duration;

use kube::config::KubeConfigOptions;

use super::ClusterTarget;
use super::kubeconfig::load_kubeconfig;
use crate::CoreError;

/// Time allowed to open a TCP (and TLS) connection to the API server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed between reads of a request/response call (get, list page, create, …).
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed to send a request.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Watches may be silent for minutes; kube's watcher has its own idle timeout (timeoutSeconds
/// 290 + 5 s) that fires first. This only bounds a list or a watch start that hangs.
const WATCH_READ_TIMEOUT: Duration = Duration::from_secs(300);
/// `probe` answers within this or reports the server unreachable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// A cluster to talk to. Cheap to clone (the clients share their connection pools).
#[derive(Clone)]
pub struct Connection {
    /// For request/response calls; every read is bounded by a timeout.
    pub client: kube::Client,
    /// For long-lived watches (no per-read timeout; the watcher's idle timeout applies).
    pub watch_client: kube::Client,
    pub context: String,
    /// The API server URL.
    pub cluster: String,
    /// From the context, else `"default"`.
    pub default_namespace: String,
    /// Every context the kubeconfig defines (to offer when switching).
    pub contexts: Vec<String>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("context", &self.context)
            .field("cluster", &self.cluster)
            .field("default_namespace", &self.default_namespace)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Converts a kube error from a call on this connection, naming the server when it
    /// could not be reached.
    pub fn error(&self, err: impl Into<CoreError>) -> CoreError {
        err.into().with_server(&self.cluster)
    }
}

/// Resolves the kubeconfig and context and builds the clients; does not contact the server.
pub async fn connect(target: &ClusterTarget) -> Result<Connection, CoreError> {
    crate::tls::install_crypto_provider();
    let env = std::env::var_os("KUBECONFIG");
    let home = std::env::home_dir();
    let loaded = load_kubeconfig(
        target.kubeconfig.as_deref(),
        env.as_deref(),
        home.as_deref(),
    )?;
    let resolved = loaded.resolve(target.context.as_deref())?;
    let contexts = loaded.context_names();
    let path = loaded.primary_path();
    let invalid = |reason: String| CoreError::KubeconfigInvalid {
        path: path.clone(),
        reason,
    };

    let options = KubeConfigOptions {
        context: Some(resolved.context.clone()),
        ..KubeConfigOptions::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(loaded.config, &options)
        .await
        .map_err(|e| invalid(e.to_string()))?;
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    config.write_timeout = Some(WRITE_TIMEOUT);
    // Count the read timeout from when a request is sent, not from when a pooled
    // connection went idle.
    config.reset_reader_on_write = true;

    let mut watch_config = config.clone();
    config.read_timeout = Some(READ_TIMEOUT);
    watch_config.read_timeout = Some(WATCH_READ_TIMEOUT);

    let build = |config: kube::Config| {
        kube::Client::try_from(config).map_err(|e| match CoreError::from(e) {
            CoreError::KubeconfigInvalid { reason, .. } => invalid(reason),
            other => other,
        })
    };
    Ok(Connection {
        client: build(config)?,
        watch_client: build(watch_config)?,
        context: resolved.context,
        cluster: resolved.server,
        default_namespace: resolved.namespace,
        contexts,
    })
}

/// Asks the server for its version (`GET /version`); the answer's `gitVersion`.
pub async fn probe(conn: &Connection) -> Result<String, CoreError> {
    match tokio::time::timeout(PROBE_TIMEOUT, conn.client.apiserver_version()).await {
        Ok(Ok(info)) => Ok(info.git_version),
        Ok(Err(e)) => Err(conn.error(e)),
        Err(_) => Err(CoreError::Unreachable {
            server: conn.cluster.clone(),
            reason: format!("no answer within {}s", PROBE_TIMEOUT.as_secs()),
        }),
    }
}

//! Finding a backend's Service in the cluster by its well-known names, and checking that it
//! answers through the service proxy before using it.
//!
//! Exact `namespace/name` pairs are read with GET, which works for a persona that may not
//! list Services cluster-wide. Names that may sit in any namespace take one cluster-wide list,
//! or, when that is forbidden, one list per likely namespace. Every step is recorded, so
//! "not found" can say what was tried and why each failed.

use std::fmt;
use std::time::Duration;

use k8s_openapi::api::core::v1::Service;
use kube::Api;
use kube::api::ListParams;

use super::error::{Backend, BackendError};
use super::service::ServiceRef;
use super::transport::{Endpoint, RawRequest};
use crate::CoreError;

/// Where a backend is usually installed.
#[derive(Debug, Clone, Copy)]
pub struct WellKnown {
    pub backend: Backend,
    /// `namespace/name` pairs, tried first and in order.
    pub exact: &'static [(&'static str, &'static str)],
    /// Names in any namespace: exact, or `*-suffix`. Earlier names win.
    pub names: &'static [&'static str],
    /// Where to look for `names` when listing cluster-wide is forbidden.
    pub namespaces: &'static [&'static str],
    /// Preferred ports by number or name, when a Service has several.
    pub ports: &'static [&'static str],
    /// Paths that answer 2xx once the backend is ready, tried in order while they are not
    /// there at all (404): a newer API first, then the one older versions have.
    pub ready_paths: &'static [&'static str],
}

/// One thing discovery tried and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub what: String,
    pub outcome: String,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.what, self.outcome)
    }
}

impl Attempt {
    pub fn new(what: impl Into<String>, outcome: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            outcome: outcome.into(),
        }
    }
}

/// A backend found in the cluster and answering.
#[derive(Debug, Clone)]
pub struct Located {
    pub endpoint: Endpoint,
    /// What was tried before (and including) the one that answered.
    pub tried: Vec<Attempt>,
}

/// A backend's endpoint for a context: from `config` as given (not probed: the user said where
/// it is, and its failures are reported by the first request), else the first of `spec`'s
/// Services found ready through `kube`. Without either, a [`BackendError::NotFound`] that says so.
pub async fn endpoint_for(
    spec: &WellKnown,
    config: Option<&super::config::EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<Endpoint, BackendError> {
    if let Some(config) = config {
        return Endpoint::from_config(config, kube)
            .map_err(|reason| BackendError::failed(spec.backend, configured(config), reason));
    }
    let mut tried = vec![Attempt::new("config", "none")];
    let Some(client) = kube else {
        tried.push(Attempt::new("the cluster", "not connected"));
        return Err(BackendError::NotFound {
            backend: spec.backend,
            tried,
        });
    };
    let timeout = super::config::DEFAULT_TIMEOUT;
    Ok(locate_service(client, spec, timeout, tried).await?.endpoint)
}

/// Where a config points, for an error about it.
fn configured(config: &super::config::EndpointConfig) -> String {
    match (&config.url, &config.service) {
        (Some(url), None) => format!("{url} (config)"),
        (None, Some(service)) => format!("service {service} (config)"),
        _ => "the configured endpoint".to_owned(),
    }
}

/// Looks for `spec`'s Services and returns the first that is ready through the service proxy.
/// `tried` is what the caller already tried (e.g. `config (none)`); it leads the list in a
/// [`BackendError::NotFound`].
pub async fn locate_service(
    client: &kube::Client,
    spec: &WellKnown,
    timeout: Duration,
    mut tried: Vec<Attempt>,
) -> Result<Located, BackendError> {
    let mut seen: Vec<ServiceRef> = Vec::new();
    for (ns, name) in spec.exact {
        let what = format!("service {ns}/{name}");
        let api: Api<Service> = Api::namespaced(client.clone(), ns);
        match bounded(timeout, api.get_opt(name)).await {
            Ok(Some(svc)) => {
                if let Some(found) = check(client, spec, timeout, &svc, &mut seen, &mut tried).await
                {
                    return Ok(Located {
                        endpoint: found,
                        tried,
                    });
                }
            }
            Ok(None) => tried.push(Attempt::new(what, "not found")),
            Err(reason) => tried.push(Attempt::new(what, reason)),
        }
    }
    for svc in by_name(client, spec, timeout, &mut tried).await {
        if let Some(found) = check(client, spec, timeout, &svc, &mut seen, &mut tried).await {
            return Ok(Located {
                endpoint: found,
                tried,
            });
        }
    }
    Err(BackendError::NotFound {
        backend: spec.backend,
        tried,
    })
}

/// Services matching `spec.names`, best name first: one cluster-wide list, or per namespace.
async fn by_name(
    client: &kube::Client,
    spec: &WellKnown,
    timeout: Duration,
    tried: &mut Vec<Attempt>,
) -> Vec<Service> {
    if spec.names.is_empty() {
        return Vec::new();
    }
    let names = spec.names.join(", ");
    let all: Api<Service> = Api::all(client.clone());
    let mut found = match bounded(timeout, all.list(&ListParams::default())).await {
        Ok(list) => {
            let matching = matching(spec, list.items);
            if matching.is_empty() {
                tried.push(Attempt::new(
                    format!("services named {names} in all namespaces"),
                    "none",
                ));
            }
            matching
        }
        Err(reason) => {
            tried.push(Attempt::new("listing services in all namespaces", reason));
            let mut found = Vec::new();
            for ns in spec.namespaces {
                let api: Api<Service> = Api::namespaced(client.clone(), ns);
                match bounded(timeout, api.list(&ListParams::default())).await {
                    Ok(list) => found.extend(matching(spec, list.items)),
                    Err(reason) => tried.push(Attempt::new(format!("services in {ns}"), reason)),
                }
            }
            if found.is_empty() {
                tried.push(Attempt::new(
                    format!("services named {names} in {}", spec.namespaces.join(", ")),
                    "none",
                ));
            }
            found
        }
    };
    found.sort_by_key(|svc| rank(spec, svc.metadata.name.as_deref().unwrap_or("")));
    found
}

fn matching(spec: &WellKnown, services: Vec<Service>) -> Vec<Service> {
    services
        .into_iter()
        .filter(|s| rank(spec, s.metadata.name.as_deref().unwrap_or("")) < spec.names.len())
        .collect()
}

/// The index of the first of `spec.names` that `name` matches, or `names.len()`.
fn rank(spec: &WellKnown, name: &str) -> usize {
    spec.names
        .iter()
        .position(|pattern| match pattern.strip_prefix('*') {
            Some(suffix) => name.len() > suffix.len() && name.ends_with(suffix),
            None => name == *pattern,
        })
        .unwrap_or(spec.names.len())
}

/// Tries one Service through the proxy; records the attempt; the endpoint when it is ready.
async fn check(
    client: &kube::Client,
    spec: &WellKnown,
    timeout: Duration,
    svc: &Service,
    seen: &mut Vec<ServiceRef>,
    tried: &mut Vec<Attempt>,
) -> Option<Endpoint> {
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let name = svc.metadata.name.as_deref().unwrap_or("");
    let Some(service) = service_ref(spec, ns, name, svc) else {
        tried.push(Attempt::new(format!("service {ns}/{name}"), "no ports"));
        return None;
    };
    if seen.contains(&service) {
        return None;
    }
    seen.push(service.clone());
    let endpoint = Endpoint::service(client.clone(), service.clone(), timeout);
    let what = format!("service {service}");
    let mut outcome = String::new();
    for path in spec.ready_paths {
        match endpoint.send(&RawRequest::get(path)).await {
            Ok(resp) if (200..300).contains(&resp.status) => {
                tried.push(Attempt::new(what, "ready"));
                return Some(endpoint);
            }
            Ok(resp) => {
                let body = super::error::snippet(&resp.body);
                outcome = format!("not ready: {path} answered {}: {body}", resp.status);
                // Only a path this version does not have sends us to the next one.
                if resp.status != 404 {
                    break;
                }
            }
            Err(failure) => {
                outcome = format!("not ready: {failure}");
                break;
            }
        }
    }
    tried.push(Attempt::new(what, outcome));
    None
}

/// The Service with its preferred port; `https` when the port says so.
pub(crate) fn service_ref(
    spec: &WellKnown,
    ns: &str,
    name: &str,
    svc: &Service,
) -> Option<ServiceRef> {
    let ports = svc.spec.as_ref()?.ports.as_ref()?;
    let port = spec
        .ports
        .iter()
        .find_map(|want| {
            ports
                .iter()
                .find(|p| p.port.to_string() == *want || p.name.as_deref() == Some(want))
        })
        .or_else(|| ports.first())?;
    let tls =
        port.name.as_deref() == Some("https") || port.app_protocol.as_deref() == Some("https");
    let mut service = ServiceRef::new(ns, name, port.port);
    service.scheme = tls.then(|| "https".to_owned());
    Some(service)
}

/// A kube call bounded by `timeout`, its failure as a short reason.
async fn bounded<T>(
    timeout: Duration,
    call: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, String> {
    match tokio::time::timeout(timeout, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(match CoreError::from(e) {
            CoreError::Forbidden { .. } => "forbidden".to_owned(),
            CoreError::NotFound { .. } => "not found".to_owned(),
            other => other.to_string(),
        }),
        Err(_) => Err(format!(
            "no answer within {}",
            super::transport::timeout_text(timeout)
        )),
    }
}

#[cfg(test)]
mod tests;

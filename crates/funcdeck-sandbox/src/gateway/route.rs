//! Host-based routing, the way Kourier's Envoy is programmed from Knative's Routes: the host of
//! a Route's `status.url` splits traffic by `status.traffic[].percent`; the host of a tag's
//! `status.traffic[].url` goes to that tag's revision. A Route (or its Service) labelled
//! `networking.knative.dev/visibility: cluster-local` has no external host at all.

use serde_json::Value;

use crate::knative::DOMAIN;
use crate::obj;
use crate::resources::Res;
use crate::store::Store;

pub const VISIBILITY: &str = "networking.knative.dev/visibility";

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Revision {
        namespace: String,
        service: String,
        revision: String,
        tag: Option<String>,
    },
    /// A Route matched but has no revision to send to (Envoy: `no healthy upstream`).
    NoUpstream,
    /// No external route has this host (Envoy answers 404 with an empty body).
    NotFound,
}

/// `checkout-api.shop.svc.cluster.local:8080` → `checkout-api.shop.svc.cluster.local`.
pub fn bare_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('.');
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    host.to_ascii_lowercase()
}

/// The host part of `http://name.ns.svc.cluster.local[/...]`.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?']).next()?;
    Some(bare_host(host))
}

fn cluster_local(store: &Store, ns: &str, route: &Value) -> bool {
    let local = |v: &Value| obj::label(v, VISIBILITY) == Some("cluster-local");
    local(route)
        || store
            .get(Res::KService, ns, obj::name(route))
            .is_some_and(|s| local(&s))
}

/// Resolves `host` to a revision; `pick` in `0..100` chooses within a traffic split.
pub fn resolve(store: &Store, host: &str, pick: u64) -> Target {
    let host = bare_host(host);
    let Some(ns) = host
        .strip_suffix(&format!(".{DOMAIN}"))
        .and_then(|rest| rest.rsplit_once('.'))
        .map(|(_, ns)| ns.to_string())
    else {
        return Target::NotFound;
    };
    // Listed first: the transaction's lock must be released before `cluster_local` reads.
    let routes = store.txn().list(Res::KRoute, Some(&ns));
    for route in routes {
        let traffic: Vec<&Value> = obj::at(&route, &["status", "traffic"])
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let main = obj::str_at(&route, &["status", "url"]).and_then(host_of) == Some(host.clone());
        let tagged = traffic
            .iter()
            .find(|t| t.get("url").and_then(Value::as_str).and_then(host_of) == Some(host.clone()));
        if !main && tagged.is_none() {
            continue;
        }
        if cluster_local(store, &ns, &route) {
            return Target::NotFound;
        }
        // The main host's answer names no tag, even when the chosen revision has one.
        let target = |t: &Value, tagged: bool| Target::Revision {
            namespace: ns.clone(),
            service: obj::name(&route).to_string(),
            revision: t
                .get("revisionName")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            tag: t
                .get("tag")
                .and_then(Value::as_str)
                .filter(|_| tagged)
                .map(str::to_string),
        };
        if let Some(t) = tagged {
            return target(t, true);
        }
        let percent = |t: &Value| t.get("percent").and_then(Value::as_u64).unwrap_or(0);
        let total: u64 = traffic.iter().map(|t| percent(t)).sum();
        if total == 0 {
            return Target::NoUpstream;
        }
        let mut at = pick % total;
        for t in &traffic {
            if at < percent(t) {
                return target(t, false);
            }
            at -= percent(t);
        }
        return Target::NoUpstream;
    }
    Target::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_host_drops_port_and_case() {
        assert_eq!(
            bare_host("Hello.Default.svc.cluster.local:8080"),
            "hello.default.svc.cluster.local"
        );
        assert_eq!(
            bare_host("hello.default.svc.cluster.local"),
            "hello.default.svc.cluster.local"
        );
        assert_eq!(
            host_of("http://a.b.svc.cluster.local/x").as_deref(),
            Some("a.b.svc.cluster.local")
        );
    }
}

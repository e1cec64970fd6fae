//! Finding the cluster's ingress gateway the way a user would: look for the Service of a known
//! Knative networking layer and take its load balancer's address. Kourier first (the default
//! install), then Istio, then Contour's external Envoy.

use k8s_openapi::api::core::v1::{Service, ServicePort};
use kube::Api;

use crate::cluster::Connection;

/// `(namespace, name)` of the gateway Services funcdeck recognises, in the order tried.
pub const CANDIDATES: &[(&str, &str)] = &[
    ("kourier-system", "kourier"),
    ("istio-system", "istio-ingressgateway"),
    ("contour-external", "envoy"),
];

/// A gateway that can be reached from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    /// `namespace/name` of its Service.
    pub service: String,
    /// The load balancer's IP or hostname.
    pub address: String,
    pub http_port: u16,
    pub https_port: Option<u16>,
}

impl Gateway {
    /// The port for `scheme` (`https` falls back to the http port when there is none).
    pub fn port_for(&self, scheme: &str) -> u16 {
        match (scheme, self.https_port) {
            ("https", Some(p)) => p,
            _ => self.http_port,
        }
    }
}

fn port_number(p: &ServicePort) -> Option<u16> {
    u16::try_from(p.port).ok()
}

fn named(ports: &[ServicePort], names: &[&str], number: u16) -> Option<u16> {
    names
        .iter()
        .find_map(|n| ports.iter().find(|p| p.name.as_deref() == Some(n)))
        .or_else(|| ports.iter().find(|p| port_number(p) == Some(number)))
        .and_then(port_number)
}

/// The reachable address of gateway Service `svc`: `status.loadBalancer.ingress[0]` (ip, else
/// hostname) and its http port (named `http2` or `http`, else 80, else the first that is not
/// https). `None` while the load balancer has no address.
pub fn gateway_of(svc: &Service) -> Option<Gateway> {
    let ingress = svc
        .status
        .as_ref()?
        .load_balancer
        .as_ref()?
        .ingress
        .as_ref()?
        .first()?;
    let address = ingress
        .ip
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| ingress.hostname.clone().filter(|s| !s.is_empty()))?;
    let ports = svc.spec.as_ref()?.ports.clone().unwrap_or_default();
    let https_port = named(&ports, &["https"], 443);
    let http_port = named(&ports, &["http2", "http"], 80).or_else(|| {
        ports
            .iter()
            .filter(|p| port_number(p) != https_port)
            .find_map(port_number)
    })?;
    let meta = &svc.metadata;
    Some(Gateway {
        service: format!(
            "{}/{}",
            meta.namespace.as_deref().unwrap_or(""),
            meta.name.as_deref().unwrap_or("")
        ),
        address,
        http_port,
        https_port,
    })
}

/// The first recognised gateway with an address; `None` when there is none (or it cannot be
/// read), and requests then go straight to the function's URL.
pub async fn find_gateway(conn: &Connection) -> Option<Gateway> {
    for (ns, name) in CANDIDATES {
        let api: Api<Service> = Api::namespaced(conn.client.clone(), ns);
        match api.get_opt(name).await {
            Ok(Some(svc)) => {
                if let Some(g) = gateway_of(&svc) {
                    return Some(g);
                }
            }
            Ok(None) => {}
            Err(e) => tracing::debug!(namespace = ns, name, error = %e, "gateway not readable"),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(v: serde_json::Value) -> Service {
        serde_json::from_value(v).expect("a service")
    }

    #[test]
    fn kourier_istio_and_pending() {
        let kourier = svc(serde_json::json!({
            "metadata": {"name": "kourier", "namespace": "kourier-system"},
            "spec": {"type": "LoadBalancer", "ports": [{"name": "http2", "port": 80, "targetPort": 8080}, {"name": "https", "port": 443, "targetPort": 8443}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}]}}
        }));
        let g = gateway_of(&kourier).expect("a gateway");
        assert_eq!(
            (
                g.service.as_str(),
                g.address.as_str(),
                g.http_port,
                g.https_port
            ),
            ("kourier-system/kourier", "172.18.255.200", 80, Some(443))
        );
        let istio = svc(serde_json::json!({
            "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
            "spec": {"ports": [{"name": "status-port", "port": 15021}, {"name": "http2", "port": 80}, {"name": "https", "port": 443}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": "a1b2.elb.amazonaws.com"}]}}
        }));
        let g = gateway_of(&istio).expect("a gateway");
        assert_eq!(
            (g.address.as_str(), g.http_port),
            ("a1b2.elb.amazonaws.com", 80)
        );
        let pending = svc(serde_json::json!({
            "metadata": {"name": "kourier", "namespace": "kourier-system"},
            "spec": {"ports": [{"name": "http2", "port": 80}]},
            "status": {"loadBalancer": {}}
        }));
        assert_eq!(gateway_of(&pending), None);
    }
}

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};

use super::*;

const SPEC: WellKnown = WellKnown {
    backend: Backend::Prometheus,
    exact: &[("monitoring", "prometheus")],
    names: &[
        "prometheus-server",
        "prometheus-operated",
        "*-kube-prometheus-prometheus",
    ],
    namespaces: &["monitoring"],
    ports: &["9090", "web", "http"],
    ready_paths: &["/-/ready"],
};

fn svc(ns: &str, name: &str, ports: &[(i32, Option<&str>)]) -> Service {
    let mut s = Service::default();
    s.metadata.namespace = Some(ns.into());
    s.metadata.name = Some(name.into());
    s.spec = Some(ServiceSpec {
        ports: Some(
            ports
                .iter()
                .map(|(port, name)| ServicePort {
                    port: *port,
                    name: name.map(str::to_owned),
                    ..ServicePort::default()
                })
                .collect(),
        ),
        ..ServiceSpec::default()
    });
    s
}

#[test]
fn names_rank_by_their_order_and_suffix_patterns_need_a_prefix() {
    assert_eq!(rank(&SPEC, "prometheus-server"), 0);
    assert_eq!(rank(&SPEC, "prometheus-operated"), 1);
    assert_eq!(rank(&SPEC, "kps-kube-prometheus-prometheus"), 2);
    assert_eq!(rank(&SPEC, "-kube-prometheus-prometheus"), 3);
    assert_eq!(rank(&SPEC, "prometheus-server-x"), 3);
    let kept = matching(
        &SPEC,
        vec![
            svc("a", "grafana", &[(80, None)]),
            svc("b", "prometheus-operated", &[(9090, Some("web"))]),
        ],
    );
    assert_eq!(kept.len(), 1);
}

#[test]
fn the_preferred_port_wins_and_https_ports_get_the_scheme() {
    let s = svc("m", "p", &[(8080, Some("reloader")), (9090, Some("web"))]);
    assert_eq!(
        service_ref(&SPEC, "m", "p", &s).map(|r| r.to_string()),
        Some("m/p:9090".into())
    );
    let s = svc("m", "prometheus-server", &[(80, Some("http"))]);
    assert_eq!(
        service_ref(&SPEC, "m", "prometheus-server", &s).map(|r| r.to_string()),
        Some("m/prometheus-server:80".into())
    );
    let s = svc("m", "p", &[(8443, Some("https"))]);
    assert_eq!(
        service_ref(&SPEC, "m", "p", &s).map(|r| r.to_string()),
        Some("m/https:p:8443".into())
    );
    assert!(service_ref(&SPEC, "m", "p", &svc("m", "p", &[])).is_none());
}

#[test]
fn not_found_lists_every_attempt_in_order() {
    let e = BackendError::NotFound {
        backend: Backend::Prometheus,
        tried: vec![
            Attempt::new("config", "none"),
            Attempt::new("service monitoring/prometheus", "not found"),
            Attempt::new(
                "service knative-monitoring/prometheus-system-np:8080",
                "not ready: /-/ready answered 503: x",
            ),
        ],
    };
    assert_eq!(
        e.to_string(),
        "Prometheus not found: tried config (none), service monitoring/prometheus (not found), \
         service knative-monitoring/prometheus-system-np:8080 (not ready: /-/ready answered 503: x)"
    );
}

//! The observability stack's backends as the sandbox publishes them: Prometheus while one is
//! configured, Jaeger's query service and Elasticsearch with the data plane's logs (both on by
//! default).

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};

use super::Seeder;
use super::rbac::subject;
use crate::knative::Controller;
use crate::resources::Res;
use crate::rng::Rng;
use crate::store::Store;

/// Namespace `monitoring`, Service `prometheus` (port 9090).
pub fn prometheus(store: &Arc<Store>, ctl: &mut Controller) {
    use crate::prometheus::{NAMESPACE, PORT, SERVICE};
    let service = |created: &str| crate::prometheus::service_object(created);
    backend(store, ctl, (NAMESPACE, SERVICE, PORT, "http-web"), service);
}

/// Namespace `observability`, Service `jaeger-query` (port 16686, `http-query`).
pub fn jaeger(store: &Arc<Store>, ctl: &mut Controller) {
    use crate::traces::{NAMESPACE, PORT, PORT_NAME, SERVICE};
    backend(
        store,
        ctl,
        (NAMESPACE, SERVICE, PORT, PORT_NAME),
        jaeger_service,
    );
}

/// Namespace `logging`, Service `elasticsearch` (port 9200, `http`), as the Elastic Helm
/// chart's single-node cluster is usually reached.
pub fn elasticsearch(store: &Arc<Store>, ctl: &mut Controller) {
    use crate::logs::{NAMESPACE, PORT, PORT_NAME, SERVICE};
    backend(
        store,
        ctl,
        (NAMESPACE, SERVICE, PORT, PORT_NAME),
        elasticsearch_service,
    );
}

/// Creates the backend's namespace and Service, and a Role + RoleBinding letting everyone
/// signed in use it through the service proxy (as many platforms allow for their metrics and
/// traces), so every persona's panes work.
fn backend(
    store: &Arc<Store>,
    ctl: &mut Controller,
    (ns, name, port, port_name): (&str, &str, u16, &str),
    service: impl Fn(&str) -> Value,
) {
    let at = Utc::now() - chrono::Duration::days(45);
    let mut s = Seeder {
        store,
        ctl,
        rng: Rng::new(0),
    };
    s.at(at);
    s.internal(Res::Namespace, "", json!({"metadata": {"name": ns}}));
    s.internal(Res::Service, ns, service(&crate::obj::format_time(at)));
    let names: Vec<String> = vec![
        name.into(),
        format!("{name}:{port}"),
        format!("http:{name}:{port}"),
        format!("{name}:{port_name}"),
        format!("http:{name}:{port_name}"),
    ];
    let role = format!("{name}-reader");
    s.internal(
        Res::Role,
        ns,
        json!({"metadata": {"name": role}, "rules": [
            {"apiGroups": [""], "resources": ["services"], "resourceNames": [name], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["services/proxy"], "resourceNames": names, "verbs": ["get", "create"]}]}),
    );
    s.internal(
        Res::RoleBinding,
        ns,
        json!({"metadata": {"name": role},
            "subjects": [subject("Group", "system:authenticated")],
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role}}),
    );
    store.set_clock(None);
    s.ctl.run_until_idle();
}

/// Jaeger's query Service as its Helm chart names it (`<release>-query`, port `http-query`).
fn jaeger_service(created: &str) -> Value {
    use crate::traces::{NAMESPACE, PORT, PORT_NAME, SERVICE};
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": SERVICE,
            "namespace": NAMESPACE,
            "creationTimestamp": created,
            "labels": {
                "app.kubernetes.io/name": "jaeger",
                "app.kubernetes.io/component": "query",
                "app.kubernetes.io/part-of": "funcdeck-sandbox",
            },
        },
        "spec": {
            "type": "ClusterIP",
            "selector": {"app.kubernetes.io/name": "jaeger", "app.kubernetes.io/component": "query"},
            "clusterIP": "10.96.166.86",
            "clusterIPs": ["10.96.166.86"],
            "ports": [{"name": PORT_NAME, "port": PORT, "protocol": "TCP", "targetPort": PORT}],
            "sessionAffinity": "None",
        },
        "status": {"loadBalancer": {}},
    })
}

fn elasticsearch_service(created: &str) -> Value {
    use crate::logs::{NAMESPACE, PORT, PORT_NAME, SERVICE};
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": SERVICE,
            "namespace": NAMESPACE,
            "creationTimestamp": created,
            "labels": {
                "app": "elasticsearch-master",
                "app.kubernetes.io/name": "elasticsearch",
                "app.kubernetes.io/part-of": "funcdeck-sandbox",
            },
        },
        "spec": {
            "type": "ClusterIP",
            "selector": {"app": "elasticsearch-master"},
            "clusterIP": "10.96.92.0",
            "clusterIPs": ["10.96.92.0"],
            "ports": [
                {"name": PORT_NAME, "port": PORT, "protocol": "TCP", "targetPort": PORT},
                {"name": "transport", "port": 9300, "protocol": "TCP", "targetPort": 9300},
            ],
            "sessionAffinity": "None",
        },
        "status": {"loadBalancer": {}},
    })
}

//! The observability stack's backends as the sandbox publishes them: Prometheus while one is
//! configured, Jaeger's query service and Elasticsearch with the data plane's logs (both on by
//! default). Each is the objects the stack wizard would create: a namespace, the Service the
//! console reaches through the service proxy, and a workload whose pods the Service selects
//! (the proxy answers only while one of them is Ready). A `--bare` sandbox seeds none of them.

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
    let workload = deployment(
        NAMESPACE,
        "prometheus",
        json!({"app.kubernetes.io/name": "prometheus"}),
        ("prometheus", "quay.io/prometheus/prometheus:v3.5.0", PORT),
    );
    backend(store, ctl, (NAMESPACE, SERVICE, PORT, "http-web"), service);
    workload_of(store, ctl, Res::Deployment, NAMESPACE, workload);
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
    let workload = deployment(
        NAMESPACE,
        "jaeger",
        json!({"app.kubernetes.io/name": "jaeger", "app.kubernetes.io/component": "query"}),
        ("jaeger", "jaegertracing/jaeger:2.9.0", PORT),
    );
    workload_of(store, ctl, Res::Deployment, NAMESPACE, workload);
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
    let labels = json!({"app": "elasticsearch-master"});
    let mut sts = deployment(
        NAMESPACE,
        "elasticsearch-master",
        labels,
        (
            "elasticsearch",
            "docker.elastic.co/elasticsearch/elasticsearch:8.5.1",
            PORT,
        ),
    );
    sts["kind"] = json!("StatefulSet");
    sts["spec"]["serviceName"] = json!("elasticsearch-master-headless");
    sts["spec"]["volumeClaimTemplates"] = json!([{
        "metadata": {"name": "elasticsearch-master"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "30Gi"}}},
    }]);
    workload_of(store, ctl, Res::StatefulSet, NAMESPACE, sts);
}

/// A one-replica workload whose pods carry `labels` (what the backend's Service selects).
fn deployment(ns: &str, name: &str, labels: Value, (c, image, port): (&str, &str, u16)) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": c, "image": image,
                    "ports": [{"containerPort": port, "protocol": "TCP"}]}]},
            },
        },
    })
}

/// Creates the backend's workload; its controller makes the pods (Ready at once while seeding).
fn workload_of(store: &Arc<Store>, ctl: &mut Controller, res: Res, ns: &str, object: Value) {
    let mut s = Seeder {
        store,
        ctl,
        rng: Rng::new(0),
    };
    s.internal(res, ns, object);
    s.ctl.run_until_idle();
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

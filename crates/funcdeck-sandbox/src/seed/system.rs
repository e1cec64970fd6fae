//! The cluster around the functions: namespaces, Knative's config maps, system pods.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Seeder;
use super::plan::{SYSTEM, TENANTS};
use crate::obj;
use crate::resources::Res;
use crate::write::WriteOp;

impl Seeder<'_> {
    /// Kourier's gateway: its Service (type LoadBalancer, the address the sandbox's gateway
    /// listens on) and one gateway pod. No random draws, so the rest of the seed is unchanged.
    pub(super) fn gateway(&mut self, at: DateTime<Utc>, port: u16, release: &str) {
        let created = obj::format_time(at);
        let ns = crate::gateway::NAMESPACE;
        self.internal(
            Res::Service,
            ns,
            crate::gateway::service_object(port, &created),
        );
        let image =
            format!("gcr.io/knative-releases/knative.dev/net-kourier/cmd/gateway:v{release}");
        self.internal(Res::Pod, ns, json!({
            "metadata": {"name": "3scale-kourier-gateway-6d8b9c7f5-x7k2m", "labels": {"app": "3scale-kourier-gateway"}},
            "spec": {"containers": [{"name": "kourier-gateway", "image": image, "ports": [{"name": "http2-external", "containerPort": crate::gateway::TARGET_PORT}]}], "nodeName": "sandbox-control-plane", "restartPolicy": "Always"},
            "status": {"phase": "Running", "podIP": "10.244.0.250", "hostIP": "172.18.0.3", "startTime": created, "qosClass": "Burstable",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": created}],
                "containerStatuses": [{"name": "kourier-gateway", "image": image, "imageID": image, "ready": true, "started": true, "restartCount": 0, "state": {"running": {"startedAt": created}}, "lastState": {}}]}
        }));
    }

    /// `release` is the Knative version the cluster runs (`1.18.0`): Knative's install labels
    /// its namespace with it and its images carry it, which is how a client tells the era.
    pub(super) fn namespaces(&mut self, at: DateTime<Utc>, release: &str) {
        self.at(at);
        for ns in SYSTEM.iter().chain(TENANTS) {
            let mut labels = json!({});
            if TENANTS.contains(ns) && *ns != "default" {
                labels = json!({"funcdeck.dev/tenant": ns});
            }
            if *ns == "knative-serving" {
                labels = json!({"app.kubernetes.io/name": "knative-serving", "app.kubernetes.io/version": release});
            }
            self.write(
                "sandbox-admin",
                WriteOp::Create {
                    res: Res::Namespace,
                    namespace: String::new(),
                    object: json!({"metadata": {"name": ns, "labels": labels}}),
                },
            );
            self.internal(Res::ConfigMap, ns, json!({"metadata": {"name": "kube-root-ca.crt", "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}}, "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhmdW5jZGVjay1zYW5kYm94LWNhMB4XDTI1\n-----END CERTIFICATE-----\n"}}));
        }
        let cms = [
            ("config-domain", json!({"svc.cluster.local": ""})),
            (
                "config-network",
                json!({"ingress-class": "kourier.ingress.networking.knative.dev", "external-domain-encryption": "disabled"}),
            ),
            (
                "config-autoscaler",
                json!({"container-concurrency-target-default": "100", "enable-scale-to-zero": "true", "scale-to-zero-grace-period": "30s"}),
            ),
            (
                "config-defaults",
                json!({"revision-timeout-seconds": "300", "container-name-template": "user-container"}),
            ),
            (
                "config-observability",
                json!({"metrics-protocol": "prometheus", "request-metrics-protocol": "prometheus"}),
            ),
            (
                "config-features",
                json!({"multi-container": "enabled", "tag-header-based-routing": "disabled"}),
            ),
        ];
        for (name, data) in cms {
            self.internal(Res::ConfigMap, "knative-serving", json!({"metadata": {"name": name, "labels": {"app.kubernetes.io/part-of": "knative-serving"}}, "data": data}));
        }
        let system_pods: [(&str, &str, String); 10] = [
            (
                "kube-system",
                "coredns-668d6bf9bc-",
                "registry.k8s.io/coredns/coredns:v1.11.3".to_string(),
            ),
            (
                "kube-system",
                "coredns-668d6bf9bc-",
                "registry.k8s.io/coredns/coredns:v1.11.3".to_string(),
            ),
            (
                "kube-system",
                "etcd-sandbox-control-plane",
                "registry.k8s.io/etcd:3.5.16-0".to_string(),
            ),
            (
                "kube-system",
                "kube-apiserver-sandbox-control-plane",
                "registry.k8s.io/kube-apiserver:v1.32.4".to_string(),
            ),
            (
                "kube-system",
                "kube-scheduler-sandbox-control-plane",
                "registry.k8s.io/kube-scheduler:v1.32.4".to_string(),
            ),
            (
                "knative-serving",
                "activator-7d9c8b5f6d-",
                format!("gcr.io/knative-releases/knative.dev/serving/cmd/activator:v{release}"),
            ),
            (
                "knative-serving",
                "autoscaler-6b8f7c9d4b-",
                format!("gcr.io/knative-releases/knative.dev/serving/cmd/autoscaler:v{release}"),
            ),
            (
                "knative-serving",
                "controller-5f6d7c8b9c-",
                format!("gcr.io/knative-releases/knative.dev/serving/cmd/controller:v{release}"),
            ),
            (
                "knative-serving",
                "webhook-6c7d8f9b5d-",
                format!("gcr.io/knative-releases/knative.dev/serving/cmd/webhook:v{release}"),
            ),
            (
                "knative-serving",
                "net-kourier-controller-7b9c6d5f8-",
                format!("gcr.io/knative-releases/knative.dev/net-kourier/cmd/kourier:v{release}"),
            ),
        ];
        let now = obj::format_time(at);
        for (ns, prefix, image) in system_pods {
            let name = if prefix.ends_with('-') {
                format!("{prefix}{}", self.rng.name_suffix(5))
            } else {
                prefix.to_string()
            };
            let app = prefix
                .trim_end_matches('-')
                .split('-')
                .next()
                .unwrap_or("app");
            let ip = format!("10.244.0.{}", self.rng.range(2, 254));
            self.internal(Res::Pod, ns, json!({
                "metadata": {"name": name, "labels": {"app": app}},
                "spec": {"containers": [{"name": app, "image": image}], "nodeName": "sandbox-control-plane", "restartPolicy": "Always"},
                "status": {"phase": "Running", "podIP": ip, "hostIP": "172.18.0.3", "startTime": now, "qosClass": "Burstable",
                    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": now}],
                    "containerStatuses": [{"name": app, "image": image, "imageID": image, "ready": true, "started": true, "restartCount": 0, "state": {"running": {"startedAt": now}}, "lastState": {}}]}
            }));
        }
    }
}

//! Plain workloads for the stack wizard, through the real kubectl: Deployments, StatefulSets and
//! DaemonSets roll out after the workload delay, fail under the `unpullable-workload` and
//! `pending-pvc` scenarios, and a `--bare` sandbox's backends answer through the service proxy
//! only while their Service and a ready workload exist.
#![allow(clippy::unwrap_used)]

mod common;

use common::stack::{apply, start};
use common::{eventually, get, get_json};
use funcdeck_sandbox::Scenario;

fn workloads(ns: &str, image: &str) -> String {
    format!(
        "apiVersion: v1
kind: Namespace
metadata: {{name: {ns}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: grafana, namespace: {ns}}}
spec:
  replicas: 2
  progressDeadlineSeconds: 1
  selector: {{matchLabels: {{app: grafana}}}}
  template:
    metadata: {{labels: {{app: grafana}}}}
    spec: {{containers: [{{name: grafana, image: \"{image}\"}}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: es, namespace: {ns}}}
spec:
  replicas: 2
  serviceName: es
  selector: {{matchLabels: {{app: es}}}}
  template:
    metadata: {{labels: {{app: es}}}}
    spec: {{containers: [{{name: es, image: elasticsearch:8.5.1}}]}}
  volumeClaimTemplates:
  - metadata: {{name: data}}
    spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: fluent-bit, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: fluent-bit}}}}
  template:
    metadata: {{labels: {{app: fluent-bit}}}}
    spec: {{containers: [{{name: fluent-bit, image: fluent/fluent-bit:3.2}}]}}
"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workloads_roll_out_with_pods_and_are_collected() {
    let env = start(true, vec![]).await;
    let out = apply(
        &env,
        "w.yaml",
        &workloads("monitoring", "grafana/grafana:11.0.0"),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    for w in [
        "deployment/grafana",
        "statefulset/es",
        "daemonset/fluent-bit",
    ] {
        let out = env
            .kubectl(&["rollout", "status", w, "-n", "monitoring", "--timeout=30s"])
            .await;
        assert_eq!(out.code, 0, "{w}: {}{}", out.stdout, out.stderr);
    }
    let out = env
        .kubectl(&[
            "wait",
            "--for=condition=Available",
            "deployment/grafana",
            "-n",
            "monitoring",
            "--timeout=10s",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d = get_json(
        env.addr(),
        "/apis/apps/v1/namespaces/monitoring/deployments/grafana",
    )
    .await;
    assert_eq!(
        (
            d["status"]["readyReplicas"].as_i64(),
            d["status"]["availableReplicas"].as_i64(),
            d["status"]["updatedReplicas"].as_i64()
        ),
        (Some(2), Some(2), Some(2))
    );
    assert_eq!(
        d["status"]["observedGeneration"],
        d["metadata"]["generation"]
    );
    let ds = get_json(
        env.addr(),
        "/apis/apps/v1/namespaces/monitoring/daemonsets/fluent-bit",
    )
    .await;
    assert_eq!(
        (
            ds["status"]["numberReady"].as_i64(),
            ds["status"]["desiredNumberScheduled"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let out = env
        .kubectl(&["get", "pods", "-n", "monitoring", "--no-headers"])
        .await;
    let running = out
        .stdout
        .lines()
        .filter(|l| l.contains("1/1") && l.contains("Running"))
        .count();
    assert_eq!(running, 5, "{}", out.stdout);
    assert!(
        out.stdout.contains("es-0") && out.stdout.contains("es-1"),
        "{}",
        out.stdout
    );
    let out = env
        .kubectl(&["get", "pvc", "-n", "monitoring", "--no-headers"])
        .await;
    assert!(
        out.stdout.contains("data-es-0") && out.stdout.contains("Bound"),
        "{}",
        out.stdout
    );
    let out = env
        .kubectl(&["delete", "deployment", "grafana", "-n", "monitoring"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    eventually(10, || async {
        let l = get_json(
            env.addr(),
            "/api/v1/namespaces/monitoring/pods?labelSelector=app%3Dgrafana",
        )
        .await;
        l["items"].as_array().unwrap().is_empty().then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpullable_workload_backs_off_and_exceeds_its_progress_deadline() {
    let s: Scenario = "unpullable-workload=monitoring/grafana".parse().unwrap();
    let env = start(true, vec![s]).await;
    apply(
        &env,
        "w.yaml",
        &workloads("monitoring", "grafana/grafana:11.0.0"),
    )
    .await;
    let out = env
        .kubectl(&[
            "rollout",
            "status",
            "deployment/grafana",
            "-n",
            "monitoring",
            "--timeout=30s",
        ])
        .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("deployment \"grafana\" exceeded its progress deadline"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    let d = get_json(
        env.addr(),
        "/apis/apps/v1/namespaces/monitoring/deployments/grafana",
    )
    .await;
    let p = d["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Progressing")
        .unwrap()
        .clone();
    assert_eq!(
        (p["status"].as_str(), p["reason"].as_str()),
        (Some("False"), Some("ProgressDeadlineExceeded"))
    );
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .ends_with("has timed out progressing."),
        "{p}"
    );
    let reason = eventually(10, || async {
        let l = get_json(
            env.addr(),
            "/api/v1/namespaces/monitoring/pods?labelSelector=app%3Dgrafana",
        )
        .await;
        let r = l["items"][0]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]
            .as_str()
            .map(str::to_string);
        r.filter(|r| r == "ImagePullBackOff")
    })
    .await;
    assert_eq!(reason, "ImagePullBackOff");
    let out = env
        .kubectl(&[
            "get",
            "events",
            "-n",
            "monitoring",
            "--field-selector",
            "reason=Failed",
        ])
        .await;
    assert!(
        out.stdout
            .contains("Failed to pull image \"grafana/grafana:11.0.0\""),
        "{}{}",
        out.stdout,
        out.stderr
    );
    // The other workloads are unaffected; ending the scenario lets grafana pull.
    env.sandbox
        .control()
        .end_scenario(&"unpullable-workload=monitoring/grafana".parse().unwrap());
    let out = env
        .kubectl(&[
            "wait",
            "--for=condition=Available",
            "deployment/grafana",
            "-n",
            "monitoring",
            "--timeout=20s",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_claim_keeps_the_statefulset_pod_unschedulable() {
    let s: Scenario = "pending-pvc=logging/es".parse().unwrap();
    let env = start(true, vec![s.clone()]).await;
    apply(
        &env,
        "w.yaml",
        &workloads("logging", "grafana/grafana:11.0.0"),
    )
    .await;
    let pod = eventually(10, || async {
        let p = get_json(env.addr(), "/api/v1/namespaces/logging/pods/es-0").await;
        (p["status"]["conditions"][0]["reason"] == "Unschedulable").then_some(p)
    })
    .await;
    assert_eq!(pod["status"]["phase"], "Pending");
    assert_eq!(
        pod["status"]["conditions"][0]["message"],
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
    let pvc = get_json(
        env.addr(),
        "/api/v1/namespaces/logging/persistentvolumeclaims/data-es-0",
    )
    .await;
    assert_eq!(pvc["status"]["phase"], "Pending");
    let out = env.kubectl(&["get", "events", "-n", "logging"]).await;
    assert!(
        out.stdout.contains("FailedScheduling") && out.stdout.contains("FailedBinding"),
        "{}",
        out.stdout
    );
    let out = env.kubectl(&["get", "pod", "es-1", "-n", "logging"]).await;
    assert!(
        out.stderr.contains("NotFound") || out.stderr.contains("not found"),
        "ordered: es-1 waits: {}",
        out.stderr
    );
    env.sandbox.control().end_scenario(&s);
    let out = env
        .kubectl(&[
            "rollout",
            "status",
            "statefulset/es",
            "-n",
            "logging",
            "--timeout=30s",
        ])
        .await;
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

const JAEGER: &str =
    "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy/api/services";

const JAEGER_SERVICE: &str = "apiVersion: v1
kind: Namespace
metadata: {name: observability}
---
apiVersion: v1
kind: Service
metadata: {name: jaeger-query, namespace: observability}
spec:
  selector: {app.kubernetes.io/name: jaeger, app.kubernetes.io/component: query}
  ports: [{name: http-query, port: 16686, targetPort: 16686}]
";

const JAEGER_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: jaeger, namespace: observability}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: jaeger}}
  template:
    metadata: {labels: {app.kubernetes.io/name: jaeger, app.kubernetes.io/component: query}}
    spec: {containers: [{name: jaeger, image: jaegertracing/jaeger:2.9.0}]}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_sandbox_backend_answers_only_while_service_and_ready_workload_exist() {
    let env = start(true, vec![]).await;
    let r = get(env.addr(), JAEGER).await;
    assert_eq!(r.status, 404);
    assert_eq!(common::message(&r), "services \"jaeger-query\" not found");
    apply(&env, "svc.yaml", JAEGER_SERVICE).await;
    let r = get(env.addr(), JAEGER).await;
    assert_eq!(
        (r.status, common::message(&r)),
        (
            503,
            "no endpoints available for service \"jaeger-query\"".to_string()
        )
    );
    apply(&env, "d.yaml", JAEGER_DEPLOYMENT).await;
    eventually(20, || async {
        (get(env.addr(), JAEGER).await.status == 200).then_some(())
    })
    .await;
    env.kubectl(&["delete", "deployment", "jaeger", "-n", "observability"])
        .await;
    eventually(10, || async {
        (get(env.addr(), JAEGER).await.status == 503).then_some(())
    })
    .await;
    env.kubectl(&["delete", "namespace", "observability"]).await;
    eventually(10, || async {
        (get(env.addr(), JAEGER).await.status == 404).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_sandbox_has_the_stack_installed() {
    let env = start(false, vec![]).await;
    assert_eq!(get(env.addr(), JAEGER).await.status, 200);
    let es = "/api/v1/namespaces/logging/services/elasticsearch:9200/proxy/";
    assert_eq!(get(env.addr(), es).await.status, 200);
    let out = env
        .kubectl(&["get", "deploy,sts,pvc", "-A", "--no-headers"])
        .await;
    assert!(
        out.stdout.contains("jaeger") && out.stdout.contains("elasticsearch-master"),
        "{}",
        out.stdout
    );
    // Uninstalling the workload turns the pane's backend off.
    env.kubectl(&[
        "delete",
        "statefulset",
        "elasticsearch-master",
        "-n",
        "logging",
    ])
    .await;
    eventually(10, || async {
        (get(env.addr(), es).await.status == 503).then_some(())
    })
    .await;
}

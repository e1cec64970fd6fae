//! Whether an applied object is ready, still on its way, stuck, or failed — read from its
//! status and, for workloads, from its pods (where image pulls and scheduling go wrong).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    Progressing(String),
    /// Not moving and not likely to on its own (an image that cannot be pulled, a claim no
    /// volume binds, a crashing container): failed once it stays so for the stall grace.
    Stalled(String),
    Failed(String),
}

impl Readiness {
    pub fn reason(&self) -> &str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Progressing(r) | Readiness::Stalled(r) | Readiness::Failed(r) => r,
        }
    }
}

/// Readiness of `object` (as read from the cluster) with the pods its selector matches.
pub fn readiness(object: &Value, pods: &[Value]) -> Readiness {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    match kind {
        "CustomResourceDefinition" => crd(object),
        "Deployment" | "StatefulSet" | "DaemonSet" => workload(kind, object, pods),
        _ => Readiness::Ready,
    }
}

fn condition<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn crd(object: &Value) -> Readiness {
    if let Some(names) = condition(object, "NamesAccepted")
        && text(names, "status") == "False"
    {
        return Readiness::Failed(format!("names not accepted: {}", text(names, "message")));
    }
    match condition(object, "Established") {
        Some(c) if text(c, "status") == "True" => Readiness::Ready,
        _ => Readiness::Progressing("waiting for the CRD to be established".into()),
    }
}

fn number(object: &Value, path: &str) -> i64 {
    object.pointer(path).and_then(Value::as_i64).unwrap_or(0)
}

fn workload(kind: &str, object: &Value, pods: &[Value]) -> Readiness {
    let generation = number(object, "/metadata/generation");
    if number(object, "/status/observedGeneration") < generation {
        return Readiness::Progressing("waiting for the controller to see the change".into());
    }
    let (want, ready, updated) = match kind {
        "DaemonSet" => (
            number(object, "/status/desiredNumberScheduled"),
            number(object, "/status/numberReady"),
            number(object, "/status/updatedNumberScheduled"),
        ),
        _ => (
            object
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1),
            number(
                object,
                if kind == "Deployment" {
                    "/status/availableReplicas"
                } else {
                    "/status/readyReplicas"
                },
            ),
            number(object, "/status/updatedReplicas"),
        ),
    };
    if let Some(c) = condition(object, "Progressing")
        && text(c, "reason") == "ProgressDeadlineExceeded"
    {
        let why = pod_trouble(pods).unwrap_or_else(|| text(c, "message").to_string());
        return Readiness::Failed(why);
    }
    let available = kind != "Deployment"
        || condition(object, "Available").is_some_and(|c| text(c, "status") == "True");
    if available && ready >= want && updated >= want {
        return Readiness::Ready;
    }
    if let Some(trouble) = pod_trouble(pods) {
        return Readiness::Stalled(trouble);
    }
    Readiness::Progressing(format!("{ready}/{want} ready"))
}

/// The first pod problem that will not go away by waiting: a container that cannot start or
/// keeps crashing, or a pod the scheduler cannot place (an unbound claim among the reasons).
fn pod_trouble(pods: &[Value]) -> Option<String> {
    for pod in pods {
        let name = pod
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let statuses = pod
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for status in statuses {
            if let Some(waiting) = status.pointer("/state/waiting") {
                let reason = text(waiting, "reason");
                if matches!(
                    reason,
                    "ErrImagePull"
                        | "ImagePullBackOff"
                        | "InvalidImageName"
                        | "CrashLoopBackOff"
                        | "CreateContainerConfigError"
                ) {
                    return Some(format!(
                        "pod {name}: {reason}: {}",
                        text(waiting, "message")
                    ));
                }
            }
        }
        if let Some(c) = condition(pod, "PodScheduled")
            && text(c, "status") == "False"
        {
            return Some(format!(
                "pod {name}: {}: {}",
                text(c, "reason"),
                text(c, "message")
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(available: bool, ready: i64) -> Value {
        json!({"kind": "Deployment", "metadata": {"generation": 2},
            "spec": {"replicas": 1},
            "status": {"observedGeneration": 2, "availableReplicas": ready, "updatedReplicas": ready,
                "conditions": [{"type": "Available", "status": if available {"True"} else {"False"}}]}})
    }

    #[test]
    fn a_deployment_is_ready_when_available_with_every_replica_updated() {
        assert_eq!(readiness(&deployment(true, 1), &[]), Readiness::Ready);
        assert_eq!(
            readiness(&deployment(false, 0), &[]),
            Readiness::Progressing("0/1 ready".into())
        );
    }

    #[test]
    fn an_unpullable_image_stalls_and_a_passed_deadline_fails_with_the_pods_reason() {
        let pod = json!({"metadata": {"name": "p-1"}, "status": {"containerStatuses": [
            {"state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"x\""}}}]}});
        assert_eq!(
            readiness(&deployment(false, 0), std::slice::from_ref(&pod)),
            Readiness::Stalled("pod p-1: ImagePullBackOff: Back-off pulling image \"x\"".into())
        );
        let mut late = deployment(false, 0);
        late["status"]["conditions"] = json!([{"type": "Progressing", "status": "False",
            "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"x\" has timed out progressing."}]);
        assert!(
            matches!(readiness(&late, &[pod]), Readiness::Failed(r) if r.contains("ImagePullBackOff"))
        );
    }

    #[test]
    fn an_unschedulable_pod_names_the_scheduler_message() {
        let sts =
            json!({"kind": "StatefulSet", "spec": {"replicas": 1}, "status": {"readyReplicas": 0}});
        let pod = json!({"metadata": {"name": "es-0"}, "status": {"conditions": [{"type": "PodScheduled",
            "status": "False", "reason": "Unschedulable", "message": "pod has unbound immediate PersistentVolumeClaims"}]}});
        assert_eq!(
            readiness(&sts, &[pod]),
            Readiness::Stalled(
                "pod es-0: Unschedulable: pod has unbound immediate PersistentVolumeClaims".into()
            )
        );
    }

    #[test]
    fn a_crd_waits_for_established_and_fails_on_refused_names() {
        let crd =
            |c: Value| json!({"kind": "CustomResourceDefinition", "status": {"conditions": [c]}});
        assert_eq!(
            readiness(&crd(json!({"type": "Established", "status": "True"})), &[]),
            Readiness::Ready
        );
        assert!(matches!(
            readiness(&crd(json!({"type": "Established", "status": "False"})), &[]),
            Readiness::Progressing(_)
        ));
        assert!(
            matches!(readiness(&crd(json!({"type": "NamesAccepted", "status": "False", "message": "taken"})), &[]),
            Readiness::Failed(r) if r.contains("taken"))
        );
    }

    #[test]
    fn a_daemon_set_counts_its_scheduled_pods() {
        let ds = |ready| json!({"kind": "DaemonSet", "status": {"desiredNumberScheduled": 2, "numberReady": ready, "updatedNumberScheduled": 2}});
        assert_eq!(readiness(&ds(2), &[]), Readiness::Ready);
        assert_eq!(
            readiness(&ds(1), &[]),
            Readiness::Progressing("1/2 ready".into())
        );
    }
}

//! kubectl's built-in printers for `apps/v1` Deployments and ReplicaSets (`kubectl get deploy,rs`,
//! `-o wide` adds the containers, images and selector).

use serde_json::{Value, json};

use super::{AGE, Col, NAME, col};
use crate::obj;
use crate::resources::Res;

const CONTAINERS: Col = Col {
    name: "Containers",
    ty: "string",
    format: "",
    description: "Names of each container in the template.",
};
const IMAGES: Col = Col {
    name: "Images",
    ty: "string",
    format: "",
    description: "Images referenced by each container in the template.",
};

fn selector_col(description: &'static str) -> Col {
    Col {
        name: "Selector",
        ty: "string",
        format: "",
        description,
    }
}

pub(super) fn columns(res: Res) -> Vec<Col> {
    match res {
        Res::Deployment => vec![
            NAME,
            Col {
                description: "Number of the pod with ready state",
                ..col("Ready", "string")
            },
            Col {
                description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
                ..col("Up-to-date", "integer")
            },
            Col {
                description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
                ..col("Available", "integer")
            },
            AGE,
            CONTAINERS,
            IMAGES,
            selector_col(
                "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
            ),
        ],
        _ => vec![
            NAME,
            Col {
                description: "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works",
                ..col("Desired", "integer")
            },
            Col {
                description: "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works",
                ..col("Current", "integer")
            },
            Col {
                description: "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.",
                ..col("Ready", "integer")
            },
            AGE,
            CONTAINERS,
            IMAGES,
            selector_col(
                "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
            ),
        ],
    }
}

pub(super) fn is_wide(name: &str) -> bool {
    matches!(name, "Containers" | "Images" | "Selector")
}

fn count(o: &Value, path: &[&str]) -> i64 {
    obj::i64_at(o, path).unwrap_or(0)
}

/// `metav1.FormatLabelSelector` for the matchLabels form our selectors use.
fn selector(o: &Value) -> String {
    let labels = obj::at(o, &["spec", "selector", "matchLabels"])
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    if labels.is_empty() {
        "<none>".into()
    } else {
        labels
    }
}

fn template_containers(o: &Value, field: &str) -> String {
    obj::at(o, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.get(field).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

pub(super) fn cells(res: Res, o: &Value, name: Value, age: Value) -> Vec<Value> {
    let desired = count(o, &["spec", "replicas"]);
    let ready = count(o, &["status", "readyReplicas"]);
    let mut c = match res {
        Res::Deployment => vec![
            name,
            json!(format!("{ready}/{desired}")),
            json!(count(o, &["status", "updatedReplicas"])),
            json!(count(o, &["status", "availableReplicas"])),
            age,
        ],
        _ => vec![
            name,
            json!(desired),
            json!(count(o, &["status", "replicas"])),
            json!(ready),
            age,
        ],
    };
    c.push(json!(template_containers(o, "name")));
    c.push(json!(template_containers(o, "image")));
    c.push(json!(selector(o)));
    c
}

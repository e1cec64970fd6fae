//! kubectl's printers for the kinds an observability stack brings: StatefulSets, DaemonSets,
//! Secrets, PersistentVolumeClaims, CRDs and admission webhook configurations, and the default
//! columns of a custom kind (Name and Age, as for a CRD without additionalPrinterColumns).

use serde_json::{Value, json};

use super::{AGE, Col, NAME, col};
use crate::obj;
use crate::resources::Res;

pub(super) fn columns(res: Res) -> Vec<Col> {
    match res {
        Res::StatefulSet => vec![
            NAME,
            col("Ready", "string"),
            AGE,
            col("Containers", "string"),
            col("Images", "string"),
        ],
        Res::DaemonSet => vec![
            NAME,
            col("Desired", "integer"),
            col("Current", "integer"),
            col("Ready", "integer"),
            col("Up-to-date", "integer"),
            col("Available", "integer"),
            col("Node Selector", "string"),
            AGE,
            col("Containers", "string"),
            col("Images", "string"),
        ],
        Res::Secret => vec![NAME, col("Type", "string"), col("Data", "string"), AGE],
        Res::PersistentVolumeClaim => vec![
            NAME,
            col("Status", "string"),
            col("Volume", "string"),
            col("Capacity", "string"),
            col("Access Modes", "string"),
            col("StorageClass", "string"),
            col("VolumeAttributesClass", "string"),
            AGE,
            col("VolumeMode", "string"),
        ],
        Res::CustomResourceDefinition => vec![NAME, col("Created At", "date")],
        Res::MutatingWebhookConfiguration | Res::ValidatingWebhookConfiguration => {
            vec![NAME, col("Webhooks", "integer"), AGE]
        }
        _ => vec![NAME, AGE],
    }
}

pub(super) fn is_wide(res: Res, name: &str) -> bool {
    match res {
        Res::StatefulSet | Res::DaemonSet => matches!(name, "Containers" | "Images"),
        Res::PersistentVolumeClaim => name == "VolumeMode",
        _ => false,
    }
}

fn n(o: &Value, path: &[&str]) -> i64 {
    obj::i64_at(o, path).unwrap_or(0)
}

fn containers(o: &Value, field: &str) -> Value {
    let v = obj::at(o, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.get(field).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    json!(v)
}

fn len(o: Option<&Value>) -> usize {
    match o {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

/// `ReadWriteOnce` → `RWO`, as kubectl abbreviates access modes.
fn access_modes(o: &Value) -> String {
    obj::at(o, &["status", "accessModes"])
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter_map(Value::as_str)
                .map(|m| match m {
                    "ReadWriteOnce" => "RWO",
                    "ReadOnlyMany" => "ROX",
                    "ReadWriteMany" => "RWX",
                    "ReadWriteOncePod" => "RWOP",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

pub(super) fn cells(res: Res, o: &Value, name: Value, age: Value) -> Vec<Value> {
    let st = |p: &[&str]| json!(obj::str_at(o, p).unwrap_or(""));
    match res {
        Res::StatefulSet => vec![
            name,
            json!(format!(
                "{}/{}",
                n(o, &["status", "readyReplicas"]),
                n(o, &["spec", "replicas"])
            )),
            age,
            containers(o, "name"),
            containers(o, "image"),
        ],
        Res::DaemonSet => {
            let selector = obj::at(o, &["spec", "template", "spec", "nodeSelector"])
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "<none>".into());
            vec![
                name,
                json!(n(o, &["status", "desiredNumberScheduled"])),
                json!(n(o, &["status", "currentNumberScheduled"])),
                json!(n(o, &["status", "numberReady"])),
                json!(n(o, &["status", "updatedNumberScheduled"])),
                json!(n(o, &["status", "numberAvailable"])),
                json!(selector),
                age,
                containers(o, "name"),
                containers(o, "image"),
            ]
        }
        Res::Secret => vec![
            name,
            json!(obj::str_at(o, &["type"]).unwrap_or("Opaque")),
            json!(len(o.get("data")) + len(o.get("stringData"))),
            age,
        ],
        Res::PersistentVolumeClaim => vec![
            name,
            st(&["status", "phase"]),
            st(&["spec", "volumeName"]),
            st(&["status", "capacity", "storage"]),
            json!(access_modes(o)),
            st(&["spec", "storageClassName"]),
            json!("<unset>"),
            age,
            json!(obj::str_at(o, &["spec", "volumeMode"]).unwrap_or("Filesystem")),
        ],
        Res::CustomResourceDefinition => vec![
            name,
            json!(obj::str_at(o, &["metadata", "creationTimestamp"]).unwrap_or("")),
        ],
        Res::MutatingWebhookConfiguration | Res::ValidatingWebhookConfiguration => {
            vec![name, json!(len(o.get("webhooks"))), age]
        }
        _ => vec![name, age],
    }
}

//! `meta.k8s.io/v1` Table rendering for `kubectl get` (reference §1 "Table printing"): the CRDs'
//! additionalPrinterColumns for Knative kinds, kubectl's built-in printers for core kinds, and
//! PartialObjectMetadata row objects so kubectl can add NAMESPACE and `--show-labels` itself.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::age::human_duration;
use crate::obj;
use crate::resources::Res;

mod apps;
mod more;
mod service;

struct Col {
    name: &'static str,
    ty: &'static str,
    format: &'static str,
    description: &'static str,
}

const fn col(name: &'static str, ty: &'static str) -> Col {
    Col {
        name,
        ty,
        format: "",
        description: "",
    }
}

const NAME: Col = Col {
    name: "Name",
    ty: "string",
    format: "name",
    description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
};
const AGE: Col = Col {
    name: "Age",
    ty: "date",
    format: "",
    description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

fn columns(res: Res) -> Vec<Col> {
    match res {
        Res::KService => vec![
            NAME,
            col("URL", "string"),
            col("LatestCreated", "string"),
            col("LatestReady", "string"),
            col("Ready", "string"),
            col("Reason", "string"),
            AGE,
        ],
        Res::KConfiguration => vec![
            NAME,
            col("LatestCreated", "string"),
            col("LatestReady", "string"),
            col("Ready", "string"),
            col("Reason", "string"),
            AGE,
        ],
        Res::KRevision => vec![
            NAME,
            col("Config Name", "string"),
            col("Generation", "string"),
            col("Ready", "string"),
            col("Reason", "string"),
            col("Actual Replicas", "integer"),
            col("Desired Replicas", "integer"),
            AGE,
        ],
        Res::KRoute => vec![
            NAME,
            col("URL", "string"),
            col("Ready", "string"),
            col("Reason", "string"),
            AGE,
        ],
        Res::Namespace => vec![NAME, col("Status", "string"), AGE],
        Res::Pod => vec![
            NAME,
            col("Ready", "string"),
            col("Status", "string"),
            col("Restarts", "string"),
            AGE,
            Col {
                name: "IP",
                ty: "string",
                format: "",
                description: "",
            },
            col("Node", "string"),
        ],
        Res::ConfigMap => vec![NAME, col("Data", "string"), AGE],
        Res::ServiceAccount => vec![NAME, col("Secrets", "string"), AGE],
        Res::ResourceQuota => vec![NAME, AGE, col("Request", "string"), col("Limit", "string")],
        Res::LimitRange | Res::Role | Res::ClusterRole => vec![NAME, col("Created At", "date")],
        Res::RoleBinding | Res::ClusterRoleBinding => vec![
            NAME,
            col("Role", "string"),
            AGE,
            col("Users", "string"),
            col("Groups", "string"),
            col("ServiceAccounts", "string"),
        ],
        Res::SelfSubjectAccessReview | Res::SelfSubjectRulesReview => vec![NAME, AGE],
        Res::Deployment | Res::ReplicaSet => apps::columns(res),
        Res::Service => service::columns(),
        Res::StatefulSet
        | Res::DaemonSet
        | Res::Secret
        | Res::PersistentVolumeClaim
        | Res::CustomResourceDefinition
        | Res::MutatingWebhookConfiguration
        | Res::ValidatingWebhookConfiguration
        | Res::Custom(_) => more::columns(res),
        Res::Event => vec![
            col("Last Seen", "string"),
            col("Type", "string"),
            col("Reason", "string"),
            col("Object", "string"),
            col("Message", "string"),
        ],
    }
}

fn priority(res: Res, name: &str) -> u8 {
    match (res, name) {
        (Res::Pod, "IP" | "Node") => 1,
        (Res::Deployment | Res::ReplicaSet, n) if apps::is_wide(n) => 1,
        (Res::Service, n) if service::is_wide(n) => 1,
        (r, n) if more::is_wide(r, n) => 1,
        (Res::RoleBinding | Res::ClusterRoleBinding, "Users" | "Groups" | "ServiceAccounts") => 1,
        _ => 0,
    }
}

fn age_of(ts: Option<&str>, now: DateTime<Utc>) -> Value {
    match ts.and_then(obj::parse_time) {
        Some(t) => json!(human_duration((now - t).num_seconds())),
        None => json!("<unknown>"),
    }
}

fn s(v: Option<&str>) -> Value {
    v.map(|x| json!(x)).unwrap_or(Value::Null)
}

fn cond(o: &Value, field: &str) -> Value {
    s(obj::condition(o, "Ready")
        .and_then(|c| c.get(field))
        .and_then(Value::as_str))
}

fn pod_cells(o: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let statuses: Vec<&Value> = obj::at(o, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let total = obj::at(o, &["spec", "containers"])
        .and_then(Value::as_array)
        .map(|a| a.len())
        .unwrap_or(statuses.len());
    let ready = statuses
        .iter()
        .filter(|c| c.get("ready") == Some(&json!(true)))
        .count();
    let restarts: i64 = statuses
        .iter()
        .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
        .sum();
    let waiting = statuses
        .iter()
        .find_map(|c| obj::str_at(c, &["state", "waiting", "reason"]));
    let phase = obj::str_at(o, &["status", "phase"]).unwrap_or("Pending");
    let status = if obj::at(o, &["metadata", "deletionTimestamp"]).is_some() {
        "Terminating"
    } else {
        waiting.unwrap_or(phase)
    };
    vec![
        json!(format!("{ready}/{total}")),
        json!(status),
        json!(restarts.to_string()),
        age_of(obj::str_at(o, &["metadata", "creationTimestamp"]), now),
        json!(obj::str_at(o, &["status", "podIP"]).unwrap_or("<none>")),
        json!(obj::str_at(o, &["spec", "nodeName"]).unwrap_or("<none>")),
    ]
}

fn event_cells(o: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let last = obj::str_at(o, &["lastTimestamp"])
        .or_else(|| obj::str_at(o, &["eventTime"]))
        .or_else(|| obj::str_at(o, &["metadata", "creationTimestamp"]));
    let kind = obj::str_at(o, &["involvedObject", "kind"]).unwrap_or("");
    let name = obj::str_at(o, &["involvedObject", "name"]).unwrap_or("");
    vec![
        age_of(last, now),
        s(obj::str_at(o, &["type"])),
        s(obj::str_at(o, &["reason"])),
        json!(format!("{}/{}", kind.to_ascii_lowercase(), name)),
        s(obj::str_at(o, &["message"])),
    ]
}

fn cells(res: Res, o: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let name = json!(obj::name(o));
    let age = age_of(obj::str_at(o, &["metadata", "creationTimestamp"]), now);
    let st = |p: &[&str]| s(obj::str_at(o, p));
    match res {
        Res::KService => vec![
            name,
            st(&["status", "url"]),
            st(&["status", "latestCreatedRevisionName"]),
            st(&["status", "latestReadyRevisionName"]),
            cond(o, "status"),
            cond(o, "reason"),
            age,
        ],
        Res::KConfiguration => vec![
            name,
            st(&["status", "latestCreatedRevisionName"]),
            st(&["status", "latestReadyRevisionName"]),
            cond(o, "status"),
            cond(o, "reason"),
            age,
        ],
        Res::KRevision => vec![
            name,
            s(obj::label(o, "serving.knative.dev/configuration")),
            s(obj::label(o, "serving.knative.dev/configurationGeneration")),
            cond(o, "status"),
            cond(o, "reason"),
            obj::at(o, &["status", "actualReplicas"])
                .cloned()
                .unwrap_or(Value::Null),
            obj::at(o, &["status", "desiredReplicas"])
                .cloned()
                .unwrap_or(Value::Null),
            age,
        ],
        Res::KRoute => vec![
            name,
            st(&["status", "url"]),
            cond(o, "status"),
            cond(o, "reason"),
            age,
        ],
        Res::Namespace => vec![
            name,
            json!(obj::str_at(o, &["status", "phase"]).unwrap_or("Active")),
            age,
        ],
        Res::Pod => {
            let mut c = vec![name];
            c.extend(pod_cells(o, now));
            c
        }
        Res::ConfigMap => {
            let n = o
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + o.get("binaryData")
                    .and_then(Value::as_object)
                    .map_or(0, |m| m.len());
            vec![name, json!(n), age]
        }
        Res::Event => event_cells(o, now),
        Res::Deployment | Res::ReplicaSet => apps::cells(res, o, name, age),
        Res::Service => service::cells(o, name, age),
        Res::StatefulSet
        | Res::DaemonSet
        | Res::Secret
        | Res::PersistentVolumeClaim
        | Res::CustomResourceDefinition
        | Res::MutatingWebhookConfiguration
        | Res::ValidatingWebhookConfiguration
        | Res::Custom(_) => more::cells(res, o, name, age),
        Res::ServiceAccount
        | Res::ResourceQuota
        | Res::LimitRange
        | Res::Role
        | Res::ClusterRole
        | Res::RoleBinding
        | Res::ClusterRoleBinding
        | Res::SelfSubjectAccessReview
        | Res::SelfSubjectRulesReview => {
            let mut c = vec![name];
            c.extend(crate::rbac::table::cells(res, o, age));
            c
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    Metadata,
    Object,
}

impl IncludeObject {
    pub fn from_query(v: Option<&str>) -> Self {
        match v {
            Some("None") => IncludeObject::None,
            Some("Object") => IncludeObject::Object,
            _ => IncludeObject::Metadata,
        }
    }
}

/// `{"kind":"PartialObjectMetadata",...}` for an object.
pub fn partial_metadata(o: &Value) -> Value {
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": o.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

pub fn row(res: Res, o: &Value, now: DateTime<Utc>, include: IncludeObject) -> Value {
    let mut r = json!({"cells": cells(res, o, now)});
    match include {
        IncludeObject::None => {}
        IncludeObject::Metadata => r["object"] = partial_metadata(o),
        IncludeObject::Object => r["object"] = o.clone(),
    }
    r
}

pub fn column_definitions(res: Res) -> Value {
    Value::Array(
        columns(res)
            .into_iter()
            .map(|c| {
                json!({"name": c.name, "type": c.ty, "format": c.format,
                       "description": c.description, "priority": priority(res, c.name)})
            })
            .collect(),
    )
}

pub fn table(v1beta1: bool, res: Res, rows: Vec<Value>, metadata: Value) -> Value {
    json!({
        "kind": "Table",
        "apiVersion": if v1beta1 { "meta.k8s.io/v1beta1" } else { "meta.k8s.io/v1" },
        "metadata": metadata,
        "columnDefinitions": column_definitions(res),
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ksvc_row() {
        let now = Utc::now();
        let o = json!({"metadata": {"name": "hello", "namespace": "default", "creationTimestamp": obj::format_time(now - chrono::Duration::minutes(5))},
            "status": {"url": "http://hello.default.svc.cluster.local", "latestCreatedRevisionName": "hello-00001",
            "conditions": [{"type": "Ready", "status": "False", "reason": "RevisionMissing"}]}});
        let r = row(Res::KService, &o, now, IncludeObject::Metadata);
        assert_eq!(
            r["cells"],
            json!([
                "hello",
                "http://hello.default.svc.cluster.local",
                "hello-00001",
                null,
                "False",
                "RevisionMissing",
                "5m"
            ])
        );
        assert_eq!(r["object"]["kind"], "PartialObjectMetadata");
        assert_eq!(r["object"]["metadata"]["namespace"], "default");
        assert_eq!(
            column_definitions(Res::KService).as_array().map(Vec::len),
            Some(7)
        );
    }
}

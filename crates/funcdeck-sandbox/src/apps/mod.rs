//! The `apps/v1` controllers for plain workloads (what `kubectl apply` or the stack wizard
//! creates; Knative's revision Deployments have their own, in `dataplane/`): the deployment
//! controller (one ReplicaSet per pod template, `<deployment>-<pod-template-hash>`, older ones
//! scaled to zero), the replica set, stateful set (pods `<name>-<ordinal>` in order, claims
//! `<template>-<name>-<ordinal>` from `volumeClaimTemplates`) and daemon set controllers (one pod
//! on the sandbox's one node), the PV binder ([`claims`]) and the kubelet ([`pods`]). Statuses
//! carry the real fields and conditions so `kubectl rollout status` and `kubectl wait` work; the
//! scenarios `unpullable-workload`, `pending-pvc` and `webhook-not-ready` make them fail the way
//! a real cluster does.

pub mod claims;
pub mod pods;
mod sets;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::dataplane::workload::{Observed, condition, deployment_status, replica_set_status};
use crate::events::record;
use crate::knative::{Controller, Key, L_REVISION_UID};
use crate::obj;
use crate::resources::Res;
use crate::rng::fnv64;
use crate::write::{DeleteOptions, WriteOp};
use pods::Fate;

pub const DEFAULT_DELAY: Duration = Duration::from_secs(2);
const POD_TEMPLATE_HASH: &str = "pod-template-hash";
const REVISION: &str = "deployment.kubernetes.io/revision";
/// `spec.progressDeadlineSeconds`' default.
const PROGRESS_DEADLINE_SECONDS: i64 = 600;

/// The workload controllers' memory between reconciles.
#[derive(Debug)]
pub struct AppsState {
    /// How long a pod takes from ContainerCreating to its next stage.
    pub delay: Duration,
    /// When each pod `(ns, name)` reaches its next stage.
    pub due: HashMap<(String, String), Instant>,
    /// When each Deployment's current rollout started (its progress deadline counts from it).
    pub since: HashMap<(String, String), Instant>,
}

impl Default for AppsState {
    fn default() -> Self {
        AppsState {
            delay: DEFAULT_DELAY,
            due: HashMap::new(),
            since: HashMap::new(),
        }
    }
}

/// Knative's revision Deployments (and their ReplicaSets) belong to the data plane.
pub fn knative_owned(o: &Value) -> bool {
    obj::label(o, L_REVISION_UID).is_some()
        || obj::at(o, &["metadata", "ownerReferences"])
            .and_then(Value::as_array)
            .is_some_and(|rs| rs.iter().any(|r| r.get("kind") == Some(&json!("Revision"))))
}

pub fn reconcile(ctl: &mut Controller, res: Res, ns: &str, name: &str) {
    match res {
        Res::Deployment => deployment(ctl, ns, name),
        Res::StatefulSet => sets::stateful_set(ctl, ns, name),
        Res::DaemonSet => sets::daemon_set(ctl, ns, name),
        Res::PersistentVolumeClaim => claims::reconcile(ctl, ns, name),
        _ => {}
    }
}

/// What the scenarios (or the image's name) make of the pods of workload `ns/name`.
pub fn fate(ctl: &Controller, ns: &str, name: &str, template: &Value) -> Fate {
    let a = ctl.scenarios.current();
    let key = (ns.to_string(), name.to_string());
    if let Some(image) = pods::unpullable_image(template) {
        return Fate::Unpullable(image);
    }
    if a.unpullable_workloads.contains(&key) {
        let first = obj::at(template, &["spec", "containers"])
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|c| c.get("image"))
            .and_then(Value::as_str)
            .unwrap_or("");
        return Fate::Unpullable(first.to_string());
    }
    if a.webhook_not_ready.contains(&key) {
        return Fate::NotReady;
    }
    Fate::Ok
}

/// The pod-template-hash of a template: 10 characters of the alphabet Kubernetes uses.
pub fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = fnv64(&template.to_string());
    (0..10)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize];
            h /= ALPHABET.len() as u64;
            c as char
        })
        .collect()
}

pub fn labels_of(template: &Value) -> Map<String, Value> {
    obj::at(template, &["metadata", "labels"])
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Objects of `res` in `ns` whose controller is the object with uid `owner`.
pub fn owned(ctl: &Controller, res: Res, ns: &str, owner: &str) -> Vec<std::sync::Arc<Value>> {
    ctl.store
        .txn()
        .list(res, Some(ns))
        .into_iter()
        .filter(|o| obj::owner_uids(o).iter().any(|u| u == owner))
        .collect()
}

pub fn delete(ctl: &Controller, res: Res, o: &Value) {
    let _ = ctl.commit(WriteOp::Delete {
        res,
        namespace: obj::namespace(o).to_string(),
        name: obj::name(o).to_string(),
        options: DeleteOptions::default(),
    });
}

fn replicas(o: &Value) -> u32 {
    obj::i64_at(o, &["spec", "replicas"]).map_or(1, |n| n.clamp(0, 10_000) as u32)
}

fn deployment(ctl: &mut Controller, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    let Some(d) = ctl.store.get(Res::Deployment, ns, name) else {
        ctl.apps.since.remove(&key);
        return;
    };
    if knative_owned(&d) || obj::at(&d, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let desired = replicas(&d);
    let template = obj::at(&d, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let hash = template_hash(&template);
    let rs_name = format!("{name}-{hash}");
    let sets = owned(ctl, Res::ReplicaSet, ns, obj::uid(&d));
    let mut revision = 0;
    for old in sets.iter().filter(|r| obj::name(r) != rs_name) {
        revision = revision.max(rs_revision(old));
        for p in owned(ctl, Res::Pod, ns, obj::uid(old)) {
            delete(ctl, Res::Pod, &p);
        }
        if replicas(old) != 0 {
            let mut next = (**old).clone();
            next["spec"]["replicas"] = json!(0);
            ctl.update(Res::ReplicaSet, next);
            let m = format!(
                "Scaled down replica set {} to 0 from {}",
                obj::name(old),
                replicas(old)
            );
            record(
                ctl,
                &d,
                "Normal",
                "ScalingReplicaSet",
                &m,
                "deployment-controller",
            );
        }
    }
    let current = sets.iter().find(|r| obj::name(r) == rs_name).cloned();
    let rs = match current {
        Some(rs) if replicas(&rs) == desired => rs,
        Some(rs) => {
            let before = replicas(&rs);
            let mut next = (*rs).clone();
            next["spec"]["replicas"] = json!(desired);
            let dir = if desired > before { "up" } else { "down" };
            let m = format!("Scaled {dir} replica set {rs_name} to {desired} from {before}");
            record(
                ctl,
                &d,
                "Normal",
                "ScalingReplicaSet",
                &m,
                "deployment-controller",
            );
            ctl.update(Res::ReplicaSet, next).unwrap_or(rs)
        }
        None => {
            ctl.apps.since.insert(key.clone(), Instant::now());
            let Some(rs) = ctl.create(
                Res::ReplicaSet,
                ns,
                replica_set(&d, &template, &hash, desired, revision + 1),
            ) else {
                return;
            };
            let m = format!("Scaled up replica set {rs_name} to {desired}");
            record(
                ctl,
                &d,
                "Normal",
                "ScalingReplicaSet",
                &m,
                "deployment-controller",
            );
            rs
        }
    };
    let fate = fate(ctl, ns, name, &template);
    let wake = Key::Apps(Res::Deployment, ns.to_string(), name.to_string());
    let mut labels = labels_of(&template);
    labels.insert(POD_TEMPLATE_HASH.into(), json!(hash));
    let ready = sets::sync_pods(ctl, &rs, &template, desired, &labels, &fate, &wake);
    let seen = Observed {
        current: desired.max(ready),
        ready,
        failed_create: None,
    };
    let now = ctl.now_str();
    ctl.write_status(Res::ReplicaSet, &rs, replica_set_status(&rs, &seen, &now));
    let mut st = deployment_status(&d, &rs_name, desired, &seen, &now);
    if ready >= desired {
        ctl.apps.since.remove(&key);
    } else {
        let since = *ctl.apps.since.entry(key).or_insert_with(Instant::now);
        let secs = obj::i64_at(&d, &["spec", "progressDeadlineSeconds"])
            .unwrap_or(PROGRESS_DEADLINE_SECONDS)
            .max(0) as u64;
        let deadline = since + Duration::from_secs(secs);
        if Instant::now() >= deadline {
            let m = format!("ReplicaSet \"{rs_name}\" has timed out progressing.");
            let c = condition(
                &d,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                &m,
                &now,
                true,
            );
            if let Some(conds) = st.get_mut("conditions").and_then(Value::as_array_mut) {
                conds.retain(|c| c.get("type") != Some(&json!("Progressing")));
                conds.push(c);
            }
        } else {
            ctl.wake_at(
                deadline,
                Key::Apps(Res::Deployment, ns.to_string(), name.to_string()),
            );
        }
    }
    ctl.write_status(Res::Deployment, &d, st);
    let revision = rs_revision(&rs).to_string();
    if let Some(fresh) = ctl.store.get(Res::Deployment, ns, name)
        && obj::str_at(&fresh, &["metadata", "annotations", REVISION]) != Some(revision.as_str())
    {
        let mut next = (*fresh).clone();
        next["metadata"]["annotations"][REVISION] = json!(revision);
        ctl.update(Res::Deployment, next);
    }
}

fn rs_revision(rs: &Value) -> i64 {
    obj::str_at(rs, &["metadata", "annotations", REVISION])
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn replica_set(d: &Value, template: &Value, hash: &str, replicas: u32, revision: i64) -> Value {
    let mut labels = labels_of(template);
    labels.insert(POD_TEMPLATE_HASH.into(), json!(hash));
    let mut selector = obj::at(d, &["spec", "selector"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    selector["matchLabels"][POD_TEMPLATE_HASH] = json!(hash);
    let mut t = template.clone();
    t["metadata"]["labels"] = Value::Object(labels.clone());
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": format!("{}-{hash}", obj::name(d)),
            "namespace": obj::namespace(d),
            "labels": labels,
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": replicas.to_string(),
                "deployment.kubernetes.io/max-replicas": (replicas + replicas.div_ceil(4)).to_string(),
                REVISION: revision.to_string(),
            },
            "ownerReferences": [obj::controller_ref(d)],
        },
        "spec": {"replicas": replicas, "selector": selector, "template": t},
    })
}

//! The workload objects between a Revision and its pods, as on a real cluster: Knative's revision
//! reconciler makes a Deployment `<revision>-deployment` (`MakeDeployment`: the revision's
//! labels, a selector on `serving.knative.dev/revisionUID`, `maxUnavailable: 0`, no revision
//! history), the deployment controller makes one ReplicaSet `<deployment>-<pod-template-hash>`
//! and reports its progress in conditions, and the replica set controller owns the pods.
//! The simulation collapses the three controllers into one pass per revision reconcile, but
//! every object carries what the real controller would have written.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::POD_TEMPLATE_HASH;
use super::pod::{pod_spec, template_annotations, template_labels};
use crate::events::record;
use crate::knative::Controller;
use crate::knative::revision::{ImageFate, digest_ref, image_of};
use crate::obj;
use crate::resources::Res;

const REVISION: &str = "deployment.kubernetes.io/revision";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX: &str = "deployment.kubernetes.io/max-replicas";
/// `config-deployment`'s `progress-deadline` default.
const PROGRESS_DEADLINE_SECONDS: u32 = 600;

pub(super) fn deployment_name(rev: &Value) -> String {
    format!("{}-deployment", obj::name(rev))
}

/// `maxSurge: 25%` rounded up, as the deployment controller computes max-replicas.
fn max_replicas(replicas: u32) -> u32 {
    replicas + replicas.div_ceil(4)
}

/// The pod template, trimmed to what a console reads from a workload (labels, annotations,
/// each container's name, image and resources, the pod-level settings): a demo cluster holds
/// tens of thousands of these, and a full pod spec in every Deployment and ReplicaSet more
/// than doubled the sandbox's memory. The pods carry the full spec.
fn template(rev: &Value, fate: ImageFate) -> Value {
    let image = image_of(rev);
    let image = if fate == ImageFate::Missing {
        image
    } else {
        digest_ref(&image)
    };
    let labels = template_labels(rev);
    let mut spec = pod_spec(rev, &image);
    if let Some(cs) = spec.get_mut("containers").and_then(Value::as_array_mut) {
        for c in cs.iter_mut() {
            if let Some(m) = c.as_object_mut() {
                m.retain(|k, _| matches!(k.as_str(), "name" | "image" | "resources"));
            }
        }
    }
    spec["dnsPolicy"] = json!("ClusterFirst");
    json!({"metadata": {"labels": labels, "annotations": template_annotations(rev)}, "spec": spec})
}

fn deployment(rev: &Value, fate: ImageFate, replicas: u32) -> Value {
    let mut annotations = Map::new();
    annotations.insert(REVISION.into(), json!("1"));
    if let Some(a) = obj::at(rev, &["metadata", "annotations"]).and_then(Value::as_object) {
        for (k, v) in a {
            if k.starts_with("autoscaling.knative.dev/") || k == "serving.knative.dev/creator" {
                annotations.insert(k.clone(), v.clone());
            }
        }
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": deployment_name(rev),
            "namespace": obj::namespace(rev),
            "labels": template_labels(rev),
            "annotations": annotations,
            "ownerReferences": [obj::controller_ref(rev)],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {crate::knative::L_REVISION_UID: obj::uid(rev)}},
            "progressDeadlineSeconds": PROGRESS_DEADLINE_SECONDS,
            "revisionHistoryLimit": 0,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
            "template": template(rev, fate),
        },
    })
}

/// The deployment controller's ReplicaSet: the Deployment's template plus `pod-template-hash`.
fn replica_set(rev: &Value, deploy: &Value, hash: &str, replicas: u32) -> Value {
    let mut labels = template_labels(rev);
    labels.insert(POD_TEMPLATE_HASH.into(), json!(hash));
    let mut template = obj::at(deploy, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    template["metadata"]["labels"][POD_TEMPLATE_HASH] = json!(hash);
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": format!("{}-{hash}", obj::name(deploy)),
            "namespace": obj::namespace(rev),
            "labels": labels,
            "annotations": {
                DESIRED: replicas.to_string(),
                MAX: max_replicas(replicas).to_string(),
                REVISION: "1",
            },
            "ownerReferences": [obj::controller_ref(deploy)],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {crate::knative::L_REVISION_UID: obj::uid(rev), POD_TEMPLATE_HASH: hash}},
            "template": template,
        },
    })
}

/// Gets or creates (from `make`) `ns/name`, then sets `spec.replicas` (and the replica
/// annotations of a ReplicaSet) when they differ. Returns the stored object and the replicas it
/// had before (`None`: just created).
fn ensure(
    ctl: &Controller,
    res: Res,
    ns: &str,
    name: &str,
    replicas: u32,
    make: impl FnOnce() -> Value,
) -> Option<(Arc<Value>, Option<u32>)> {
    let Some(cur) = ctl.store.get(res, ns, name) else {
        return ctl.create(res, ns, make()).map(|o| (o, None));
    };
    let before = obj::i64_at(&cur, &["spec", "replicas"]).unwrap_or(0) as u32;
    if before == replicas {
        return Some((cur, Some(before)));
    }
    let mut next = (*cur).clone();
    next["spec"]["replicas"] = json!(replicas);
    if res == Res::ReplicaSet {
        next["metadata"]["annotations"][DESIRED] = json!(replicas.to_string());
        next["metadata"]["annotations"][MAX] = json!(max_replicas(replicas).to_string());
    }
    Some((ctl.update(res, next).unwrap_or(cur), Some(before)))
}

/// The Deployment and ReplicaSet of `rev`, scaled to `replicas`, with the deployment
/// controller's `ScalingReplicaSet` event when the ReplicaSet's size changed. Objects created
/// at zero replicas come with their (final) status, which keeps seeding thousands cheap.
pub(super) fn scale(
    ctl: &Controller,
    rev: &Value,
    fate: ImageFate,
    hash: &str,
    replicas: u32,
) -> Option<(Arc<Value>, Arc<Value>)> {
    let ns = obj::namespace(rev);
    let d_name = deployment_name(rev);
    let rs_name = format!("{d_name}-{hash}");
    let idle = Observed {
        current: 0,
        ready: 0,
        failed_create: None,
    };
    let now = ctl.now_str();
    let (deploy, _) = ensure(ctl, Res::Deployment, ns, &d_name, replicas, || {
        let mut d = deployment(rev, fate, replicas);
        if replicas == 0 {
            d["metadata"]["generation"] = json!(1);
            d["status"] = deployment_status(&d, &rs_name, 0, &idle, &now);
        }
        d
    })?;
    let (rs, before) = ensure(ctl, Res::ReplicaSet, ns, &rs_name, replicas, || {
        let mut r = replica_set(rev, &deploy, hash, replicas);
        if replicas == 0 {
            r["metadata"]["generation"] = json!(1);
            r["status"] = replica_set_status(&r, &idle, &now);
        }
        r
    })?;
    let msg = match before {
        None if replicas > 0 => Some(format!("Scaled up replica set {rs_name} to {replicas}")),
        Some(b) if b != replicas => {
            let dir = if replicas > b { "up" } else { "down" };
            Some(format!(
                "Scaled {dir} replica set {rs_name} to {replicas} from {b}"
            ))
        }
        _ => None,
    };
    if let Some(m) = msg {
        record(
            ctl,
            &deploy,
            "Normal",
            "ScalingReplicaSet",
            &m,
            "deployment-controller",
        );
    }
    Some((deploy, rs))
}

/// What the replica set controller saw in its last pass over the pods.
pub(crate) struct Observed {
    pub current: u32,
    pub ready: u32,
    /// The error of a refused pod create (`Error creating: …` without the prefix).
    pub failed_create: Option<String>,
}

fn nonzero(status: &mut Map<String, Value>, key: &str, n: u32) {
    if n > 0 {
        status.insert(key.into(), json!(n));
    }
}

/// A condition list entry that keeps its transition time while its status holds (and, for a
/// Deployment, its update time while reason and message hold too).
pub(crate) fn condition(
    old: &Value,
    t: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: &str,
    update_time: bool,
) -> Value {
    let prev = obj::condition(old, t);
    let same_status = prev.is_some_and(|c| c.get("status") == Some(&json!(status)));
    let same_all = same_status
        && prev.is_some_and(|c| {
            c.get("reason") == Some(&json!(reason)) && c.get("message") == Some(&json!(message))
        });
    let keep = |k: &str, same: bool| {
        prev.filter(|_| same)
            .and_then(|c| c.get(k).cloned())
            .unwrap_or_else(|| json!(now))
    };
    let mut c = json!({"type": t, "status": status, "reason": reason, "message": message,
        "lastTransitionTime": keep("lastTransitionTime", same_status)});
    if update_time {
        c["lastUpdateTime"] = keep("lastUpdateTime", same_all);
    }
    c
}

pub(crate) fn replica_set_status(rs: &Value, seen: &Observed, now: &str) -> Value {
    let mut st = Map::new();
    st.insert("replicas".into(), json!(seen.current));
    nonzero(&mut st, "fullyLabeledReplicas", seen.current);
    nonzero(&mut st, "readyReplicas", seen.ready);
    nonzero(&mut st, "availableReplicas", seen.ready);
    st.insert("observedGeneration".into(), json!(obj::generation(rs)));
    if let Some(m) = &seen.failed_create {
        let f = condition(rs, "ReplicaFailure", "True", "FailedCreate", m, now, false);
        st.insert("conditions".into(), json!([f]));
    }
    Value::Object(st)
}

pub(crate) fn deployment_status(
    deploy: &Value,
    rs_name: &str,
    desired: u32,
    seen: &Observed,
    now: &str,
) -> Value {
    let mut st = Map::new();
    st.insert("observedGeneration".into(), json!(obj::generation(deploy)));
    nonzero(&mut st, "replicas", seen.current);
    nonzero(&mut st, "updatedReplicas", seen.current);
    nonzero(&mut st, "readyReplicas", seen.ready);
    nonzero(&mut st, "availableReplicas", seen.ready);
    nonzero(
        &mut st,
        "unavailableReplicas",
        desired.max(seen.current).saturating_sub(seen.ready),
    );
    let available = if seen.ready >= desired {
        condition(
            deploy,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            now,
            true,
        )
    } else {
        condition(
            deploy,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            now,
            true,
        )
    };
    let progressing = if seen.ready >= desired && seen.current == desired {
        condition(
            deploy,
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            &format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
            now,
            true,
        )
    } else {
        condition(
            deploy,
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            &format!("ReplicaSet \"{rs_name}\" is progressing."),
            now,
            true,
        )
    };
    let mut conds = vec![available, progressing];
    if let Some(m) = &seen.failed_create {
        conds.push(condition(
            deploy,
            "ReplicaFailure",
            "True",
            "FailedCreate",
            m,
            now,
            true,
        ));
    }
    st.insert("conditions".into(), Value::Array(conds));
    Value::Object(st)
}

/// Writes the ReplicaSet's and the Deployment's status from what the pods look like now.
pub(super) fn report(ctl: &Controller, deploy: &Value, rs: &Value, seen: &Observed) {
    let now = ctl.now_str();
    let desired = obj::i64_at(rs, &["spec", "replicas"]).unwrap_or(0) as u32;
    ctl.write_status(Res::ReplicaSet, rs, replica_set_status(rs, seen, &now));
    let st = deployment_status(deploy, obj::name(rs), desired, seen, &now);
    ctl.write_status(Res::Deployment, deploy, st);
}

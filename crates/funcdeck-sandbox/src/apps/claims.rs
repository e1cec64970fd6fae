//! PersistentVolumeClaims: the stateful set controller's claims from `volumeClaimTemplates`, and
//! the PV controller binding them (dynamic provisioning by a default StorageClass, at once) —
//! unless the `pending-pvc` scenario names the claim or its StatefulSet, in which case the claim
//! stays Pending as on a cluster without a default StorageClass, and its pod unschedulable.

use serde_json::{Value, json};

use crate::events::record;
use crate::knative::{Controller, Key};
use crate::obj;
use crate::resources::Res;

/// The scheduler's message for a pod whose claims are not bound (kube-scheduler 1.32).
pub const UNBOUND: &str = "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
/// The PV controller's event on a claim nothing can provision.
const NO_CLASS: &str = "no persistent volumes available for this claim and no storage class is set";

/// Claims of StatefulSet `sts`'s pod `ordinal`, created (and, unless held, bound by the
/// default StorageClass's provisioner) when missing; returns the pod volumes that mount them.
pub fn for_pod(ctl: &mut Controller, sts: &Value, ordinal: u32) -> Vec<Value> {
    let ns = obj::namespace(sts);
    let name = obj::name(sts);
    let templates = obj::at(sts, &["spec", "volumeClaimTemplates"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let selector = obj::at(sts, &["spec", "selector", "matchLabels"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut volumes = Vec::new();
    for t in templates {
        let tmpl = obj::name(&t).to_string();
        let claim = format!("{tmpl}-{name}-{ordinal}");
        if ctl
            .store
            .get(Res::PersistentVolumeClaim, ns, &claim)
            .is_none()
        {
            let pvc = json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": claim, "namespace": ns, "labels": selector},
                "spec": t.get("spec").cloned().unwrap_or_else(|| json!({})),
                "status": {"phase": "Pending"},
            });
            if ctl.create(Res::PersistentVolumeClaim, ns, pvc).is_some() {
                let m = format!(
                    "create Claim {claim} Pod {name}-{ordinal} in StatefulSet {name} success"
                );
                record(
                    ctl,
                    sts,
                    "Normal",
                    "SuccessfulCreate",
                    &m,
                    "statefulset-controller",
                );
            }
        }
        volumes.push(json!({"name": tmpl, "persistentVolumeClaim": {"claimName": claim}}));
    }
    volumes
}

/// Whether any claim `pod` mounts is missing or not Bound.
pub fn unbound(ctl: &Controller, pod: &Value) -> bool {
    let ns = obj::namespace(pod);
    obj::at(pod, &["spec", "volumes"])
        .and_then(Value::as_array)
        .is_some_and(|vs| {
            vs.iter()
                .filter_map(|v| obj::str_at(v, &["persistentVolumeClaim", "claimName"]))
                .any(|c| {
                    ctl.store
                        .get(Res::PersistentVolumeClaim, ns, c)
                        .is_none_or(|p| obj::str_at(&p, &["status", "phase"]) != Some("Bound"))
                })
        })
}

/// Whether the `pending-pvc` scenario holds claim `ns/name` (named itself, or its StatefulSet:
/// `<template>-<statefulset>-<ordinal>`).
fn held(ctl: &Controller, ns: &str, name: &str) -> bool {
    ctl.scenarios
        .current()
        .pending_pvc
        .iter()
        .any(|(n, target)| {
            n == ns
                && (target == name
                    || name.rsplit_once('-').is_some_and(|(rest, ordinal)| {
                        ordinal.chars().all(|c| c.is_ascii_digit())
                            && rest.ends_with(&format!("-{target}"))
                    }))
        })
}

pub fn reconcile(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(pvc) = ctl.store.get(Res::PersistentVolumeClaim, ns, name) else {
        return;
    };
    if obj::str_at(&pvc, &["status", "phase"]) == Some("Bound") {
        return;
    }
    if held(ctl, ns, name) {
        ctl.write_status(
            Res::PersistentVolumeClaim,
            &pvc,
            json!({"phase": "Pending"}),
        );
        record(
            ctl,
            &pvc,
            "Normal",
            "FailedBinding",
            NO_CLASS,
            "persistentvolume-controller",
        );
        return;
    }
    let volume = format!("pvc-{}", obj::uid(&pvc));
    let mut next = (*pvc).clone();
    next["spec"]["volumeName"] = json!(volume);
    next["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] = json!("yes");
    next["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] = json!("yes");
    let stored = ctl.update(Res::PersistentVolumeClaim, next).unwrap_or(pvc);
    let storage = obj::at(&stored, &["spec", "resources", "requests", "storage"])
        .cloned()
        .unwrap_or_else(|| json!("1Gi"));
    let modes = obj::at(&stored, &["spec", "accessModes"])
        .cloned()
        .unwrap_or_else(|| json!(["ReadWriteOnce"]));
    let status = json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}});
    ctl.write_status(Res::PersistentVolumeClaim, &stored, status);
    // Pods waiting for this claim can be scheduled now.
    let sets = ctl.store.txn().list(Res::StatefulSet, Some(ns));
    for s in sets {
        ctl.enqueue(Key::Apps(
            Res::StatefulSet,
            ns.to_string(),
            obj::name(&s).to_string(),
        ));
    }
}

//! The replica set, stateful set and daemon set controllers' pod management and statuses.

use serde_json::{Map, Value, json};

use super::claims;
use super::pods::{self, Fate};
use super::{delete, labels_of, owned, replicas, template_hash};
use crate::events::record;
use crate::knative::{Controller, Key};
use crate::obj;
use crate::resources::Res;

/// Keeps `desired` pods of ReplicaSet `rs` (named `<rs>-<suffix>`), stepping each; returns how
/// many are Ready.
pub(super) fn sync_pods(
    ctl: &mut Controller,
    rs: &Value,
    template: &Value,
    desired: u32,
    labels: &Map<String, Value>,
    fate: &Fate,
    wake: &Key,
) -> u32 {
    let ns = obj::namespace(rs);
    let mut current = owned(ctl, Res::Pod, ns, obj::uid(rs));
    current.retain(|p| obj::at(p, &["metadata", "deletionTimestamp"]).is_none());
    // Scale down the least ready first, as the replica set controller does.
    current.sort_by_key(|p| pods::is_ready(p));
    while current.len() > desired as usize {
        let p = current.remove(0);
        delete(ctl, Res::Pod, &p);
        let m = format!("Deleted pod: {}", obj::name(&p));
        record(
            ctl,
            rs,
            "Normal",
            "SuccessfulDelete",
            &m,
            "replicaset-controller",
        );
    }
    let now = ctl.now_str();
    for _ in current.len()..desired as usize {
        let prefix = format!("{}-", obj::name(rs));
        let pod = pods::make(template, None, &prefix, labels.clone(), rs, &now);
        if let Some(p) = ctl.create(Res::Pod, ns, pod) {
            let m = format!("Created pod: {}", obj::name(&p));
            record(
                ctl,
                rs,
                "Normal",
                "SuccessfulCreate",
                &m,
                "replicaset-controller",
            );
            current.push(p);
        }
    }
    let mut ready = 0;
    for p in &current {
        if pods::step(ctl, p, fate, None, wake.clone()) {
            ready += 1;
        }
    }
    ready
}

pub(super) fn stateful_set(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(s) = ctl.store.get(Res::StatefulSet, ns, name) else {
        return;
    };
    if obj::at(&s, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let desired = replicas(&s);
    let template = obj::at(&s, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let revision = format!("{name}-{}", template_hash(&template));
    let fate = super::fate(ctl, ns, name, &template);
    let wake = Key::Apps(Res::StatefulSet, ns.to_string(), name.to_string());
    let parallel = obj::str_at(&s, &["spec", "podManagementPolicy"]) == Some("Parallel");
    let mut existing = owned(ctl, Res::Pod, ns, obj::uid(&s));
    for p in &existing {
        let ordinal = obj::name(p)
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u32>().ok());
        if ordinal.is_none_or(|o| o >= desired) {
            delete(ctl, Res::Pod, p);
            let m = format!(
                "delete Pod {} in StatefulSet {name} successful",
                obj::name(p)
            );
            record(
                ctl,
                &s,
                "Normal",
                "SuccessfulDelete",
                &m,
                "statefulset-controller",
            );
        }
    }
    existing.retain(|p| obj::at(p, &["metadata", "deletionTimestamp"]).is_none());
    let now = ctl.now_str();
    let (mut ready, mut current) = (0u32, 0u32);
    for i in 0..desired {
        let pod_name = format!("{name}-{i}");
        let pod = match existing.iter().find(|p| obj::name(p) == pod_name) {
            Some(p) => Some(p.clone()),
            None => {
                let blocked_before = ready < i && !parallel;
                if blocked_before {
                    break;
                }
                let volumes = claims::for_pod(ctl, &s, i);
                let mut labels = labels_of(&template);
                labels.insert("controller-revision-hash".into(), json!(revision));
                labels.insert("statefulset.kubernetes.io/pod-name".into(), json!(pod_name));
                labels.insert("apps.kubernetes.io/pod-index".into(), json!(i.to_string()));
                let mut pod = pods::make(&template, Some(&pod_name), "", labels, &s, &now);
                pod["spec"]["hostname"] = json!(pod_name);
                if let Some(svc) = obj::str_at(&s, &["spec", "serviceName"]) {
                    pod["spec"]["subdomain"] = json!(svc);
                }
                if !volumes.is_empty()
                    && let Some(vs) = pod["spec"]
                        .as_object_mut()
                        .map(|m| m.entry("volumes").or_insert_with(|| json!([])))
                        .and_then(Value::as_array_mut)
                {
                    vs.extend(volumes);
                }
                let created = ctl.create(Res::Pod, ns, pod);
                if created.is_some() {
                    let m = format!("create Pod {pod_name} in StatefulSet {name} successful");
                    record(
                        ctl,
                        &s,
                        "Normal",
                        "SuccessfulCreate",
                        &m,
                        "statefulset-controller",
                    );
                }
                created
            }
        };
        let Some(pod) = pod else { break };
        current += 1;
        let blocked = claims::unbound(ctl, &pod).then_some(claims::UNBOUND);
        if pods::step(ctl, &pod, &fate, blocked, wake.clone()) {
            ready += 1;
        } else if !parallel {
            break;
        }
    }
    let mut st = Map::new();
    st.insert("observedGeneration".into(), json!(obj::generation(&s)));
    st.insert("replicas".into(), json!(current));
    st.insert("readyReplicas".into(), json!(ready));
    st.insert("currentReplicas".into(), json!(current));
    st.insert("updatedReplicas".into(), json!(current));
    st.insert("availableReplicas".into(), json!(ready));
    st.insert("currentRevision".into(), json!(revision));
    st.insert("updateRevision".into(), json!(revision));
    st.insert("collisionCount".into(), json!(0));
    if ready == 0 {
        st.remove("readyReplicas");
    }
    ctl.write_status(Res::StatefulSet, &s, Value::Object(st));
}

pub(super) fn daemon_set(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(ds) = ctl.store.get(Res::DaemonSet, ns, name) else {
        return;
    };
    if obj::at(&ds, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let template = obj::at(&ds, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let hash = template_hash(&template);
    let fate = super::fate(ctl, ns, name, &template);
    let wake = Key::Apps(Res::DaemonSet, ns.to_string(), name.to_string());
    let mut existing = owned(ctl, Res::Pod, ns, obj::uid(&ds));
    existing.retain(|p| obj::at(p, &["metadata", "deletionTimestamp"]).is_none());
    // A template change replaces the node's pod (RollingUpdate, maxUnavailable 1).
    for p in existing
        .iter()
        .filter(|p| obj::label(p, "controller-revision-hash") != Some(hash.as_str()))
    {
        delete(ctl, Res::Pod, p);
        let m = format!("Deleted pod: {}", obj::name(p));
        record(
            ctl,
            &ds,
            "Normal",
            "SuccessfulDelete",
            &m,
            "daemonset-controller",
        );
    }
    existing.retain(|p| obj::label(p, "controller-revision-hash") == Some(hash.as_str()));
    let pod = match existing.first() {
        Some(p) => Some(p.clone()),
        None => {
            let mut labels = labels_of(&template);
            labels.insert("controller-revision-hash".into(), json!(hash));
            labels.insert(
                "pod-template-generation".into(),
                json!(obj::generation(&ds).to_string()),
            );
            let now = ctl.now_str();
            let pod = pods::make(&template, None, &format!("{name}-"), labels, &ds, &now);
            let created = ctl.create(Res::Pod, ns, pod);
            if let Some(p) = &created {
                let m = format!("Created pod: {}", obj::name(p));
                record(
                    ctl,
                    &ds,
                    "Normal",
                    "SuccessfulCreate",
                    &m,
                    "daemonset-controller",
                );
            }
            created
        }
    };
    let ready = pod.is_some_and(|p| pods::step(ctl, &p, &fate, None, wake.clone()));
    let n = u32::from(ready);
    let mut st = Map::new();
    st.insert("observedGeneration".into(), json!(obj::generation(&ds)));
    st.insert("desiredNumberScheduled".into(), json!(1));
    st.insert("currentNumberScheduled".into(), json!(1));
    st.insert("updatedNumberScheduled".into(), json!(1));
    st.insert("numberMisscheduled".into(), json!(0));
    st.insert("numberReady".into(), json!(n));
    if ready {
        st.insert("numberAvailable".into(), json!(1));
    } else {
        st.insert("numberUnavailable".into(), json!(1));
    }
    ctl.write_status(Res::DaemonSet, &ds, Value::Object(st));
}

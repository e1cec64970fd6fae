//! The data plane's clock: each tick advances the load model, enqueues revisions whose scale
//! changed (their reconcile moves the pods), and restarts crash-looping containers when their
//! back-off expires ([`super::backoff`]).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::backoff::{Crash, go_duration};
use super::{PodState, events, pods_of, state_of};
use crate::knative::revision::{crash_output, image_of};
use crate::knative::{Controller, Key};
use crate::metrics::{Pods, owner_of};
use crate::obj;
use crate::resources::Res;

pub fn tick(ctl: &mut Controller) {
    let now = Instant::now();
    for (ns, rev) in ctl.plane.tick(now) {
        ctl.enqueue(Key::Revision(ns, rev));
    }
    meter(ctl);
    let due: Vec<_> = ctl
        .plane
        .crashing
        .iter()
        .filter(|(_, c)| c.next <= now)
        .map(|(k, c)| (k.clone(), *c))
        .collect();
    let backoff = ctl.plane.backoff();
    for ((ns, name), mut crash) in due {
        let Some(rev) = ctl.store.get(Res::KRevision, &ns, &name) else {
            ctl.plane.forget(&(ns, name));
            continue;
        };
        backoff.restart(&mut crash, now);
        for pod in pods_of(ctl, obj::uid(&rev)) {
            if state_of(&pod) == Some(PodState::CrashLoopBackOff) {
                crashed(ctl, &pod, &crash);
            }
        }
        ctl.plane.crashing.insert((ns, name), crash);
    }
}

/// Requests arrived for revisions scaled to zero: reconcile those now so their pods start.
pub fn wake(ctl: &mut Controller) {
    for (ns, rev) in ctl.plane.wake() {
        ctl.enqueue(Key::Revision(ns, rev));
    }
}

/// The user container was (re)started and exited with code 1 at once: `restartCount`, the
/// `CrashLoopBackOff` waiting message with the back-off now in force, `lastState.terminated`
/// of that run, and one more count on the kubelet's BackOff event.
pub(super) fn crashed(ctl: &Controller, pod: &Value, crash: &Crash) {
    let mut status = pod.get("status").cloned().unwrap_or_else(|| json!({}));
    let finished = ctl.store.now();
    let started = finished - chrono::Duration::seconds(1);
    let image = obj::at(pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let tag_image = ctl
        .store
        .get(
            Res::KRevision,
            obj::namespace(pod),
            obj::label(pod, crate::knative::L_REVISION).unwrap_or(""),
        )
        .map(|r| image_of(&r))
        .unwrap_or(image);
    if let Some(c) = status
        .pointer_mut("/containerStatuses/0")
        .and_then(Value::as_object_mut)
    {
        c.insert("restartCount".into(), json!(crash.restarts));
        c.insert(
            "state".into(),
            json!({"waiting": {"reason": "CrashLoopBackOff", "message": format!(
                "back-off {} restarting failed container=user-container pod={}_{}({})",
                go_duration(crash.delay),
                obj::name(pod),
                obj::namespace(pod),
                obj::uid(pod)
            )}}),
        );
        c.insert(
            "lastState".into(),
            json!({"terminated": {
                "exitCode": 1,
                "reason": "Error",
                "message": crash_output(&tag_image),
                "startedAt": obj::format_time(started),
                "finishedAt": obj::format_time(finished),
            }}),
        );
    }
    ctl.write_status(Res::Pod, pod, status);
    events::crash(ctl, pod);
    if let Some(l) = super::logs(ctl) {
        l.crashed(pod, crash_output(&tag_image), crash.restarts);
    }
}

/// Counts this tick's simulated requests and sets the autoscaler's figures, for the revisions
/// with load or pods and every revision exported before (so a scale to zero shows as 0).
fn meter(ctl: &Controller) {
    let Some(metrics) = ctl.plane.metrics.clone() else {
        return;
    };
    let mut todo: BTreeMap<(String, String), (u32, f64, f64)> = ctl
        .plane
        .metered()
        .into_iter()
        .map(|(k, d, sim, all)| (k, (d, sim, all)))
        .collect();
    for k in metrics.revisions() {
        let desired = ctl.plane.desired_of(&k);
        todo.entry(k).or_insert((desired, 0.0, 0.0));
    }
    let secs = ctl.plane.elapsed.as_secs_f64();
    let tick_ms = secs * 1000.0;
    let t = ctl.store.txn();
    let mut pods_by_ns: BTreeMap<String, Vec<std::sync::Arc<Value>>> = BTreeMap::new();
    for ((ns, name), (desired, sim, all)) in todo {
        let Some(rev) = t.get(Res::KRevision, &ns, &name) else {
            continue;
        };
        let pods = pods_by_ns
            .entry(ns.clone())
            .or_insert_with(|| t.list(Res::Pod, Some(&ns)));
        let mut counts = Pods {
            desired,
            ..Pods::default()
        };
        let mut ready = Vec::new();
        for p in pods.iter().filter(|p| {
            obj::label(p, crate::knative::L_REVISION) == Some(name.as_str())
                && obj::at(p, &["metadata", "deletionTimestamp"]).is_none()
        }) {
            match state_of(p) {
                Some(PodState::Running) => {
                    counts.ready += 1;
                    ready.push(obj::name(p).to_string());
                }
                Some(PodState::Pending | PodState::Creating) => {
                    counts.pending += 1;
                    counts.not_ready += 1;
                }
                _ => counts.not_ready += 1,
            }
        }
        ready.sort();
        let key = (ns, name);
        let owner = owner_of(&rev);
        metrics.advance(&key, &owner, sim, secs, &ready, tick_ms);
        metrics.set_pods(&key, &owner, counts, all);
    }
}

//! The data plane's clock: each tick advances the load model, enqueues revisions whose scale
//! changed (their reconcile moves the pods), and restarts crash-looping containers when their
//! back-off expires.

use serde_json::{Value, json};
use tokio::time::Instant;

use super::{PodState, events, pods_of, state_of};
use crate::knative::{Controller, Key};
use crate::obj;
use crate::resources::Res;

pub fn tick(ctl: &mut Controller) {
    let now = Instant::now();
    for (ns, rev) in ctl.plane.tick(now) {
        ctl.enqueue(Key::Revision(ns, rev));
    }
    let due: Vec<_> = ctl
        .plane
        .crashing
        .iter()
        .filter(|(_, (at, _))| *at <= now)
        .map(|(k, (_, step))| (k.clone(), *step))
        .collect();
    for ((ns, name), step) in due {
        let Some(rev) = ctl.store.get(Res::KRevision, &ns, &name) else {
            ctl.plane.forget(&(ns, name));
            continue;
        };
        for pod in pods_of(ctl, obj::uid(&rev)) {
            if state_of(&pod) == Some(PodState::CrashLoopBackOff) {
                restart(ctl, &pod);
            }
        }
        let next = now + ctl.plane.cfg.crash_every * 2u32.pow(step.min(5));
        ctl.plane.crashing.insert((ns, name), (next, step + 1));
    }
}

/// One more failed start: restartCount + 1, a fresh lastState, a coalesced BackOff event.
fn restart(ctl: &Controller, pod: &Value) {
    let mut status = pod.get("status").cloned().unwrap_or_else(|| json!({}));
    let now = ctl.now_str();
    if let Some(c) = status
        .pointer_mut("/containerStatuses/0")
        .and_then(Value::as_object_mut)
    {
        let n = c.get("restartCount").and_then(Value::as_u64).unwrap_or(0);
        c.insert("restartCount".into(), json!(n + 1));
        if let Some(t) = c
            .get_mut("lastState")
            .and_then(|l| l.get_mut("terminated"))
            .and_then(Value::as_object_mut)
        {
            t.insert("startedAt".into(), json!(now));
            t.insert("finishedAt".into(), json!(now));
        }
    }
    ctl.write_status(Res::Pod, pod, status);
    events::crash(ctl, pod);
}

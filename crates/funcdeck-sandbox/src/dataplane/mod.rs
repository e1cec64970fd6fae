//! The data plane a real cluster would run under Knative: pods per revision as the autoscaler
//! ([`scale`]) decides (ready and routed), one pod for a deploying or failing revision, with
//! kubelet-style statuses, cold starts (Pending → ContainerCreating → Running), crash loops
//! whose restartCount rises, and events. Ownership is upstream's: Revision → Deployment
//! `<rev>-deployment` → ReplicaSet `<rev>-deployment-<hash>` → pods
//! `<rev>-deployment-<hash>-<suffix>` ([`workload`]), so deleting a Service garbage-collects
//! everything down to the pods, and a pod create refused by admission (a quota) is reported
//! the way the replica set controller and Knative report it.

pub(crate) mod backoff;
mod events;
mod pod;
pub mod scale;
mod tick;
pub(crate) mod workload;

use serde_json::Value;
use tokio::time::Instant;

pub(crate) use pod::pod_ip;
use pod::{make_pod, status_for};

use crate::knative::revision::{ImageFate, image_of, rng_for};
use crate::knative::{Controller, Key as CtlKey, L_ROUTING_STATE};
use crate::obj;
use crate::resources::Res;
use crate::write::{DeleteOptions, Outcome, WriteOp};

pub use tick::{tick, wake};

pub const NODE: &str = "sandbox-worker";
pub(crate) const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// How soon the replica set controller tries again after a refused pod create (doubling).
const FAILED_CREATE_RETRY: std::time::Duration = std::time::Duration::from_secs(1);
const FAILED_CREATE_RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(300);
pub(crate) const QUEUE_IMAGE: &str = "gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:0e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PodState {
    /// Scheduled, nothing started yet (kubectl: Pending).
    Pending,
    Creating,
    Running,
    ImagePullBackOff,
    CrashLoopBackOff,
}

/// What the revision's pods should be doing, and how many of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicas {
    pub desired: u32,
    pub ready: u32,
    /// The ReplicaSet's `ReplicaFailure` message when a pod create was refused.
    pub failed_create: Option<String>,
}

fn target_state(rev: &Value, fate: ImageFate) -> Option<PodState> {
    match obj::condition_status(rev, "Ready") {
        Some("True") => Some(PodState::Running),
        Some("False") => match fate {
            ImageFate::Missing => Some(PodState::ImagePullBackOff),
            ImageFate::Crash => Some(PodState::CrashLoopBackOff),
            // Failed for another reason (e.g. a scenario just ended): start over.
            ImageFate::Ok => Some(PodState::Creating),
        },
        _ if fate == ImageFate::Missing => None,
        _ => Some(PodState::Creating),
    }
}

fn is_latest(ctl: &Controller, rev: &Value) -> bool {
    let Some(cfg) = obj::label(rev, crate::knative::L_CONFIGURATION) else {
        return true;
    };
    ctl.store
        .get(Res::KConfiguration, obj::namespace(rev), cfg)
        .and_then(|c| {
            obj::str_at(&c, &["status", "latestCreatedRevisionName"]).map(|n| n == obj::name(rev))
        })
        .unwrap_or(true)
}

fn template_hash(rev: &Value) -> String {
    rng_for(obj::uid(rev)).name_suffix(10)
}

fn pod_name(rev: &Value, i: u32) -> String {
    let mut rng = rng_for(obj::uid(rev));
    let hash = rng.name_suffix(10);
    let suffix = if i == 0 {
        rng.name_suffix(5)
    } else {
        rng_for(&format!("{}/{i}", obj::uid(rev))).name_suffix(5)
    };
    format!("{}-deployment-{hash}-{suffix}", obj::name(rev))
}

pub(crate) fn state_of(pod: &Value) -> Option<PodState> {
    let waiting = obj::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|c| obj::str_at(c, &["state", "waiting", "reason"]));
    match (obj::str_at(pod, &["status", "phase"]), waiting) {
        (_, Some("ContainerCreating")) => Some(PodState::Creating),
        (_, Some("ImagePullBackOff")) => Some(PodState::ImagePullBackOff),
        (_, Some("CrashLoopBackOff")) => Some(PodState::CrashLoopBackOff),
        (Some("Running"), None) => Some(PodState::Running),
        (Some("Pending"), None) => Some(PodState::Pending),
        _ => None,
    }
}

/// The objects of kind `res` controlled by the object with uid `owner`.
fn owned(ctl: &Controller, owner: &str, res: Res) -> Vec<std::sync::Arc<Value>> {
    let t = ctl.store.txn();
    t.dependents(owner)
        .into_iter()
        .filter(|(r, _)| *r == res)
        .filter_map(|(r, (n, k))| t.get(r, &n, &k))
        .collect()
}

/// The revision's pods: those of the ReplicaSets of its Deployment.
pub(crate) fn pods_of(ctl: &Controller, rev_uid: &str) -> Vec<std::sync::Arc<Value>> {
    owned(ctl, rev_uid, Res::Deployment)
        .iter()
        .flat_map(|d| owned(ctl, obj::uid(d), Res::ReplicaSet))
        .flat_map(|rs| owned(ctl, obj::uid(&rs), Res::Pod))
        .collect()
}

/// Where the pods' containers log (none without the sandbox's logs).
pub(crate) fn logs(ctl: &Controller) -> Option<crate::logs::Logs> {
    ctl.plane.metrics.as_ref().and_then(|m| m.logs.clone())
}

/// A Running pod still cold-starting shows its earlier stage until `cold_start` has passed.
fn stage(ctl: &mut Controller, key: &(String, String), rev: &Value, want: PodState) -> PodState {
    let Some(born) = ctl.plane.born.get(key).copied() else {
        return want;
    };
    let cold = ctl.plane.cfg.cold_start;
    let age = Instant::now().saturating_duration_since(born);
    let rev_key = CtlKey::Revision(obj::namespace(rev).to_string(), obj::name(rev).to_string());
    if want != PodState::Running || age >= cold {
        ctl.plane.born.remove(key);
        return want;
    }
    if age < cold / 2 {
        ctl.wake_at(born + cold / 2, rev_key);
        PodState::Pending
    } else {
        ctl.wake_at(born + cold, rev_key);
        PodState::Creating
    }
}

/// The user container of `pod` (of revision `rkey`) has just crashed: the kubelet restarts it
/// at once and then backs off (a seeded pod has been crashing for a while already).
fn start_crashing(ctl: &mut Controller, rkey: &(String, String), pod: &Value) {
    let now = Instant::now();
    let backoff = ctl.plane.backoff();
    let restarts = pod::restart_count(pod);
    let crash = if ctl.plane.seeding {
        let restarts = rng_for(obj::uid(pod)).range(3, 12);
        let delay = backoff.delay_after(restarts);
        backoff::Crash {
            restarts,
            delay,
            next: now + delay,
            last: now,
        }
    } else {
        backoff.first_crash(now, restarts, ctl.plane.crashed_before.get(rkey))
    };
    ctl.plane.crashed_before.remove(rkey);
    ctl.plane.crashing.insert(rkey.clone(), crash);
    tick::crashed(ctl, pod, &crash);
}

/// Brings the revision's pods in line with its status, routing state and scale; `rev` carries
/// the status about to be written. Returns the counts for the revision's status.
pub fn sync(ctl: &mut Controller, rev: &Value, fate: ImageFate) -> Replicas {
    let ns = obj::namespace(rev).to_string();
    let rkey = (ns.clone(), obj::name(rev).to_string());
    let routed = obj::label(rev, L_ROUTING_STATE) != Some("reserve");
    // A failing revision keeps trying only while it matters: routed, or its configuration's
    // newest (an old revision broken by a scenario has long been scaled away).
    let want = target_state(rev, fate).filter(|s| {
        routed || matches!(s, PodState::Running | PodState::Creating) || is_latest(ctl, rev)
    });
    let count = match want {
        Some(PodState::Running) => ctl.plane.replicas(&ns, rev, routed, Instant::now()),
        Some(_) => 1,
        None => 0,
    };
    if want != Some(PodState::CrashLoopBackOff)
        && let Some(c) = ctl.plane.crashing.remove(&rkey)
    {
        // Kept so a crash soon after recovering resumes the back-off (kubelet's entry).
        ctl.plane.crashed_before.insert(rkey.clone(), c);
    }
    let none = Replicas {
        desired: count,
        ready: 0,
        failed_create: None,
    };
    let Some((deploy, rs)) = workload::scale(ctl, rev, fate, &template_hash(rev), count) else {
        return none;
    };
    let pods = owned(ctl, obj::uid(&rs), Res::Pod);
    let names: Vec<String> = (0..count).map(|i| pod_name(rev, i)).collect();
    for p in &pods {
        if !names.iter().any(|n| n == obj::name(p)) {
            ctl.plane
                .born
                .remove(&(ns.clone(), obj::name(p).to_string()));
            let deleted = ctl.commit(WriteOp::Delete {
                res: Res::Pod,
                namespace: ns.clone(),
                name: obj::name(p).to_string(),
                options: DeleteOptions::default(),
            });
            if deleted.is_ok() {
                events::deleted(ctl, &rs, obj::name(p));
            }
        }
    }
    let image = image_of(rev);
    let now = ctl.now_str();
    let held = ctl
        .plane
        .failed_create
        .get(&rkey)
        .filter(|f| Instant::now() < f.next)
        .map(|f| f.error.clone());
    let mut seen = workload::Observed {
        current: 0,
        ready: 0,
        failed_create: None,
    };
    let mut created = false;
    for name in &names {
        let pkey = (ns.clone(), name.clone());
        let existing = pods.iter().find(|p| obj::name(p) == name);
        let Some(target) = want else { break };
        if existing.is_none() && target == PodState::Running && !ctl.plane.seeding {
            ctl.plane.born.insert(pkey.clone(), Instant::now());
        }
        let state = stage(ctl, &pkey, rev, target);
        match existing {
            Some(p) if state_of(p) == Some(state) => {}
            Some(p) => {
                let mut status = status_for(state, name, &image, &now);
                pod::carry_restarts(p, &mut status);
                ctl.write_status(Res::Pod, p, status);
                if state == PodState::CrashLoopBackOff {
                    start_crashing(ctl, &rkey, p);
                } else {
                    events::pod(ctl, p, state, &image);
                    if state == PodState::Running
                        && let Some(l) = logs(ctl)
                    {
                        l.started(p);
                    }
                }
            }
            None if held.is_some() => {
                // Still backing off after a refused create: report the last error.
                seen.failed_create = held.clone();
                break;
            }
            None => {
                let op = WriteOp::Create {
                    res: Res::Pod,
                    namespace: ns.clone(),
                    object: make_pod(rev, &rs, name, state, &now),
                };
                match ctl.commit(op) {
                    Ok(Outcome::Stored { object: p, .. }) => {
                        created = true;
                        events::created(ctl, &rs, name);
                        events::pod(ctl, &p, PodState::Pending, &image);
                        if state == PodState::CrashLoopBackOff {
                            start_crashing(ctl, &rkey, &p);
                        } else if state != PodState::Pending {
                            events::pod(ctl, &p, state, &image);
                        }
                        if state == PodState::Running
                            && let Some(l) = logs(ctl)
                        {
                            l.started(&p);
                        }
                    }
                    Ok(_) => continue,
                    Err(e) => {
                        // The replica set controller gives up on this batch and retries later.
                        ctl.plane.born.remove(&pkey);
                        events::failed_create(ctl, &rs, &e.message);
                        seen.failed_create = Some(e.message);
                        break;
                    }
                }
            }
        }
        seen.current += 1;
        if state == PodState::Running {
            seen.ready += 1;
        }
    }
    // A refusal stands until its back-off expires, even if no pod is wanted meanwhile: the
    // revision failing moves traffic away and back, and that must not make the loop spin.
    if seen.failed_create.is_none() {
        seen.failed_create = held.clone();
    }
    workload::report(ctl, &deploy, &rs, &seen);
    match &seen.failed_create {
        Some(error) if held.is_none() => {
            // Like the replica set controller's rate-limited queue: 1 s, doubling to 5 min.
            let attempts = ctl.plane.failed_create.get(&rkey).map_or(0, |f| f.attempts) + 1;
            let delay = FAILED_CREATE_RETRY * 2u32.pow((attempts - 1).min(9));
            let next = Instant::now() + delay.min(FAILED_CREATE_RETRY_MAX);
            let key = CtlKey::Revision(ns.clone(), obj::name(rev).to_string());
            ctl.wake_at(next, key);
            let error = error.clone();
            let retry = scale::CreateRetry {
                attempts,
                next,
                error,
            };
            ctl.plane.failed_create.insert(rkey, retry);
        }
        Some(_) => {}
        // Only a pod that got in proves the room is there; until then the attempts count on.
        None if created => {
            ctl.plane.failed_create.remove(&rkey);
        }
        None => {}
    }
    Replicas {
        desired: count,
        ready: seen.ready,
        failed_create: seen.failed_create,
    }
}

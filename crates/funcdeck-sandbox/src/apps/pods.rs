//! The pods of plain workloads and the kubelet's (and scheduler's) view of them: each pod is
//! created ContainerCreating, and after the sandbox's workload delay runs Ready — or fails the
//! way a scenario says (`ErrImagePull` then `ImagePullBackOff`, Running but never Ready), or
//! stays Pending and unschedulable while its claims are unbound. Every transition writes the
//! status a kubelet would and records its events.

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::dataplane::{NODE, pod_ip};
use crate::events::record;
use crate::knative::{Controller, Key};
use crate::obj;
use crate::resources::Res;

/// What a scenario (or the image's name) makes of a workload's pods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Ok,
    /// This image cannot be pulled.
    Unpullable(String),
    /// The containers run but the readiness probe never passes.
    NotReady,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    Unschedulable,
    Creating,
    Running,
    NotReady,
    ErrImagePull,
    ImagePullBackOff,
}

fn stage_of(pod: &Value) -> Stage {
    let scheduled = obj::condition_status(pod, "PodScheduled");
    if scheduled == Some("False") {
        return Stage::Unschedulable;
    }
    let statuses = containers_status(pod);
    let waiting: Vec<&str> = statuses
        .iter()
        .filter_map(|c| obj::str_at(c, &["state", "waiting", "reason"]))
        .collect();
    if waiting.contains(&"ImagePullBackOff") {
        return Stage::ImagePullBackOff;
    }
    if waiting.contains(&"ErrImagePull") {
        return Stage::ErrImagePull;
    }
    if obj::str_at(pod, &["status", "phase"]) != Some("Running") {
        return Stage::Creating;
    }
    if obj::condition_status(pod, "Ready") == Some("True") {
        Stage::Running
    } else {
        Stage::NotReady
    }
}

fn containers_status(pod: &Value) -> Vec<Value> {
    obj::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

pub fn is_ready(pod: &Value) -> bool {
    obj::condition_status(pod, "Ready") == Some("True")
        && obj::at(pod, &["metadata", "deletionTimestamp"]).is_none()
}

fn containers(pod: &Value) -> Vec<(String, String)> {
    obj::at(pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    (s("name"), s("image"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The image a registry refuses: the scenario's, or one named `…does-not-exist…`.
pub fn unpullable_image(template: &Value) -> Option<String> {
    obj::at(template, &["spec", "containers"])
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|c| c.get("image").and_then(Value::as_str))
        .find(|i| i.contains("does-not-exist"))
        .map(str::to_string)
}

pub fn pull_error(image: &str) -> String {
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
    )
}

/// The pod of a workload: the template's metadata and spec, placed on the sandbox's node.
pub fn make(
    template: &Value,
    name: Option<&str>,
    generate_name: &str,
    labels: Map<String, Value>,
    owner: &Value,
    now: &str,
) -> Value {
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    for (k, v) in [
        ("restartPolicy", json!("Always")),
        ("dnsPolicy", json!("ClusterFirst")),
        ("schedulerName", json!("default-scheduler")),
        ("serviceAccountName", json!("default")),
        ("terminationGracePeriodSeconds", json!(30)),
    ] {
        if spec.get(k).is_none() {
            spec[k] = v;
        }
    }
    spec["nodeName"] = json!(NODE);
    let mut meta = json!({
        "namespace": obj::namespace(owner),
        "labels": labels,
        "ownerReferences": [obj::controller_ref(owner)],
    });
    match name {
        Some(n) => meta["name"] = json!(n),
        None => meta["generateName"] = json!(generate_name),
    }
    if let Some(a) = obj::at(template, &["metadata", "annotations"]) {
        meta["annotations"] = a.clone();
    }
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    pod["status"] = status(&pod, &Stage::Creating, None, None, now);
    pod
}

/// `bad_image`: the image that cannot be pulled, if any.
fn status(
    pod: &Value,
    stage: &Stage,
    blocked: Option<&str>,
    bad_image: Option<&str>,
    now: &str,
) -> Value {
    let cond = |t: &str, ok: bool| json!({"type": t, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": now});
    if *stage == Stage::Unschedulable {
        let mut c = cond("PodScheduled", false);
        c["reason"] = json!("Unschedulable");
        c["message"] = json!(blocked.unwrap_or(""));
        return json!({"phase": "Pending", "conditions": [c], "qosClass": "BestEffort"});
    }
    let running = !matches!(
        stage,
        Stage::Creating | Stage::ErrImagePull | Stage::ImagePullBackOff
    );
    let mut unready = Vec::new();
    let statuses: Vec<Value> = containers(pod)
        .into_iter()
        .map(|(name, image)| {
            let pulled = bad_image != Some(image.as_str());
            let state = match stage {
                Stage::Creating => json!({"waiting": {"reason": "ContainerCreating"}}),
                Stage::ErrImagePull if !pulled => {
                    json!({"waiting": {"reason": "ErrImagePull", "message": pull_error(&image)}})
                }
                Stage::ImagePullBackOff if !pulled => json!({"waiting": {
                    "reason": "ImagePullBackOff",
                    "message": format!("Back-off pulling image \"{image}\"")}}),
                _ => json!({"running": {"startedAt": now}}),
            };
            let started = state.get("running").is_some();
            let ready = started && *stage != Stage::NotReady;
            if !ready {
                unready.push(name.clone());
            }
            json!({"name": name, "image": image, "imageID": if started { json!(image) } else { json!("") },
                "ready": ready, "started": started, "restartCount": 0, "state": state, "lastState": {}})
        })
        .collect();
    let ready = unready.is_empty();
    let mut r = cond("Ready", ready);
    let mut cr = cond("ContainersReady", ready);
    if !ready {
        let m = format!("containers with unready status: [{}]", unready.join(" "));
        for c in [&mut r, &mut cr] {
            c["reason"] = json!("ContainersNotReady");
            c["message"] = json!(m);
        }
    }
    let ip = pod_ip(obj::name(pod));
    json!({
        "phase": if running { "Running" } else { "Pending" },
        "conditions": [cond("PodReadyToStartContainers", *stage != Stage::Creating),
            cond("Initialized", true), r, cr, cond("PodScheduled", true)],
        "hostIP": "172.18.0.2",
        "hostIPs": [{"ip": "172.18.0.2"}],
        "podIP": if *stage == Stage::Creating { Value::Null } else { json!(ip) },
        "podIPs": if *stage == Stage::Creating { json!([]) } else { json!([{"ip": ip}]) },
        "startTime": now,
        "containerStatuses": statuses,
        "qosClass": "BestEffort",
    })
}

fn events(ctl: &Controller, pod: &Value, stage: &Stage, fate: &Fate) {
    let k = "kubelet";
    match stage {
        Stage::Running => {
            for (name, image) in containers(pod) {
                let pulled = format!("Container image \"{image}\" already present on machine");
                record(ctl, pod, "Normal", "Pulled", &pulled, k);
                record(
                    ctl,
                    pod,
                    "Normal",
                    "Created",
                    &format!("Created container: {name}"),
                    k,
                );
                record(
                    ctl,
                    pod,
                    "Normal",
                    "Started",
                    &format!("Started container {name}"),
                    k,
                );
            }
        }
        Stage::ErrImagePull => {
            if let Fate::Unpullable(image) = fate {
                record(
                    ctl,
                    pod,
                    "Normal",
                    "Pulling",
                    &format!("Pulling image \"{image}\""),
                    k,
                );
                let failed = format!("Failed to pull image \"{image}\": {}", pull_error(image));
                record(ctl, pod, "Warning", "Failed", &failed, k);
                record(ctl, pod, "Warning", "Failed", "Error: ErrImagePull", k);
            }
        }
        Stage::ImagePullBackOff => {
            if let Fate::Unpullable(image) = fate {
                let m = format!("Back-off pulling image \"{image}\"");
                record(ctl, pod, "Normal", "BackOff", &m, k);
                record(ctl, pod, "Warning", "Failed", "Error: ImagePullBackOff", k);
            }
        }
        Stage::NotReady => {
            let (host, port) = (pod_ip(obj::name(pod)), probe_port(pod));
            let m = format!(
                "Readiness probe failed: Get \"http://{host}:{port}/healthz\": dial tcp {host}:{port}: connect: connection refused"
            );
            record(ctl, pod, "Warning", "Unhealthy", &m, k);
        }
        Stage::Creating | Stage::Unschedulable => {}
    }
}

fn probe_port(pod: &Value) -> i64 {
    obj::at(pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.first())
        .and_then(|c| c.get("ports"))
        .and_then(Value::as_array)
        .and_then(|ps| ps.first())
        .and_then(|p| p.get("containerPort"))
        .and_then(Value::as_i64)
        .unwrap_or(8080)
}

/// Moves `pod` one step towards what `fate` makes of it (or keeps it Pending while `blocked`
/// says why it cannot be scheduled); `wake` is reconciled again when the next step is due.
/// Returns whether the pod is Ready.
pub fn step(
    ctl: &mut Controller,
    pod: &Value,
    fate: &Fate,
    blocked: Option<&str>,
    wake: Key,
) -> bool {
    let key = (obj::namespace(pod).to_string(), obj::name(pod).to_string());
    let now = Instant::now();
    let stage = stage_of(pod);
    let write = |ctl: &mut Controller, next: Stage| {
        let bad = match fate {
            Fate::Unpullable(i) => Some(i.as_str()),
            _ => None,
        };
        let st = status(pod, &next, blocked, bad, &ctl.now_str());
        ctl.write_status(Res::Pod, pod, st);
        events(ctl, pod, &next, fate);
        next
    };
    if let Some(why) = blocked {
        if stage != Stage::Unschedulable {
            write(ctl, Stage::Unschedulable);
            record(
                ctl,
                pod,
                "Warning",
                "FailedScheduling",
                why,
                "default-scheduler",
            );
        }
        ctl.apps.due.remove(&key);
        return false;
    }
    let mut stage = stage;
    if stage == Stage::Unschedulable {
        stage = write(ctl, Stage::Creating);
    }
    if stage == Stage::Creating && !ctl.apps.due.contains_key(&key) {
        let msg = format!("Successfully assigned {}/{} to {NODE}", key.0, key.1);
        record(ctl, pod, "Normal", "Scheduled", &msg, "default-scheduler");
    }
    let seeding = ctl.plane.seeding;
    let due = *ctl
        .apps
        .due
        .entry(key.clone())
        .or_insert(now + ctl.apps.delay);
    if !seeding && due > now && matches!(stage, Stage::Creating | Stage::ErrImagePull) {
        ctl.wake_at(due, wake);
        return false;
    }
    let next = match (&stage, fate) {
        (Stage::Creating, Fate::Ok) => Some(Stage::Running),
        (Stage::Creating, Fate::NotReady) => Some(Stage::NotReady),
        (Stage::Creating, Fate::Unpullable(_)) => Some(Stage::ErrImagePull),
        (Stage::ErrImagePull, Fate::Unpullable(_)) => Some(Stage::ImagePullBackOff),
        (Stage::ErrImagePull | Stage::ImagePullBackOff | Stage::NotReady, Fate::Ok) => {
            Some(Stage::Running)
        }
        (Stage::ErrImagePull | Stage::ImagePullBackOff, Fate::NotReady) => Some(Stage::NotReady),
        (Stage::Running, Fate::NotReady) => Some(Stage::NotReady),
        _ => None,
    };
    let Some(next) = next else {
        return stage == Stage::Running;
    };
    if next == Stage::ErrImagePull {
        let at = now + ctl.apps.delay;
        ctl.apps.due.insert(key, at);
        ctl.wake_at(at, wake);
    }
    write(ctl, next) == Stage::Running
}

//! Revision reconciler: conditions go Unknown (`Deploying`) → True after the ready delay, or
//! False for the failure modes the demo needs: an image reference containing `does-not-exist`
//! cannot be resolved (`ContainerMissing`), an image tagged `:crashloop` exits (`ExitCode1`,
//! and `ProgressDeadlineExceeded` when it never was ready); the `crashloop` / `unpullable`
//! scenarios force those fates for a service. Pods follow the conditions via the data plane,
//! and `Active` plus the replica counts follow the pods.

use serde_json::{Value, json};
use tokio::time::Instant;

use super::conditions::Conditions;
use super::{Controller, Key, L_ROUTING_STATE, L_SERVICE};
use crate::dataplane;
use crate::obj;
use crate::resources::Res;
use crate::rng::{Rng, fnv64, pseudo_digest};

const DEPS: &[&str] = &["ContainerHealthy", "ResourcesAvailable"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFate {
    Ok,
    Missing,
    Crash,
}

pub fn image_fate(image: &str) -> ImageFate {
    if image.contains("does-not-exist") {
        ImageFate::Missing
    } else if image.ends_with(":crashloop") {
        ImageFate::Crash
    } else {
        ImageFate::Ok
    }
}

/// `(registry, repository, tag)` the way a registry client would resolve `image`.
pub fn split_image(image: &str) -> (String, String, String) {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, t),
        _ => (image, "latest"),
    };
    let (registry, repo) = match name.split_once('/') {
        Some((r, rest)) if r.contains('.') || r.contains(':') || r == "localhost" => {
            (r.to_string(), rest.to_string())
        }
        Some(_) => ("index.docker.io".to_string(), name.to_string()),
        None => ("index.docker.io".to_string(), format!("library/{name}")),
    };
    (registry, repo, tag.to_string())
}

pub fn missing_message(image: &str) -> String {
    let (registry, repo, tag) = split_image(image);
    format!(
        "Unable to fetch image \"{image}\": failed to resolve image to digest: HEAD https://{registry}/v2/{repo}/manifests/{tag}: unsupported status code 404"
    )
}

const CRASHES: &[&str] = &[
    "panic: failed to connect to database: dial tcp 10.96.14.7:5432: connect: connection refused",
    "Error: Cannot find module '/app/server.js'",
    "Traceback (most recent call last): ModuleNotFoundError: No module named 'uvicorn'",
    "Exception in thread \"main\" java.lang.IllegalStateException: PORT is not set",
];

pub fn crash_output(image: &str) -> &'static str {
    let i = (fnv64(image) % CRASHES.len() as u64) as usize;
    CRASHES.get(i).copied().unwrap_or("exit status 1")
}

pub fn digest_ref(image: &str) -> String {
    let name = image
        .rsplit_once(':')
        .map_or(image, |(n, t)| if t.contains('/') { image } else { n });
    format!("{name}@sha256:{}", pseudo_digest(image))
}

pub fn image_of(rev: &Value) -> String {
    obj::at(rev, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The image's fate, unless a failure scenario overrides it for this revision's service.
pub fn fate_of(ctl: &Controller, rev: &Value) -> ImageFate {
    fate_in(&ctl.scenarios.current(), rev)
}

/// [`fate_of`] with the scenarios in force given (the ingress gateway has no controller).
pub fn fate_in(active: &crate::scenario::Active, rev: &Value) -> ImageFate {
    let ns = obj::namespace(rev).to_string();
    let owner = obj::label(rev, L_SERVICE)
        .or_else(|| obj::label(rev, super::L_CONFIGURATION))
        .unwrap_or("")
        .to_string();
    let key = (ns, owner);
    if active.unpullable.contains(&key) {
        ImageFate::Missing
    } else if active.crashloop.contains(&key) {
        ImageFate::Crash
    } else {
        image_fate(&image_of(rev))
    }
}

pub fn reconcile(ctl: &mut Controller, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    let Some(rev) = ctl.store.get(Res::KRevision, ns, name) else {
        ctl.deadlines.remove(&key);
        ctl.plane.forget(&key);
        return;
    };
    let mut status = rev.get("status").cloned().unwrap_or_else(|| json!({}));
    let mut conds = Conditions::new(Some(&status), ctl.now_str(), "Ready", DEPS);
    let image = image_of(&rev);
    let fate = fate_of(ctl, &rev);
    let was_ready = conds.status("Ready") == Some("True");
    let resolved = matches!(conds.status("Ready"), Some("True" | "False"));
    let deadline = match ctl.deadlines.get(&key) {
        Some(d) => *d,
        None => {
            let d = Instant::now() + ctl.ready_delay;
            ctl.deadlines.insert(key.clone(), d);
            d
        }
    };
    let due = resolved || Instant::now() >= deadline;
    if !due {
        ctl.wake_at(deadline, Key::Revision(ns.to_string(), name.to_string()));
        let reason = if fate == ImageFate::Missing {
            "ResolvingDigests"
        } else {
            "Deploying"
        };
        conds.mark_unknown("ResourcesAvailable", reason, "");
        conds.mark_unknown("ContainerHealthy", reason, "");
    } else {
        ctl.deadlines.remove(&key);
        match fate {
            ImageFate::Missing => {
                if !was_ready {
                    conds.mark_unknown("ResourcesAvailable", "ResolvingDigests", "");
                }
                conds.mark_false(
                    "ContainerHealthy",
                    "ContainerMissing",
                    &missing_message(&image),
                );
            }
            ImageFate::Crash => {
                if !was_ready {
                    conds.mark_false(
                        "ResourcesAvailable",
                        "ProgressDeadlineExceeded",
                        "Initial scale was never achieved",
                    );
                }
                conds.mark_false(
                    "ContainerHealthy",
                    "ExitCode1",
                    &format!("Container failed with: {}", crash_output(&image)),
                );
            }
            ImageFate::Ok => {
                conds.mark_true("ContainerHealthy");
                conds.mark_true("ResourcesAvailable");
            }
        }
        if fate != ImageFate::Missing {
            let digest = digest_ref(&image);
            let cname = obj::at(&rev, &["spec", "containers"])
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("user-container")
                .to_string();
            status["containerStatuses"] = json!([{"name": cname, "imageDigest": digest}]);
        }
    }
    // Pods follow the conditions just computed; Active and the replica counts follow the pods.
    let mut candidate = (*rev).clone();
    candidate["status"] = json!({"conditions": conds.to_value()});
    let replicas = dataplane::sync(ctl, &candidate, fate);
    // PropagateDeploymentStatus: a ReplicaFailure on the Deployment makes its Ready False with
    // the same reason and message, and that is what ResourcesAvailable (and Ready) say.
    if let Some(msg) = &replicas.failed_create {
        conds.mark_false("ResourcesAvailable", "FailedCreate", msg);
    }
    let routing = obj::label(&rev, L_ROUTING_STATE).unwrap_or("pending");
    match (conds.status("Ready"), routing) {
        (Some("True"), "reserve") => conds.set(
            "Active",
            "False",
            "NoTraffic",
            "The target is not receiving traffic.",
        ),
        (Some("True"), _) if replicas.ready > 0 => conds.set("Active", "True", "", ""),
        (Some("True"), "active") if replicas.desired == 0 => conds.set(
            "Active",
            "False",
            "NoTraffic",
            "The target is not receiving traffic.",
        ),
        (Some("True"), "active") => conds.set(
            "Active",
            "Unknown",
            "Queued",
            "Requests to the target are being buffered as resources are provisioned.",
        ),
        _ => conds.set("Active", "Unknown", "Deploying", ""),
    }
    status["desiredReplicas"] = json!(replicas.desired);
    status["actualReplicas"] = json!(replicas.ready);
    status["observedGeneration"] = json!(obj::generation(&rev));
    status["conditions"] = conds.into_value();
    ctl.write_status(Res::KRevision, &rev, status);
}

/// A deterministic pseudo-random generator for things derived from an object (pod IPs, hashes).
pub fn rng_for(seed: &str) -> Rng {
    Rng::new(fnv64(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fates_and_messages() {
        assert_eq!(
            image_fate("ghcr.io/acme/does-not-exist/x:1"),
            ImageFate::Missing
        );
        assert_eq!(image_fate("ghcr.io/acme/x:crashloop"), ImageFate::Crash);
        assert_eq!(image_fate("ghcr.io/acme/x:1.2"), ImageFate::Ok);
        assert_eq!(
            missing_message("quay.io/rhdevelopers"),
            "Unable to fetch image \"quay.io/rhdevelopers\": failed to resolve image to digest: HEAD https://quay.io/v2/rhdevelopers/manifests/latest: unsupported status code 404"
        );
        assert_eq!(
            split_image("nginx"),
            (
                "index.docker.io".into(),
                "library/nginx".into(),
                "latest".into()
            )
        );
        assert_eq!(
            split_image("localhost:5000/app:v1"),
            ("localhost:5000".into(), "app".into(), "v1".into())
        );
        assert!(digest_ref("ghcr.io/a/b:1").starts_with("ghcr.io/a/b@sha256:"));
    }
}

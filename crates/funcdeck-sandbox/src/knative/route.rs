//! Route reconciler (`pkg/reconciler/route`): resolves traffic targets (`latestRevision` follows
//! the configuration's latest *ready* revision), publishes status traffic with tag URLs, reports
//! target errors with the real reasons (`traffic/errors.go`) and labels revisions with their
//! routing state (active / reserve), which drives `Active` and pods.

use serde_json::{Value, json};

use super::conditions::Conditions;
use tokio::time::Instant;

use super::{Controller, Key, L_CONFIGURATION, L_ROUTING_STATE, url};
use crate::obj;
use crate::resources::Res;

const DEPS: &[&str] = &[
    "AllTrafficAssigned",
    "CertificateProvisioned",
    "IngressReady",
];

struct TargetError {
    unknown: bool,
    reason: &'static str,
    message: String,
}

fn resolve(ctl: &Controller, ns: &str, t: &Value) -> Result<String, TargetError> {
    let rev = t.get("revisionName").and_then(Value::as_str).unwrap_or("");
    let cfg = t
        .get("configurationName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !rev.is_empty() {
        let Some(r) = ctl.store.get(Res::KRevision, ns, rev) else {
            return Err(TargetError {
                unknown: false,
                reason: "RevisionMissing",
                message: format!("Revision \"{rev}\" referenced in traffic not found."),
            });
        };
        return match obj::condition_status(&r, "Ready") {
            Some("True") => Ok(rev.to_string()),
            Some("False") => Err(TargetError {
                unknown: false,
                reason: "RevisionMissing",
                message: format!("Revision \"{rev}\" failed to become ready."),
            }),
            _ => Err(TargetError {
                unknown: true,
                reason: "RevisionMissing",
                message: format!("Revision \"{rev}\" is not yet ready."),
            }),
        };
    }
    let Some(c) = ctl.store.get(Res::KConfiguration, ns, cfg) else {
        return Err(TargetError {
            unknown: false,
            reason: "ConfigurationMissing",
            message: format!("Configuration \"{cfg}\" referenced in traffic not found."),
        });
    };
    match obj::str_at(&c, &["status", "latestReadyRevisionName"]).filter(|s| !s.is_empty()) {
        Some(r) => Ok(r.to_string()),
        None if obj::condition_status(&c, "Ready") == Some("False") => Err(TargetError {
            unknown: false,
            reason: "RevisionMissing",
            message: format!("Configuration \"{cfg}\" does not have any ready Revision."),
        }),
        None => Err(TargetError {
            unknown: true,
            reason: "RevisionMissing",
            message: format!("Configuration \"{cfg}\" is waiting for a Revision to become ready."),
        }),
    }
}

pub fn reconcile(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(route) = ctl.store.get(Res::KRoute, ns, name) else {
        return;
    };
    if obj::at(&route, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let mut status = route.get("status").cloned().unwrap_or_else(|| json!({}));
    let mut conds = Conditions::new(Some(&status), ctl.now_str(), "Ready", DEPS);
    let targets: Vec<Value> = obj::at(&route, &["spec", "traffic"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut resolved = Vec::new();
    let mut error: Option<TargetError> = None;
    for t in &targets {
        match resolve(ctl, ns, t) {
            Ok(rev) => resolved.push((t, rev)),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let route_url = url(name, ns);
    status["url"] = json!(route_url);
    status["address"] = json!({"url": route_url});
    let mut active: Vec<String> = Vec::new();
    match error {
        Some(e) if e.unknown => conds.mark_unknown("AllTrafficAssigned", e.reason, &e.message),
        Some(e) => conds.mark_false("AllTrafficAssigned", e.reason, &e.message),
        None => {
            let traffic: Vec<Value> = resolved
                .iter()
                .map(|(t, rev)| {
                    let mut out = json!({
                        "revisionName": rev,
                        "latestRevision": t.get("latestRevision").and_then(Value::as_bool).unwrap_or(false),
                        "percent": t.get("percent").and_then(Value::as_i64).unwrap_or(0),
                    });
                    if let Some(tag) = t.get("tag").and_then(Value::as_str).filter(|s| !s.is_empty()) {
                        out["tag"] = json!(tag);
                        out["url"] = json!(url(&format!("{tag}-{name}"), ns));
                    }
                    out
                })
                .collect();
            active = resolved.iter().map(|(_, r)| r.clone()).collect();
            let traffic = Value::Array(traffic);
            // New traffic means reprogramming the ingress: "IngressNotConfigured" first, then
            // programmed a beat later (a timer brings us back with the same traffic).
            // (Seeding, with no delay, goes straight to programmed.)
            let reprogram = status.get("traffic") != Some(&traffic) && !ctl.ready_delay.is_zero();
            status["traffic"] = traffic;
            conds.mark_true("AllTrafficAssigned");
            if reprogram {
                conds.mark_unknown(
                    "IngressReady",
                    "IngressNotConfigured",
                    "Ingress has not yet been reconciled.",
                );
                let at = Instant::now() + ctl.ready_delay / 5;
                ctl.wake_at(at, Key::Route(ns.to_string(), name.to_string()));
            } else {
                conds.mark_true("IngressReady");
            }
            conds.mark_true_with_reason(
                "CertificateProvisioned",
                "TLSNotEnabled",
                "external-domain-encryption is not enabled",
            );
        }
    }
    status["observedGeneration"] = json!(obj::generation(&route));
    status["conditions"] = conds.into_value();
    ctl.write_status(Res::KRoute, &route, status);
    if !active.is_empty() {
        label_revisions(ctl, ns, name, &targets, &active);
    }
}

/// Sets `serving.knative.dev/routingState` on the revisions of the configurations this route
/// targets (active when routed, reserve otherwise), like Knative's labeler.
fn label_revisions(ctl: &Controller, ns: &str, route: &str, targets: &[Value], active: &[String]) {
    let mut configs: Vec<String> = targets
        .iter()
        .filter_map(|t| t.get("configurationName").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    for rev in active {
        if let Some(r) = ctl.store.get(Res::KRevision, ns, rev)
            && let Some(c) = obj::label(&r, L_CONFIGURATION)
        {
            configs.push(c.to_string());
        }
    }
    configs.sort();
    configs.dedup();
    let now = ctl.now_str();
    for cfg in configs {
        let revisions: Vec<_> = {
            let t = ctl.store.txn();
            match t.get(Res::KConfiguration, ns, &cfg) {
                Some(c) => t
                    .dependents(obj::uid(&c))
                    .into_iter()
                    .filter(|(r, _)| *r == Res::KRevision)
                    .filter_map(|(r, (n, k))| t.get(r, &n, &k))
                    .collect(),
                None => Vec::new(),
            }
        };
        for r in revisions {
            let is_active = active.iter().any(|a| a == obj::name(&r));
            let want = if is_active { "active" } else { "reserve" };
            let routes_ann = obj::str_at(
                &r,
                &["metadata", "annotations", "serving.knative.dev/routes"],
            );
            let want_ann = if is_active { Some(route) } else { None };
            if obj::label(&r, L_ROUTING_STATE) == Some(want) && routes_ann == want_ann {
                continue;
            }
            let mut updated = (*r).clone();
            if obj::label(&r, L_ROUTING_STATE) != Some(want) {
                obj::set(
                    &mut updated,
                    &["metadata", "labels", L_ROUTING_STATE],
                    json!(want),
                );
                obj::set(
                    &mut updated,
                    &[
                        "metadata",
                        "annotations",
                        "serving.knative.dev/routingStateModified",
                    ],
                    json!(now),
                );
            }
            match want_ann {
                Some(a) => obj::set(
                    &mut updated,
                    &["metadata", "annotations", "serving.knative.dev/routes"],
                    json!(a),
                ),
                None => {
                    obj::remove(
                        &mut updated,
                        &["metadata", "annotations", "serving.knative.dev/routes"],
                    );
                }
            }
            ctl.update(Res::KRevision, updated);
        }
    }
}

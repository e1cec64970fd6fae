//! Service reconciler (`pkg/reconciler/service`): owns a Configuration and a Route of the same
//! name, clobbers their specs, and aggregates their status with Knative's propagation order
//! (configuration first, then route), so a missing image ends as Ready False RevisionMissing.

use serde_json::{Map, Value, json};

use super::conditions::Conditions;
use super::{Controller, L_SERVICE, L_SERVICE_UID};
use crate::events;
use crate::obj;
use crate::resources::Res;

const DEPS: &[&str] = &["ConfigurationsReady", "RoutesReady"];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn child_metadata(svc: &Value) -> Value {
    let mut labels = obj::at(svc, &["metadata", "labels"])
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(L_SERVICE.into(), json!(obj::name(svc)));
    labels.insert(L_SERVICE_UID.into(), json!(obj::uid(svc)));
    let mut annotations: Map<String, Value> = obj::at(svc, &["metadata", "annotations"])
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    annotations.remove(LAST_APPLIED);
    json!({
        "name": obj::name(svc),
        "namespace": obj::namespace(svc),
        "labels": labels,
        "annotations": annotations,
        "ownerReferences": [obj::controller_ref(svc)],
    })
}

pub fn desired_configuration(svc: &Value) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Configuration",
        "metadata": child_metadata(svc),
        "spec": {"template": obj::at(svc, &["spec", "template"]).cloned().unwrap_or_else(|| json!({}))},
    })
}

pub fn desired_route(svc: &Value) -> Value {
    let name = obj::name(svc);
    let traffic: Vec<Value> = obj::at(svc, &["spec", "traffic"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut t| {
            let pinned = t
                .get("revisionName")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty());
            if !pinned && let Some(m) = t.as_object_mut() {
                m.insert("configurationName".into(), json!(name));
            }
            t
        })
        .collect();
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Route",
        "metadata": child_metadata(svc),
        "spec": {"traffic": traffic},
    })
}

fn owned_by(child: &Value, owner: &Value) -> bool {
    obj::at(child, &["metadata", "ownerReferences"])
        .and_then(Value::as_array)
        .is_some_and(|refs| {
            refs.iter().any(|r| {
                r.get("uid").and_then(Value::as_str) == Some(obj::uid(owner))
                    && r.get("controller") == Some(&json!(true))
            })
        })
}

/// Creates or clobbers a child; `None` when a same-named child belongs to someone else.
fn ensure_child(
    ctl: &Controller,
    res: Res,
    svc: &Value,
    desired: Value,
) -> Result<Option<std::sync::Arc<Value>>, ()> {
    let ns = obj::namespace(svc);
    let name = obj::name(svc);
    match ctl.store.get(res, ns, name) {
        None => {
            let created = ctl.create(res, ns, desired);
            if created.is_some() {
                events::record(
                    ctl,
                    svc,
                    "Normal",
                    "Created",
                    &format!("Created {} \"{}\"", res.def().kind, name),
                    "service-controller",
                );
            }
            Ok(created)
        }
        Some(existing) if !owned_by(&existing, svc) => Err(()),
        Some(existing) => {
            let meta_same = ["labels", "annotations", "ownerReferences"]
                .iter()
                .all(|k| {
                    obj::at(&existing, &["metadata", k]) == obj::at(&desired, &["metadata", k])
                });
            if meta_same && existing.get("spec") == desired.get("spec") {
                return Ok(Some(existing));
            }
            let mut updated = (*existing).clone();
            for k in ["labels", "annotations", "ownerReferences"] {
                if let Some(v) = obj::at(&desired, &["metadata", k]) {
                    obj::set(&mut updated, &["metadata", k], v.clone());
                }
            }
            if let Some(spec) = desired.get("spec") {
                updated["spec"] = spec.clone();
            }
            Ok(ctl.update(res, updated).or(Some(existing)))
        }
    }
}

fn cond_field<'a>(o: &'a Value, field: &str) -> &'a str {
    obj::condition(o, "Ready")
        .and_then(|c| c.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn observed(o: &Value) -> bool {
    obj::i64_at(o, &["status", "observedGeneration"]) == Some(obj::generation(o))
}

fn propagate(conds: &mut Conditions, t: &str, child: &Value) {
    match obj::condition_status(child, "Ready") {
        Some("True") => conds.mark_true(t),
        Some("False") => {
            conds.mark_false(t, cond_field(child, "reason"), cond_field(child, "message"))
        }
        Some(_) => conds.mark_unknown(t, cond_field(child, "reason"), cond_field(child, "message")),
        None => {}
    }
}

pub fn reconcile(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(svc) = ctl.store.get(Res::KService, ns, name) else {
        return;
    };
    if obj::at(&svc, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let mut status = svc.get("status").cloned().unwrap_or_else(|| json!({}));
    let mut conds = Conditions::new(Some(&status), ctl.now_str(), "Ready", DEPS);
    let cfg = ensure_child(ctl, Res::KConfiguration, &svc, desired_configuration(&svc));
    // Like upstream, a BYO revision name taken by a conflicting revision stops the rollout
    // before the route is reprogrammed.
    let taken = match &cfg {
        Ok(Some(c)) => name_taken(ctl, ns, c),
        _ => None,
    };
    let route = match &taken {
        None => ensure_child(ctl, Res::KRoute, &svc, desired_route(&svc)),
        Some(_) => Ok(ctl.store.get(Res::KRoute, ns, name)),
    };

    match &cfg {
        Err(()) => conds.mark_false(
            "ConfigurationsReady",
            "NotOwned",
            &format!("There is an existing Configuration \"{name}\" that we do not own."),
        ),
        Ok(None) => {}
        Ok(Some(c)) if !observed(c) => conds.mark_unknown(
            "ConfigurationsReady",
            "OutOfDate",
            "The Configuration is still working to reflect the latest desired specification.",
        ),
        Ok(Some(c)) => {
            for k in ["latestCreatedRevisionName", "latestReadyRevisionName"] {
                match obj::at(c, &["status", k]) {
                    Some(v) => status[k] = v.clone(),
                    None => {
                        obj::remove(&mut status, &[k]);
                    }
                }
            }
            propagate(&mut conds, "ConfigurationsReady", c);
        }
    }
    match &route {
        Err(()) => conds.mark_false(
            "RoutesReady",
            "NotOwned",
            &format!("There is an existing Route \"{name}\" that we do not own."),
        ),
        Ok(None) => {}
        Ok(Some(r)) if !observed(r) => conds.mark_unknown(
            "RoutesReady",
            "OutOfDate",
            "The Route is still working to reflect the latest desired specification.",
        ),
        Ok(Some(r)) => {
            for k in ["url", "address", "traffic"] {
                match obj::at(r, &["status", k]) {
                    Some(v) => status[k] = v.clone(),
                    None => {
                        obj::remove(&mut status, &[k]);
                    }
                }
            }
            propagate(&mut conds, "RoutesReady", r);
            if conds.status("RoutesReady") == Some("True")
                && let Ok(Some(c)) = &cfg
                && !traffic_migrated(name, r, c)
            {
                conds.mark_unknown(
                    "RoutesReady",
                    "TrafficNotMigrated",
                    "Traffic is not yet migrated to the latest revision.",
                );
            }
        }
    }
    if let Some(byo) = taken {
        conds.mark_false(
            "RoutesReady",
            "RevisionNameTaken",
            &format!(
                "The revision name \"{byo}\" is taken by a conflicting Revision, so traffic will not be migrated"
            ),
        );
    }
    status["observedGeneration"] = json!(obj::generation(&svc));
    status["conditions"] = conds.into_value();
    ctl.write_status(Res::KService, &svc, status);
}

/// The BYO template name, when a revision of that name exists that the configuration cannot use.
fn name_taken(ctl: &Controller, ns: &str, cfg: &Value) -> Option<String> {
    let byo =
        obj::str_at(cfg, &["spec", "template", "metadata", "name"]).filter(|s| !s.is_empty())?;
    let rev = ctl.store.get(Res::KRevision, ns, byo)?;
    (!super::configuration::name_available(cfg, &rev)).then(|| byo.to_string())
}

/// The route's status traffic equals its spec with `configurationName: <svc>` targets replaced
/// by the configuration's latest ready revision (ignoring url and latestRevision).
fn traffic_migrated(svc: &str, route: &Value, cfg: &Value) -> bool {
    let latest_ready = obj::str_at(cfg, &["status", "latestReadyRevisionName"]).unwrap_or("");
    let norm = |t: &Value, resolve: bool| {
        let rev = t.get("revisionName").and_then(Value::as_str).unwrap_or("");
        let cfg_name = t
            .get("configurationName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let rev = if resolve && cfg_name == svc {
            latest_ready
        } else {
            rev
        };
        (
            rev.to_string(),
            t.get("percent").and_then(Value::as_i64).unwrap_or(0),
            t.get("tag")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )
    };
    let want: Vec<_> = obj::at(route, &["spec", "traffic"])
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|t| norm(t, true)).collect())
        .unwrap_or_default();
    let got: Vec<_> = obj::at(route, &["status", "traffic"])
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|t| norm(t, false)).collect())
        .unwrap_or_default();
    want == got
}

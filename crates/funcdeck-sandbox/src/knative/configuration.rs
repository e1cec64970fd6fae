//! Configuration reconciler (`pkg/reconciler/configuration`): stamps out a Revision per
//! Configuration generation (`<name>-%05d`, or the BYO template name) and tracks
//! latestCreated/latestReady with the real Ready transitions (RevisionFailed, RevisionDeleted).

use std::sync::Arc;

use serde_json::{Value, json};

use super::conditions::Conditions;
use super::md5;
use super::{
    Controller, L_CONFIGURATION, L_CONFIGURATION_GEN, L_CONFIGURATION_UID, L_ROUTING_STATE,
    L_SERVICE, L_SERVICE_UID,
};
use crate::admission::webhook::defaults::CREATOR;
use crate::events;
use crate::obj;
use crate::resources::Res;

/// kmeta.ChildName (knative/pkg `kmeta/names.go`): `parent + suffix`; over 63 characters the
/// parent is cut and its md5 inserted, so long names match a real cluster's exactly.
pub fn child_name(parent: &str, suffix: &str) -> String {
    const LONGEST: usize = 63;
    const HEAD: usize = LONGEST - 32;
    if parent.len() + suffix.len() <= LONGEST {
        return format!("{parent}{suffix}");
    }
    if HEAD <= suffix.len() {
        let mut ret: String = parent.chars().take(HEAD).collect();
        ret.push_str(&md5::hex(format!("{parent}{suffix}").as_bytes()));
        if let Some(pad) = LONGEST.checked_sub(ret.len())
            && pad > 0
        {
            ret.extend(suffix.chars().take(pad));
        }
        while ret.ends_with(|c: char| !c.is_ascii_alphanumeric()) {
            ret.pop();
        }
        return ret;
    }
    let prefix: String = parent.chars().take(HEAD - suffix.len()).collect();
    format!("{prefix}{}{suffix}", md5::hex(parent.as_bytes()))
}

fn revision_name(cfg: &Value) -> String {
    match obj::str_at(cfg, &["spec", "template", "metadata", "name"]).filter(|s| !s.is_empty()) {
        Some(byo) => byo.to_string(),
        None => child_name(obj::name(cfg), &format!("-{:05}", obj::generation(cfg))),
    }
}

pub fn make_revision(cfg: &Value, name: &str, now: &str) -> Value {
    let template = obj::at(cfg, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(L_CONFIGURATION.into(), json!(obj::name(cfg)));
    labels.insert(
        L_CONFIGURATION_GEN.into(),
        json!(obj::generation(cfg).to_string()),
    );
    labels.insert(L_CONFIGURATION_UID.into(), json!(obj::uid(cfg)));
    labels.insert(L_ROUTING_STATE.into(), json!("pending"));
    for k in [L_SERVICE, L_SERVICE_UID] {
        if let Some(v) = obj::label(cfg, k) {
            labels.insert(k.into(), json!(v));
        }
    }
    let mut annotations = template
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(c) = obj::at(cfg, &["metadata", "annotations", CREATOR]) {
        annotations.insert(CREATOR.into(), c.clone());
    }
    annotations.insert(
        "serving.knative.dev/routingStateModified".into(),
        json!(now),
    );
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Revision",
        "metadata": {
            "name": name,
            "namespace": obj::namespace(cfg),
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [obj::controller_ref(cfg)],
        },
        "spec": template.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
}

fn rev_generation(rev: &Value) -> i64 {
    obj::label(rev, L_CONFIGURATION_GEN)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn ready_message(rev: &Value) -> String {
    obj::condition(rev, "Ready")
        .and_then(|c| c.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// `CheckNameAvailability`: an existing revision of that name is ours when this configuration
/// controls it and it is of this generation or has the same spec; otherwise the name is taken.
pub fn name_available(cfg: &Value, rev: &Value) -> bool {
    let controlled = obj::at(rev, &["metadata", "ownerReferences"])
        .and_then(Value::as_array)
        .is_some_and(|refs| {
            refs.iter().any(|r| {
                r.get("uid").and_then(Value::as_str) == Some(obj::uid(cfg))
                    && r.get("controller") == Some(&json!(true))
            })
        });
    controlled
        && (rev_generation(rev) == obj::generation(cfg)
            || rev.get("spec") == obj::at(cfg, &["spec", "template", "spec"]))
}

pub fn reconcile(ctl: &mut Controller, ns: &str, name: &str) {
    let Some(cfg) = ctl.store.get(Res::KConfiguration, ns, name) else {
        return;
    };
    if obj::at(&cfg, &["metadata", "deletionTimestamp"]).is_some() {
        return;
    }
    let generation = obj::generation(&cfg);
    let mut status = cfg.get("status").cloned().unwrap_or_else(|| json!({}));
    let mut conds = Conditions::new(Some(&status), ctl.now_str(), "Ready", &[]);
    let owned: Vec<Arc<Value>> = {
        let t = ctl.store.txn();
        t.dependents(obj::uid(&cfg))
            .into_iter()
            .filter(|(r, _)| *r == Res::KRevision)
            .filter_map(|(r, (n, k))| t.get(r, &n, &k))
            .collect()
    };
    let wanted = revision_name(&cfg);
    // Only a name taken by someone else stops the revision's creation; a Ready=False left by
    // the previous (failed) revision must not, or a fix could never roll out.
    let mut name_taken = false;
    let mut latest = match ctl.store.get(Res::KRevision, ns, &wanted) {
        Some(r) if name_available(&cfg, &r) => Some(r),
        Some(_) => {
            name_taken = true;
            conds.mark_false(
                "Ready",
                "RevisionFailed",
                &format!(
                    "Revision creation failed with message: revisions.serving.knative.dev \"{wanted}\" already exists."
                ),
            );
            None
        }
        None => None,
    };
    if latest.is_none() && !name_taken {
        let now = ctl.now_str();
        latest = ctl.create(Res::KRevision, ns, make_revision(&cfg, &wanted, &now));
        if latest.is_some() {
            events::record(
                ctl,
                &cfg,
                "Normal",
                "Created",
                &format!("Created Revision \"{wanted}\""),
                "configuration-controller",
            );
        }
    }
    let previous_ready = obj::str_at(&status, &["latestReadyRevisionName"]).map(str::to_string);
    let mut deleted: Option<String> = None;
    if let Some(latest) = &latest {
        let lcr = obj::name(latest).to_string();
        status["latestCreatedRevisionName"] = json!(lcr);
        // The newest ready revision not newer than the latest created one.
        let lcr_gen = rev_generation(latest);
        let newest_ready = owned
            .iter()
            .chain(std::iter::once(latest))
            .filter(|r| obj::is_ready(r) && rev_generation(r) <= lcr_gen)
            .max_by_key(|r| rev_generation(r))
            .map(|r| obj::name(r).to_string());
        match &newest_ready {
            Some(n) => status["latestReadyRevisionName"] = json!(n),
            None => {
                deleted = previous_ready
                    .clone()
                    .filter(|prev| ctl.store.get(Res::KRevision, ns, prev).is_none());
                obj::remove(&mut status, &["latestReadyRevisionName"]);
            }
        }
        match obj::condition_status(latest, "Ready") {
            Some("True") => conds.mark_true("Ready"),
            Some("False") => conds.mark_false(
                "Ready",
                "RevisionFailed",
                &format!(
                    "Revision \"{lcr}\" failed with message: {}.",
                    ready_message(latest)
                ),
            ),
            _ => conds.mark_unknown("Ready", "", ""),
        }
        // MarkLatestReadyDeleted comes last: a deleted ready revision is the news.
        if let Some(prev) = &deleted {
            conds.mark_false(
                "Ready",
                "RevisionDeleted",
                &format!("Revision \"{prev}\" was deleted."),
            );
        }
        let new_ready = obj::str_at(&status, &["latestReadyRevisionName"]).map(str::to_string);
        if new_ready.is_some() && new_ready != previous_ready {
            let msg = format!(
                "LatestReadyRevisionName updated to \"{}\"",
                new_ready.as_deref().unwrap_or("")
            );
            events::record(
                ctl,
                &cfg,
                "Normal",
                "LatestReadyUpdate",
                &msg,
                "configuration-controller",
            );
        }
    }
    status["observedGeneration"] = json!(generation);
    status["conditions"] = conds.into_value();
    ctl.write_status(Res::KConfiguration, &cfg, status);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_names() {
        assert_eq!(child_name("hello", "-00001"), "hello-00001");
        let long = "a".repeat(70);
        let n = child_name(&long, "-00002");
        assert_eq!(n.len(), 63);
        assert!(n.ends_with("-00002"));
        assert_eq!(n, child_name(&long, "-00002"));
        // parent[:25] + md5(parent) + suffix, as kmeta.ChildName computes it.
        assert_eq!(
            n,
            format!("{}{}-00002", "a".repeat(25), md5::hex(long.as_bytes()))
        );
    }
}

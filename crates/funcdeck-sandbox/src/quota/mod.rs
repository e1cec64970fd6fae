//! ResourceQuota and LimitRange, as the apiserver's LimitRanger (mutating) and ResourceQuota
//! (validating) admission plugins run them on create, plus the quota controller that keeps
//! `status.used` current. Admission is called from the single write path (`write::create`),
//! so it applies to API clients and to the simulated data plane alike; usage is recomputed from
//! the store inside the same transaction, so two creates can never both squeeze under a limit.

mod limits;
pub mod quantity;
mod usage;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use tokio::sync::watch as tokio_watch;

use crate::identity::Identity;
use crate::rbac::forbidden_for;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::{Store, Txn};
use crate::write::{self, WriteCtx, WriteOp};
use quantity::Quantity;
use usage::Usage;
pub use usage::in_namespace as usage_in;

fn hard_of(quota: &Value) -> BTreeMap<String, Quantity> {
    crate::obj::at(quota, &["spec", "hard"])
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(v.as_str()?)?)))
        .collect()
}

fn list_value(u: &BTreeMap<String, Quantity>) -> Value {
    Value::Object(
        u.iter()
            .map(|(k, q)| (k.clone(), json!(q.canonical())))
            .collect::<Map<String, Value>>(),
    )
}

/// `{hard, used}` for a quota as the controller would write it.
fn status_of(t: &Txn<'_>, quota: &Value) -> Value {
    let hard = hard_of(quota);
    let used = usage::in_namespace(t, crate::obj::namespace(quota), hard.keys());
    json!({"hard": list_value(&hard), "used": list_value(&used)})
}

fn pretty(u: &Usage, keys: &[&String]) -> String {
    keys.iter()
        .map(|k| {
            format!(
                "{k}={}",
                u.get(*k).copied().unwrap_or(Quantity::ZERO).canonical()
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `requests.cpu`/`limits.memory`… a quota tracks that every container must state.
fn missing_constraints(pod: &Value, hard: &BTreeMap<String, Quantity>) -> Option<String> {
    let mut missing: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let containers = crate::obj::at(pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for c in containers {
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        for key in [
            "cpu",
            "memory",
            "requests.cpu",
            "requests.memory",
            "limits.cpu",
            "limits.memory",
        ] {
            if !hard.contains_key(key) {
                continue;
            }
            let (which, res) = key.split_once('.').unwrap_or(("requests", key));
            if crate::obj::at(c, &["resources", which, res]).is_none() {
                missing.entry(key).or_default().push(name.clone());
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = missing
        .into_iter()
        .map(|(k, mut names)| {
            names.sort();
            names.dedup();
            format!("{k} for: {}", names.join(","))
        })
        .collect();
    Some(format!("must specify {}", parts.join("; ")))
}

/// LimitRanger then ResourceQuota admission for a create of `object` (named `name`) in `ns`.
pub fn admit_create(t: &Txn<'_>, res: Res, ns: &str, object: &mut Value) -> Result<(), ApiError> {
    let def = res.def();
    if !def.namespaced || ns.is_empty() {
        return Ok(());
    }
    let name = crate::obj::name(object).to_string();
    let refuse = |msg: String| forbidden_for(def.group, def.plural, &name, &msg);
    match res {
        Res::Pod => {
            let lrs = t.list(Res::LimitRange, Some(ns));
            if !lrs.is_empty() {
                limits::default_pod(object, &lrs);
                let errs = limits::validate_pod(object, &lrs);
                match errs.as_slice() {
                    [] => {}
                    [one] => return Err(refuse(one.clone())),
                    many => return Err(refuse(format!("[{}]", many.join(", ")))),
                }
            }
        }
        Res::LimitRange => limits::default_limit_range(object),
        _ => {}
    }
    let requested = usage::of_object(res, object);
    for quota in t.list(Res::ResourceQuota, Some(ns)) {
        let hard = hard_of(&quota);
        if res == Res::Pod
            && let Some(msg) = missing_constraints(object, &hard)
        {
            return Err(refuse(format!(
                "failed quota: {}: {msg}",
                crate::obj::name(&quota)
            )));
        }
        let covered: Vec<&String> = requested.keys().filter(|k| hard.contains_key(*k)).collect();
        if covered.is_empty() {
            continue;
        }
        let used = usage::in_namespace(t, ns, covered.iter().copied());
        let exceeded: Vec<&String> = covered
            .into_iter()
            .filter(|k| {
                let now = used.get(*k).copied().unwrap_or(Quantity::ZERO);
                let want = requested.get(*k).copied().unwrap_or(Quantity::ZERO);
                hard.get(*k).is_some_and(|h| now.add(want) > *h)
            })
            .collect();
        if !exceeded.is_empty() {
            return Err(refuse(format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                crate::obj::name(&quota),
                pretty(&requested, &exceeded),
                pretty(&used, &exceeded),
                pretty(&hard, &exceeded),
            )));
        }
    }
    if res == Res::ResourceQuota {
        object["status"] = status_of(t, object);
    }
    Ok(())
}

/// Writes `status` of every quota in `ns` whose usage changed (through the write path).
pub fn refresh(store: &Store, ns: &str) {
    let stale: Vec<Value> = {
        let t = store.txn();
        t.list(Res::ResourceQuota, Some(ns))
            .into_iter()
            .filter_map(|q| {
                let status = status_of(&t, &q);
                (q.get("status") != Some(&status)).then(|| {
                    let mut q = (*q).clone();
                    q["status"] = status;
                    q
                })
            })
            .collect()
    };
    let id = Identity {
        user: "system:serviceaccount:kube-system:resourcequota-controller".into(),
        ..Identity::controller()
    };
    for q in stale {
        let _ = write::commit(
            store,
            &WriteCtx::new(&id),
            WriteOp::Update {
                res: Res::ResourceQuota,
                namespace: ns.to_string(),
                name: crate::obj::name(&q).to_string(),
                object: q,
                status: true,
            },
        );
    }
}

/// The resource quota controller: recomputes usage after every change that can affect it.
pub async fn run(store: Arc<Store>, mut shutdown: tokio_watch::Receiver<bool>) {
    let mut feed = store.feed();
    loop {
        let first = tokio::select! {
            ev = feed.recv() => ev,
            _ = shutdown.changed() => return,
        };
        let Some(first) = first else { return };
        let mut events = vec![first];
        while let Ok(ev) = feed.try_recv() {
            events.push(ev);
        }
        let mut namespaces: Vec<String> = Vec::new();
        for ev in events {
            if ev.namespace.is_empty() || namespaces.contains(&ev.namespace) {
                continue;
            }
            let quotas = store.txn().list(Res::ResourceQuota, Some(&ev.namespace));
            let relevant = ev.res == Res::ResourceQuota
                || quotas
                    .iter()
                    .any(|q| hard_of(q).keys().any(|k| usage::produces(ev.res, k)));
            if relevant {
                namespaces.push(ev.namespace.clone());
            }
        }
        for ns in namespaces {
            refresh(&store, &ns);
        }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

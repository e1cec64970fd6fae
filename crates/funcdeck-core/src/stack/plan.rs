//! What applying would do, object by object, from what the cluster holds now: create, change
//! (with the diff of the fields funcdeck sets), unchanged, or refuse to take over someone
//! else's object. Pure: the observed objects come in as values.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::object::{Desired, ObjectRef, is_ours, owner_of};
use crate::diff::{Change, line_diff};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Action {
    Create,
    /// The lines of the fields funcdeck sets, as the cluster has them and as they would be.
    Change {
        diff: String,
    },
    Unchanged,
    /// Exists and belongs to someone else (a Helm release, an operator, a hand-made object):
    /// installing over it would take it over, so the plan refuses.
    Foreign {
        owner: String,
    },
    /// A namespace that existed before funcdeck: used, never labelled or deleted.
    Kept,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub desired: Desired,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub objects: Vec<Planned>,
}

impl Plan {
    pub fn count(&self, pick: fn(&Action) -> bool) -> usize {
        self.objects.iter().filter(|p| pick(&p.action)).count()
    }

    /// The objects that stop an install, with the reason for each.
    pub fn refusals(&self) -> Vec<String> {
        self.objects
            .iter()
            .filter_map(|p| match &p.action {
                Action::Foreign { owner } => Some(format!(
                    "{} already exists and is managed by {owner}, not funcdeck",
                    p.desired.reference
                )),
                _ => None,
            })
            .collect()
    }

    pub fn is_noop(&self) -> bool {
        self.objects
            .iter()
            .all(|p| matches!(p.action, Action::Unchanged | Action::Kept))
    }
}

/// Plans every desired object against what the cluster holds (`observed`, by reference).
pub fn plan(desired: &[Desired], observed: &BTreeMap<ObjectRef, Value>) -> Plan {
    let objects = desired
        .iter()
        .map(|d| Planned {
            desired: d.clone(),
            action: action(d, observed.get(&d.reference)),
        })
        .collect();
    Plan { objects }
}

fn action(desired: &Desired, observed: Option<&Value>) -> Action {
    let Some(live) = observed else {
        return Action::Create;
    };
    if !desired.shared && !is_ours(live) {
        return if desired.reference.kind == "Namespace" {
            Action::Kept
        } else {
            Action::Foreign {
                owner: owner_of(live),
            }
        };
    }
    let wanted = strip_identity(&desired.object);
    let current = project(live, &wanted);
    if current == wanted {
        return Action::Unchanged;
    }
    Action::Change {
        diff: diff_text(&current, &wanted),
    }
}

/// The fields that say what to apply (not which object it is).
fn strip_identity(object: &Value) -> Value {
    let mut copy = object.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("status");
    }
    copy
}

/// `live` cut down to the shape of `wanted`: the fields the server added (defaults, status,
/// bookkeeping) are not changes funcdeck would make. Lists of the same length are compared
/// item by item, so a defaulted field inside a container does not count either.
pub fn project(live: &Value, wanted: &Value) -> Value {
    match (live, wanted) {
        (Value::Object(l), Value::Object(w)) => Value::Object(
            w.iter()
                .filter_map(|(k, wv)| l.get(k).map(|lv| (k.clone(), project(lv, wv))))
                .collect(),
        ),
        (Value::Array(l), Value::Array(w)) if l.len() == w.len() => {
            Value::Array(l.iter().zip(w).map(|(lv, wv)| project(lv, wv)).collect())
        }
        // Quantities and ports come back as the server normalised them; "1" and 1 are equal.
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n))
            if n.to_string() == *s =>
        {
            wanted.clone()
        }
        _ => live.clone(),
    }
}

/// The changed lines with three lines of context, `-` for the cluster's, `+` for funcdeck's.
fn diff_text(current: &Value, wanted: &Value) -> String {
    let old = crate::edit::yaml::to_text(current);
    let new = crate::edit::yaml::to_text(wanted);
    let lines = line_diff(&old, &new);
    let near_change = |i: usize| {
        let lo = i.saturating_sub(3);
        let hi = (i + 3).min(lines.len() - 1);
        lines[lo..=hi].iter().any(|(c, _)| *c != Change::Same)
    };
    let mut out = String::new();
    let mut skipped = false;
    for (i, (change, line)) in lines.iter().enumerate() {
        if !near_change(i) {
            skipped = true;
            continue;
        }
        if skipped && !out.is_empty() {
            out.push_str("  ...\n");
        }
        skipped = false;
        let mark = match change {
            Change::Same => ' ',
            Change::Removed => '-',
            Change::Added => '+',
        };
        out.push(mark);
        out.push(' ');
        out.push_str(line);
        out.push('\n');
    }
    out
}

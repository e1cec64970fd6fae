//! kube-apiserver's upgrade from client-side to server-side apply (`lastappliedmanager.go`):
//! when the `kubectl` field manager applies and conflicts, the conflicting fields it last
//! applied client-side — listed in the `kubectl.kubernetes.io/last-applied-configuration`
//! annotation with the value they still have — are taken over as if forced. Any other manager,
//! and any field the annotation does not vouch for, still conflicts.

use serde_json::Value;

use super::fieldset;
use super::managed::{set_of, tracked};
use crate::obj;
use crate::resources::ResourceDef;

pub const ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Only kubectl's own server-side apply upgrades; another `--field-manager` opts out.
pub const UPGRADING_MANAGER: &str = "kubectl";

/// The conflicts that remain once those the live object's last-applied configuration allows
/// are set aside (all of them when there is no usable annotation).
pub fn remaining<T: Clone>(
    def: &ResourceDef,
    live: Option<&Value>,
    live_tracked: &Value,
    status: bool,
    conflicts: &[(T, Vec<String>)],
) -> Vec<(T, Vec<String>)> {
    let last: Option<Value> = live
        .and_then(|l| obj::str_at(l, &["metadata", "annotations", ANNOTATION]))
        .filter(|s| !s.is_empty())
        .and_then(|s| serde_json::from_str(s).ok())
        .filter(|v: &Value| obj::str_at(v, &["apiVersion"]) == Some(def.api_version().as_str()));
    let Some(last) = last else {
        return conflicts.to_vec();
    };
    let last_t = tracked(def, &last, status);
    let last_set = set_of(def, &last_t);
    // A field is vouched for when it was last applied and still has that value.
    let allowed = |p: &[String]| {
        last_set.contains(p) && fieldset::get(&last_t, p) == fieldset::get(live_tracked, p)
    };
    conflicts
        .iter()
        .filter(|(_, p)| !allowed(p))
        .cloned()
        .collect()
}

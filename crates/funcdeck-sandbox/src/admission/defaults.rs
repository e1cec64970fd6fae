//! The apiserver's built-in defaulting for the kinds a stack install applies (what
//! `SetDefaults_*` fills in), so objects read back like a real cluster's and clients that
//! check them (`kubectl rollout status` wants a RollingUpdate strategy) work.

use serde_json::{Value, json};

use crate::resources::Res;

fn or_insert(o: &mut Value, key: &str, v: Value) {
    if let Some(m) = o.as_object_mut() {
        m.entry(key.to_string()).or_insert(v);
    }
}

pub fn apply(res: Res, object: &mut Value) {
    let Some(spec) = object.get_mut("spec").filter(|s| s.is_object()) else {
        return;
    };
    match res {
        Res::Deployment => {
            or_insert(spec, "replicas", json!(1));
            or_insert(spec, "revisionHistoryLimit", json!(10));
            or_insert(spec, "progressDeadlineSeconds", json!(600));
            or_insert(
                spec,
                "strategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}),
            );
        }
        Res::StatefulSet => {
            or_insert(spec, "replicas", json!(1));
            or_insert(spec, "revisionHistoryLimit", json!(10));
            or_insert(spec, "podManagementPolicy", json!("OrderedReady"));
            or_insert(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
            );
            or_insert(
                spec,
                "persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            );
        }
        Res::DaemonSet => {
            or_insert(spec, "revisionHistoryLimit", json!(10));
            or_insert(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            );
        }
        Res::PersistentVolumeClaim => or_insert(spec, "volumeMode", json!("Filesystem")),
        _ => {}
    }
}

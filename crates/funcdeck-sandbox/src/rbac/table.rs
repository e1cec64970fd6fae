//! Table cells for the RBAC, service account, quota and limit range kinds, as kubectl's
//! built-in printers render them (`pkg/printers/internalversion/printers.go`).

use serde_json::{Value, json};

use crate::obj;
use crate::resources::Res;

fn subjects(o: &Value) -> [String; 3] {
    let mut out: [Vec<String>; 3] = Default::default();
    for s in o
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("");
        match f("kind") {
            "User" => out[0].push(f("name").to_string()),
            "Group" => out[1].push(f("name").to_string()),
            "ServiceAccount" => out[2].push(format!("{}/{}", f("namespace"), f("name"))),
            _ => {}
        }
    }
    out.map(|v| v.join(", "))
}

/// `pods: 1/10, requests.cpu: 500m/4` for the Request and Limit columns.
fn quota_columns(o: &Value) -> (String, String) {
    let hard = obj::at(o, &["status", "hard"])
        .or_else(|| obj::at(o, &["spec", "hard"]))
        .and_then(Value::as_object);
    let used = obj::at(o, &["status", "used"]).and_then(Value::as_object);
    let (mut req, mut lim) = (Vec::new(), Vec::new());
    let mut keys: Vec<&String> = hard.map(|h| h.keys().collect()).unwrap_or_default();
    keys.sort();
    for k in keys {
        let q = |m: Option<&serde_json::Map<String, Value>>| {
            m.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .unwrap_or("0")
                .to_string()
        };
        let cell = format!("{k}: {}/{}", q(used), q(hard));
        if k.split('.').next() == Some("limits") && k.contains('.') {
            lim.push(cell);
        } else {
            req.push(cell);
        }
    }
    (req.join(", "), lim.join(", "))
}

/// The cells after NAME.
pub fn cells(res: Res, o: &Value, age: Value) -> Vec<Value> {
    let created = json!(obj::str_at(o, &["metadata", "creationTimestamp"]).unwrap_or(""));
    match res {
        Res::ServiceAccount => {
            let n = o
                .get("secrets")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            vec![json!(n), age]
        }
        Res::ResourceQuota => {
            let (req, lim) = quota_columns(o);
            vec![age, json!(req), json!(lim)]
        }
        Res::RoleBinding | Res::ClusterRoleBinding => {
            let role = format!(
                "{}/{}",
                obj::str_at(o, &["roleRef", "kind"]).unwrap_or(""),
                obj::str_at(o, &["roleRef", "name"]).unwrap_or("")
            );
            let [users, groups, sas] = subjects(o);
            vec![json!(role), age, json!(users), json!(groups), json!(sas)]
        }
        Res::LimitRange | Res::Role | Res::ClusterRole => vec![created],
        _ => vec![age],
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn binding_and_quota_cells() {
        let b = json!({"roleRef": {"kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "User", "name": "a"}, {"kind": "User", "name": "b"},
                {"kind": "ServiceAccount", "namespace": "ci", "name": "bot"}]});
        assert_eq!(
            cells(Res::RoleBinding, &b, json!("1d")),
            vec![
                json!("ClusterRole/view"),
                json!("1d"),
                json!("a, b"),
                json!(""),
                json!("ci/bot")
            ]
        );
        let q = json!({"status": {"hard": {"pods": "10", "limits.cpu": "4", "requests.cpu": "2"},
            "used": {"pods": "1", "limits.cpu": "500m"}}});
        assert_eq!(
            cells(Res::ResourceQuota, &q, json!("2m")),
            vec![
                json!("2m"),
                json!("pods: 1/10, requests.cpu: 0/2"),
                json!("limits.cpu: 500m/4")
            ]
        );
    }
}

use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota};
use serde_json::json;

use super::*;

fn quota(name: &str, hard: serde_json::Value, used: serde_json::Value) -> ResourceQuota {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ml"},
        "spec": {"hard": hard},
        "status": {"hard": hard, "used": used},
    }))
    .expect("a quota")
}

#[test]
fn usage_rows_follow_the_tracked_order_and_compare_units() {
    let q = quota(
        "team",
        json!({"pods": "10", "memory": "1Gi", "requests.cpu": "2", "secrets": "5"}),
        json!({"pods": "3", "memory": "512Mi", "requests.cpu": "500m"}),
    );
    let rows = usage_rows(&[q]);
    let short: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?}/{} {:?}",
                r.resource, r.key, r.used, r.hard, r.percent
            )
        })
        .collect();
    assert_eq!(
        short,
        [
            "cpu requests requests.cpu Some(\"500m\")/2 Some(25)",
            "memory requests memory Some(\"512Mi\")/1Gi Some(50)",
            "pods pods Some(\"3\")/10 Some(30)",
        ],
        "untracked keys (secrets) are left out; the older `memory` key counts"
    );
}

#[test]
fn a_quota_not_yet_counted_has_no_percent() {
    let q: ResourceQuota = serde_json::from_value(json!({
        "metadata": {"name": "new"}, "spec": {"hard": {"pods": "4"}}
    }))
    .expect("a quota");
    let rows = usage_rows(&[q]);
    assert_eq!((rows[0].used.clone(), rows[0].percent), (None, None));
}

#[test]
fn bars_fill_by_percent() {
    assert_eq!(usage_bar(50, 8), "████░░░░ 50%");
    assert_eq!(usage_bar(0, 4), "░░░░ 0%");
    assert_eq!(usage_bar(1, 8), "█░░░░░░░ 1%", "any use shows");
    assert_eq!(usage_bar(150, 4), "████ 150%");
}

#[test]
fn limit_rows_list_each_resource_of_each_item() {
    let range: LimitRange = serde_json::from_value(json!({
        "metadata": {"name": "defaults"},
        "spec": {"limits": [{"type": "Container",
            "default": {"cpu": "1", "memory": "512Mi"},
            "defaultRequest": {"cpu": "100m"},
            "max": {"cpu": "4"}}]}
    }))
    .expect("a limit range");
    let rows = limit_rows(&[range]);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].resource.as_str(),
            rows[0].default.as_deref(),
            rows[0].default_request.as_deref(),
            rows[0].max.as_deref()
        ),
        ("cpu", Some("1"), Some("100m"), Some("4"))
    );
    assert_eq!(
        (rows[1].resource.as_str(), rows[1].max.as_deref()),
        ("memory", None)
    );
}

#[test]
fn set_keeps_our_other_values_and_warns_below_usage() {
    let ours = quota(
        QUOTA_NAME,
        json!({"pods": "10", "requests.cpu": "4"}),
        json!({"pods": "6", "requests.cpu": "3"}),
    );
    let change = QuotaChange {
        cpu: Some("2500m".into()),
        functions: Some(5),
        ..QuotaChange::default()
    };
    let plan = plan_set("ml", &[ours], &change).expect("a plan");
    assert_eq!(
        plan.lines,
        vec![
            "cpu requests (requests.cpu): 4 → 2500m (used 3)",
            "functions (count/services.serving.knative.dev): none → 5",
        ]
    );
    assert_eq!(plan.warnings.len(), 1);
    assert!(
        plan.warnings[0].starts_with("cpu requests: 2500m is below the 3 already in use in ml")
    );
    assert_eq!(
        plan.body["spec"]["hard"],
        json!({"pods": "10", "requests.cpu": "2500m", "count/services.serving.knative.dev": "5"})
    );
    assert_eq!(
        plan.body["metadata"],
        json!({"name": "funcdeck", "namespace": "ml"})
    );
}

#[test]
fn usage_is_read_from_any_quota_and_equal_is_not_below() {
    let other = quota("team", json!({"cpu": "8"}), json!({"cpu": "2"}));
    let change = QuotaChange {
        cpu: Some("2000m".into()),
        ..QuotaChange::default()
    };
    let plan = plan_set("ml", &[other], &change).expect("a plan");
    assert_eq!(
        plan.lines,
        vec!["cpu requests (requests.cpu): none → 2000m (used 2)"]
    );
    assert!(plan.warnings.is_empty());
}

#[test]
fn nothing_to_set_and_bad_quantities_are_refused() {
    assert!(
        plan_set("ml", &[], &QuotaChange::default()).is_err_and(|e| e.contains("nothing to set"))
    );
    let change = QuotaChange {
        memory: Some("2GB".into()),
        ..QuotaChange::default()
    };
    assert!(plan_set("ml", &[], &change).is_err_and(|e| e.contains("unknown unit \"GB\"")));
}

#[test]
fn the_quota_line_parses_like_the_flags_and_names_the_bad_word() {
    let change = QuotaChange::parse_line("cpu=2 memory=4Gi, gpu=0 pods=20 functions=10")
        .expect("a good line");
    assert_eq!(
        change,
        QuotaChange {
            cpu: Some("2".into()),
            memory: Some("4Gi".into()),
            gpu: Some(0),
            pods: Some(20),
            functions: Some(10),
        }
    );
    assert_eq!(
        QuotaChange::parse_line("pods=7").map(|c| c.pods),
        Ok(Some(7))
    );
    let err = |line: &str| QuotaChange::parse_line(line).expect_err(line);
    assert_eq!(
        err("cpu=lots"),
        format!("cpu: {}", parse_quantity("lots").expect_err("bad"))
    );
    assert_eq!(err("pods=1.5"), "pods: \"1.5\" is not a whole number");
    assert_eq!(err("gpu=-1"), "gpu: \"-1\" is not a whole number");
    assert!(err("disk=1").starts_with("unknown word \"disk\""));
    assert!(err("cpu").starts_with("\"cpu\" is not WORD=VALUE"));
    assert_eq!(err("pods=1 pods=2"), "pods is given twice");
    assert!(err("  ").starts_with("nothing to set"));
}

#[test]
fn the_current_line_takes_the_lowest_limit_of_each_word() {
    let quotas = [
        quota(
            "a",
            json!({"requests.cpu": "8", "memory": "4Gi", "pods": "20"}),
            json!({}),
        ),
        quota(
            "b",
            json!({"requests.cpu": "2500m", "secrets": "3"}),
            json!({}),
        ),
    ];
    assert_eq!(current_line(&quotas), "cpu=2500m memory=4Gi pods=20");
    assert_eq!(current_line(&[]), "");
}

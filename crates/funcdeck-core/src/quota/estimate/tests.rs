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

fn ranges() -> Vec<LimitRange> {
    vec![
        serde_json::from_value(json!({
            "metadata": {"name": "container-defaults", "namespace": "ml"},
            "spec": {"limits": [{"type": "Container",
                "default": {"cpu": "1", "memory": "512Mi"},
                "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]},
        }))
        .expect("a limit range"),
    ]
}

fn pairs(text: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    text.iter()
        .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
        .collect()
}

fn q(text: &str) -> Quantity {
    Quantity::parse(text).expect(text)
}

#[test]
fn a_new_revision_starts_with_the_largest_of_min_initial_and_one_pod() {
    let pods = |min, initial| Demand::new(false, min, initial, &[], &[], &[]).pods;
    assert_eq!(pods(None, None), 1);
    assert_eq!(
        pods(Some(0), Some(0)),
        1,
        "scale to zero still starts one pod"
    );
    assert_eq!(pods(Some(3), None), 3);
    assert_eq!(pods(Some(2), Some(5)), 5);
    assert_eq!(Demand::new(true, None, None, &[], &[], &[]).functions, 1);
    assert_eq!(Demand::new(false, None, None, &[], &[], &[]).functions, 0);
}

#[test]
fn missing_requests_and_limits_are_filled_as_the_api_server_would() {
    let demand = Demand::new(
        true,
        None,
        None,
        &pairs(&[("memory", "256Mi")]),
        &pairs(&[("cpu", "2"), (GPU, "1")]),
        &ranges(),
    );
    // cpu: no request → the limit; memory: given; gpu: request = limit.
    assert_eq!(demand.requests.get("cpu"), Some(&q("2")));
    assert_eq!(demand.requests.get("memory"), Some(&q("256Mi")));
    assert_eq!(demand.requests.get(GPU), Some(&q("1")));
    // memory limit: the range's default.
    assert_eq!(demand.limits.get("memory"), Some(&q("512Mi")));
    let bare = Demand::new(true, None, None, &[], &[], &ranges());
    assert_eq!(
        bare.requests.get("cpu"),
        Some(&q("100m")),
        "default request"
    );
    assert_eq!(bare.limits.get("cpu"), Some(&q("1")), "default limit");
    assert_eq!(bare.requests.get(GPU), None);
}

#[test]
fn shortfalls_name_the_need_and_what_is_left_in_table_order() {
    let quotas = [quota(
        "team",
        json!({"requests.cpu": "2", "requests.memory": "1Gi", "pods": "10",
               "count/services.serving.knative.dev": "4", "requests.nvidia.com/gpu": "1"}),
        json!({"requests.cpu": "1500m", "requests.memory": "256Mi", "pods": "9",
               "count/services.serving.knative.dev": "4", "requests.nvidia.com/gpu": "0"}),
    )];
    let demand = Demand::new(
        true,
        Some(2),
        None,
        &pairs(&[("cpu", "250m"), ("memory", "256Mi")]),
        &[],
        &[],
    );
    let short: Vec<String> = shortfalls(&quotas, &demand)
        .iter()
        .map(|s| {
            format!(
                "{} {} need {} left {} of {}",
                s.resource, s.key, s.need, s.left, s.hard
            )
        })
        .collect();
    assert_eq!(
        short,
        [
            // 2 pods × 250m = 500m against 2 − 1500m = 500m: fits exactly, not listed.
            "pods pods need 2 left 1 of 10",
            "functions count/services.serving.knative.dev need 1 left 0 of 4",
        ]
    );
    let four = Demand { pods: 4, ..demand };
    let short = shortfalls(&quotas, &four);
    assert_eq!(short[0].resource, "cpu requests");
    assert_eq!(
        (short[0].need.as_str(), short[0].left.as_str()),
        ("1", "500m")
    );
    assert_eq!(short[1].resource, "memory requests");
    assert_eq!(
        (short[1].need.as_str(), short[1].left.as_str()),
        ("1Gi", "768Mi")
    );
}

#[test]
fn the_tightest_quota_is_named_and_uncounted_usage_counts_as_none() {
    let quotas = [
        quota("roomy", json!({"pods": "100"}), json!({"pods": "95"})),
        quota("tight", json!({"pods": "10"}), json!({"pods": "9"})),
        quota("fresh", json!({"cpu": "1"}), json!({})),
    ];
    let demand = Demand::new(false, Some(6), None, &pairs(&[("cpu", "200m")]), &[], &[]);
    let short = shortfalls(&quotas, &demand);
    let names: Vec<(&str, &str, &str)> = short
        .iter()
        .map(|s| (s.quota.as_str(), s.key.as_str(), s.left.as_str()))
        .collect();
    assert_eq!(
        names,
        [("fresh", "cpu", "1"), ("tight", "pods", "1")],
        "the older cpu key counts; 6 × 200m = 1200m > 1"
    );
    let fits = Demand::new(false, None, None, &pairs(&[("cpu", "200m")]), &[], &[]);
    assert!(shortfalls(&quotas, &fits).is_empty());
}

#[test]
fn a_counted_resource_the_container_does_not_set_is_named() {
    let quotas = [quota(
        "team",
        json!({"requests.cpu": "2", "limits.memory": "4Gi", "requests.nvidia.com/gpu": "1"}),
        json!({}),
    )];
    let bare = Demand::new(true, None, None, &[], &[], &[]);
    assert_eq!(
        unspecified(&quotas, &bare),
        [
            ("cpu requests", "requests.cpu".to_owned()),
            ("memory limits", "limits.memory".to_owned())
        ],
        "gpus need not be set: only what is requested counts"
    );
    let set = Demand::new(
        true,
        None,
        None,
        &pairs(&[("cpu", "100m")]),
        &pairs(&[("memory", "1Gi")]),
        &[],
    );
    assert!(unspecified(&quotas, &set).is_empty());
    let defaulted = Demand::new(true, None, None, &[], &[], &ranges());
    assert!(
        unspecified(&quotas, &defaulted).is_empty(),
        "a limit range fills them in"
    );
}

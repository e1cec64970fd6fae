//! The exposition text of both eras: names, labels, buckets, and counters that only grow.

use std::collections::HashMap;

use super::expo::{Component, render};
use super::*;

fn key() -> Key {
    ("shop".into(), "cart-00002".into())
}

fn owner() -> Owner {
    Owner {
        service: "cart".into(),
        configuration: "cart".into(),
    }
}

fn pods() -> Vec<String> {
    vec![
        "cart-00002-deployment-abc-x1".into(),
        "cart-00002-deployment-abc-x2".into(),
    ]
}

/// Parses `name{labels} value` lines into (name, labels, value).
fn samples(text: &str) -> Vec<(String, HashMap<String, String>, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').expect("value");
            let (name, labels) = series.split_once('{').expect("labels");
            let labels = labels
                .trim_end_matches('}')
                .split("\",")
                .map(|kv| {
                    let (k, v) = kv.split_once("=\"").expect("k=v");
                    (k.to_string(), v.trim_end_matches('"').to_string())
                })
                .collect();
            (name.to_string(), labels, value.parse().expect("number"))
        })
        .collect()
}

fn sum_of(text: &str, name: &str, filter: &[(&str, &str)]) -> f64 {
    samples(text)
        .iter()
        .filter(|(n, l, _)| {
            n == name
                && filter
                    .iter()
                    .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, v)| v)
        .sum()
}

fn metrics_after(ticks: u32, rps: f64) -> Metrics {
    let m = Metrics::new(7, Era::V118);
    for _ in 0..ticks {
        m.advance(&key(), &owner(), rps, 1.0, &pods(), 1000.0);
        m.set_pods(
            &key(),
            &owner(),
            Pods {
                desired: 2,
                ready: 2,
                ..Pods::default()
            },
            rps,
        );
    }
    m
}

fn text(m: &Metrics, era: Era, c: Component) -> String {
    render(era, c, &m.lock().expect("lock"))
}

#[test]
fn request_count_is_the_integral_of_the_rate() {
    // 2.5 rps for 10 one-second ticks: 25 requests, split over two pods.
    let m = metrics_after(10, 2.5);
    let t = text(&m, Era::V118, Component::QueueProxy);
    assert_eq!(sum_of(&t, "revision_request_count", &[]), 25.0);
    assert_eq!(m.request_count(&key()), 25);
    let p = m.profile("shop", "cart-00002");
    let errors = sum_of(
        &t,
        "revision_request_count",
        &[("response_code_class", "5xx")],
    );
    assert_eq!(errors, (25.0 * p.error_ratio).floor(), "{p:?}");
    let t2 = text(&m, Era::V119, Component::QueueProxy);
    assert_eq!(
        sum_of(
            &t2,
            "http_server_request_duration_seconds_count",
            &[("k8s_container_name", "queue-proxy")]
        ),
        25.0
    );
}

#[test]
fn era_118_names_labels_and_buckets() {
    let m = metrics_after(3, 10.0);
    let t = text(&m, Era::V118, Component::QueueProxy);
    assert!(t.contains("# TYPE revision_request_count counter\n"), "{t}");
    assert!(t.contains("# TYPE revision_request_latencies histogram\n"));
    assert!(t.contains("# TYPE revision_app_request_latencies histogram\n"));
    let les: Vec<String> = samples(&t)
        .into_iter()
        .filter(|(n, l, _)| {
            n == "revision_request_latencies_bucket"
                && l["pod_name"] == "cart-00002-deployment-abc-x1"
                && l["response_code"] == "200"
        })
        .map(|(_, l, _)| l["le"].clone())
        .collect();
    let want = "5 10 20 40 60 80 100 150 200 250 300 350 400 450 500 600 700 800 900 1000 2000 5000 10000 20000 50000 100000 +Inf";
    assert_eq!(les.join(" "), want);
    let (_, l, _) = samples(&t)
        .into_iter()
        .find(|(n, _, _)| n == "revision_request_count")
        .expect("a count");
    for (k, v) in [
        ("namespace_name", "shop"),
        ("service_name", "cart"),
        ("configuration_name", "cart"),
        ("revision_name", "cart-00002"),
        ("container_name", "queue-proxy"),
    ] {
        assert_eq!(l[k], v, "{k}");
    }
    assert!(l["pod_name"].starts_with("cart-00002-deployment-"));
    assert_eq!(
        l["response_code_class"],
        format!("{}xx", &l["response_code"][..1])
    );
    let a = text(&m, Era::V118, Component::Autoscaler);
    assert_eq!(sum_of(&a, "autoscaler_desired_pods", &[]), 2.0);
    assert_eq!(
        sum_of(
            &a,
            "autoscaler_actual_pods",
            &[("revision_name", "cart-00002")]
        ),
        2.0
    );
    assert_eq!(sum_of(&a, "autoscaler_panic_mode", &[]), 0.0);
    assert!(a.contains("autoscaler_stable_request_concurrency{namespace_name=\"shop\",service_name=\"cart\",configuration_name=\"cart\",revision_name=\"cart-00002\"} "));
    let act = text(&m, Era::V118, Component::Activator);
    assert!(act.contains("# TYPE activator_request_concurrency gauge\n"));
    assert!(act.contains("# TYPE activator_request_latencies histogram\n"));
}

#[test]
fn era_119_names_labels_and_buckets() {
    let m = metrics_after(3, 10.0);
    let t = text(&m, Era::V119, Component::QueueProxy);
    assert!(!t.contains("revision_request_count"));
    let s = samples(&t);
    let (_, l, _) = s
        .iter()
        .find(|(n, _, _)| n == "http_server_request_duration_seconds_bucket")
        .expect("a bucket");
    for (k, v) in [
        ("k8s_namespace_name", "shop"),
        ("kn_service_name", "cart"),
        ("kn_configuration_name", "cart"),
        ("kn_revision_name", "cart-00002"),
        ("k8s_container_name", "queue-proxy"),
        ("http_request_method", "GET"),
    ] {
        assert_eq!(l[k], v, "{k}");
    }
    let les: Vec<&str> = s
        .iter()
        .filter(|(n, l2, _)| {
            n == "kn_serving_invocation_duration_seconds_bucket"
                && l2["k8s_pod_name"] == l["k8s_pod_name"]
                && l2["http_response_status_code"] == "200"
        })
        .map(|(_, l, _)| l["le"].as_str())
        .collect();
    assert_eq!(
        les.join(" "),
        "0.005 0.01 0.025 0.05 0.075 0.1 0.25 0.5 0.75 1 2.5 5 7.5 10 +Inf"
    );
    let a = text(&m, Era::V119, Component::Autoscaler);
    for name in [
        "kn_revision_pods_desired",
        "kn_revision_pods_count",
        "kn_revision_concurrency_stable",
        "kn_revision_panic_mode",
    ] {
        assert!(a.contains(&format!("# TYPE {name} gauge\n")), "{name}");
    }
    assert_eq!(
        sum_of(
            &a,
            "kn_revision_pods_count",
            &[("kn_revision_name", "cart-00002")]
        ),
        2.0
    );
    let act = text(&m, Era::V119, Component::Activator);
    assert!(act.contains("# TYPE kn_revision_request_concurrency gauge\n"));
}

#[test]
fn histograms_are_cumulative_and_counters_only_grow() {
    let m = Metrics::new(7, Era::V118);
    let mut last: HashMap<String, f64> = HashMap::new();
    for tick in 0..20 {
        m.advance(&key(), &owner(), 3.3, 1.0, &pods(), 1000.0);
        for era in [Era::V118, Era::V119] {
            let t = text(&m, era, Component::QueueProxy);
            let mut series: Vec<_> = samples(&t);
            series.sort_by(|a, b| a.0.cmp(&b.0));
            let mut prev_bucket: Option<(String, f64)> = None;
            for (n, l, v) in series {
                let mut id: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v}")).collect();
                id.sort();
                let id = format!("{n}{{{}}}", id.join(","));
                if let Some(old) = last.insert(id.clone(), v) {
                    assert!(v >= old, "tick {tick}: {id} went from {old} to {v}");
                }
                if n.ends_with("_bucket") {
                    let series_id = id.replace(&format!("le={}", l["le"]), "");
                    if let Some((pid, pv)) = &prev_bucket
                        && *pid == series_id
                    {
                        assert!(v >= *pv, "{id} below the bucket before it");
                    }
                    prev_bucket = Some((series_id, v));
                }
            }
        }
    }
}

#[test]
fn quantiles_follow_the_profile() {
    // An even spread over lo..hi: the median sits in the bucket holding (lo + hi) / 2.
    let m = metrics_after(100, 10.0);
    let p = m.profile("shop", "cart-00002");
    let st = m.lock().expect("lock");
    let r = &st.revs[&key()];
    let (count, sum): (u64, f64) = r
        .queue
        .values()
        .map(|(h, _)| (h.count, h.sum_ms))
        .fold((0, 0.0), |(c, s), (c2, s2)| (c + c2, s + s2));
    let mean = sum / count as f64;
    let mid = (p.lo_ms + p.hi_ms) / 2.0;
    assert!(
        (mean - mid).abs() < (p.hi_ms - p.lo_ms) * 0.02,
        "{mean} vs {mid}"
    );
}

#[test]
fn cold_requests_wait_at_the_activator() {
    let m = Metrics::new(7, Era::V118);
    m.advance(&key(), &owner(), 4.0, 1.0, &[], 1000.0);
    let t = text(&m, Era::V118, Component::Activator);
    assert_eq!(sum_of(&t, "activator_request_concurrency", &[]), 4.0);
    assert_eq!(sum_of(&t, "activator_request_count", &[]), 0.0);
    m.advance(&key(), &owner(), 4.0, 1.0, &pods(), 1000.0);
    let t = text(&m, Era::V118, Component::Activator);
    assert_eq!(sum_of(&t, "activator_request_concurrency", &[]), 0.0);
    assert_eq!(sum_of(&t, "activator_request_count", &[]), 4.0);
    // They waited one tick (1000 ms) before their own latency.
    assert!(sum_of(&t, "activator_request_latencies_sum", &[]) >= 4000.0);
    assert_eq!(m.request_count(&key()), 8);
}

#[test]
fn eras_parse() {
    assert_eq!("1.18".parse::<Era>(), Ok(Era::V118));
    assert_eq!("1.19".parse::<Era>(), Ok(Era::V119));
    assert!(
        "1.20"
            .parse::<Era>()
            .expect_err("no such era")
            .contains("1.18 or 1.19")
    );
}

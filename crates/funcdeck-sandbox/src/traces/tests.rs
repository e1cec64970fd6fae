//! The recorded structure per era, ids, and the bounded ring; the endpoints' shapes are in
//! [`api`].
#![allow(clippy::unwrap_used)]

use hyper::Method;

use super::serve::{Reply, answer};
use super::spans::{self, Kind, Val};
use super::*;

pub(super) const START: i64 = 1_795_000_000_000_000;

pub(super) fn call(pod: &str, code: u16, waited_ms: Option<f64>, start_us: i64) -> Call<'_> {
    Call {
        ns: "shop",
        service: "cart",
        configuration: "cart",
        revision: "cart-00002",
        pod,
        method: "GET",
        path: "/items",
        code,
        latency_ms: 42.0,
        waited_ms,
        start_us,
    }
}

pub(super) const POD: &str = "cart-00002-deployment-7f9c5d-x2kzq";

/// A recorder with one cold 200, one warm 500 and one warm 200 (newest).
pub(super) fn three(era: Era) -> (Traces, [u128; 3]) {
    let t = Traces::new(7, era, 100);
    let cold = t.record(&call(POD, 200, Some(1500.0), START));
    let err = t.record(&call(POD, 500, None, START + 2_000_000));
    let warm = t.record(&call(POD, 200, None, START + 4_000_000));
    (t, [cold, err, warm])
}

pub(super) fn get(t: &Traces, path: &str) -> Reply {
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    answer(t, &Method::GET, path, query)
}

fn names(tr: &spans::Trace) -> Vec<(String, String, Option<usize>)> {
    let index = |id: u64| tr.spans.iter().position(|s| s.id == id);
    tr.spans
        .iter()
        .map(|s| {
            let svc = tr.processes[s.process].service.clone();
            (svc, s.name.clone(), s.parent.and_then(index))
        })
        .collect()
}

fn built(t: &Traces, id: u128) -> spans::Trace {
    t.ring().and_then(|r| r.get(t.era, id)).expect("recorded")
}

#[test]
fn the_1_19_structure_names_parents_and_durations() {
    let (t, [cold, err, warm]) = three(Era::V119);
    let tr = built(&t, cold);
    let n = |s: &str| s.to_string();
    assert_eq!(
        names(&tr),
        vec![
            (n("activator"), n("handle"), None),
            (n("activator"), n("throttler_try"), Some(0)),
            (n("activator"), n("activator_proxy"), Some(0)),
            (n("activator"), n("GET /items"), Some(2)),
            (n("cart"), n("queue"), Some(3)),
            (n("cart"), n("kn.queueproxy.proxy"), Some(4)),
            (n("cart"), n("HTTP GET"), Some(5)),
        ]
    );
    let kinds: Vec<Option<Kind>> = tr.spans.iter().map(|s| s.kind).collect();
    assert_eq!(kinds[0], Some(Kind::Server));
    assert_eq!(kinds[1], Some(Kind::Internal));
    assert_eq!(kinds[3], Some(Kind::Client));
    // The metrics' figures: queue-proxy 42 ms, the app 1 ms less, the wait 1.5 s.
    assert_eq!(tr.spans[4].dur_us, 42_000);
    assert_eq!(tr.spans[6].dur_us, 41_000);
    assert_eq!(tr.spans[1].dur_us, 1_500_000);
    let rec = t.ring().and_then(|r| r.find(cold).cloned()).unwrap();
    assert_eq!(tr.spans[0].dur_us, spans::duration_us(&rec));
    for s in &tr.spans[1..] {
        let parent = tr.spans.iter().find(|p| Some(p.id) == s.parent).unwrap();
        assert!(s.start_us >= parent.start_us, "{}", s.name);
        assert!(
            s.start_us + s.dur_us <= parent.start_us + parent.dur_us,
            "{}",
            s.name
        );
    }
    assert!(tr.spans.iter().all(|s| !s.error));
    let qp = &tr.processes[1].tags;
    assert!(qp.contains(&("kn.revision.name", Val::Str("cart-00002".into()))));
    assert!(qp.contains(&("k8s.pod.name", Val::Str(POD.into()))));
    // Warm: the throttler had room at once.
    assert!(built(&t, warm).spans[1].dur_us < 100);
    let e = built(&t, err);
    let errored: Vec<&str> = e
        .spans
        .iter()
        .filter(|s| s.error)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(errored, ["handle", "GET /items", "queue", "HTTP GET"]);
    assert!(
        e.spans[4]
            .tags
            .contains(&("http.response.status_code", Val::Int(500)))
    );
}

#[test]
fn the_1_18_structure_names_and_services() {
    let (t, [cold, ..]) = three(Era::V118);
    let tr = built(&t, cold);
    let n = |s: &str| s.to_string();
    assert_eq!(
        names(&tr),
        vec![
            (n("activator-service"), n("/items"), None),
            (n("activator-service"), n("throttler_try"), Some(0)),
            (n("activator-service"), n("activator_proxy"), Some(0)),
            (n("activator-service"), n("/items"), Some(2)),
            (n(POD), n("/items"), Some(3)),
            (n(POD), n("queue_proxy"), Some(4)),
            (n(POD), n("/items"), Some(5)),
        ]
    );
    assert_eq!(tr.spans[1].kind, None);
    assert_eq!(tr.spans[1].scope, None);
    assert!(
        tr.spans[0]
            .tags
            .contains(&("http.status_code", Val::Int(200)))
    );
    assert!(tr.processes[1].tags.iter().any(|(k, _)| *k == "ip"));
}

#[test]
fn same_seed_same_ids() {
    let (_, a) = three(Era::V119);
    let (_, b) = three(Era::V119);
    assert_eq!(a, b);
    assert_eq!(hex_id(a[0]).len(), 32);
    assert_eq!(parse_id(&hex_id(a[0])), Ok(a[0]));
    assert_eq!(parse_id("1"), Ok(1));
    assert!(parse_id("zz").is_err());
    assert!(parse_id(&"f".repeat(33)).is_err());
}

#[test]
fn the_ring_keeps_the_most_recent() {
    let t = Traces::new(1, Era::V119, 50);
    let ids: Vec<u128> = (0..120)
        .map(|i| t.record(&call(POD, 200, None, START + i)))
        .collect();
    assert_eq!(t.len(), 50);
    assert_eq!(
        get(&t, &format!("/api/traces/{}", hex_id(ids[0]))).code,
        404
    );
    assert_eq!(
        get(&t, &format!("/api/traces/{}", hex_id(ids[119]))).code,
        200
    );
    let r = get(&t, "/api/traces?service=activator&limit=1000&start=0");
    assert_eq!(r.value()["data"].as_array().unwrap().len(), 50);
}

#[path = "api_tests.rs"]
mod api;

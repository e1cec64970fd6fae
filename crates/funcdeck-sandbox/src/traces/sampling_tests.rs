//! The metrics' requests become traces: sampled per tick, and cold exactly when the activator
//! held requests because the revision had no ready pod.

use super::*;
use crate::metrics::{Metrics, Owner};

fn setup() -> (Metrics, Traces) {
    let traces = Traces::new(3, Era::V119, 1000);
    let mut m = Metrics::new(3, Era::V119);
    m.traces = Some(traces.clone());
    (m, traces)
}

fn waits(t: &Traces) -> Vec<Option<u64>> {
    let ring = t.ring().expect("ring");
    let q = store::Query {
        service: Some("activator".into()),
        start_max: i64::MAX,
        limit: 1000,
        ..store::Query::default()
    };
    // In the order recorded (the search gives the newest first).
    let mut out: Vec<Option<u64>> = ring
        .search(t.era, &q)
        .iter()
        .map(|tr| ring.find(tr.id).expect("kept").waited_us)
        .collect();
    out.reverse();
    out
}

#[test]
fn cold_only_after_ticks_without_a_ready_pod() {
    let (m, t) = setup();
    let key = ("shop".to_string(), "cart-00001".to_string());
    let owner = Owner {
        service: "cart".into(),
        configuration: "cart".into(),
    };
    let pods = vec!["cart-00001-deployment-abc-x1".to_string()];
    for _ in 0..3 {
        m.advance(&key, &owner, 10.0, 1.0, &pods, 1000.0);
    }
    assert_eq!(waits(&t), vec![None; 3], "one warm trace per tick");
    // Scaled to zero: two ticks of requests wait in the activator, nothing is answered.
    m.advance(&key, &owner, 10.0, 1.0, &[], 1000.0);
    m.advance(&key, &owner, 10.0, 1.0, &[], 1000.0);
    assert_eq!(t.len(), 3);
    m.advance(&key, &owner, 10.0, 1.0, &pods, 1000.0);
    let w = waits(&t);
    assert!(w.len() == 4 || w.len() == 5, "{w:?}");
    let cold: Vec<u64> = w.iter().flatten().copied().collect();
    assert!(
        !cold.is_empty() && cold.iter().all(|c| *c == 2_000_000),
        "{w:?}"
    );
    assert!(w[..3].iter().all(Option::is_none));
    // Warm again afterwards.
    m.advance(&key, &owner, 10.0, 1.0, &pods, 1000.0);
    assert_eq!(waits(&t).last(), Some(&None));
    assert_eq!(m.request_count(&key), 70);
}

#[test]
fn a_busy_tick_is_sampled_not_recorded_whole() {
    let (m, t) = setup();
    let key = ("shop".to_string(), "feed-00003".to_string());
    let pods = vec!["feed-00003-deployment-abc-x1".to_string()];
    for _ in 0..10 {
        m.advance(&key, &Owner::default(), 500.0, 1.0, &pods, 1000.0);
    }
    assert_eq!(m.request_count(&key), 5000);
    assert_eq!(t.len(), 10 * PER_TICK as usize);
}

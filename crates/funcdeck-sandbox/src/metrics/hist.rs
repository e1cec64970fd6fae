//! One latency histogram, kept in milliseconds and bucketed for both eras at once, so the
//! exporter can speak either without converting counts after the fact.

/// Knative ≤ 1.18's request latency buckets, in ms (`pkg/queue/request_metric.go`).
pub const BUCKETS_MS: [f64; 26] = [
    5.0, 10.0, 20.0, 40.0, 60.0, 80.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0, 450.0,
    500.0, 600.0, 700.0, 800.0, 900.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0, 100000.0,
];

/// The OTel semantic conventions' `http.server.request.duration` buckets, in seconds (also
/// `kn.serving.invocation.duration`'s).
pub const BUCKETS_S: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hist {
    /// Non-cumulative counts per ms bucket; one more slot for above the last bound.
    pub ms: Vec<u64>,
    pub s: Vec<u64>,
    pub count: u64,
    pub sum_ms: f64,
}

fn slot(bounds: &[f64], v: f64) -> usize {
    bounds.iter().position(|b| v <= *b).unwrap_or(bounds.len())
}

impl Hist {
    pub fn observe(&mut self, ms: f64) {
        if self.ms.is_empty() {
            self.ms = vec![0; BUCKETS_MS.len() + 1];
            self.s = vec![0; BUCKETS_S.len() + 1];
        }
        self.ms[slot(&BUCKETS_MS, ms)] += 1;
        self.s[slot(&BUCKETS_S, ms / 1000.0)] += 1;
        self.count += 1;
        self.sum_ms += ms;
    }

    /// `(le, cumulative count)` per bound, then `+Inf`.
    pub fn cumulative<'a>(&'a self, bounds: &'a [f64], counts: &'a [u64]) -> Vec<(String, u64)> {
        let mut acc = 0;
        let mut out: Vec<(String, u64)> = bounds
            .iter()
            .enumerate()
            .map(|(i, b)| {
                acc += counts.get(i).copied().unwrap_or(0);
                (format_le(*b), acc)
            })
            .collect();
        out.push(("+Inf".into(), self.count));
        out
    }
}

/// Bounds as Go's exporters print them: `5`, `0.005`, `100000`.
pub fn format_le(b: f64) -> String {
    if b.fract() == 0.0 {
        format!("{}", b as u64)
    } else {
        format!("{b}")
    }
}

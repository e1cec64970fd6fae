//! Which services exist and what happens to them: a pure function of `(n, seed)`.

use crate::rng::Rng;

pub const TENANTS: &[&str] = &[
    "default",
    "shop",
    "payments",
    "analytics",
    "ml-inference",
    "platform-tools",
];
pub const SYSTEM: &[&str] = &["kube-system", "knative-serving", "kourier-system"];

fn pool(ns: &str) -> &'static [&'static str] {
    match ns {
        "shop" => &[
            "checkout-api",
            "cart-sync",
            "shop-frontend",
            "catalog-search",
            "price-quote",
            "inventory-watch",
            "order-events",
            "wishlist",
        ],
        "payments" => &[
            "fraud-score",
            "invoice-render",
            "payment-gateway",
            "refund-worker",
            "ledger-export",
            "card-tokenizer",
        ],
        "analytics" => &[
            "clickstream-ingest",
            "report-builder",
            "sessionizer",
            "funnel-metrics",
            "etl-nightly",
            "geo-enrich",
        ],
        "ml-inference" => &[
            "recommend-model",
            "image-resize",
            "sentiment-api",
            "embedding-svc",
            "ocr-extract",
            "churn-predict",
        ],
        "platform-tools" => &[
            "webhook-relay",
            "slack-notifier",
            "cert-checker",
            "cost-reporter",
            "backup-verify",
            "audit-forwarder",
        ],
        _ => &[
            "hello",
            "echo",
            "greeter",
            "welcome-page",
            "status-probe",
            "time-service",
        ],
    }
}

pub const PEOPLE: &[&str] = &[
    "alice@acme.dev",
    "bob@acme.dev",
    "carol@acme.dev",
    "dave@acme.dev",
    "system:serviceaccount:ci:deployer",
];
pub const RUNTIMES: &[&str] = &["go", "python", "node", "java"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Ready,
    Canary,
    TaggedPrev,
    LatestMissing,
    LatestCrash,
    NeverReady,
    Deploying,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub namespace: &'static str,
    pub name: String,
    pub revisions: u64,
    pub scenario: Scenario,
}

/// Which services exist and what happens to them: a pure function of `(n, seed)`.
pub fn plan(n: usize, seed: u64) -> Vec<Plan> {
    let mut rng = Rng::new(seed);
    let deploying = if n >= 8 {
        2
    } else if n >= 4 {
        1
    } else {
        0
    };
    let never = (if n >= 6 {
        2
    } else if n >= 3 {
        1
    } else {
        0
    })
    .max(n / 50);
    let failed = (if n >= 10 {
        3
    } else if n >= 5 {
        1
    } else {
        0
    })
    .max(n / 20);
    let split = n / 5;
    let mut scenarios = Vec::with_capacity(n);
    scenarios.extend(std::iter::repeat_n(Scenario::Deploying, deploying));
    scenarios.extend(std::iter::repeat_n(Scenario::NeverReady, never));
    for i in 0..failed {
        scenarios.push(if i % 2 == 0 {
            Scenario::LatestMissing
        } else {
            Scenario::LatestCrash
        });
    }
    for i in 0..split {
        scenarios.push(if i % 2 == 0 {
            Scenario::Canary
        } else {
            Scenario::TaggedPrev
        });
    }
    scenarios.truncate(n);
    while scenarios.len() < n {
        scenarios.push(Scenario::Ready);
    }
    rng.shuffle(&mut scenarios);
    let mut counts = vec![0usize; TENANTS.len()];
    scenarios
        .into_iter()
        .enumerate()
        .map(|(i, scenario)| {
            let t = i % TENANTS.len();
            let ns = TENANTS[t];
            let names = pool(ns);
            let k = counts[t];
            counts[t] += 1;
            let base = names[k % names.len()];
            let name = if k < names.len() {
                base.to_string()
            } else {
                format!("{base}-{}", k / names.len() + 1)
            };
            let min = match scenario {
                Scenario::Canary
                | Scenario::TaggedPrev
                | Scenario::LatestMissing
                | Scenario::LatestCrash => 2,
                _ => 1,
            };
            let max = if scenario == Scenario::NeverReady {
                2
            } else {
                5
            };
            let revisions = rng.range(min, max);
            Plan {
                namespace: ns,
                name,
                revisions,
                scenario,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_is_deterministic_and_mixed() {
        let a = plan(24, 1);
        let b = plan(24, 1);
        assert_eq!(
            a.iter()
                .map(|p| (&p.name, p.scenario, p.revisions))
                .collect::<Vec<_>>(),
            b.iter()
                .map(|p| (&p.name, p.scenario, p.revisions))
                .collect::<Vec<_>>()
        );
        let count = |s: Scenario| a.iter().filter(|p| p.scenario == s).count();
        assert_eq!(count(Scenario::Deploying), 2);
        assert_eq!(count(Scenario::NeverReady), 2);
        assert_eq!(
            count(Scenario::LatestMissing) + count(Scenario::LatestCrash),
            3
        );
        assert!(count(Scenario::Ready) > 10);
        assert!(a.iter().all(|p| (1..=5).contains(&p.revisions)));
        assert!(
            a.iter()
                .any(|p| p.name == "checkout-api" && p.namespace == "shop")
        );
        let c = plan(24, 2);
        assert_ne!(
            a.iter().map(|p| p.scenario).collect::<Vec<_>>(),
            c.iter().map(|p| p.scenario).collect::<Vec<_>>()
        );
    }

    #[test]
    fn suffixes_only_past_the_pool() {
        let small = plan(24, 1);
        assert!(small.iter().all(|p| !p.name.ends_with("-2")));
        let big = plan(200, 1);
        let mut names: Vec<_> = big
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 200);
        assert!(big.iter().any(|p| p.name == "checkout-api-2"));
    }
}

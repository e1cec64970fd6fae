//! The text form of a scenario, shared by the CLI (`--scenario crashloop=shop/cart-sync`) and
//! the ConfigMap keys, so both accept exactly the same words.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    CrashLoop(String, String),
    Unpullable(String, String),
    SlowApi(Duration),
    DropWatches(Duration),
    ApiserverRestart(Duration),
    /// The Jaeger query service answers only after this long ("a slow backend").
    SlowJaeger(Duration),
    /// The Elasticsearch logs service answers only after this long.
    SlowElasticsearch(Duration),
    /// The pods of workload `NAMESPACE/NAME` (a Deployment, StatefulSet or DaemonSet) cannot
    /// pull their image (ErrImagePull, ImagePullBackOff; the Deployment's progress deadline).
    UnpullableWorkload(String, String),
    /// Claim `NAMESPACE/NAME` (or every claim of StatefulSet NAME) stays Pending, its pod
    /// unschedulable.
    PendingPvc(String, String),
    /// The pods of workload `NAMESPACE/NAME` run but never pass their readiness probe: a
    /// webhook it serves refuses connections, a backend it serves has no endpoints.
    WebhookNotReady(String, String),
}

/// `800ms`, `30s`, `2m`, `1h`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?} (try 800ms, 30s, 2m)"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!("invalid duration {s:?} (try 800ms, 30s, 2m)")),
    }
}

fn target(v: &str) -> Result<(String, String), String> {
    match v.trim().split_once('/') {
        Some((ns, svc)) if !ns.is_empty() && !svc.is_empty() && !svc.contains('/') => {
            Ok((ns.to_string(), svc.to_string()))
        }
        _ => Err(format!("expected NAMESPACE/NAME, got {v:?}")),
    }
}

impl Scenario {
    /// Parses one `key=value`, where the value of `crashloop`/`unpullable` is one target.
    pub fn parse_kv(key: &str, value: &str) -> Result<Scenario, String> {
        let d = || parse_duration(value);
        match key.trim() {
            "crashloop" => target(value).map(|(n, s)| Scenario::CrashLoop(n, s)),
            "unpullable" => target(value).map(|(n, s)| Scenario::Unpullable(n, s)),
            "slow-api" => d().map(Scenario::SlowApi),
            "drop-watches" => d().map(Scenario::DropWatches),
            "apiserver-restart" => d().map(Scenario::ApiserverRestart),
            "slow-jaeger" => d().map(Scenario::SlowJaeger),
            "slow-elasticsearch" => d().map(Scenario::SlowElasticsearch),
            "unpullable-workload" => target(value).map(|(n, s)| Scenario::UnpullableWorkload(n, s)),
            "pending-pvc" => target(value).map(|(n, s)| Scenario::PendingPvc(n, s)),
            "webhook-not-ready" => target(value).map(|(n, s)| Scenario::WebhookNotReady(n, s)),
            other => Err(format!(
                "unknown scenario {other:?} (known: {})",
                super::configmap::KEYS.join(", ")
            )),
        }
    }
}

impl FromStr for Scenario {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| format!("expected KIND=VALUE, got {s:?}"))?;
        Scenario::parse_kv(k, v)
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scenario::CrashLoop(n, s) => write!(f, "crashloop={n}/{s}"),
            Scenario::Unpullable(n, s) => write!(f, "unpullable={n}/{s}"),
            Scenario::SlowApi(d) => write!(f, "slow-api={}ms", d.as_millis()),
            Scenario::DropWatches(d) => write!(f, "drop-watches={}ms", d.as_millis()),
            Scenario::ApiserverRestart(d) => write!(f, "apiserver-restart={}ms", d.as_millis()),
            Scenario::SlowJaeger(d) => write!(f, "slow-jaeger={}ms", d.as_millis()),
            Scenario::SlowElasticsearch(d) => {
                write!(f, "slow-elasticsearch={}ms", d.as_millis())
            }
            Scenario::UnpullableWorkload(n, s) => write!(f, "unpullable-workload={n}/{s}"),
            Scenario::PendingPvc(n, s) => write!(f, "pending-pvc={n}/{s}"),
            Scenario::WebhookNotReady(n, s) => write!(f, "webhook-not-ready={n}/{s}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cli_forms() {
        assert_eq!(
            "crashloop=shop/cart-sync".parse::<Scenario>(),
            Ok(Scenario::CrashLoop("shop".into(), "cart-sync".into()))
        );
        assert_eq!(
            "slow-api=800ms".parse::<Scenario>(),
            Ok(Scenario::SlowApi(Duration::from_millis(800)))
        );
        assert_eq!(
            "apiserver-restart=1m".parse::<Scenario>(),
            Ok(Scenario::ApiserverRestart(Duration::from_secs(60)))
        );
        assert!("crashloop=shop".parse::<Scenario>().is_err());
        assert!("slow-api=fast".parse::<Scenario>().is_err());
        assert!("explode=1s".parse::<Scenario>().is_err());
        assert_eq!(
            "slow-jaeger=5s".parse::<Scenario>(),
            Ok(Scenario::SlowJaeger(Duration::from_secs(5)))
        );
        assert_eq!(
            "pending-pvc=logging/elasticsearch-master".parse::<Scenario>(),
            Ok(Scenario::PendingPvc(
                "logging".into(),
                "elasticsearch-master".into()
            ))
        );
        let s: Scenario = "webhook-not-ready=cert-manager/cert-manager-webhook"
            .parse()
            .expect("valid");
        assert_eq!(s.to_string().parse::<Scenario>(), Ok(s));
        let e = "explode=1s".parse::<Scenario>().expect_err("unknown");
        assert!(
            e.contains("unpullable-workload, pending-pvc, webhook-not-ready"),
            "{e}"
        );
        let s: Scenario = "drop-watches=30s".parse().expect("valid");
        assert_eq!(s.to_string().parse::<Scenario>(), Ok(s));
    }
}

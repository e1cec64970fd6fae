//! Text formats shared by the TUI and the CLI.

use chrono::{DateTime, Utc};
use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::Readiness;

/// A condition status as kubectl prints it, with a symbol where the screen has room.
pub fn condition_cell(status: ConditionStatus, symbols: bool) -> String {
    if !symbols {
        return status.as_str().to_owned();
    }
    let symbol = match status {
        ConditionStatus::True => "●",
        ConditionStatus::False => "✗",
        ConditionStatus::Unknown => "◐",
    };
    format!("{symbol} {status}")
}

/// A readiness word, with its symbol where the screen has room for one (`● Ready`).
pub fn readiness_cell(readiness: Readiness, symbols: bool) -> String {
    if !symbols {
        return readiness.label().to_owned();
    }
    let symbol = match readiness {
        Readiness::Ready => "●",
        Readiness::Deploying => "◐",
        Readiness::Failed => "✗",
        Readiness::Unknown => "?",
    };
    format!("{symbol} {}", readiness.label())
}

/// An age the way kubectl prints it (apimachinery `duration.HumanDuration`), so our columns read
/// the same as `kubectl get`.
pub fn human_age(since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(since) = since else {
        return "<unknown>".to_owned();
    };
    let seconds = (now - since).num_seconds();
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = hours / 24 % 365;
        return if days == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{days}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// A value in few characters: 3 significant digits, k/M beyond thousands.
pub fn figure(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Milliseconds as `85ms` (whole from one on: finer is noise in a latency), or `1.50s` from a
/// second on.
pub fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{}s", figure(ms / 1000.0))
    } else if ms >= 1.0 {
        format!("{ms:.0}ms")
    } else {
        format!("{ms:.2}ms")
    }
}

/// Eighth blocks, lowest first: a sparkline's levels.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `points` as a line of eighth blocks scaled to their own maximum (a line of zeros stays on
/// the floor); a missing point is a space, so a gap in the data shows as one.
pub fn sparkline(points: &[Option<f64>]) -> String {
    let max = points.iter().flatten().fold(0.0_f64, |m, v| m.max(*v));
    points
        .iter()
        .map(|p| match p {
            None => ' ',
            Some(v) if max <= 0.0 || !v.is_finite() => LEVELS[0],
            Some(v) => {
                let level = (v.max(0.0) / max * (LEVELS.len() - 1) as f64).round() as usize;
                LEVELS[level.min(LEVELS.len() - 1)]
            }
        })
        .collect()
}

/// How to get a Prometheus, for a "not found": where to name one, and how the sandbox gets its
/// own.
pub const HOW_TO_GET_PROMETHEUS: &str = "Name one in config.toml ([prometheus] url or service: \
docs/configuration.md); the sandbox starts one when the `prometheus` binary is on PATH \
(apt-get install prometheus).";

/// [`HOW_TO_GET_PROMETHEUS`] when `error` is that no Prometheus was found.
pub fn prometheus_hint(error: &funcdeck_core::error::CoreError) -> Option<&'static str> {
    use funcdeck_core::backend::{Backend, BackendError};
    match error {
        funcdeck_core::error::CoreError::Backend(BackendError::NotFound {
            backend: Backend::Prometheus,
            ..
        }) => Some(HOW_TO_GET_PROMETHEUS),
        _ => None,
    }
}

/// How to get a Jaeger, for a "not found": where to name one, and that the sandbox serves one.
pub const HOW_TO_GET_JAEGER: &str = "Name one in config.toml ([jaeger] url or service: \
docs/configuration.md), or try the sandbox (funcdeck --sandbox), which serves one as \
observability/jaeger-query.";

/// [`HOW_TO_GET_JAEGER`] when `error` is that no Jaeger was found.
pub fn jaeger_hint(error: &funcdeck_core::error::CoreError) -> Option<&'static str> {
    use funcdeck_core::backend::{Backend, BackendError};
    match error {
        funcdeck_core::error::CoreError::Backend(BackendError::NotFound {
            backend: Backend::Jaeger,
            ..
        }) => Some(HOW_TO_GET_JAEGER),
        _ => None,
    }
}

/// How to get an Elasticsearch, for a "not found" when one was asked for (`--source
/// elasticsearch`; otherwise the pods' logs are read instead).
pub const HOW_TO_GET_ELASTICSEARCH: &str = "Name one in config.toml ([elasticsearch] url or \
service: docs/configuration.md), or read the pods' logs (--source pods); the sandbox serves one \
as logging/elasticsearch.";

/// How to get an Elasticsearch, for the logs pane's "not found": where to name one, and that
/// the sandbox serves one.
pub const HOW_TO_GET_ELASTICSEARCH_FOR_THE_PANE: &str = "Name one in config.toml ([elasticsearch] url or \
service: docs/configuration.md), or try the sandbox (funcdeck --sandbox), which serves one as \
logging/elasticsearch.";

/// [`HOW_TO_GET_ELASTICSEARCH_FOR_THE_PANE`] when `error` is that no Elasticsearch was found.
pub fn elasticsearch_hint(error: &funcdeck_core::error::CoreError) -> Option<&'static str> {
    use funcdeck_core::backend::{Backend, BackendError};
    match error {
        funcdeck_core::error::CoreError::Backend(BackendError::NotFound {
            backend: Backend::Elasticsearch,
            ..
        }) => Some(HOW_TO_GET_ELASTICSEARCH_FOR_THE_PANE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_match_kubectl() {
        let now = crate::testing::fixed_now();
        let cases = [
            (Duration::seconds(5), "5s"),
            (Duration::seconds(119), "119s"),
            (Duration::seconds(150), "2m30s"),
            (Duration::minutes(5), "5m"),
            (Duration::minutes(95), "95m"),
            (Duration::minutes(3 * 60 + 12), "3h12m"),
            (Duration::hours(30), "30h"),
            (Duration::hours(3 * 24 + 4), "3d4h"),
            (Duration::days(40), "40d"),
            (Duration::days(3 * 365 + 20), "3y20d"),
            (Duration::days(9 * 365), "9y"),
        ];
        for (ago, expected) in cases {
            assert_eq!(human_age(Some(now - ago), now), expected, "{ago:?}");
        }
        assert_eq!(human_age(None, now), "<unknown>");
        assert_eq!(
            human_age(Some(now + Duration::seconds(30)), now),
            "<invalid>"
        );
    }

    #[test]
    fn sparklines_scale_to_their_own_peak_and_show_gaps() {
        assert_eq!(
            sparkline(&[Some(0.0), Some(5.0), None, Some(10.0), Some(2.5)]),
            "▁▅ █▃"
        );
        assert_eq!(
            sparkline(&[Some(0.0), Some(0.0)]),
            "▁▁",
            "idle stays on the floor"
        );
        assert_eq!(sparkline(&[None, None]), "  ");
    }

    #[test]
    fn milliseconds_switch_to_seconds_at_one() {
        assert_eq!(millis(85.4), "85ms");
        assert_eq!(millis(0.42), "0.42ms");
        assert_eq!(millis(120.4), "120ms");
        assert_eq!(millis(1500.0), "1.50s");
    }
}

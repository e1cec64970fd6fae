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
}

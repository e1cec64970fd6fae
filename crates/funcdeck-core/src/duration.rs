//! Durations as people type them on the command line and in the UI (`90s`, `15m`, `1h30m`,
//! `7d`), and as PromQL writes them. The CLI's `--since`, `--wait-timeout` and the panes' time
//! ranges all read them here, so every place accepts the same forms.

use std::time::Duration;

const UNITS: [(char, u64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3600),
    ('m', 60),
    ('s', 1),
];

/// `90s`, `5m`, `1h`, `2m30s`, `7d`, `2w`: whole numbers, each followed by its unit.
pub fn parse(text: &str) -> Result<Duration, String> {
    let wrong = || format!("\"{text}\" is not a duration like 90s, 15m, 1h or 7d");
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = UNITS
            .iter()
            .find(|(name, _)| *name == c)
            .map(|(_, seconds)| *seconds)
            .ok_or_else(wrong)?;
        let n: u64 = number.parse().map_err(|_| wrong())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(wrong)?;
        number.clear();
    }
    if !number.is_empty() || total == 0 {
        return Err(wrong());
    }
    Ok(Duration::from_secs(total))
}

/// The duration in PromQL's (and people's) words: `15m`, `1h30m`, `7d`; whole seconds, at
/// least `1s`.
pub fn words(duration: Duration) -> String {
    let mut left = duration.as_secs().max(1);
    let mut out = String::new();
    for (name, seconds) in UNITS {
        if left >= seconds {
            out.push_str(&format!("{}{name}", left / seconds));
            left %= seconds;
        }
    }
    out
}

/// A period as people name it: whole days as days (`30d`, not `4w2d`), one day as `24h`, the
/// rest as [`words`].
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds / 86_400 {
        _ if seconds == 0 || !seconds.is_multiple_of(86_400) => words(duration),
        1 => "24h".to_owned(),
        days => format!("{days}d"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_in_days() {
        assert_eq!(human(Duration::from_secs(30 * 86_400)), "30d");
        assert_eq!(human(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(human(Duration::from_secs(86_400)), "24h");
        assert_eq!(human(Duration::from_secs(5400)), "1h30m");
    }

    #[test]
    fn typed_durations_parse_and_print_back() {
        for (text, seconds, again) in [
            ("90s", 90, "1m30s"),
            ("15m", 900, "15m"),
            ("1h30m", 5400, "1h30m"),
            ("7d", 604_800, "1w"),
            ("30d", 2_592_000, "4w2d"),
        ] {
            let d = parse(text).expect(text);
            assert_eq!(d.as_secs(), seconds, "{text}");
            assert_eq!(words(d), again);
        }
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        for text in ["", "15", "m", "1.5h", "-5m", "0s", "99999999999999999999w"] {
            assert_eq!(
                parse(text),
                Err(format!(
                    "\"{text}\" is not a duration like 90s, 15m, 1h or 7d"
                )),
                "{text}"
            );
        }
    }
}

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

/// Every unit `parse` reads, in microseconds (trace durations are sub-second: `500ms`).
const PARSED_UNITS: [(&str, u64); 8] = [
    ("w", 604_800_000_000),
    ("d", 86_400_000_000),
    ("h", 3_600_000_000),
    ("m", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1000),
    ("us", 1),
    ("µs", 1),
];

/// `90s`, `5m`, `1h`, `2m30s`, `7d`, `2w`, `500ms`, `1s500ms`: whole numbers, each followed by
/// its unit.
pub fn parse(text: &str) -> Result<Duration, String> {
    let wrong = || format!("\"{text}\" is not a duration like 500ms, 90s, 15m, 1h or 7d");
    let mut rest = text.trim();
    let mut micros: u64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let n: u64 = rest[..digits].parse().map_err(|_| wrong())?;
        rest = &rest[digits..];
        let letters = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = PARSED_UNITS
            .iter()
            .find(|(name, _)| *name == &rest[..letters])
            .map(|(_, micros)| *micros)
            .ok_or_else(wrong)?;
        rest = &rest[letters..];
        micros = n
            .checked_mul(unit)
            .and_then(|m| micros.checked_add(m))
            .ok_or_else(wrong)?;
    }
    if micros == 0 {
        return Err(wrong());
    }
    Ok(Duration::from_micros(micros))
}

/// The duration in PromQL's (and people's) words: `15m`, `1h30m`, `7d`; whole seconds, at
/// least `1s`.
/// A duration under a second (a trace's) reads in milliseconds, `500ms`.
pub fn words(duration: Duration) -> String {
    if duration < Duration::from_millis(1) && !duration.is_zero() {
        return format!("{}us", duration.as_micros());
    }
    if duration < Duration::from_secs(1) && !duration.is_zero() {
        return format!("{}ms", duration.as_millis());
    }
    let mut left = duration.as_secs().max(1);
    let mut out = String::new();
    for (name, seconds) in UNITS {
        if left >= seconds {
            out.push_str(&format!("{}{name}", left / seconds));
            left %= seconds;
        }
    }
    let millis = duration.subsec_millis();
    if duration >= Duration::from_secs(1) && millis > 0 {
        out.push_str(&format!("{millis}ms"));
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
    fn trace_durations_are_sub_second() {
        for (text, micros, again) in [
            ("500ms", 500_000, "500ms"),
            ("1s500ms", 1_500_000, "1s500ms"),
            ("250us", 250, "250us"),
            ("2s", 2_000_000, "2s"),
        ] {
            let d = parse(text).expect(text);
            assert_eq!(d.as_micros(), micros, "{text}");
            assert_eq!(words(d), again);
        }
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        for text in [
            "",
            "15",
            "m",
            "1.5h",
            "-5m",
            "0s",
            "99999999999999999999w",
            "5ns",
            "2 s",
        ] {
            assert_eq!(
                parse(text),
                Err(format!(
                    "\"{text}\" is not a duration like 500ms, 90s, 15m, 1h or 7d"
                )),
                "{text}"
            );
        }
    }
}

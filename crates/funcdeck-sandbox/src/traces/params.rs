//! Query parameters as Jaeger's Go handlers read them: Go duration strings (`1.2s`, `500ms`,
//! `1h30m`) with `time.ParseDuration`'s error words, and RFC 3339 times.

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn go_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {orig:?}");
    let (neg, mut s) = match orig.as_bytes().first() {
        Some(b'-') => (true, &orig[1..]),
        Some(b'+') => (false, &orig[1..]),
        _ => (false, orig),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let num_len = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let num = &s[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        s = &s[num_len..];
        let unit_len = s
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(s.len());
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {orig:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => return Err(format!("time: unknown unit {other:?} in duration {orig:?}")),
        };
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let ns = total.round() as i64;
    Ok(if neg { -ns } else { ns })
}

/// RFC 3339 (with or without fractional seconds) → µs since the epoch, in Go's words when not.
pub fn rfc3339_us(s: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_micros())
        .map_err(|_| format!("parsing time {s:?} as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse {s:?} as \"2006\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration("1.2s"), Ok(1_200_000_000));
        assert_eq!(go_duration("500ms"), Ok(500_000_000));
        assert_eq!(go_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(go_duration("250us"), Ok(250_000));
        assert_eq!(go_duration("250µs"), Ok(250_000));
        assert_eq!(go_duration("0"), Ok(0));
        assert_eq!(go_duration("-2s"), Ok(-2_000_000_000));
        assert_eq!(
            go_duration("20"),
            Err("time: missing unit in duration \"20\"".into())
        );
        assert_eq!(
            go_duration("3x"),
            Err("time: unknown unit \"x\" in duration \"3x\"".into())
        );
        assert_eq!(
            go_duration("abc"),
            Err("time: invalid duration \"abc\"".into())
        );
        assert_eq!(go_duration(""), Err("time: invalid duration \"\"".into()));
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(rfc3339_us("1970-01-01T00:00:01.5Z"), Ok(1_500_000));
        assert_eq!(
            rfc3339_us("2026-11-30T03:00:00+01:00").map(|t| t > 0),
            Ok(true)
        );
        assert!(rfc3339_us("yesterday").is_err());
    }
}

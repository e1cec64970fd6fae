//! Elasticsearch's date math for `range` and `search_after` on `@timestamp`: epoch millis,
//! `strict_date_optional_time`, `now` and `anchor||` with `+1d`, `-15m`, and `/d` rounding
//! (rounded up to the unit's last millisecond for `gt` and `lte`, as Elasticsearch does).

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Timelike, Utc};

fn unit_ms(u: char) -> Option<i64> {
    Some(match u {
        's' => 1_000,
        'm' => 60_000,
        'h' | 'H' => 3_600_000,
        'd' => 86_400_000,
        'w' => 7 * 86_400_000,
        _ => return None,
    })
}

fn round(t: DateTime<Utc>, u: char, up: bool) -> Option<DateTime<Utc>> {
    let d = t.date_naive();
    let start = match u {
        'y' => NaiveDate::from_ymd_opt(d.year(), 1, 1)?.and_hms_opt(0, 0, 0)?,
        'M' => NaiveDate::from_ymd_opt(d.year(), d.month(), 1)?.and_hms_opt(0, 0, 0)?,
        'w' => (d - Duration::days(i64::from(d.weekday().num_days_from_monday())))
            .and_hms_opt(0, 0, 0)?,
        'd' => d.and_hms_opt(0, 0, 0)?,
        'h' | 'H' => d.and_hms_opt(t.hour(), 0, 0)?,
        'm' => d.and_hms_opt(t.hour(), t.minute(), 0)?,
        's' => d.and_hms_opt(t.hour(), t.minute(), t.second())?,
        _ => return None,
    };
    let start = Utc.from_utc_datetime(&start);
    if !up {
        return Some(start);
    }
    let next = match u {
        'y' => Utc
            .with_ymd_and_hms(start.year() + 1, 1, 1, 0, 0, 0)
            .single()?,
        'M' => {
            let (y, m) = if start.month() == 12 {
                (start.year() + 1, 1)
            } else {
                (start.year(), start.month() + 1)
            };
            Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single()?
        }
        u => start + Duration::milliseconds(unit_ms(u)?),
    };
    Some(next - Duration::milliseconds(1))
}

/// A date as `strict_date_optional_time||epoch_millis` with date math (`now-15m`, `now/d`,
/// `2026-11-30||+1d`) → ms since the epoch; `round_up` for `gt`/`lte` rounding.
pub fn date_ms(s: &str, now: i64, round_up: bool) -> Result<i64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse()
            .map_err(|_| format!("failed to parse date field [{s}]"));
    }
    let (anchor, math) = if let Some(rest) = s.strip_prefix("now") {
        (
            DateTime::<Utc>::from_timestamp_millis(now).unwrap_or_default(),
            rest,
        )
    } else {
        let (a, m) = s.split_once("||").unwrap_or((s, ""));
        (iso(a).ok_or_else(|| format!("failed to parse date field [{s}] with format [strict_date_optional_time||epoch_millis]"))?, m)
    };
    let bad = || format!("operator not supported for date math [{math}]");
    let mut t = anchor;
    let chars: Vec<char> = math.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' => {
                let u = *chars.get(i + 1).ok_or_else(bad)?;
                t = round(t, u, round_up)
                    .ok_or_else(|| format!("rounding `/{u}` is not supported"))?;
                i += 2;
            }
            op @ ('+' | '-') => {
                i += 1;
                let st = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let n: i64 = if st == i {
                    1
                } else {
                    chars[st..i]
                        .iter()
                        .collect::<String>()
                        .parse()
                        .map_err(|_| bad())?
                };
                let n = if op == '-' { -n } else { n };
                let u = *chars
                    .get(i)
                    .ok_or_else(|| format!("truncated date math [{math}]"))?;
                i += 1;
                t = match u {
                    'y' => t.with_year(t.year() + n as i32).ok_or_else(bad)?,
                    // Calendar months: the day is kept (clamped to the month's last).
                    'M' if n >= 0 => t
                        .checked_add_months(Months::new(n as u32))
                        .ok_or_else(bad)?,
                    'M' => t
                        .checked_sub_months(Months::new(n.unsigned_abs() as u32))
                        .ok_or_else(bad)?,
                    u => {
                        t + Duration::milliseconds(
                            n * unit_ms(u).ok_or_else(|| {
                                format!("unit [{u}] not supported for date math [{math}]")
                            })?,
                        )
                    }
                };
            }
            _ => return Err(bad()),
        }
    }
    Ok(t.timestamp_millis())
}

fn iso(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), f) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

//! The pulse columns: a row's requests per second as a sparkline with the newest figure, and
//! its p99 latency, read from Prometheus for the function or revision the row is about. They
//! show only while a pulse is read (`Shown::WithPulse`) and never in the CLI's tables; a row
//! Prometheus has not counted says so rather than 0.

use super::{Column, Keyed, Shown, Width, plain};
use crate::format::{figure, millis, sparkline};
use crate::theme::StyleName;

/// What a pulse cell says without data: Prometheus has no requests of the row (never a 0 it
/// did not count).
const NO_DATA: &str = "–";

fn chart_tone<T>(_: &T) -> Option<StyleName> {
    Some(StyleName::Chart1)
}

/// REQ/S: the sparkline and the newest rate.
pub const fn requests_column<T: Keyed>(drop_rank: u8) -> Column<T> {
    Column {
        title: "REQ/S",
        cell: |r, cx| match cx.pulse.and_then(|p| p.get(r.object_key())) {
            Some(pulse) => format!(
                "{} {}",
                sparkline(&pulse.requests_per_second),
                pulse
                    .requests_now()
                    .map_or_else(|| NO_DATA.to_owned(), figure)
            ),
            None => NO_DATA.to_owned(),
        },
        sort: None,
        width: Width::Max(18),
        drop_rank: Some(drop_rank),
        shown: Shown::WithPulse,
        tone: chart_tone,
    }
}

/// P99: the latency most requests stay under, over the last minutes.
pub const fn p99_column<T: Keyed>(drop_rank: u8) -> Column<T> {
    Column {
        title: "P99",
        cell: |r, cx| {
            cx.pulse
                .and_then(|p| p.get(r.object_key())?.p99_ms)
                .map_or_else(|| NO_DATA.to_owned(), millis)
        },
        sort: None,
        width: Width::Max(8),
        drop_rank: Some(drop_rank),
        shown: Shown::WithPulse,
        tone: plain,
    }
}

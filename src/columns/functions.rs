//! The function table's columns: `funcdeck fn list` and the Functions view.

use funcdeck_core::function::{FunctionSummary, Readiness};
use funcdeck_core::text::sanitize;

use super::pulse::{p99_column, requests_column};
use super::{Column, Shown, Width, name_column, namespace_column, plain};
use crate::format::{human_age, readiness_cell};
use crate::theme::StyleName;

fn readiness_tone(s: &FunctionSummary) -> Option<StyleName> {
    Some(StyleName::for_readiness(s.readiness))
}

fn muted(_: &FunctionSummary) -> Option<StyleName> {
    Some(StyleName::Muted)
}

/// Trouble first: a sort by READY is a triage list.
fn trouble_rank(readiness: Readiness) -> u8 {
    match readiness {
        Readiness::Failed => 0,
        Readiness::Deploying => 1,
        Readiness::Unknown => 2,
        Readiness::Ready => 3,
    }
}

pub const FUNCTION_COLUMNS: &[Column<FunctionSummary>] = &[
    namespace_column(),
    name_column(40),
    Column {
        title: "READY",
        cell: |s, cx| readiness_cell(s.readiness, cx.symbols),
        sort: Some(|a, b| trouble_rank(a.readiness).cmp(&trouble_rank(b.readiness))),
        width: Width::Max(11),
        drop_rank: None,
        shown: Shown::Always,
        tone: readiness_tone,
    },
    Column {
        title: "REASON",
        // An offline function says so first: it is why nothing reaches it.
        cell: |s, _| match (s.offline, s.reason.as_deref()) {
            (true, Some(reason)) => format!("Offline · {}", sanitize(reason)),
            (true, None) => "Offline".to_owned(),
            (false, reason) => sanitize(reason.unwrap_or("")).into_owned(),
        },
        sort: None,
        width: Width::Max(26),
        drop_rank: Some(4),
        shown: Shown::Always,
        tone: readiness_tone,
    },
    Column {
        title: "LATEST",
        cell: |s, cx| {
            let fallback = if cx.symbols { "—" } else { "" };
            sanitize(s.latest_revision().unwrap_or(fallback)).into_owned()
        },
        sort: Some(|a, b| a.latest_revision().cmp(&b.latest_revision())),
        width: Width::Max(36),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "TRAFFIC",
        cell: |s, _| sanitize(&s.traffic_summary()).into_owned(),
        sort: None,
        width: Width::Max(40),
        drop_rank: Some(1),
        shown: Shown::Always,
        tone: plain,
    },
    requests_column(2),
    p99_column(1),
    Column {
        title: "URL",
        cell: |s, _| sanitize(s.url.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Fill { min: 24 },
        drop_rank: Some(0),
        shown: Shown::Always,
        tone: muted,
    },
    Column {
        title: "AGE",
        cell: |s, cx| human_age(s.created, cx.now),
        // Newest first reads naturally for ages; reversing flips it like any other column.
        sort: Some(|a, b| b.created.cmp(&a.created)),
        width: Width::Max(7),
        drop_rank: Some(3),
        shown: Shown::Always,
        tone: plain,
    },
];

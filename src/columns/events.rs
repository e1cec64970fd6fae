//! The event table's columns: the Events view and a function's recent events.

use funcdeck_core::events::EventSummary;
use funcdeck_core::text::sanitize;

use super::{Column, Shown, Width, namespace_column, plain};
use crate::format::human_age;
use crate::theme::StyleName;

fn type_tone(e: &EventSummary) -> Option<StyleName> {
    e.is_warning().then_some(StyleName::EventWarning)
}

pub const EVENT_COLUMNS: &[Column<EventSummary>] = &[
    namespace_column(),
    Column {
        title: "LAST SEEN",
        cell: |e, cx| human_age(e.last_seen, cx.now),
        // Newest first.
        sort: Some(|a, b| b.last_seen.cmp(&a.last_seen)),
        width: Width::Max(10),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "TYPE",
        cell: |e, _| sanitize(e.type_.as_deref().unwrap_or("")).into_owned(),
        sort: Some(|a, b| b.is_warning().cmp(&a.is_warning())),
        width: Width::Max(7),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: type_tone,
    },
    Column {
        title: "REASON",
        cell: |e, _| sanitize(e.reason.as_deref().unwrap_or("")).into_owned(),
        sort: Some(|a, b| a.reason.cmp(&b.reason)),
        width: Width::Max(22),
        drop_rank: None,
        shown: Shown::Always,
        tone: type_tone,
    },
    Column {
        title: "OBJECT",
        cell: |e, _| sanitize(&e.object).into_owned(),
        sort: Some(|a, b| a.object.cmp(&b.object)),
        width: Width::Max(56),
        drop_rank: Some(1),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "COUNT",
        cell: |e, _| e.count.to_string(),
        sort: Some(|a, b| b.count.cmp(&a.count)),
        width: Width::Max(5),
        drop_rank: Some(0),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "MESSAGE",
        cell: |e, _| sanitize(e.message.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Fill { min: 24 },
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    },
];

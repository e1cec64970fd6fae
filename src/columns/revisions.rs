//! The revision table's columns: `funcdeck fn revisions` and the Revisions view.

use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::detail::RevisionRow;
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::text::sanitize;

use super::{Column, Width, name_column, namespace_column, plain};
use crate::format::{condition_cell, human_age};
use crate::theme::StyleName;

fn ready_tone(r: &RevisionSummary) -> Option<StyleName> {
    Some(StyleName::for_condition(r.ready))
}

/// Not ready first: a sort by READY lists the trouble on top.
fn ready_rank(status: ConditionStatus) -> u8 {
    match status {
        ConditionStatus::False => 0,
        ConditionStatus::Unknown => 1,
        ConditionStatus::True => 2,
    }
}

pub const REVISION_COLUMNS: &[Column<RevisionSummary>] = &[
    namespace_column(),
    name_column(40),
    Column {
        title: "FUNCTION",
        cell: |r, _| sanitize(r.function.as_deref().unwrap_or("")).into_owned(),
        sort: Some(|a, b| a.function.cmp(&b.function)),
        width: Width::Max(32),
        drop_rank: Some(5),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "READY",
        cell: |r, cx| condition_cell(r.ready, cx.symbols),
        sort: Some(|a, b| ready_rank(a.ready).cmp(&ready_rank(b.ready))),
        width: Width::Max(9),
        drop_rank: None,
        namespace: false,
        tone: ready_tone,
    },
    Column {
        title: "REASON",
        cell: |r, _| sanitize(r.reason.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Max(28),
        drop_rank: Some(4),
        namespace: false,
        tone: ready_tone,
    },
    Column {
        title: "IMAGE",
        cell: |r, _| sanitize(r.image.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Fill { min: 20 },
        drop_rank: Some(0),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "CONCURRENCY",
        cell: |r, _| dash(r.container_concurrency),
        sort: None,
        width: Width::Max(11),
        drop_rank: Some(1),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "MIN",
        cell: |r, _| dash(r.min_scale),
        sort: None,
        width: Width::Max(3),
        drop_rank: Some(2),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "MAX",
        cell: |r, _| dash(r.max_scale),
        sort: None,
        width: Width::Max(3),
        drop_rank: Some(2),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "AGE",
        cell: |r, cx| human_age(r.created, cx.now),
        sort: Some(|a, b| b.created.cmp(&a.created)),
        width: Width::Max(7),
        drop_rank: Some(3),
        namespace: false,
        tone: plain,
    },
];

/// `100m / 500m`: a request and a limit, either possibly absent.
fn request_limit(request: &Option<String>, limit: &Option<String>) -> String {
    match (request, limit) {
        (None, None) => "-".to_owned(),
        (request, limit) => format!(
            "{} / {}",
            request.as_deref().unwrap_or("-"),
            limit.as_deref().unwrap_or("-")
        ),
    }
}

fn row_tone(r: &RevisionRow) -> Option<StyleName> {
    Some(StyleName::for_condition(r.revision.ready))
}

/// A function's revisions in its detail, `fn get` and `fn revisions`: with their traffic share
/// and ready pods (why a failing one fails is said in full above/below the table).
pub const FUNCTION_REVISION_COLUMNS: &[Column<RevisionRow>] = &[
    Column {
        title: "NAME",
        cell: |r, _| sanitize(&r.revision.key.name).into_owned(),
        sort: None,
        width: Width::Max(40),
        drop_rank: None,
        namespace: false,
        tone: plain,
    },
    Column {
        title: "READY",
        cell: |r, cx| condition_cell(r.revision.ready, cx.symbols),
        sort: None,
        width: Width::Max(9),
        drop_rank: None,
        namespace: false,
        tone: row_tone,
    },
    Column {
        title: "REASON",
        cell: |r, _| sanitize(r.revision.reason.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Max(24),
        drop_rank: Some(5),
        namespace: false,
        tone: row_tone,
    },
    Column {
        title: "TRAFFIC",
        cell: |r, _| format!("{}%", r.traffic_percent),
        sort: None,
        width: Width::Max(7),
        drop_rank: None,
        namespace: false,
        tone: plain,
    },
    Column {
        title: "PODS",
        cell: |r, _| r.pods_text(),
        sort: None,
        width: Width::Max(5),
        drop_rank: Some(6),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "IMAGE",
        cell: |r, _| sanitize(r.revision.image.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Fill { min: 20 },
        drop_rank: Some(4),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "CONCURRENCY",
        cell: |r, _| dash(r.revision.container_concurrency),
        sort: None,
        width: Width::Max(11),
        drop_rank: Some(1),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "MIN",
        cell: |r, _| dash(r.revision.min_scale),
        sort: None,
        width: Width::Max(3),
        drop_rank: Some(2),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "MAX",
        cell: |r, _| dash(r.revision.max_scale),
        sort: None,
        width: Width::Max(3),
        drop_rank: Some(2),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "CPU REQ/LIM",
        cell: |r, _| request_limit(&r.revision.cpu_request, &r.revision.cpu_limit),
        sort: None,
        width: Width::Max(15),
        drop_rank: Some(0),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "MEM REQ/LIM",
        cell: |r, _| request_limit(&r.revision.memory_request, &r.revision.memory_limit),
        sort: None,
        width: Width::Max(17),
        drop_rank: Some(0),
        namespace: false,
        tone: plain,
    },
    Column {
        title: "AGE",
        cell: |r, cx| human_age(r.revision.created, cx.now),
        sort: None,
        width: Width::Max(7),
        drop_rank: Some(3),
        namespace: false,
        tone: plain,
    },
];

/// A number or `-`, so whitespace-split table cells stay aligned.
fn dash<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

//! The revision tables' columns: the Revisions view and `funcdeck fn revisions` / a function's
//! detail (`fn get`), which add the traffic share and ready pods. Columns both show are written
//! once, over anything that carries a revision summary.

use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::detail::RevisionRow;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::text::sanitize;

use super::pulse::{p99_column, requests_column};
use super::{Column, Keyed, Shown, Width, name_column, namespace_column, plain};
use crate::format::{condition_cell, human_age};
use crate::theme::StyleName;

/// A row about one revision.
pub trait OfRevision: Keyed {
    fn revision(&self) -> &RevisionSummary;
}

impl OfRevision for RevisionSummary {
    fn revision(&self) -> &RevisionSummary {
        self
    }
}

impl Keyed for RevisionRow {
    fn object_key(&self) -> &ObjectKey {
        &self.revision.key
    }
}

impl OfRevision for RevisionRow {
    fn revision(&self) -> &RevisionSummary {
        &self.revision
    }
}

fn ready_tone<T: OfRevision>(r: &T) -> Option<StyleName> {
    Some(StyleName::for_condition(r.revision().ready))
}

/// Not ready first: a sort by READY lists the trouble on top.
fn ready_rank(status: ConditionStatus) -> u8 {
    match status {
        ConditionStatus::False => 0,
        ConditionStatus::Unknown => 1,
        ConditionStatus::True => 2,
    }
}

/// A number or `-`, so whitespace-split table cells stay aligned.
fn dash<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

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

const fn ready<T: OfRevision>() -> Column<T> {
    Column {
        title: "READY",
        cell: |r, cx| condition_cell(r.revision().ready, cx.symbols),
        sort: Some(|a, b| ready_rank(a.revision().ready).cmp(&ready_rank(b.revision().ready))),
        width: Width::Max(9),
        drop_rank: None,
        shown: Shown::Always,
        tone: ready_tone,
    }
}

const fn reason<T: OfRevision>(max: u16, drop_rank: u8) -> Column<T> {
    Column {
        title: "REASON",
        cell: |r, _| sanitize(r.revision().reason.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Max(max),
        drop_rank: Some(drop_rank),
        shown: Shown::Always,
        tone: ready_tone,
    }
}

const fn image<T: OfRevision>(drop_rank: u8) -> Column<T> {
    Column {
        title: "IMAGE",
        cell: |r, _| sanitize(r.revision().image.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Fill { min: 20 },
        drop_rank: Some(drop_rank),
        shown: Shown::Always,
        tone: plain,
    }
}

const fn number<T: OfRevision>(
    title: &'static str,
    cell: fn(&T, &super::CellContext) -> String,
    max: u16,
    drop_rank: u8,
) -> Column<T> {
    Column {
        title,
        cell,
        sort: None,
        width: Width::Max(max),
        drop_rank: Some(drop_rank),
        shown: Shown::Always,
        tone: plain,
    }
}

const fn age<T: OfRevision>() -> Column<T> {
    Column {
        title: "AGE",
        cell: |r, cx| human_age(r.revision().created, cx.now),
        sort: Some(|a, b| b.revision().created.cmp(&a.revision().created)),
        width: Width::Max(7),
        drop_rank: Some(3),
        shown: Shown::Always,
        tone: plain,
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
        shown: Shown::Always,
        tone: plain,
    },
    ready(),
    reason(28, 4),
    image(0),
    number("CONCURRENCY", |r, _| dash(r.container_concurrency), 11, 1),
    number("MIN", |r, _| dash(r.min_scale), 3, 2),
    number("MAX", |r, _| dash(r.max_scale), 3, 2),
    age(),
];

/// A function's revisions in its detail, `fn get` and `fn revisions`: with their traffic share
/// and ready pods (why a failing one fails is said in full above/below the table).
pub const FUNCTION_REVISION_COLUMNS: &[Column<RevisionRow>] = &[
    name_column(40),
    ready(),
    reason(24, 5),
    Column {
        title: "TRAFFIC",
        cell: |r, _| format!("{}%", r.traffic_percent),
        sort: None,
        width: Width::Max(7),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    },
    number("PODS", |r, _| r.pods_text(), 5, 6),
    requests_column(3),
    p99_column(2),
    image(4),
    number(
        "CONCURRENCY",
        |r, _| dash(r.revision.container_concurrency),
        11,
        1,
    ),
    number("MIN", |r, _| dash(r.revision.min_scale), 3, 2),
    number("MAX", |r, _| dash(r.revision.max_scale), 3, 2),
    number(
        "CPU REQ/LIM",
        |r, _| request_limit(&r.revision.cpu_request, &r.revision.cpu_limit),
        15,
        0,
    ),
    number(
        "MEM REQ/LIM",
        |r, _| request_limit(&r.revision.memory_request, &r.revision.memory_limit),
        17,
        0,
    ),
    age(),
];

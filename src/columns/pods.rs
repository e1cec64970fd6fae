//! The pod table's columns: the Pods view and a function's pods.

use funcdeck_core::pods::PodSummary;
use funcdeck_core::text::sanitize;

use super::{Column, Shown, Width, name_column, namespace_column, plain};
use crate::format::human_age;
use crate::theme::StyleName;

fn status_tone(p: &PodSummary) -> Option<StyleName> {
    Some(StyleName::for_pod_status(
        &p.status,
        p.ready_containers,
        p.total_containers,
    ))
}

/// How the container that crashed last ended: `Error (exit 1)`.
pub fn termination_cell(p: &PodSummary) -> String {
    p.last_termination
        .as_ref()
        .map(|t| {
            let reason = t.reason.as_deref().unwrap_or("Terminated");
            sanitize(&format!("{reason} (exit {})", t.exit_code)).into_owned()
        })
        .unwrap_or_default()
}

pub const POD_COLUMNS: &[Column<PodSummary>] = &[
    namespace_column(),
    name_column(56),
    Column {
        title: "REVISION",
        cell: |p, _| sanitize(p.revision.as_deref().unwrap_or("")).into_owned(),
        sort: Some(|a, b| a.revision.cmp(&b.revision)),
        width: Width::Max(36),
        drop_rank: Some(4),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "READY",
        cell: |p, _| p.ready_text(),
        sort: None,
        width: Width::Max(5),
        drop_rank: None,
        shown: Shown::Always,
        tone: status_tone,
    },
    Column {
        title: "STATUS",
        cell: |p, _| sanitize(&p.status).into_owned(),
        sort: Some(|a, b| a.status.cmp(&b.status)),
        width: Width::Max(20),
        drop_rank: None,
        shown: Shown::Always,
        tone: status_tone,
    },
    Column {
        title: "RESTARTS",
        cell: |p, _| p.restarts.to_string(),
        sort: Some(|a, b| b.restarts.cmp(&a.restarts)),
        width: Width::Max(8),
        drop_rank: Some(3),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "LAST TERMINATION",
        cell: |p, _| termination_cell(p),
        sort: None,
        width: Width::Max(24),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "NODE",
        cell: |p, _| sanitize(p.node.as_deref().unwrap_or("")).into_owned(),
        sort: None,
        width: Width::Max(24),
        drop_rank: Some(0),
        shown: Shown::Always,
        tone: plain,
    },
    Column {
        title: "AGE",
        cell: |p, cx| human_age(p.created, cx.now),
        sort: Some(|a, b| b.created.cmp(&a.created)),
        width: Width::Max(7),
        drop_rank: Some(1),
        shown: Shown::Always,
        tone: plain,
    },
];

//! `funcdeck fn get NAME`: a function's whole story (conditions, traffic, revisions, pods,
//! events), readable like `kn service describe`, or as one JSON/YAML object for scripts.
//!
//! The JSON shape is a contract (README, tests): flat rows with exactly the documented fields,
//! `null` for what is absent, RFC 3339 times. It is built here from core's `FunctionDetail`, so
//! the core types can grow without changing what scripts read.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Utc};
use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::FunctionDetail;
use funcdeck_core::functions::FunctionParts;
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::fn_revisions::{RevisionView, revision_table};
use super::output::write_table;
use super::read::{Fetched, fetch};
use super::{ClusterArgs, FnGetArgs, OutputFormat};
use crate::columns::{EVENT_COLUMNS, POD_COLUMNS, TablePrint};
use crate::format::human_age;

pub async fn fn_get(
    cluster_args: &ClusterArgs,
    args: &FnGetArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let fetched = fetch(cluster_args, &args.name).await?;
    fetched.warn_missing(err, &["revisions", "pods", "events"])?;
    let detail = fetched.detail();
    match args.output {
        OutputFormat::Table => write_describe(out, &detail, &fetched.parts, chrono::Utc::now())?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &FunctionView::new(&fetched, &detail))
                .context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            let text = serde_saphyr::to_string(&FunctionView::new(&fetched, &detail))
                .context("writing YAML")?;
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct FunctionView<'a> {
    name: &'a str,
    namespace: &'a str,
    url: Option<&'a str>,
    ready: ConditionStatus,
    conditions: Vec<ConditionView<'a>>,
    traffic: Vec<TrafficView<'a>>,
    revisions: Vec<RevisionView<'a>>,
    pods: Vec<PodView<'a>>,
    events: Vec<EventView<'a>>,
}

#[derive(Serialize)]
struct ConditionView<'a> {
    #[serde(rename = "type")]
    type_: &'a str,
    status: ConditionStatus,
    reason: Option<&'a str>,
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct TrafficView<'a> {
    revision: Option<&'a str>,
    percent: u32,
    tag: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PodView<'a> {
    name: &'a str,
    revision: Option<&'a str>,
    phase: Option<&'a str>,
    /// `"ready/total"` containers.
    ready: String,
    restarts: u32,
    /// The word kubectl's STATUS column shows.
    reason: &'a str,
}

#[derive(Serialize)]
struct EventView<'a> {
    #[serde(rename = "type")]
    type_: Option<&'a str>,
    reason: Option<&'a str>,
    object: &'a str,
    message: Option<&'a str>,
    count: u32,
    last_seen: Option<DateTime<Utc>>,
}

impl<'a> FunctionView<'a> {
    fn new(fetched: &'a Fetched, d: &'a FunctionDetail) -> Self {
        Self {
            name: &d.key.name,
            namespace: if d.key.namespace.is_empty() {
                &fetched.namespace
            } else {
                &d.key.namespace
            },
            url: d.url.as_deref(),
            ready: d.ready,
            conditions: d
                .conditions
                .iter()
                .map(|c| ConditionView {
                    type_: &c.type_,
                    status: c.status,
                    reason: c.reason.as_deref(),
                    message: c.message.as_deref(),
                })
                .collect(),
            traffic: d
                .traffic
                .iter()
                .map(|t| TrafficView {
                    revision: t.revision.as_deref(),
                    percent: t.percent,
                    tag: t.tag.as_deref(),
                    url: t.url.as_deref(),
                })
                .collect(),
            revisions: RevisionView::all(d, fetched.parts.pods.is_ok()),
            pods: d
                .pods
                .iter()
                .map(|p| PodView {
                    name: &p.key.name,
                    revision: p.revision.as_deref(),
                    phase: p.phase.as_deref(),
                    ready: p.ready_text(),
                    restarts: p.restarts,
                    reason: &p.status,
                })
                .collect(),
            events: d
                .events
                .iter()
                .map(|e| EventView {
                    type_: e.type_.as_deref(),
                    reason: e.reason.as_deref(),
                    object: &e.object,
                    message: e.message.as_deref(),
                    count: e.count,
                    last_seen: e.last_seen,
                })
                .collect(),
        }
    }
}

/// Cluster text made inert for the terminal.
pub(super) fn clean(s: Option<&str>) -> String {
    sanitize(s.unwrap_or("")).into_owned()
}

/// `kn service describe`-like text: a header, then one indented table per part.
fn write_describe(
    out: &mut impl Write,
    d: &FunctionDetail,
    parts: &FunctionParts,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let latest = match (&d.latest_created, &d.latest_ready) {
        (Some(c), Some(r)) if c != r => {
            format!("{} (latest ready: {})", clean(Some(c)), clean(Some(r)))
        }
        (Some(c), _) => clean(Some(c)),
        (None, r) => clean(r.as_deref()),
    };
    let ready_cond = d.conditions.iter().find(|c| c.type_ == "Ready");
    let mut ready = d.ready.to_string();
    if let Some(c) = ready_cond.filter(|_| d.ready != ConditionStatus::True) {
        let why = match (c.reason.as_deref(), c.message.as_deref()) {
            (Some(r), Some(m)) => format!("{r}: {m}"),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => String::new(),
        };
        if !why.is_empty() {
            ready = format!("{ready} ({})", sanitize(&why));
        }
    }
    let header = [
        ("Name", clean(Some(&d.key.name))),
        ("Namespace", clean(Some(&d.key.namespace))),
        ("URL", clean(d.url.as_deref())),
        ("Ready", ready),
        ("Latest", latest),
    ];
    for (label, value) in header {
        writeln!(out, "{:<11}{value}", format!("{label}:"))?;
    }

    writeln!(out, "\nConditions:")?;
    let rows = d
        .conditions
        .iter()
        .map(|c| {
            vec![
                clean(Some(&c.type_)),
                c.status.to_string(),
                clean(c.reason.as_deref()),
                human_age(c.last_transition, now),
                clean(c.message.as_deref()),
            ]
        })
        .collect();
    indented_table(out, &["TYPE", "STATUS", "REASON", "AGE", "MESSAGE"], rows)?;

    writeln!(out, "\nTraffic:")?;
    let rows = d
        .traffic
        .iter()
        .map(|t| {
            let revision = match (&t.revision, t.latest) {
                (Some(r), true) => format!("{} (latest)", clean(Some(r))),
                (Some(r), false) => clean(Some(r)),
                (None, _) => "@latest".to_owned(),
            };
            vec![
                format!("{}%", t.percent),
                revision,
                clean(t.tag.as_deref()),
                clean(t.url.as_deref()),
            ]
        })
        .collect();
    indented_table(out, &["PERCENT", "REVISION", "TAG", "URL"], rows)?;

    writeln!(out, "\nRevisions:")?;
    match &parts.revisions {
        Err(e) => writeln!(out, "  (not shown: {})", sanitize(&e.to_string()))?,
        Ok(_) => {
            revision_table(out, d, parts.pods.is_ok(), now, "  ")?;
            let whys: Vec<(&str, &str)> = d
                .revisions
                .iter()
                .filter_map(|r| Some((r.revision.key.name.as_str(), r.why.as_deref()?)))
                .collect();
            if !whys.is_empty() {
                writeln!(out, "\nWhy not ready:")?;
                for (name, why) in whys {
                    writeln!(out, "  {}: {}", sanitize(name), sanitize(why))?;
                }
            }
        }
    }

    writeln!(out, "\nPods:")?;
    match &parts.pods {
        Err(e) => writeln!(out, "  (not shown: {})", sanitize(&e.to_string()))?,
        Ok(_) => TablePrint::new(POD_COLUMNS, now)
            .indent("  ")
            .write(out, &d.pods)?,
    }

    writeln!(out, "\nEvents:")?;
    match &parts.events {
        Err(e) => writeln!(out, "  (not shown: {})", sanitize(&e.to_string()))?,
        Ok(_) => TablePrint::new(EVENT_COLUMNS, now)
            .indent("  ")
            .write(out, &d.events)?,
    }
    Ok(())
}

fn indented_table(
    out: &mut impl Write,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> anyhow::Result<()> {
    prefixed_table(out, headers, rows, "  ")
}

pub(super) fn prefixed_table(
    out: &mut impl Write,
    headers: &[&str],
    rows: Vec<Vec<String>>,
    indent: &str,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        writeln!(out, "{indent}(none)")?;
        return Ok(());
    }
    let mut buf = Vec::new();
    write_table(&mut buf, headers, &rows)?;
    for line in String::from_utf8_lossy(&buf).lines() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

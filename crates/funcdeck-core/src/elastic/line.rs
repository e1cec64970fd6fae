//! One log line, from a fluent-bit document (or a raw pod-log line), as the pane, the CLI and
//! the logs→traces jump need it.
//!
//! The message stays raw (what the program wrote, minus the line's trailing newline) so that
//! search, JSON pretty-printing and saving see the real text; display goes through
//! [`LogLine::inert_message`]. A huge line is cut at a limit with a visible marker, so one
//! runaway stack dump cannot fill the buffer's memory.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::flatten::{Fields, Interner, flatten};
use super::level::{self, Level};
use super::trace;

/// Messages longer than this many bytes are cut (at a character boundary) and marked.
pub const MESSAGE_LIMIT: usize = 16 * 1024;

/// Serialized exactly as `funcdeck logs -o json` prints a line: `timestamp`, `pod`,
/// `container`, `stream`, `level` (when known), `message`, `trace_id` (when present).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    /// `index/_id`: unique across the indices searched; what the tail dedupes on.
    #[serde(skip)]
    pub id: String,
    pub timestamp: DateTime<Utc>,
    #[serde(skip)]
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// `stdout` or `stderr` (empty when the source does not say).
    pub stream: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// The document's other fields, for the fields panel (see [`super::flatten`]).
    #[serde(skip)]
    pub fields: Fields,
}

impl LogLine {
    /// The message with every control character and escape sequence shown, not acted on:
    /// `ESC[31m` reads `␛[31m` (see [`crate::text::reveal`]). Newlines show as `␊`; a pane
    /// that wraps multi-line messages splits [`LogLine::message`] on `\n` and reveals each.
    pub fn inert_message(&self) -> std::borrow::Cow<'_, str> {
        crate::text::reveal(&self.message)
    }

    /// A field's value, by its dotted name.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &*self.fields[i].1)
    }
}

/// Turns documents into lines, sharing field strings between them (keep one per buffer).
#[derive(Debug)]
pub struct LineParser {
    limit: usize,
    interner: Interner,
}

impl Default for LineParser {
    fn default() -> Self {
        Self::new(MESSAGE_LIMIT)
    }
}

impl LineParser {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            interner: Interner::default(),
        }
    }

    /// A `_search` hit's `_source` (`index`/`id` from the hit; `sort` its sort values, whose
    /// first is the time when the document has no readable `@timestamp`).
    pub fn parse(
        &mut self,
        index: &str,
        id: &str,
        source: &Value,
        sort: Option<&[Value]>,
    ) -> LogLine {
        let empty = Map::new();
        let doc = source.as_object().unwrap_or(&empty);
        let k8s = doc
            .get("kubernetes")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let text = |map: &Map<String, Value>, key: &str| -> String {
            map.get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let raw = ["log", "message", "msg"]
            .iter()
            .find_map(|key| doc.get(*key).and_then(Value::as_str))
            .unwrap_or("");
        let timestamp = ["@timestamp", "time", "timestamp"]
            .iter()
            .find_map(|key| doc.get(*key).and_then(Value::as_str).and_then(parse_time))
            .or_else(|| {
                let first = sort?.first()?;
                DateTime::from_timestamp_millis(first.as_i64()?)
            })
            .unwrap_or_default();
        let (level, trace_id) = structured(doc, raw);
        LogLine {
            id: format!("{index}/{id}"),
            timestamp,
            namespace: text(k8s, "namespace_name"),
            pod: text(k8s, "pod_name"),
            container: text(k8s, "container_name"),
            stream: text(doc, "stream"),
            level: level.or_else(|| level::from_text(raw)),
            message: cut(raw, self.limit),
            trace_id,
            fields: flatten(source, &mut self.interner),
        }
    }

    /// A line read from a pod's log (the Kubernetes API), with the same level and trace
    /// detection as a document; `id` should be unique per line (e.g. pod/container/offset).
    pub fn parse_raw(
        &mut self,
        id: String,
        pod: &str,
        container: &str,
        timestamp: DateTime<Utc>,
        raw: &str,
    ) -> LogLine {
        let (level, trace_id) = structured(&Map::new(), raw);
        LogLine {
            id,
            timestamp,
            namespace: String::new(),
            pod: pod.to_owned(),
            container: container.to_owned(),
            stream: String::new(),
            level: level.or_else(|| level::from_text(raw)),
            message: cut(raw, self.limit),
            trace_id,
            fields: Fields::new(),
        }
    }
}

impl LineParser {
    /// A line of a pod's log read through the Kubernetes API ([`crate::podlogs`]): `raw` as
    /// read (invalid UTF-8 already replaced), `dropped` the bytes the reader cut off past it.
    pub fn parse_pod(
        &mut self,
        id: String,
        source: &PodSource<'_>,
        raw: &str,
        dropped: usize,
    ) -> LogLine {
        let (level, trace_id) = structured(&Map::new(), raw);
        LogLine {
            id,
            timestamp: source.timestamp,
            namespace: source.namespace.to_owned(),
            pod: source.pod.to_owned(),
            container: source.container.to_owned(),
            stream: String::new(),
            level: level.or_else(|| level::from_text(raw)),
            message: cut_counting(raw, self.limit, dropped),
            trace_id,
            fields: Fields::new(),
        }
    }

    /// The longest message kept, in bytes (longer ones are cut and marked).
    pub fn limit(&self) -> usize {
        self.limit
    }
}

/// Where a pod-log line was read, for [`LineParser::parse_pod`].
#[derive(Debug, Clone, Copy)]
pub struct PodSource<'a> {
    pub namespace: &'a str,
    pub pod: &'a str,
    pub container: &'a str,
    pub timestamp: DateTime<Utc>,
}

/// Level and trace id from structured fields: Merge_Log's at the top level, or under
/// `log_processed` (`Merge_Log_Key`), or — without Merge_Log — the JSON line itself.
fn structured(doc: &Map<String, Value>, raw: &str) -> (Option<Level>, Option<String>) {
    let processed = doc.get("log_processed").and_then(Value::as_object);
    let mut level = level::from_json(doc).or_else(|| processed.and_then(level::from_json));
    let mut trace_id = trace::from_json(doc).or_else(|| processed.and_then(trace::from_json));
    // A merged document already holds the line's keys: only an unmerged JSON line is read.
    if level.is_none()
        && trace_id.is_none()
        && raw.trim_start().starts_with('{')
        && let Ok(Value::Object(line)) = serde_json::from_str::<Value>(raw)
    {
        level = level.or_else(|| level::from_json(&line));
        trace_id = trace_id.or_else(|| trace::from_json(&line));
    }
    (level, trace_id)
}

/// `2026-11-27T10:00:00.123Z`, with an offset, with nanoseconds, or without a zone (UTC).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// Without the trailing newline the container runtime kept, and at most `limit` bytes.
fn cut(raw: &str, limit: usize) -> String {
    cut_counting(raw, limit, 0)
}

/// As [`cut`], for a line whose reader already dropped `dropped` bytes past what it kept
/// (a pod log is read with a bound per line): the marker counts those too.
pub(crate) fn cut_counting(raw: &str, limit: usize, dropped: usize) -> String {
    let line = raw
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(raw);
    if line.len() <= limit && dropped == 0 {
        return line.to_owned();
    }
    let mut end = limit.min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{} …[truncated: {} more bytes]",
        &line[..end],
        line.len() - end + dropped
    )
}

#[cfg(test)]
mod tests;

//! One log line as rows on screen: its time, level and pod, then its message made inert
//! (`text::reveal`: every control character and escape sequence drawn as a visible symbol),
//! cut at the edge or wrapped, a JSON message pretty-printed on demand, found text picked out.
//!
//! Only the lines in sight are turned into rows, each frame: a buffer of 100,000 lines costs
//! nothing to draw but the screenful.

use funcdeck_core::elastic::{Level, LogLine};
use funcdeck_core::text::reveal;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::theme::{StyleName, Theme};

/// How lines are drawn (the pane's toggles and its width).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub timestamps: bool,
    pub wrap: bool,
    pub pretty: bool,
    /// Columns for a whole row, prefix included.
    pub width: usize,
}

/// Width of `12:00:00.123 `.
const TIME_WIDTH: usize = 13;
/// Width of `ERROR `.
const LEVEL_WIDTH: usize = 6;
/// Characters of the pod's name shown: its last part (`…-x2x4q`), as stern's colours tell
/// pods apart.
const POD_WIDTH: usize = 6;

impl Shape {
    fn prefix_width(&self) -> usize {
        LEVEL_WIDTH + POD_WIDTH + if self.timestamps { TIME_WIDTH } else { 0 }
    }

    /// Columns for the message.
    fn body_width(&self) -> usize {
        self.width.saturating_sub(self.prefix_width()).max(8)
    }
}

/// The theme style of a level (no level: plain text).
pub fn level_style(level: Option<Level>) -> StyleName {
    match level {
        Some(Level::Error | Level::Fatal) => StyleName::LogError,
        Some(Level::Warn) => StyleName::LogWarn,
        Some(Level::Info) => StyleName::LogInfo,
        Some(Level::Debug | Level::Trace) => StyleName::LogDebug,
        None => StyleName::Text,
    }
}

fn level_word(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Trace) => "TRACE",
        Some(Level::Debug) => "DEBUG",
        Some(Level::Info) => "INFO",
        Some(Level::Warn) => "WARN",
        Some(Level::Error) => "ERROR",
        Some(Level::Fatal) => "FATAL",
        None => "",
    }
}

/// The last part of a pod's name (the replica's own letters).
fn pod_tail(pod: &str) -> String {
    let tail = pod.rsplit('-').next().unwrap_or(pod);
    let tail: String = tail.chars().take(POD_WIDTH - 1).collect();
    reveal(&tail).into_owned()
}

/// The message's text lines before wrapping, each already inert.
fn body(line: &LogLine, shape: &Shape) -> Vec<String> {
    if shape.pretty
        && let Some(pretty) = pretty_json(&line.message)
    {
        return pretty.lines().map(|l| reveal(l).into_owned()).collect();
    }
    if shape.wrap {
        line.message
            .split('\n')
            .map(|l| reveal(l).into_owned())
            .collect()
    } else {
        vec![reveal(&line.message).into_owned()]
    }
}

/// A JSON object or array message, indented; `None` for anything else.
pub fn pretty_json(message: &str) -> Option<String> {
    let trimmed = message.trim();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

/// Splits `text` into pieces at most `width` columns wide.
fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && at > start {
            pieces.push(&text[start..at]);
            (start, used) = (at, 0);
        }
        used += w;
    }
    pieces.push(&text[start..]);
    pieces
}

/// How many rows `line` takes.
pub fn height(line: &LogLine, shape: &Shape) -> usize {
    if !shape.wrap && !shape.pretty {
        return 1;
    }
    let body = body(line, shape);
    if !shape.wrap {
        return body.len().max(1);
    }
    let width = shape.body_width();
    body.iter()
        .map(|l| wrap(l, width).len())
        .sum::<usize>()
        .max(1)
}

/// The rows of `line`, with `find` (when not empty) picked out.
pub fn rows(
    line: &LogLine,
    shape: &Shape,
    find: &str,
    selected: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let tone = theme.style(level_style(line.level));
    let mut prefix = Vec::with_capacity(3);
    if shape.timestamps {
        prefix.push(Span::styled(
            line.timestamp.format("%H:%M:%S%.3f ").to_string(),
            theme.style(StyleName::Muted),
        ));
    }
    prefix.push(Span::styled(
        format!("{:<LEVEL_WIDTH$}", level_word(line.level)),
        tone,
    ));
    prefix.push(Span::styled(
        format!("{:<POD_WIDTH$}", pod_tail(&line.pod)),
        theme.style(StyleName::Muted),
    ));
    let indent = " ".repeat(shape.prefix_width());
    let width = shape.body_width();
    let mut rows = Vec::new();
    for text in body(line, shape) {
        let pieces = if shape.wrap {
            wrap(&text, width)
        } else {
            vec![text.as_str()]
        };
        for piece in pieces {
            let mut spans = if rows.is_empty() {
                prefix.clone()
            } else {
                vec![Span::raw(indent.clone())]
            };
            spans.extend(highlight(
                piece,
                find,
                tone,
                theme.style(StyleName::LogMatch),
            ));
            rows.push(Line::from(spans));
        }
    }
    if rows.is_empty() {
        rows.push(Line::from(prefix));
    }
    if selected {
        let pick = theme.style(StyleName::TableSelected);
        for row in &mut rows {
            *row = std::mem::take(row).patch_style(pick);
        }
    }
    rows
}

/// `text` in spans, the (ASCII case-insensitive) occurrences of `find` in `matched`.
fn highlight(text: &str, find: &str, plain: Style, matched: Style) -> Vec<Span<'static>> {
    if find.is_empty() {
        return vec![Span::styled(text.to_owned(), plain)];
    }
    let (hay, needle) = (text.to_ascii_lowercase(), find.to_ascii_lowercase());
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(found) = hay[at..].find(&needle) {
        let start = at + found;
        let end = start + needle.len();
        if start > at {
            spans.push(Span::styled(text[at..start].to_owned(), plain));
        }
        spans.push(Span::styled(text[start..end].to_owned(), matched));
        at = end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(text[at..].to_owned(), plain));
    }
    spans
}

/// Whether `line` holds `find` (as the highlight matches it).
pub fn matches(line: &LogLine, find: &str) -> bool {
    !find.is_empty()
        && line
            .message
            .to_ascii_lowercase()
            .contains(&find.to_ascii_lowercase())
}

//! The traces list's typed filters — a duration (`500ms`, `500ms..2s`, `..2s`), an operation
//! and span tags — each typed on a line under the figures. Taken, they keep at once what was
//! read and are asked of Jaeger too ([`TraceFilter`]), which reads again.

use std::time::Duration;

use funcdeck_core::jaeger::Trace;

use super::{TracesView, tags};
use crate::app::TraceFilter;
use crate::command::Command;
use crate::views::{Action, Ctx};

/// Which filter a line is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Duration,
    Operation,
    Tags,
}

impl LineKind {
    /// The line's prompt.
    pub fn label(self) -> &'static str {
        match self {
            LineKind::Duration => "duration (500ms, 500ms..2s, ..2s): ",
            LineKind::Operation => "operation: ",
            LineKind::Tags => "span tags (key=value …): ",
        }
    }
}

/// A filter line being typed, and why the last Enter did not take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLine {
    pub kind: LineKind,
    pub text: String,
    pub problem: Option<String>,
}

impl TracesView {
    /// Starts typing `kind`, from what it is now.
    pub(super) fn open_line(&mut self, kind: LineKind) {
        let filter = &self.filter;
        let text = match kind {
            LineKind::Duration => durations_words(filter.min_duration, filter.max_duration),
            LineKind::Operation => filter.operation.clone().unwrap_or_default(),
            LineKind::Tags => tags::words(&filter.tags),
        };
        self.line = Some(FilterLine {
            kind,
            text,
            problem: None,
        });
    }

    pub(super) fn on_line_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(line) = &mut self.line else {
            return Vec::new();
        };
        match command {
            Command::Cancel | Command::Back => self.line = None,
            Command::DeleteChar => {
                line.text.pop();
                line.problem = None;
            }
            Command::Confirm => match taken(line.kind, line.text.trim(), &self.filter) {
                Ok(filter) => {
                    self.line = None;
                    if filter == self.filter {
                        return Vec::new();
                    }
                    let keep = self.selected_id();
                    self.filter = filter;
                    self.follow(keep);
                    // What is here is filtered at once; Jaeger is asked for the rest.
                    return self.subscribe(ctx);
                }
                Err(problem) => line.problem = Some(problem),
            },
            _ => {}
        }
        Vec::new()
    }

    /// Whether the filter keeps `trace` (lasting `duration_ms`): the duration is the whole
    /// trace's, as the list shows it; the operation and the tags are any span's.
    pub(super) fn keeps(&self, trace: &Trace, duration_ms: f64) -> bool {
        let filter = &self.filter;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        filter.min_duration.is_none_or(|d| duration_ms >= ms(d))
            && filter.max_duration.is_none_or(|d| duration_ms <= ms(d))
            && filter
                .operation
                .as_ref()
                .is_none_or(|op| trace.spans.iter().any(|s| s.operation == *op))
            && filter.tags.iter().all(|(key, value)| {
                trace.spans.iter().any(|span| {
                    span.tags
                        .iter()
                        .chain(&span.process_tags)
                        .any(|(k, v)| k == key && v.to_string() == *value)
                })
            })
    }
}

/// `filter` with the typed `text` of `kind` in place of what it had.
fn taken(kind: LineKind, text: &str, filter: &TraceFilter) -> Result<TraceFilter, String> {
    let mut filter = filter.clone();
    match kind {
        LineKind::Duration => {
            (filter.min_duration, filter.max_duration) = parse_durations(text)?;
        }
        LineKind::Operation => filter.operation = (!text.is_empty()).then(|| text.to_owned()),
        LineKind::Tags => filter.tags = tags::parse(text)?,
    }
    Ok(filter)
}

/// `500ms` (at least), `500ms..2s` (between), `..2s` (at most), empty (any).
pub fn parse_durations(text: &str) -> Result<(Option<Duration>, Option<Duration>), String> {
    let one = |part: &str| {
        let part = part.trim();
        if part.is_empty() {
            Ok(None)
        } else {
            funcdeck_core::duration::parse(part).map(Some)
        }
    };
    let (min, max) = match text.split_once("..") {
        Some((min, max)) => (one(min)?, one(max)?),
        None => (one(text)?, None),
    };
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(format!(
            "{} is more than {}",
            funcdeck_core::duration::words(min),
            funcdeck_core::duration::words(max)
        ));
    }
    Ok((min, max))
}

/// What [`parse_durations`] reads back.
pub fn durations_words(min: Option<Duration>, max: Option<Duration>) -> String {
    let words = funcdeck_core::duration::words;
    match (min, max) {
        (None, None) => String::new(),
        (Some(min), None) => words(min),
        (min, Some(max)) => format!("{}..{}", min.map(words).unwrap_or_default(), words(max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_at_least_between_or_at_most() {
        let ms = Duration::from_millis;
        assert_eq!(parse_durations(""), Ok((None, None)));
        assert_eq!(parse_durations("500ms"), Ok((Some(ms(500)), None)));
        assert_eq!(
            parse_durations("500ms..2s"),
            Ok((Some(ms(500)), Some(ms(2000))))
        );
        assert_eq!(parse_durations(" ..2s"), Ok((None, Some(ms(2000)))));
        assert_eq!(parse_durations("1s.."), Ok((Some(ms(1000)), None)));
        assert_eq!(parse_durations("2s..1s"), Err("2s is more than 1s".into()));
        assert!(parse_durations("fast").is_err());
        for (min, max) in [
            (Some(ms(500)), Some(ms(2000))),
            (None, Some(ms(20))),
            (Some(ms(3)), None),
        ] {
            assert_eq!(parse_durations(&durations_words(min, max)), Ok((min, max)));
        }
    }
}

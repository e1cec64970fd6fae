//! The traces list's typed filters: a minimum duration and span tags, each typed on a line
//! under the figures. Taken, they filter what was read at once and are asked of Jaeger too.

use super::{TracesView, tags};
use crate::command::Command;
use crate::views::{Action, Ctx};

/// Which filter a line is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    MinDuration,
    Tags,
}

/// A filter line being typed, and why the last Enter did not take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLine {
    pub kind: LineKind,
    pub text: String,
    pub problem: Option<String>,
}

impl TracesView {
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
            Command::Confirm => {
                let text = line.text.trim();
                let taken = match line.kind {
                    LineKind::MinDuration if text.is_empty() => Ok((None, self.tags.clone())),
                    LineKind::MinDuration => funcdeck_core::duration::parse(text)
                        .map(|min| (Some(min), self.tags.clone())),
                    LineKind::Tags => tags::parse(text).map(|tags| (self.min_duration, tags)),
                };
                match taken {
                    Ok((min, tags)) => {
                        self.line = None;
                        if (min, &tags) == (self.min_duration, &self.tags) {
                            return Vec::new();
                        }
                        let keep = self.selected_id();
                        self.min_duration = min;
                        self.tags = tags;
                        self.follow(keep);
                        // What is here is filtered at once; Jaeger is asked for the rest.
                        return self.subscribe(ctx);
                    }
                    Err(problem) => line.problem = Some(problem),
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Whether some span of `trace` has every tag asked for (Jaeger's own rule).
    pub(super) fn has_tags(&self, trace: &funcdeck_core::jaeger::Trace) -> bool {
        self.tags.iter().all(|(key, value)| {
            trace.spans.iter().any(|span| {
                span.tags
                    .iter()
                    .chain(&span.process_tags)
                    .any(|(k, v)| k == key && v.to_string() == *value)
            })
        })
    }
}

//! A scrollable text: a revision's full object as YAML, or the diff of two revisions' specs.
//! Built once when opened (revisions are immutable), sanitized like all cluster text.

use funcdeck_core::knative::Revision;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use serde_json::Value;

use super::{Action, Ctx};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use funcdeck_core::diff::{Change, line_diff};

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Down, "scroll"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

#[derive(Debug)]
pub struct TextView {
    pub title: String,
    pub lines: Vec<(String, Option<StyleName>)>,
    pub scroll: usize,
}

impl TextView {
    /// The whole revision as `kubectl get revision NAME -o yaml` shows it (less managedFields).
    pub fn revision(revision: &Revision) -> Self {
        let mut value = serde_json::to_value(revision).unwrap_or(Value::Null);
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
        let name = revision.metadata.name.clone().unwrap_or_default();
        TextView {
            title: format!("Revision {name}"),
            lines: yaml(&value).lines().map(|l| (l.to_owned(), None)).collect(),
            scroll: 0,
        }
    }

    /// What changed from `old` to `new`: their labels, annotations and spec, as a diff.
    pub fn revision_diff(old: &Revision, new: &Revision) -> Self {
        let name = |r: &Revision| r.metadata.name.clone().unwrap_or_default();
        let (old_text, new_text) = (yaml(&spec_of(old)), yaml(&spec_of(new)));
        let mut lines = vec![
            (format!("--- {}", name(old)), Some(StyleName::DiffRemoved)),
            (format!("+++ {}", name(new)), Some(StyleName::DiffAdded)),
        ];
        let diff = line_diff(&old_text, &new_text);
        if diff.iter().all(|(change, _)| *change == Change::Same) {
            lines.push((
                "(the specs are identical)".to_owned(),
                Some(StyleName::Muted),
            ));
        }
        lines.extend(diff.into_iter().map(|(change, line)| match change {
            Change::Same => (format!("  {line}"), None),
            Change::Removed => (format!("- {line}"), Some(StyleName::DiffRemoved)),
            Change::Added => (format!("+ {line}"), Some(StyleName::DiffAdded)),
        }));
        TextView {
            title: format!("Diff {} → {}", name(old), name(new)),
            lines,
            scroll: 0,
        }
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        &[KeyContext::Text]
    }

    /// Lines that fit in the box (the body less its two border lines).
    fn page(ctx: &Ctx<'_>) -> usize {
        usize::from(ctx.shell.body_height.saturating_sub(2)).max(1)
    }

    /// Keeps the text filling the box after the terminal grows.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        self.scroll = self
            .scroll
            .min(self.lines.len().saturating_sub(Self::page(ctx)));
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let page = Self::page(ctx);
        let last = self.lines.len().saturating_sub(page);
        self.scroll = match command {
            Command::Up => self.scroll.saturating_sub(1),
            Command::Down => self.scroll + 1,
            Command::PageUp => self.scroll.saturating_sub(page),
            Command::PageDown => self.scroll + page,
            Command::Top => 0,
            Command::Bottom => last,
            _ => return None,
        }
        .min(last);
        Some(Vec::new())
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        Some((self.scroll + 1, self.lines.len()))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::TableBorder))
            .title(Span::styled(
                format!(" {} ", sanitize(&self.title)),
                theme.style(StyleName::TableTitle),
            ));
        let height = usize::from(area.height.saturating_sub(2));
        let lines: Vec<Line<'_>> = self
            .lines
            .iter()
            .skip(self.scroll)
            .take(height)
            .map(|(text, tone)| {
                let style = tone.map_or(theme.style(StyleName::Text), |t| theme.style(t));
                Line::styled(sanitize(text).into_owned(), style)
            })
            .collect();
        Paragraph::new(lines).block(block).render(area, buf);
    }
}

/// What defines a revision's behaviour: its labels, annotations and spec.
fn spec_of(revision: &Revision) -> Value {
    serde_json::json!({
        "metadata": {
            "labels": revision.metadata.labels,
            "annotations": revision.metadata.annotations,
        },
        "spec": revision.spec,
    })
}

fn yaml(value: &Value) -> String {
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("# cannot show as YAML: {e}"))
}

//! Drawing the traffic editor: a box over the detail with one row per target, the total, the
//! split now and after (or why it cannot be applied yet), and the editor's keys from the keymap.

use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::rollback::describe_split;
use funcdeck_core::function::traffic_plan::Target;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::traffic::{STEP, TrafficEditor, Typing};
use crate::command::Command;
use crate::keymap::{KeyContext, Keymap};
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;

pub struct TrafficEditorBox<'a> {
    pub editor: &'a TrafficEditor,
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
}

/// Width of the share bar: 20 cells for 100%.
const BAR: u32 = 20;

impl Widget for TrafficEditorBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let TrafficEditorBox {
            editor,
            keymap,
            theme,
        } = self;
        let name = &editor.key.name;
        let style = |s: StyleName| theme.style(s);
        let prefix = format!("{name}-");
        let mut lines = Vec::new();
        for (i, row) in editor.rows.iter().enumerate() {
            let short = |r: &str| r.strip_prefix(&prefix).unwrap_or(r).to_owned();
            let label = match (&row.target, &editor.latest_ready) {
                (Target::Latest, Some(now)) => format!("@latest ({})", short(now)),
                (Target::Latest, None) => "@latest".to_owned(),
                (Target::Revision(r), _) => short(r),
            };
            let selected = i == editor.cursor;
            let percent = match (&editor.typing, selected) {
                (Some(Typing::Percent(text)), true) => format!("{text:>3}█"),
                _ => format!("{:>3}%", row.percent),
            };
            let filled = (row.percent * BAR / 100) as usize;
            let bar = format!(
                "{}{}",
                "█".repeat(filled),
                "·".repeat(BAR as usize - filled)
            );
            let mut tags: Vec<String> = row
                .tags
                .iter()
                .map(|t| format!("#{}", sanitize(t)))
                .collect();
            if let (Some(Typing::Tag(text)), true) = (&editor.typing, selected) {
                tags.push(format!("#{}█", sanitize(text)));
            }
            let state = match row.ready {
                ConditionStatus::False => "✗ failed",
                ConditionStatus::Unknown if row.target != Target::Latest => "… not ready",
                _ => "",
            };
            let row_style = if selected {
                style(StyleName::TableSelected)
            } else {
                style(StyleName::Text)
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{} {:<16} {percent} ",
                        if selected { "›" } else { " " },
                        sanitize(&label)
                    ),
                    row_style,
                ),
                Span::styled(bar, style(StyleName::ReadinessReady)),
                Span::styled(format!(" {:<24}", tags.join(" ")), row_style),
                Span::styled(state.to_owned(), style(StyleName::for_condition(row.ready))),
            ]));
        }
        lines.push(Line::raw(""));
        let sum = editor.sum();
        lines.push(Line::styled(
            format!("Total {sum}%"),
            style(if sum == 100 {
                StyleName::ReadinessReady
            } else {
                StyleName::ReadinessFailed
            }),
        ));
        match &editor.plan {
            Ok(plan) => {
                lines.push(Line::styled(
                    format!("Now:   {}", sanitize(&describe_split(name, &plan.before))),
                    style(StyleName::Muted),
                ));
                lines.push(Line::styled(
                    format!("After: {}", sanitize(&describe_split(name, &plan.after))),
                    style(StyleName::Text),
                ));
            }
            Err(why) => lines.push(Line::styled(
                format!("✗ {}", sanitize(&why.to_string())),
                style(StyleName::ReadinessFailed),
            )),
        }
        if let Some(error) = &editor.error {
            lines.push(Line::styled(
                format!("✗ {}", sanitize(error)),
                style(StyleName::ReadinessFailed),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(keys(editor, keymap), style(StyleName::Footer)));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(style(StyleName::TableBorder))
            .title(Span::styled(
                format!(" Traffic of {} ", sanitize(&editor.key.to_string())),
                style(StyleName::TableTitle),
            ));
        let inner_width = area.width.saturating_sub(2).max(1);
        let wanted: u16 = lines
            .iter()
            .map(|l| (l.width() as u16).div_ceil(inner_width).max(1))
            .sum::<u16>()
            + 2;
        let height = wanted.min(area.height);
        let popup = Rect {
            y: area.y + (area.height - height) / 2,
            height,
            ..area
        };
        Clear.render(popup, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(popup, buf);
    }
}

/// The editor's keys, named from the keymap.
fn keys(editor: &TrafficEditor, keymap: &Keymap) -> String {
    if editor.typing.is_some() {
        let chain = [KeyContext::Input];
        let what = match editor.typing {
            Some(Typing::Tag(_)) => "set the tag",
            _ => "set the share",
        };
        return format!(
            "{} {what} · {} cancel",
            keymap.hint(&chain, Command::Confirm),
            keymap.hint(&chain, Command::Cancel)
        );
    }
    let chain = [KeyContext::Traffic];
    let hint = |c| keymap.hint(&chain, c);
    format!(
        "{}/{} ±{STEP}% · 0-9 type a share · {} tag · {} untag · {} apply · {} close",
        hint(Command::Raise),
        hint(Command::Lower),
        hint(Command::Tag),
        hint(Command::Untag),
        hint(Command::Confirm),
        hint(Command::Back),
    )
}

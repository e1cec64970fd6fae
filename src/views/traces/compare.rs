//! Two marked traces side by side (`d` in the traces list): span by span, matched by where
//! they sit in each tree, with A's and B's durations and the difference (slower in B in the
//! theme's removal colour, faster in its addition colour); spans only one side has are said.

use funcdeck_core::jaeger::compare::{CompareRow, compare};
use funcdeck_core::jaeger::{SpanTree, Trace};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, Widget};

use super::super::{Action, Ctx};
use super::render::ms;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;

pub const HINTS: &[(Command, &str)] = &[(Command::Down, "move"), (Command::Back, "back")];

#[derive(Debug)]
pub struct CompareView {
    pub a: Trace,
    pub b: Trace,
    pub rows: Vec<CompareRow>,
    pub cursor: usize,
}

impl CompareView {
    pub fn new(a: Trace, b: Trace) -> Self {
        let (at, bt) = (SpanTree::build(&a), SpanTree::build(&b));
        let rows = compare(&a, &at, &b, &bt);
        CompareView {
            a,
            b,
            rows,
            cursor: 0,
        }
    }

    pub fn title(&self) -> String {
        "Compare traces".to_owned()
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        &[KeyContext::Trace]
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        (!self.rows.is_empty()).then(|| (self.cursor + 1, self.rows.len()))
    }

    pub fn on_command(&mut self, command: Command, _ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let last = self.rows.len().saturating_sub(1);
        match command {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(last),
            Command::PageUp => self.cursor = self.cursor.saturating_sub(20),
            Command::PageDown => self.cursor = (self.cursor + 20).min(last),
            Command::Top => self.cursor = 0,
            Command::Bottom => self.cursor = last,
            _ => return None,
        }
        Some(Vec::new())
    }
}

fn short(trace: &Trace) -> String {
    let id = trace.id.as_str();
    sanitize(&id[..id.len().min(16)]).into_owned()
}

pub fn render(view: &CompareView, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let title = Line::from(vec![
        Span::styled(
            format!(" Compare A {} · B {} ", short(&view.a), short(&view.b)),
            theme.style(StyleName::TableTitle),
        ),
        Span::styled(
            format!(
                "· A {} · B {} ",
                ms(view.a.duration_us()),
                ms(view.b.duration_us())
            ),
            theme.style(StyleName::Muted),
        ),
    ]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(title);
    let height = block.inner(area).height.saturating_sub(1) as usize;
    let top = view.cursor.saturating_sub(height.saturating_sub(1));
    let header = Row::new(["SPAN", "A", "B", "B − A"]).style(theme.style(StyleName::TableHeader));
    let rows = view
        .rows
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, row)| {
            let name = format!(
                "{}{} {}",
                "  ".repeat(row.depth.min(20)),
                sanitize(&row.service),
                sanitize(&row.operation)
            );
            let side = |us: Option<i64>| us.map_or_else(|| "—".to_owned(), ms);
            let (difference, style) = match (row.difference_us(), row.a, row.b) {
                (Some(d), _, _) if d > 0 => (format!("+{}", ms(d)), StyleName::DiffRemoved),
                (Some(d), _, _) if d < 0 => (format!("-{}", ms(-d)), StyleName::DiffAdded),
                (Some(_), _, _) => ("0".to_owned(), StyleName::Muted),
                (None, None, _) => ("only in B".to_owned(), StyleName::EventWarning),
                (None, _, _) => ("only in A".to_owned(), StyleName::EventWarning),
            };
            let line = Row::new([
                Cell::from(name),
                Cell::from(side(row.a_us)),
                Cell::from(side(row.b_us)),
                Cell::from(difference).style(theme.style(style)),
            ]);
            if i == view.cursor {
                line.style(theme.style(StyleName::TableSelected))
            } else {
                line
            }
        });
    Table::new(
        rows,
        [
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Length(12),
        ],
    )
    .header(header)
    .block(block)
    .render(area, buf);
}

//! Drawing the form: one row per field (three for the `KEY=VALUE` lists), its problem in red
//! underneath, and at the bottom what submitting would do, or the server's refusal.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::slots::Slot;
use super::{FormView, Purpose};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

const LABEL_WIDTH: u16 = 16;
/// Rows a `KEY=VALUE` list shows.
const LIST_ROWS: u16 = 3;

fn rows_of(view: &FormView, slot: Slot) -> u16 {
    let body = if slot.multiline() { LIST_ROWS } else { 1 };
    body + u16::from(view.problems.contains_key(&slot))
}

pub fn render(view: &FormView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(
            format!(" {} ", sanitize(&view.title())),
            theme.style(StyleName::TableTitle),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let warning = view.quota_warning();
    let footer_rows = 3 + u16::try_from(warning.len()).unwrap_or(u16::MAX);
    let fields_height = inner.height.saturating_sub(footer_rows);
    // Scroll so the focused field is on screen.
    let tops: Vec<u16> = view
        .slots
        .iter()
        .scan(0u16, |y, slot| {
            let top = *y;
            *y += rows_of(view, *slot);
            Some(top)
        })
        .collect();
    let focus_bottom = tops[view.focus] + rows_of(view, view.focused());
    let offset = focus_bottom.saturating_sub(fields_height);
    for (i, slot) in view.slots.iter().enumerate() {
        let Some(top) = tops[i].checked_sub(offset) else {
            continue;
        };
        let rows = rows_of(view, *slot);
        if top + rows > fields_height {
            break;
        }
        let row = Rect::new(inner.x, inner.y + top, inner.width, rows);
        field(view, *slot, i == view.focus, row, buf, theme);
    }
    let bottom = Rect::new(
        inner.x,
        inner.y + inner.height.saturating_sub(footer_rows),
        inner.width,
        footer_rows.min(inner.height),
    );
    let [warning_area, bottom] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(footer_rows - 3),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(bottom);
    let warning: Vec<Line<'_>> = warning
        .into_iter()
        .map(|text| {
            Line::styled(
                sanitize(&text).into_owned(),
                theme.style(StyleName::EventWarning),
            )
        })
        .collect();
    Paragraph::new(warning).render(warning_area, buf);
    summary(view, bottom, buf, ctx, theme);
}

fn field(view: &FormView, slot: Slot, focused: bool, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let label_style = if focused {
        theme.style(StyleName::TableSelected)
    } else {
        theme.style(StyleName::HeaderLabel)
    };
    Line::styled(
        format!("{:>w$} ", slot.label(), w = usize::from(LABEL_WIDTH - 1)),
        label_style,
    )
    .render(Rect::new(area.x, area.y, LABEL_WIDTH, 1), buf);
    let body_rows = if slot.multiline() { LIST_ROWS } else { 1 };
    let body = Rect::new(
        area.x + LABEL_WIDTH,
        area.y,
        area.width.saturating_sub(LABEL_WIDTH),
        body_rows,
    );
    if slot == Slot::Template {
        template_line(view, focused, body, buf, theme);
    } else if let Some(textarea) = view.field(slot) {
        if textarea.is_empty() && !focused {
            Line::styled(slot.placeholder(), theme.style(StyleName::Muted)).render(body, buf);
        } else {
            let mut shown = textarea.clone();
            shown.set_style(theme.style(StyleName::Text));
            let cursor = if focused {
                theme
                    .style(StyleName::Text)
                    .add_modifier(Modifier::REVERSED)
            } else {
                theme.style(StyleName::Text)
            };
            shown.set_cursor_style(cursor);
            shown.render(body, buf);
        }
    }
    if let Some(problem) = view.problems.get(&slot) {
        Line::styled(
            format!("✗ {}", sanitize(problem)),
            theme.style(StyleName::ReadinessFailed),
        )
        .render(Rect::new(body.x, area.y + body_rows, body.width, 1), buf);
    }
}

fn template_line(view: &FormView, focused: bool, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(template) = view.catalogue.templates.get(view.template) else {
        Line::styled("no templates", theme.style(StyleName::Muted)).render(area, buf);
        return;
    };
    let chosen = if focused {
        theme.style(StyleName::TableSelected)
    } else {
        theme.style(StyleName::Text)
    };
    Line::from(vec![
        Span::styled(format!("‹ {} ›", template.id()), chosen),
        Span::styled(
            format!(
                "  {} on {} ({} of {})",
                template.runtime,
                template.os_title,
                view.template + 1,
                view.catalogue.templates.len()
            ),
            theme.style(StyleName::Muted),
        ),
    ])
    .render(area, buf);
}

fn summary(view: &FormView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let submit = ctx.shell.keymap.hint(&[KeyContext::Form], Command::Submit);
    let text = match (&view.refusal, view.change()) {
        (Some(refusal), _) => Line::styled(
            format!("✗ refused: {}", sanitize(refusal)),
            theme.style(StyleName::BannerError),
        ),
        (None, Err(problems)) => Line::styled(
            format!(
                "{} field{} to fix before {submit} can apply it",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
            theme.style(StyleName::ReadinessFailed),
        ),
        (None, Ok(None)) => Line::styled(
            "nothing is changed yet".to_owned(),
            theme.style(StyleName::Muted),
        ),
        (None, Ok(Some(mutation))) => {
            let what = match (&view.purpose, &mutation) {
                (Purpose::Create, crate::app::Mutation::CreateFunction { summary, .. }) => {
                    format!("{submit} creates {}: {summary}", mutation.target())
                }
                (_, crate::app::Mutation::UpdateFunction { summary, .. }) => {
                    format!("{submit} deploys a new revision: {summary}")
                }
                _ => mutation.describe(),
            };
            Line::styled(sanitize(&what).into_owned(), theme.style(StyleName::Text))
        }
    };
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

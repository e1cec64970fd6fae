//! Drawing who-can: one row per subject, a ✓ per verb it can, and the bindings and roles it
//! holds them through.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::WhoCanView;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::{Grid, message};
use crate::views::Ctx;

fn title(view: &WhoCanView, ctx: &Ctx<'_>) -> String {
    let verbs = view.question.verbs.join("/");
    let mut title = format!("Who can {verbs} {}", view.about);
    if view.question.cluster_scoped {
        title.push_str(" · cluster-scoped: only cluster-wide bindings count");
    } else {
        title.push_str(&format!(" · namespace {}", view.namespace));
        if ctx.shell.all_namespaces() && view.follows_scope() {
            title.push_str(" (the context's)");
        }
    }
    if let Some(error) = view.rbac.error().filter(|_| view.rbac.is_stale()) {
        title.push_str(&format!(" · stale: {}", error.kind_label()));
    }
    title
}

pub fn render(view: &WhoCanView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(
            format!(" {} ", sanitize(&title(view, ctx))),
            theme.style(StyleName::TableTitle),
        ));
    if view.rows.is_empty() {
        let (text, style) = match (view.rbac.error(), view.rbac.data()) {
            (Some(error), _) => (
                format!(
                    "Cannot read the roles and bindings ({}):\n{}",
                    error.kind_label(),
                    sanitize(&error.to_string())
                ),
                StyleName::ReadinessFailed,
            ),
            (None, Some(_)) => (
                format!(
                    "No binding lets anyone {} {}.",
                    view.question.verbs.join(" or "),
                    sanitize(&view.about)
                ),
                StyleName::Muted,
            ),
            (None, None) => ("Reading roles and bindings…".to_owned(), StyleName::Muted),
        };
        message(block, area, buf, text, theme.style(style));
        return;
    }
    let mut header = vec!["KIND".to_owned(), "SUBJECT".to_owned()];
    header.extend(view.question.verbs.iter().map(|v| v.to_uppercase()));
    header.push("THROUGH".into());
    let mut widths = vec![Constraint::Length(14), Constraint::Length(28)];
    widths.extend(
        view.question
            .verbs
            .iter()
            .map(|v| Constraint::Length(v.len().max(3) as u16)),
    );
    widths.push(Constraint::Fill(1));
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                (sanitize(&row.kind).into_owned(), StyleName::Text),
                (sanitize(&row.name).into_owned(), StyleName::Text),
            ];
            cells.extend(row.can.iter().map(|can| {
                if *can {
                    ("✓".to_owned(), StyleName::ReadinessReady)
                } else {
                    ("·".to_owned(), StyleName::Muted)
                }
            }));
            cells.push((
                sanitize(&row.through.join(", ")).into_owned(),
                StyleName::Muted,
            ));
            cells
        })
        .collect();
    Grid {
        header,
        widths,
        rows,
        selected: Some(view.cursor),
        focused: true,
        block,
        theme,
    }
    .render(area, buf);
}

//! Drawing the Tenants view: the table, what could not be read about the tenants, and the line
//! a new tenant is typed on.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::TenantsView;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;
use crate::views::list::render::{ListText, render_list};

pub fn render(view: &TenantsView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let keymap = &ctx.shell.keymap;
    let key = |command| keymap.hint(&[KeyContext::Tenants], command);
    let mut notes: Vec<Line> = view
        .missing
        .iter()
        .map(|(what, error)| {
            Line::styled(
                format!(
                    " {what} not shown ({}): {}",
                    error.kind_label(),
                    sanitize(&error.to_string())
                ),
                theme.style(StyleName::EventWarning),
            )
        })
        .collect();
    if let Some(line) = &view.creating {
        notes.push(Line::from(vec![
            Span::styled(" New tenant: ", theme.style(StyleName::Prompt)),
            Span::raw(sanitize(line).into_owned()),
            Span::styled("▏", theme.style(StyleName::Prompt)),
        ]));
        let help = match &view.problem {
            Some(problem) => Line::styled(
                format!(" {}", sanitize(problem)),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => Line::styled(
                " NAME [small|medium|large] [owner=USER] — the owner becomes its funcdeck-admin; \
                 Enter previews, Esc cancels",
                theme.style(StyleName::Muted),
            ),
        };
        notes.push(help);
    }
    // Long reasons wrap rather than run off the screen.
    let width = usize::from(area.width).max(1);
    let rows: usize = notes.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
    let [table, below] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(u16::try_from(rows).unwrap_or(u16::MAX)),
    ])
    .areas(area);
    let text = ListText {
        name: "Tenants",
        noun: "tenants",
        scope: "cluster".into(),
        empty: format!(
            "No tenants: no namespace hosts a function or is labelled funcdeck.dev/tenant=true. \
             Press {} to create one.",
            key(Command::CreateTenant)
        ),
        loading: "Loading tenants…".into(),
        cluster_wide: true,
        focused: true,
    };
    render_list(&view.list, &text, None, table, buf, ctx, theme);
    Paragraph::new(notes)
        .wrap(Wrap { trim: false })
        .render(below, buf);
}

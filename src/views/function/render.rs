//! Drawing a function's detail: an overview box (URL, readiness, why it fails, conditions,
//! traffic), then its revisions, pods and events, each a table with its own state.

use funcdeck_core::error::CoreError;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::overview::overview;
use super::{FunctionView, Section};
use crate::app::Pane;
use crate::columns::{CellContext, Column, EVENT_COLUMNS, FUNCTION_REVISION_COLUMNS, POD_COLUMNS};
use crate::command::Command;
use crate::format::condition_cell;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::{DataTable, message};
use crate::views::Ctx;

/// The detail without the traffic editor.
fn render_detail(view: &FunctionView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let Some(detail) = &view.detail else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::TableBorder))
            .title(Span::styled(
                format!(" Function {} ", sanitize(&view.title())),
                theme.style(StyleName::TableTitle),
            ));
        let (text, style) = match view.service.error() {
            Some(error) => (
                format!(
                    "Cannot show this function ({}):\n{}\n\nPress {} to go back or {} to retry.",
                    error.kind_label(),
                    sanitize(&error.to_string()),
                    ctx.shell.keymap.hint(view.key_chain(), Command::Back),
                    ctx.shell.keymap.hint(view.key_chain(), Command::Retry),
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => (
                format!("Loading {}…", sanitize(&view.title())),
                theme.style(StyleName::Muted),
            ),
        };
        message(block, area, buf, text, style);
        return;
    };
    let overview_lines = overview(view, detail, ctx, theme);
    let inner_width = usize::from(area.width.saturating_sub(2)).max(1);
    // Long messages wrap: count the rows each line takes (word wrapping may take one more).
    let wrapped: usize = overview_lines
        .iter()
        .map(|line| line.width().div_ceil(inner_width).max(1))
        .sum();
    let overview_height = (wrapped as u16 + 2).min(area.height * 3 / 5);
    let rest = area.height.saturating_sub(overview_height);
    let (revisions_height, pods_height) = section_heights(
        rest,
        detail.revisions.len(),
        detail.pods.len(),
        detail.events.len(),
    );
    let [overview_area, revisions_area, pods_area, events_area] = Layout::vertical([
        Constraint::Length(overview_height),
        Constraint::Length(revisions_height),
        Constraint::Length(pods_height),
        Constraint::Fill(1),
    ])
    .areas(area);

    let (state, state_style) = if view.gone {
        ("✗ deleted ".to_owned(), StyleName::ReadinessFailed)
    } else {
        (
            format!("{} ", condition_cell(detail.ready, true)),
            StyleName::for_condition(detail.ready),
        )
    };
    let title = Line::from(vec![
        Span::styled(
            format!(" Function {} ", sanitize(&view.title())),
            theme.style(StyleName::TableTitle),
        ),
        Span::styled(state, theme.style(state_style)),
    ]);
    Paragraph::new(overview_lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.style(StyleName::TableBorder))
                .title(title),
        )
        .render(overview_area, buf);

    let cx = CellContext {
        now: ctx.shell.now,
        symbols: true,
        pulse: view.pulse.as_ref(),
    };
    let marked: Vec<usize> = detail
        .revisions
        .iter()
        .enumerate()
        .filter(|(_, r)| view.marked.contains(&r.revision.key.name))
        .map(|(i, _)| i)
        .collect();
    let part = Part {
        view,
        cx,
        theme,
        ctx,
    };
    part.table(
        Section::Revisions,
        "Revisions",
        &view.revisions,
        FUNCTION_REVISION_COLUMNS,
        &detail.revisions,
        marked,
        revisions_area,
        buf,
    );
    part.table(
        Section::Pods,
        "Pods",
        &view.pods,
        POD_COLUMNS,
        &detail.pods,
        Vec::new(),
        pods_area,
        buf,
    );
    part.table(
        Section::Events,
        "Events",
        &view.events,
        EVENT_COLUMNS,
        &detail.events,
        Vec::new(),
        events_area,
        buf,
    );
}

/// How tall the revisions and pods boxes are (events take the rest): each as tall as its rows
/// when everything fits, else revisions first (the failing one is what matters), then pods.
/// An empty box is three lines (borders and its message).
fn section_heights(rest: u16, revisions: usize, pods: usize, events: usize) -> (u16, u16) {
    let wanted = |rows: usize| if rows == 0 { 3 } else { rows as u16 + 3 };
    let (revisions, pods, events) = (wanted(revisions), wanted(pods), wanted(events));
    if revisions + pods + events <= rest {
        return (revisions, pods);
    }
    let revisions = revisions.min((rest / 2).max(4));
    let pods = pods.min((rest.saturating_sub(revisions) / 2).max(3));
    (revisions, pods)
}

struct Part<'a> {
    view: &'a FunctionView,
    cx: CellContext<'a>,
    theme: &'a Theme,
    ctx: &'a Ctx<'a>,
}

impl Part<'_> {
    /// One section's table, or why it has none (loading, forbidden, empty).
    #[allow(clippy::too_many_arguments)]
    fn table<T, P>(
        &self,
        section: Section,
        name: &str,
        pane: &Pane<P>,
        columns: &[Column<T>],
        rows: &[T],
        marked: Vec<usize>,
        area: Rect,
        buf: &mut Buffer,
    ) {
        let theme = self.theme;
        let focused = self.view.section == section;
        let border = if focused {
            StyleName::PopupBorder
        } else {
            StyleName::TableBorder
        };
        let mut title = vec![Span::styled(
            format!(" {name}[{}] ", rows.len()),
            theme.style(StyleName::TableTitle),
        )];
        if focused && section == Section::Revisions {
            let keymap = &self.ctx.shell.keymap;
            let chain = [KeyContext::Function];
            title.push(Span::styled(
                format!(
                    "{} spec · {} mark · {} diff · {} prune ",
                    keymap.hint(&chain, Command::Open),
                    keymap.hint(&chain, Command::Mark),
                    keymap.hint(&chain, Command::Diff),
                    keymap.hint(&chain, Command::Prune)
                ),
                theme.style(StyleName::Footer),
            ));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(border))
            .title(Line::from(title));
        if rows.is_empty() {
            let (text, style) = match pane.error() {
                Some(error) => (
                    missing(name, error),
                    theme.style(StyleName::ReadinessFailed),
                ),
                None if pane.is_loading() => (
                    format!("Loading {}…", name.to_lowercase()),
                    theme.style(StyleName::Muted),
                ),
                None => (empty(name), theme.style(StyleName::Muted)),
            };
            Paragraph::new(text)
                .style(style)
                .wrap(Wrap { trim: true })
                .block(block)
                .render(area, buf);
            return;
        }
        let visible = usize::from(area.height.saturating_sub(3)).max(1);
        let cursor = self.view.cursor(section);
        let offset = (cursor + 1).saturating_sub(visible);
        let shown: Vec<&T> = rows.iter().skip(offset).take(visible).collect();
        DataTable {
            columns,
            rows: shown,
            selected: focused.then(|| cursor - offset),
            marked: marked
                .into_iter()
                .filter_map(|m| m.checked_sub(offset))
                .collect(),
            sort: None,
            all_namespaces: false,
            cx: self.cx,
            block,
            theme,
        }
        .render(area, buf);
        if let Some(error) = pane.error().filter(|_| pane.is_stale()) {
            // Stale rows: say so on the bottom border.
            let note = format!(" not live: {} ", error.kind_label());
            let width = (note.chars().count() as u16).min(area.width.saturating_sub(2));
            buf.set_stringn(
                area.x + 1,
                area.bottom().saturating_sub(1),
                note,
                usize::from(width),
                theme.style(StyleName::ReadinessDeploying),
            );
        }
    }
}

/// A part that could not be read: which permission or failure, in the server's words.
fn missing(name: &str, error: &CoreError) -> String {
    let noun = name.to_lowercase();
    match error {
        CoreError::Forbidden { message } => format!(
            "Cannot list {noun}: permission missing. {}",
            sanitize(message)
        ),
        other => format!("Cannot list {noun}: {}", sanitize(&other.to_string())),
    }
}

fn empty(name: &str) -> String {
    match name {
        "Pods" => "No pods: the function has scaled to zero (or none has started yet).".to_owned(),
        "Events" => "No recent events for this function.".to_owned(),
        _ => format!("No {}.", name.to_lowercase()),
    }
}

/// The detail, and the traffic editor over it when open.
pub fn render(
    view: &FunctionView,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
    ctx: &Ctx<'_>,
    theme: &crate::theme::Theme,
) {
    use ratatui::widgets::Widget;
    render_detail(view, area, buf, ctx, theme);
    if let Some(editor) = &view.traffic {
        super::TrafficEditorBox {
            editor,
            keymap: &ctx.shell.keymap,
            theme,
        }
        .render(area, buf);
    }
}

//! The plan step: what blocks the install first (objects someone else owns, writes the user
//! may not make), how the Knative era was found, then every object grouped by component with
//! its action and the group's counts, and the selected object's diff (or what happens to it)
//! beside the list.

use funcdeck_core::stack::{Action, Component};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::StackView;
use crate::app::StackPreview;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::stack_flow::{action_name, counts};
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

pub fn render(view: &StackView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    let preview = match &view.preview {
        None => {
            let mut lines = vec![Line::styled(
                format!(
                    "planning {} against the cluster (nothing is written)…",
                    crate::stack_flow::component_list(&view.chosen)
                ),
                style(StyleName::Muted),
            )];
            lines.extend(super::render::problem_lines(view, theme));
            Paragraph::new(lines).render(area, buf);
            return;
        }
        Some(Err(error)) => {
            let mut lines = vec![Line::styled(
                "cannot plan:",
                style(StyleName::ReadinessFailed),
            )];
            lines.extend(error.lines().map(|l| {
                Line::styled(
                    format!("  {}", sanitize(l)),
                    style(StyleName::ReadinessFailed),
                )
            }));
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(area, buf);
            return;
        }
        Some(Ok(preview)) => preview,
    };
    let head = header(view, preview, ctx, theme);
    let [top, body] =
        Layout::vertical([Constraint::Length(head.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(head)
        .wrap(Wrap { trim: false })
        .render(top, buf);
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    objects(view, preview, list, buf, theme);
    diff(view, preview, detail, buf, theme);
}

fn header(
    view: &StackView,
    preview: &StackPreview,
    ctx: &Ctx<'_>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let style = |name: StyleName| theme.style(name);
    let mut lines = Vec::new();
    if let Some(blocked) = crate::stack_flow::blocked(&preview.refusals, &preview.denied) {
        for line in blocked.lines() {
            lines.push(Line::styled(
                sanitize(line).into_owned(),
                style(StyleName::BannerError),
            ));
        }
    }
    lines.extend(super::render::problem_lines(view, theme));
    lines.push(Line::styled(
        sanitize(&preview.era).into_owned(),
        style(StyleName::Muted),
    ));
    let next = ctx
        .shell
        .keymap
        .hint(&[KeyContext::StackPlan], Command::NextStep);
    let total = counts(preview.plan.objects.iter().map(|p| &p.action));
    let what = if preview.refusals.is_empty() && preview.denied.is_empty() {
        if preview.plan.is_noop() {
            format!("{total} — installed already; {next} checks it is ready again")
        } else {
            format!("{total} — {next} installs (you confirm first)")
        }
    } else {
        format!("{total} — blocked: nothing can be installed until the above is resolved")
    };
    lines.push(Line::styled(what, style(StyleName::Text)));
    lines
}

/// The object list, grouped by component, scrolled to keep the selection in view.
fn objects(view: &StackView, preview: &StackPreview, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected_line = 0;
    let mut index = 0;
    for component in Component::ALL {
        let mine: Vec<_> = preview
            .plan
            .objects
            .iter()
            .filter(|p| p.desired.component == component)
            .collect();
        if mine.is_empty() {
            continue;
        }
        lines.push(Line::styled(
            format!("{component} — {}", counts(mine.iter().map(|p| &p.action))),
            style(StyleName::SectionTitle),
        ));
        for planned in mine {
            let selected = index == view.plan_cursor;
            if selected {
                selected_line = lines.len();
            }
            let r = &planned.desired.reference;
            let line = Line::from(vec![
                Span::raw(if selected { " ▶ " } else { "   " }),
                Span::styled(
                    format!("{:<10}", action_name(&planned.action)),
                    style(action_style(&planned.action)),
                ),
                Span::raw(sanitize(&r.to_string()).into_owned()),
            ]);
            lines.push(if selected {
                line.style(style(StyleName::TableSelected))
            } else {
                line
            });
            index += 1;
        }
    }
    let height = area.height.saturating_sub(2) as usize;
    let scroll = (selected_line + 1).saturating_sub(height);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::TOP | Borders::RIGHT)
                .border_style(style(StyleName::TableBorder))
                .title(Span::styled(" objects ", style(StyleName::TableTitle))),
        )
        .scroll((scroll as u16, 0))
        .render(area, buf);
}

pub(super) fn action_style(action: &Action) -> StyleName {
    match action {
        Action::Create => StyleName::DiffAdded,
        Action::Change { .. } => StyleName::ReadinessDeploying,
        Action::Unchanged | Action::Kept => StyleName::Muted,
        Action::Foreign { .. } => StyleName::ReadinessFailed,
    }
}

/// The selected object: its diff for a change, else what the install does with it.
fn diff(view: &StackView, preview: &StackPreview, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    // The list shows objects grouped by component: the cursor counts in that order.
    let ordered: Vec<_> = Component::ALL
        .into_iter()
        .flat_map(|c| {
            preview
                .plan
                .objects
                .iter()
                .filter(move |p| p.desired.component == c)
        })
        .collect();
    let Some(planned) = ordered.get(view.plan_cursor) else {
        return;
    };
    let title = format!(" {} ", sanitize(&planned.desired.reference.to_string()));
    let lines: Vec<Line<'static>> = match &planned.action {
        Action::Change { diff } => diff
            .lines()
            .map(|l| {
                let name = match l.chars().next() {
                    Some('+') => StyleName::DiffAdded,
                    Some('-') => StyleName::DiffRemoved,
                    _ => StyleName::Text,
                };
                Line::styled(sanitize(l).into_owned(), style(name))
            })
            .collect(),
        Action::Create => vec![Line::raw(format!(
            "created from {}",
            sanitize(&planned.desired.source)
        ))],
        Action::Unchanged => vec![Line::styled(
            "already as planned: skipped",
            style(StyleName::Muted),
        )],
        Action::Kept => vec![Line::styled(
            "exists already and is not funcdeck's: used, never labelled or deleted",
            style(StyleName::Muted),
        )],
        Action::Foreign { owner } => vec![Line::styled(
            format!(
                "managed by {}, not funcdeck: the install refuses to take it over",
                sanitize(owner)
            ),
            style(StyleName::ReadinessFailed),
        )],
    };
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .border_style(style(StyleName::TableBorder))
                .title(Span::styled(title, style(StyleName::TableTitle))),
        )
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

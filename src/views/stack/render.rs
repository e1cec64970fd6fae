//! Drawing the wizard: the step it is at in a box, and the first step here — each component
//! with a checkbox and its status, the options below (the one being edited with its cursor),
//! and why Next would not go on.

use funcdeck_core::stack::Component;
use funcdeck_core::stack::status::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Field, StackView, Step};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

pub fn render(view: &StackView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let title = match view.step {
        Step::Choose => " Stack · 1 choose components and options ",
        Step::Plan => " Stack · 2 plan (nothing is written yet) ",
        Step::Run => match view.run.as_ref().map(|r| r.outcome.is_some()) {
            Some(true) => " Stack · 4 result ",
            _ => " Stack · 3 progress ",
        },
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(title, theme.style(StyleName::TableTitle)));
    let inner = block.inner(area);
    block.render(area, buf);
    match view.step {
        Step::Choose => choose(view, inner, buf, ctx, theme),
        Step::Plan => super::render_plan::render(view, inner, buf, ctx, theme),
        Step::Run => super::render_run::render(view, inner, buf, ctx, theme),
    }
}

pub(super) fn state_style(state: State) -> StyleName {
    match state {
        State::Ready => StyleName::ReadinessReady,
        State::NotInstalled => StyleName::ReadinessUnknown,
        State::Progressing => StyleName::ReadinessDeploying,
        State::Failed => StyleName::ReadinessFailed,
    }
}

/// How many rows `lines` take wrapped at `width` (a layout sized by the count of lines would
/// cut the last ones off when a long reason wraps).
pub(super) fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// The problem line under a step, if there is one.
pub(super) fn problem_lines(view: &StackView, theme: &Theme) -> Vec<Line<'static>> {
    view.problem
        .iter()
        .flat_map(|p| p.lines())
        .map(|l| {
            Line::styled(
                sanitize(l).into_owned(),
                theme.style(StyleName::ReadinessFailed),
            )
        })
        .collect()
}

fn choose(view: &StackView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    let keys = |command| ctx.shell.keymap.hint(&[KeyContext::Stack], command);
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        format!(
            "       {:<12}{:<16}{:>8}  REASON",
            "COMPONENT", "STATE", "OBJECTS"
        ),
        style(StyleName::TableHeader),
    )];
    for (row, component) in Component::ALL.into_iter().enumerate() {
        let check = if view.chosen.contains(&component) {
            "[x]"
        } else {
            "[ ]"
        };
        let mut spans = vec![Span::raw(format!("{check} {:<12}", component.name()))];
        match &view.statuses {
            None => spans.push(Span::styled("reading…", style(StyleName::Muted))),
            Some(Err(_)) => spans.push(Span::styled("unknown", style(StyleName::Muted))),
            Some(Ok(_)) => match view.status_of(component) {
                Some(status) => {
                    spans.push(Span::styled(
                        format!("{:<16}", status.state.name()),
                        style(state_style(status.state)),
                    ));
                    spans.push(Span::raw(format!("{:>8}  ", status.objects)));
                    spans.push(Span::styled(
                        sanitize(&status.reason).into_owned(),
                        style(StyleName::Muted),
                    ));
                }
                None => spans.push(Span::styled("unknown", style(StyleName::Muted))),
            },
        }
        lines.push(selectable(view.cursor == row, spans, theme));
    }
    if let Some(Err(error)) = &view.statuses {
        lines.push(Line::styled(
            format!("cannot read the status: {}", sanitize(error)),
            style(StyleName::ReadinessFailed),
        ));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Options", style(StyleName::SectionTitle)));
    for (i, field) in Field::ALL.into_iter().enumerate() {
        let row = super::COMPONENT_ROWS + i;
        let value = match (&view.editing, view.cursor == row) {
            (Some(text), true) => format!("{text}▏"),
            _ => option_value(view, field, &keys),
        };
        let used = field.component().is_none_or(|c| view.chosen.contains(&c));
        let spans = vec![
            Span::styled(
                format!("{:<26}", field.label()),
                style(if used {
                    StyleName::Text
                } else {
                    StyleName::Muted
                }),
            ),
            Span::raw(sanitize(&value).into_owned()),
        ];
        lines.push(selectable(view.cursor == row, spans, theme));
    }
    lines.push(Line::default());
    lines.extend(problem_lines(view, theme));
    if view.problem.is_none() {
        lines.push(Line::styled(
            format!(
                "{} chooses · {} edits · {} previews the plan · {} uninstalls the chosen components",
                keys(Command::Toggle),
                keys(Command::EditField),
                keys(Command::NextStep),
                keys(Command::Uninstall),
            ),
            style(StyleName::Muted),
        ));
    }
    // Not wrapped: a long reason is cut at the edge rather than breaking the rows apart.
    Paragraph::new(lines).render(area, buf);
}

fn option_value(view: &StackView, field: Field, keys: &dyn Fn(Command) -> String) -> String {
    match field {
        Field::LogStore => format!(
            "{}  ({} switches Elasticsearch / OpenSearch)",
            view.options.log_store.name(),
            keys(Command::Toggle)
        ),
        Field::From if view.from.trim().is_empty() => {
            "(none: third-party releases are downloaded and checked)".into()
        }
        other => other.value(view),
    }
}

/// A row with the cursor mark and, when selected, the selection style.
fn selectable(selected: bool, mut spans: Vec<Span<'static>>, theme: &Theme) -> Line<'static> {
    spans.insert(0, Span::raw(if selected { " ▶ " } else { "   " }));
    let line = Line::from(spans);
    if selected {
        line.style(theme.style(StyleName::TableSelected))
    } else {
        line
    }
}

//! The run step: a gauge of the objects done, then — while it runs — every object with its
//! state, following the one being worked on, and the live log; at its end the result: what is
//! ready now and where the console finds it, or why it failed, what is left and the keys to
//! retry or roll back.

use funcdeck_core::stack::{Mode, Run, StepState};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Widget, Wrap};

use super::StackView;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::stack_flow::state_name;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

/// Log lines shown under the objects.
const LOG_LINES: u16 = 6;

pub fn render(view: &StackView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let Some(run) = &view.run else {
        Paragraph::new(super::render::problem_lines(view, theme)).render(area, buf);
        return;
    };
    let result = result_lines(view, run, ctx, theme);
    let [gauge, outcome, list, log] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(super::render::wrapped_height(&result, area.width)),
        Constraint::Fill(1),
        Constraint::Length(LOG_LINES + 1),
    ])
    .areas(area);
    let (done, all) = run.progress();
    let verb = match run.mode {
        Mode::Install => "installed",
        Mode::Uninstall => "removed",
    };
    let ratio = if all == 0 {
        1.0
    } else {
        done as f64 / all as f64
    };
    let gauge_style = match &run.outcome {
        Some(Err(_)) => StyleName::ReadinessFailed,
        Some(Ok(())) => StyleName::ReadinessReady,
        None => StyleName::ReadinessDeploying,
    };
    Gauge::default()
        .ratio(ratio)
        .label(format!("{done}/{all} objects {verb}"))
        .gauge_style(theme.style(gauge_style))
        .render(gauge, buf);
    Paragraph::new(result)
        .wrap(Wrap { trim: false })
        .render(outcome, buf);
    steps(view, run, list, buf, theme);
    log_pane(run, log, buf, theme);
}

pub(super) fn step_style(state: &StepState) -> StyleName {
    match state {
        StepState::Ready | StepState::Gone | StepState::Released | StepState::Applied => {
            StyleName::ReadinessReady
        }
        StepState::Unchanged | StepState::Kept | StepState::Pending => StyleName::Muted,
        StepState::Waiting(_) | StepState::Retrying(_) | StepState::Deleting => {
            StyleName::ReadinessDeploying
        }
        StepState::Failed(_) => StyleName::ReadinessFailed,
    }
}

fn result_lines(view: &StackView, run: &Run, ctx: &Ctx<'_>, theme: &Theme) -> Vec<Line<'static>> {
    let style = |name: StyleName| theme.style(name);
    let key = |command| ctx.shell.keymap.hint(&[KeyContext::StackRun], command);
    let mut lines = super::render::problem_lines(view, theme);
    match (&run.outcome, run.mode) {
        (None, _) => lines.push(Line::styled(
            "working… the run goes on if you leave the wizard (e.g. :fn); the banner says how it ended",
            style(StyleName::Muted),
        )),
        (Some(Ok(())), Mode::Install) => {
            lines.push(Line::styled(
                "installed: every object is ready and each backend answered",
                style(StyleName::ReadinessReady),
            ));
            for component in &view.chosen {
                let text = match view.status_of(*component) {
                    Some(s) => format!(
                        "  {component}: {} — {}",
                        s.state.name(),
                        sanitize(&s.reason)
                    ),
                    None => format!("  {component}: reading its status…"),
                };
                lines.push(Line::raw(text));
            }
            lines.push(Line::styled(
                "The console's panes find their backends as they open: :metrics FN, :traces FN, :logs FN",
                style(StyleName::Muted),
            ));
        }
        (Some(Ok(())), Mode::Uninstall) => lines.push(Line::styled(
            "uninstalled: every object funcdeck installed for them is gone",
            style(StyleName::ReadinessReady),
        )),
        (Some(Err(reason)), mode) => {
            let what = match mode {
                Mode::Install => "install failed",
                Mode::Uninstall => "uninstall failed",
            };
            lines.push(Line::styled(
                format!("{what}: {}", sanitize(reason)),
                style(StyleName::ReadinessFailed),
            ));
            let left = run.left();
            if !left.is_empty() {
                let names: Vec<String> = left
                    .iter()
                    .take(3)
                    .map(|r| sanitize(&r.to_string()).into_owned())
                    .collect();
                let more = left.len().saturating_sub(3);
                lines.push(Line::raw(format!(
                    "left ({}): {}{}",
                    left.len(),
                    names.join(", "),
                    if more > 0 {
                        format!(", and {more} more")
                    } else {
                        String::new()
                    }
                )));
            }
            let next = match mode {
                Mode::Install => format!(
                    "{} plans again and resumes (what is there is skipped) · {} rolls back (uninstalls {})",
                    key(Command::Retry),
                    key(Command::Uninstall),
                    crate::stack_flow::component_list(&view.chosen)
                ),
                Mode::Uninstall => format!("{} tries again", key(Command::Uninstall)),
            };
            lines.push(Line::styled(next, style(StyleName::Text)));
        }
    }
    lines
}

/// Every object with its state and reason, scrolled to the selection (or the active one).
fn steps(view: &StackView, run: &Run, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    let selected = view.run_cursor.or_else(|| view.active());
    let lines: Vec<Line<'static>> = run
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let (word, reason) = state_name(&step.state);
            let mut spans = vec![
                Span::raw(if Some(i) == selected { " ▶ " } else { "   " }),
                Span::styled(format!("{word:<10}"), style(step_style(&step.state))),
                Span::raw(format!(
                    "{:<9}{}",
                    step.component.name(),
                    sanitize(&step.reference.to_string())
                )),
            ];
            if let Some(reason) = reason {
                spans.push(Span::styled(
                    format!(": {}", sanitize(reason)),
                    style(step_style(&step.state)),
                ));
            }
            let line = Line::from(spans);
            if Some(i) == selected {
                line.style(style(StyleName::TableSelected))
            } else {
                line
            }
        })
        .collect();
    let height = area.height.saturating_sub(1) as usize;
    // The selection a third of the way down: what was just done above it, what is next below.
    let scroll = selected
        .unwrap_or(0)
        .saturating_sub(height / 3)
        .min(lines.len().saturating_sub(height));
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .border_style(style(StyleName::TableBorder))
                .title(Span::styled(" objects ", style(StyleName::TableTitle))),
        )
        .scroll((scroll as u16, 0))
        .render(area, buf);
}

fn log_pane(run: &Run, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let style = |name: StyleName| theme.style(name);
    let skip = run.log.len().saturating_sub(LOG_LINES as usize);
    let lines: Vec<Line<'static>> = run.log[skip..]
        .iter()
        .map(|l| {
            let name = if l.starts_with("failed") {
                StyleName::LogError
            } else {
                StyleName::LogInfo
            };
            Line::styled(sanitize(l).into_owned(), style(name))
        })
        .collect();
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .border_style(style(StyleName::TableBorder))
                .title(Span::styled(" log ", style(StyleName::TableTitle))),
        )
        .render(area, buf);
}

//! The detail's overview box: where the function answers, whether it is offline, what it
//! runs, how busy it is, the rollout being followed, why a revision fails, its conditions and
//! traffic.

use funcdeck_core::function::visibility::{Reachability, reachability};
use funcdeck_core::function::{FunctionDetail, Rollout};
use funcdeck_core::prometheus::pulse::Pulses;
use ratatui::text::{Line, Span};

use super::FunctionView;
use crate::command::Command;
use crate::format::{condition_cell, figure, human_age, sparkline};
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

/// The overview's lines: where it answers, what it runs, why it fails, conditions, traffic.
pub(super) fn overview(
    view: &FunctionView,
    detail: &FunctionDetail,
    ctx: &Ctx<'_>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!("{text:<11}"), theme.style(StyleName::Muted));
    let text =
        |value: &str| Span::styled(sanitize(value).into_owned(), theme.style(StyleName::Text));
    let mut lines = Vec::new();
    if view.gone {
        lines.push(Line::styled(
            format!(
                "✗ This function was deleted; showing its last known state. Press {} to go back.",
                ctx.shell.keymap.hint(view.key_chain(), Command::Back)
            ),
            theme.style(StyleName::ReadinessFailed),
        ));
    }
    if let Some(error) = view.service.error().filter(|_| !view.gone) {
        lines.push(Line::styled(
            format!("! not live: {}", sanitize(&error.to_string())),
            theme.style(StyleName::ReadinessDeploying),
        ));
    }
    lines.push(Line::from(vec![
        label("URL"),
        text(detail.url.as_deref().unwrap_or("—")),
    ]));
    if let Some(Reachability::Offline { since }) = view.service.data().map(reachability) {
        lines.push(Line::from(vec![
            label("Offline"),
            Span::styled(
                format!(
                    "since {}: cluster-local, no external traffic; {} brings it back online",
                    sanitize(since.as_deref().unwrap_or("?")),
                    ctx.shell
                        .keymap
                        .hint(view.key_chain(), Command::ToggleOffline)
                ),
                theme.style(StyleName::ReadinessDeploying),
            ),
        ]));
    }
    lines.push(Line::from(vec![
        label("Latest"),
        text(&format!(
            "{} (ready: {})",
            detail.latest_created.as_deref().unwrap_or("—"),
            detail.latest_ready.as_deref().unwrap_or("none")
        )),
    ]));
    if let Some(pulse) = &view.pulse {
        lines.push(requests_line(pulse, detail, ctx, label("Requests"), theme));
    }
    if let Some(rollout) = view.rollout() {
        let (mark, style) = match &rollout {
            Rollout::Ready { .. } => ("●", StyleName::ReadinessReady),
            Rollout::Failed { .. } => ("✗", StyleName::ReadinessFailed),
            Rollout::Pending | Rollout::Deploying { .. } => ("◐", StyleName::ReadinessDeploying),
        };
        lines.push(Line::from(vec![
            label("Rollout"),
            Span::styled(
                format!("{mark} {}", sanitize(&rollout.describe())),
                theme.style(style),
            ),
        ]));
    }
    for row in detail.revisions.iter().filter(|r| r.why.is_some()) {
        lines.push(Line::from(vec![
            label("Why"),
            Span::styled(
                format!(
                    "✗ {}: {}",
                    sanitize(&row.revision.key.name),
                    sanitize(row.why.as_deref().unwrap_or(""))
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
        ]));
    }
    for (i, condition) in detail.conditions.iter().enumerate() {
        let detail_text = match (&condition.reason, &condition.message) {
            (Some(reason), Some(message)) => format!("{reason}: {message}"),
            (Some(reason), None) => reason.clone(),
            (None, Some(message)) => message.clone(),
            (None, None) => String::new(),
        };
        lines.push(Line::from(vec![
            label(if i == 0 { "Conditions" } else { "" }),
            Span::styled(
                format!("{:<22} ", sanitize(&condition.type_)),
                theme.style(StyleName::Text),
            ),
            Span::styled(
                format!("{:<10}", condition_cell(condition.status, true)),
                theme.style(StyleName::for_condition(condition.status)),
            ),
            Span::styled(
                format!(
                    "{:>6}  ",
                    human_age(condition.last_transition, ctx.shell.now)
                ),
                theme.style(StyleName::Muted),
            ),
            text(&detail_text),
        ]));
    }
    for (i, target) in detail.traffic.iter().enumerate() {
        let revision = match (&target.revision, target.latest) {
            (Some(name), true) => format!("{name} (@latest)"),
            (Some(name), false) => name.clone(),
            (None, _) => "@latest".to_owned(),
        };
        let mut spans = vec![
            label(if i == 0 { "Traffic" } else { "" }),
            Span::styled(
                format!("{:>4}%  ", target.percent),
                theme.style(StyleName::Text),
            ),
            text(&revision),
        ];
        if let Some(tag) = &target.tag {
            spans.push(Span::styled(
                format!("  #{}", sanitize(tag)),
                theme.style(StyleName::Prompt),
            ));
        }
        if let Some(url) = &target.url {
            spans.push(Span::styled(
                format!("  {}", sanitize(url)),
                theme.style(StyleName::Muted),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The function's requests per second (its revisions' summed) over the last minutes, and where
/// the charts are.
fn requests_line(
    pulses: &Pulses,
    detail: &FunctionDetail,
    ctx: &Ctx<'_>,
    label: Span<'static>,
    theme: &Theme,
) -> Line<'static> {
    let mut total: Vec<Option<f64>> = Vec::new();
    for row in &detail.revisions {
        let Some(pulse) = pulses.get(&row.revision.key) else {
            continue;
        };
        total.resize(total.len().max(pulse.requests_per_second.len()), None);
        for (sum, point) in total.iter_mut().zip(&pulse.requests_per_second) {
            if let Some(v) = point {
                *sum = Some(sum.unwrap_or(0.0) + v);
            }
        }
    }
    let charts = ctx
        .shell
        .keymap
        .hint(&[crate::keymap::KeyContext::Function], Command::Metrics);
    let figure = match total.last().copied().flatten() {
        Some(now) => format!("{}/s", figure(now)),
        None if total.is_empty() => "none counted by Prometheus yet".to_owned(),
        None => "no data for the last minute".to_owned(),
    };
    Line::from(vec![
        label,
        Span::styled(sparkline(&total), theme.style(StyleName::Chart1)),
        Span::styled(
            format!("{}{figure}", if total.is_empty() { "" } else { " " }),
            theme.style(StyleName::Text),
        ),
        Span::styled(
            format!("  · {charts} for charts and latency"),
            theme.style(StyleName::Muted),
        ),
    ])
}

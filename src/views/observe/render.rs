//! Drawing the observed function: the metrics pane beside the traces pane, the logs under
//! both, each drawn as it is on its own, the focused one's frame in the focus colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use super::{Focus, ObserveView};
use crate::theme::{StyleName, Theme};
use crate::views::{Ctx, logs, metrics, traces};

/// Where the metrics, the traces and the logs go in `area`.
pub fn areas(area: Rect) -> [Rect; 3] {
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    [left, right, bottom]
}

pub fn render(view: &ObserveView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let [left, right, bottom] = areas(area);
    metrics::render(&view.metrics, left, buf, ctx, theme);
    traces::render(&view.traces, right, buf, ctx, theme);
    logs::render(&view.logs, bottom, buf, ctx, theme);
    let focused = match view.focus {
        Focus::Metrics => left,
        Focus::Traces => right,
        Focus::Logs => bottom,
    };
    frame_in(focused, buf, theme.style(StyleName::PopupBorder));
}

/// Recolours the line-drawing characters on `area`'s edge: the pane drew its own frame, this
/// only says which one keys go to (its title text keeps its colours).
fn frame_in(area: Rect, buf: &mut Buffer, style: ratatui::style::Style) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let edge = (area.left()..=right)
        .flat_map(|x| [(x, area.top()), (x, bottom)])
        .chain((area.top()..=bottom).flat_map(|y| [(area.left(), y), (right, y)]));
    for (x, y) in edge {
        let cell = &mut buf[(x, y)];
        if matches!(cell.symbol(), "─" | "│" | "┌" | "┐" | "└" | "┘") {
            cell.set_style(style);
        }
    }
}

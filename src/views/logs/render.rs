//! Drawing the logs pane: where the lines come from and what is asked (title, status, the
//! line being typed or why the last read failed), the histogram of counts over the window,
//! the lines (only the screenful is built), and the fields panel beside them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Widget};

use super::rows::{self, Shape};
use super::{Focus, InputKind, LogsView};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::message;
use crate::views::Ctx;

/// The fields panel's width, when the pane is wide enough to spare it.
const FIELDS_WIDTH: u16 = 36;
const FIELDS_FROM: u16 = 100;
const HISTOGRAM_HEIGHT: u16 = 4;

/// Where each part goes inside the pane's border.
pub struct Geometry {
    pub status: Rect,
    pub histogram: Rect,
    pub lines: Rect,
    pub fields: Option<Rect>,
}

impl LogsView {
    /// Rows of status above the histogram: the summary line, plus the line being typed or
    /// the failure being reported.
    fn status_rows(&self) -> u16 {
        let extra = self.input.is_some() || self.loaded.error().is_some();
        1 + u16::from(extra)
    }

    pub fn geometry(&self, area: Rect) -> Geometry {
        let inner = Block::default().borders(Borders::ALL).inner(area);
        let [status, histogram, body] = Layout::vertical([
            Constraint::Length(self.status_rows()),
            Constraint::Length(HISTOGRAM_HEIGHT),
            Constraint::Min(1),
        ])
        .areas(inner);
        if body.width >= FIELDS_FROM {
            let [lines, fields] =
                Layout::horizontal([Constraint::Min(1), Constraint::Length(FIELDS_WIDTH)])
                    .areas(body);
            Geometry {
                status,
                histogram,
                lines,
                fields: Some(fields),
            }
        } else {
            Geometry {
                status,
                histogram,
                lines: body,
                fields: None,
            }
        }
    }

    pub fn shape(&self, width: u16) -> Shape {
        Shape {
            timestamps: self.timestamps,
            wrap: self.wrap,
            pretty: self.pretty,
            width: usize::from(width),
        }
    }

    /// Keeps the selected line in sight for the coming frame.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        self.settle_in(Rect::new(
            0,
            0,
            ctx.shell.terminal_size.0,
            ctx.shell.body_height,
        ));
    }

    /// As [`LogsView::settle`], drawn in `area` (a pane of the observe view).
    pub fn settle_in(&mut self, area: Rect) {
        let lines = self.geometry(area).lines;
        self.settle_lines(&self.shape(lines.width), usize::from(lines.height));
    }
}

pub fn render(view: &LogsView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let key = |command| {
        ctx.shell
            .keymap
            .hint(&[KeyContext::Logs, KeyContext::Metrics], command)
    };
    let mut title = vec![Span::styled(
        format!(" {} · last {} ", view.title(), view.range.words()),
        theme.style(StyleName::TableTitle),
    )];
    if let Some(loaded) = view.loaded.data() {
        title.push(Span::styled(
            format!("· {} ", sanitize(&loaded.source)),
            theme.style(StyleName::Muted),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(title));
    let Some(loaded) = view.loaded.data() else {
        let (text, style) = match view.loaded.error() {
            Some(error) => (
                format!(
                    "No logs ({}):\n{}\n\n{}Press {} to try again.",
                    error.kind_label(),
                    sanitize(&error.to_string()),
                    crate::format::elasticsearch_hint(error)
                        .map_or_else(String::new, |h| format!("{h}\n\n")),
                    key(Command::Retry)
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => (
                format!(
                    "Reading the last {} of logs from Elasticsearch…",
                    view.range.words()
                ),
                theme.style(StyleName::Muted),
            ),
        };
        message(block, area, buf, text, style);
        return;
    };
    let geometry = view.geometry(area);
    block.render(area, buf);
    Paragraph::new(status(view, &key, theme)).render(geometry.status, buf);
    draw_histogram(&loaded.summary, geometry.histogram, buf, theme);
    draw_lines(view, geometry.lines, buf, &key, theme);
    if let Some(fields) = geometry.fields {
        draw_fields(view, fields, buf, theme);
    }
}

fn status<'a>(view: &LogsView, key: &dyn Fn(Command) -> String, theme: &Theme) -> Vec<Line<'a>> {
    let muted = theme.style(StyleName::Muted);
    let value = theme.style(StyleName::HeaderValue);
    let query = if view.query.is_empty() {
        "every line".to_owned()
    } else {
        funcdeck_core::text::reveal(&view.query).into_owned()
    };
    let mut first = vec![
        Span::styled(format!("{} lines", view.lines.len()), value),
        Span::styled("  query ", muted),
        Span::styled(query, theme.style(StyleName::Text)),
        Span::raw("  "),
    ];
    if view.paused {
        first.push(Span::styled(
            format!(
                "⏸ paused · {} new waiting ({} resumes)",
                view.waiting.len(),
                key(Command::Pause)
            ),
            theme.style(StyleName::EventWarning),
        ));
    } else if view.follow {
        first.push(Span::styled(
            "● live",
            theme.style(StyleName::ReadinessReady),
        ));
    } else {
        first.push(Span::styled(
            format!("○ scrolled back ({} follows)", key(Command::Bottom)),
            muted,
        ));
    }
    let flags: Vec<&str> = [
        (view.wrap, "wrap"),
        (view.pretty, "json"),
        (!view.find.is_empty(), "find"),
    ]
    .iter()
    .filter_map(|(on, word)| on.then_some(*word))
    .collect();
    if !flags.is_empty() {
        first.push(Span::styled(format!("  [{}]", flags.join(" ")), muted));
    }
    if view.lines.dropped() > 0 {
        first.push(Span::styled(
            format!(
                "  {} older lines let go (buffer {})",
                view.lines.dropped(),
                view.lines.capacity()
            ),
            muted,
        ));
    }
    let mut lines = vec![Line::from(first)];
    if let Some(input) = &view.input {
        let label = match input.kind {
            InputKind::Query => "query (Lucene): ",
            InputKind::Find => "find: ",
            InputKind::Save => "save to: ",
        };
        lines.push(Line::from(vec![
            Span::styled(label, theme.style(StyleName::Prompt)),
            Span::styled(
                funcdeck_core::text::reveal(&input.text).into_owned(),
                theme.style(StyleName::Text),
            ),
            Span::styled("█", theme.style(StyleName::Prompt)),
        ]));
    } else if let Some(error) = view.loaded.error() {
        let text = if view.asked != view.query {
            let reason = match crate::app::logs::refusal(error) {
                Some(reason) => reason.to_owned(),
                None => error.to_string(),
            };
            format!(
                "query \"{}\" refused: {} — still showing {}",
                funcdeck_core::text::reveal(&view.asked),
                sanitize(&reason),
                if view.query.is_empty() {
                    "every line".to_owned()
                } else {
                    format!("\"{}\"", funcdeck_core::text::reveal(&view.query))
                }
            )
        } else {
            format!(
                "stale: showing the last good lines: {}",
                sanitize(&error.to_string())
            )
        };
        lines.push(Line::styled(text, theme.style(StyleName::EventWarning)));
    }
    lines
}

fn draw_histogram(summary: &crate::app::LogSummary, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.height < 2 || area.width < 10 {
        return;
    }
    let [bars, axis] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let buckets = &summary.histogram.buckets;
    let width = usize::from(bars.width);
    // One column per bucket share: the window always spans the whole width.
    let data: Vec<u64> = (0..width)
        .map(|col| {
            if buckets.is_empty() {
                return 0;
            }
            let from = col * buckets.len() / width;
            let to = ((col + 1) * buckets.len() / width).max(from + 1);
            buckets[from..to.min(buckets.len())]
                .iter()
                .map(|b| b.1)
                .sum()
        })
        .collect();
    Sparkline::default()
        .data(&data)
        .style(theme.style(StyleName::LogHistogram))
        .render(bars, buf);
    let start = buckets.first().map(|b| b.0.format("%H:%M").to_string());
    let end = summary.end.format("%H:%M").to_string();
    let peak = format!(
        "max {}/{}s",
        summary.histogram.max(),
        summary.histogram.interval_s
    );
    let left = start.unwrap_or_default();
    let gap = usize::from(axis.width).saturating_sub(left.len() + end.len() + peak.len());
    let text = format!(
        "{left}{}{peak}{}{end}",
        " ".repeat(gap / 2),
        " ".repeat(gap - gap / 2)
    );
    Paragraph::new(Line::styled(text, theme.style(StyleName::Muted))).render(axis, buf);
}

fn draw_lines(
    view: &LogsView,
    area: Rect,
    buf: &mut Buffer,
    key: &dyn Fn(Command) -> String,
    theme: &Theme,
) {
    if view.lines.is_empty() {
        let text = if view.query.is_empty() {
            format!("No lines in the last {}.", view.range.words())
        } else {
            format!(
                "No lines match in the last {} ({} changes the query).",
                view.range.words(),
                key(Command::Query)
            )
        };
        Paragraph::new(Line::styled(text, theme.style(StyleName::Muted))).render(area, buf);
        return;
    }
    let shape = view.shape(area.width);
    let height = usize::from(area.height);
    let selected = view.focus == Focus::Lines;
    let mut out: Vec<Line<'static>> = Vec::with_capacity(height);
    for (i, line) in view.lines.iter().enumerate().skip(view.top) {
        if out.len() >= height {
            break;
        }
        let pick = selected && i == view.cursor;
        out.extend(rows::rows(line, &shape, &view.find, pick, theme));
    }
    out.truncate(height);
    Paragraph::new(out).render(area, buf);
}

fn draw_fields(view: &LogsView, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(loaded) = view.loaded.data() else {
        return;
    };
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme.style(StyleName::TableBorder));
    let inner = block.inner(area);
    block.render(area, buf);
    let focused = view.focus == Focus::Fields;
    let mut lines = Vec::new();
    let mut row = 0;
    let mut at = 0;
    for top in &loaded.summary.fields {
        let name = top.field.rsplit(['.', '/']).next().unwrap_or(&top.field);
        lines.push(Line::styled(
            sanitize(name).into_owned(),
            theme.style(StyleName::SectionTitle),
        ));
        let width = usize::from(inner.width).saturating_sub(9);
        for (value, count) in &top.values {
            let mut shown = funcdeck_core::text::reveal(value).into_owned();
            // Cut from the left: pods of one revision differ only at the end.
            let chars = shown.chars().count();
            if chars > width {
                let tail: String = shown.chars().skip(chars + 1 - width).collect();
                shown = format!("…{tail}");
            }
            let style = if focused && row == view.field_cursor {
                at = lines.len();
                theme.style(StyleName::TableSelected)
            } else {
                theme.style(StyleName::Text)
            };
            lines.push(Line::styled(format!(" {shown:<width$} {count:>6}"), style));
            row += 1;
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("no fields", theme.style(StyleName::Muted)));
    }
    // The selected value stays in sight in a short panel.
    let height = usize::from(inner.height);
    let skip = (at + 1).saturating_sub(height);
    Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(inner, buf);
}

//! Drawing the metrics pane: a grid of charts (requests/s, latency, 5xx ratio, concurrency,
//! pods, cold starts), each with its legend (name and newest value), axes labelled with the
//! time before now and the top of the scale. Series take the theme's chart colours in order.

use funcdeck_core::prometheus::series::{ChartLines, FunctionCharts};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Widget, Wrap};

use super::MetricsView;
use crate::command::Command;
use crate::format::{figure, prometheus_hint};
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::message;
use crate::views::Ctx;

/// The colours lines take, in order (a legend names each).
const SERIES: [StyleName; 6] = [
    StyleName::Chart1,
    StyleName::Chart2,
    StyleName::Chart3,
    StyleName::Chart4,
    StyleName::Chart5,
    StyleName::Chart6,
];

pub fn render(view: &MetricsView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let key = |command| ctx.shell.keymap.hint(&[KeyContext::Metrics], command);
    let mut title = vec![Span::styled(
        match &view.revision {
            Some(revision) => format!(
                " Metrics {} · revision {} · last {} ",
                view.key,
                sanitize(revision),
                view.range.words()
            ),
            None => format!(" Metrics {} · last {} ", view.key, view.range.words()),
        },
        theme.style(StyleName::TableTitle),
    )];
    if let Some(charts) = view.charts.data() {
        title.push(Span::styled(
            format!("· {} · {} ", sanitize(&charts.source), charts.era),
            theme.style(StyleName::Muted),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(title));
    let Some(charts) = view.charts.data() else {
        let (text, style) = match view.charts.error() {
            Some(error) => (
                format!(
                    "No metrics ({}):\n{}\n\n{}Press {} to try again.",
                    error.kind_label(),
                    sanitize(&error.to_string()),
                    prometheus_hint(error).map_or_else(String::new, |h| format!("{h}\n\n")),
                    key(Command::Retry)
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => (
                format!("Reading the last {} from Prometheus…", view.range.words()),
                theme.style(StyleName::Muted),
            ),
        };
        message(block, area, buf, text, style);
        return;
    };
    let inner = block.inner(area);
    block.render(area, buf);
    // A failed refresh keeps the charts, said in one line above them.
    let inner = match view.charts.error() {
        Some(error) => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
            Paragraph::new(format!(
                "showing the last good data: {}",
                sanitize(&error.to_string())
            ))
            .style(theme.style(StyleName::EventWarning))
            .render(line, buf);
            rest
        }
        None => inner,
    };
    let rows = Layout::vertical([Constraint::Ratio(1, 3); 3]).split(inner);
    let cells: Vec<Rect> = rows
        .iter()
        .flat_map(|row| {
            Layout::horizontal([Constraint::Ratio(1, 2); 2])
                .split(*row)
                .to_vec()
        })
        .collect();
    let span = (charts.start, charts.end);
    let unit = |suffix: &'static str| move |v: f64| format!("{}{suffix}", figure(v));
    draw_chart(
        "Requests/s",
        &charts.requests_per_second,
        span,
        unit("/s"),
        cells[0],
        buf,
        theme,
    );
    draw_chart(
        "Latency",
        &charts.latency_ms,
        span,
        unit(" ms"),
        cells[1],
        buf,
        theme,
    );
    draw_chart(
        "5xx",
        &charts.error_ratio,
        span,
        |v| format!("{}%", figure(v * 100.0)),
        cells[2],
        buf,
        theme,
    );
    draw_chart(
        "Concurrency",
        &charts.concurrency,
        span,
        unit(""),
        cells[3],
        buf,
        theme,
    );
    draw_chart("Pods", &charts.pods, span, unit(""), cells[4], buf, theme);
    draw_cold_starts(charts, view.range.words(), cells[5], buf, theme);
}

/// `-15m`: how long before the end of the range a time is.
fn ago(seconds: f64) -> String {
    if seconds < 0.5 {
        return "now".to_owned();
    }
    // Whole seconds: the duration's words are exact for them.
    let whole = std::time::Duration::from_secs(seconds.round() as u64);
    format!("-{}", funcdeck_core::duration::words(whole))
}

fn draw_chart(
    name: &str,
    chart: &ChartLines,
    (start, end): (f64, f64),
    label: impl Fn(f64) -> String,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let mut title = vec![Span::styled(
        format!(" {name} "),
        theme.style(StyleName::SectionTitle),
    )];
    if chart.hidden > 0 {
        title.push(Span::styled(
            format!(
                "(busiest {} of {}) ",
                chart.lines.len(),
                chart.lines.len() + chart.hidden
            ),
            theme.style(StyleName::Muted),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(title));
    let Some((_, high)) = chart.bounds() else {
        message(
            block,
            area,
            buf,
            "no data in this range".into(),
            theme.style(StyleName::Muted),
        );
        return;
    };
    let top = if high > 0.0 { high * 1.1 } else { 1.0 };
    let legends: Vec<String> = chart
        .lines
        .iter()
        .map(|line| {
            let last = line.last().map_or_else(|| "–".to_owned(), &label);
            format!("{} {last}", sanitize(&line.name))
        })
        .collect();
    let datasets: Vec<Dataset> = chart
        .lines
        .iter()
        .zip(&legends)
        .enumerate()
        .map(|(i, (line, legend))| {
            Dataset::default()
                .name(legend.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.style(SERIES[i % SERIES.len()]))
                .data(&line.points)
        })
        .collect();
    let axis_style = theme.style(StyleName::Muted);
    Chart::new(datasets)
        .block(block)
        .x_axis(
            Axis::default()
                .bounds([start, end])
                .style(axis_style)
                .labels([ago(end - start), ago((end - start) / 2.0), ago(0.0)]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .style(axis_style)
                .labels(["0".to_owned(), label(top)]),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(60), Constraint::Percentage(60)))
        .render(area, buf);
}

fn draw_cold_starts(
    charts: &FunctionCharts,
    range: String,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(
            format!(" Cold starts · last {range} "),
            theme.style(StyleName::SectionTitle),
        ));
    let total: f64 = charts.cold_starts.iter().map(|(_, n)| n).sum();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{total:.0}"), theme.style(StyleName::HeaderValue)),
        Span::styled(
            if total == 1.0 {
                " scale-up from zero"
            } else {
                " scale-ups from zero"
            },
            Style::default(),
        ),
    ])];
    lines.extend(charts.cold_starts.iter().map(|(revision, n)| {
        Line::styled(
            format!("{:>5.0}  {}", n, sanitize(revision)),
            theme.style(if *n > 0.0 {
                StyleName::Text
            } else {
                StyleName::Muted
            }),
        )
    }));
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

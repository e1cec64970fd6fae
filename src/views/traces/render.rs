//! Drawing the traces pane: the window's cold-start figures and where Jaeger is, the filters,
//! a duration scatter over time (warm, cold and failed traces in their theme colours, the
//! selected one picked out), and the list under it.

use funcdeck_core::jaeger::TraceSummary;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, Widget,
};

use super::TracesView;
use crate::app::TraceSearch;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::message;
use crate::views::Ctx;

/// The colour of a trace with a cold start (in the scatter and its list flag).
pub const COLD: StyleName = StyleName::Chart5;

/// A duration in µs as people read it: `850µs`, `4.2ms`, `120ms`, `1.25s`.
pub fn ms(us: i64) -> String {
    millis(us as f64 / 1000.0)
}

/// A duration in ms, as [`ms`].
pub fn millis(ms: f64) -> String {
    match ms {
        m if m < 1.0 => format!("{:.0}µs", m * 1000.0),
        m if m < 10.0 => format!("{m:.1}ms"),
        m if m < 1000.0 => format!("{m:.0}ms"),
        m if m < 10_000.0 => format!("{:.2}s", m / 1000.0),
        m => format!("{:.1}s", m / 1000.0),
    }
}

pub fn render(view: &TracesView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let key = |command| {
        ctx.shell
            .keymap
            .hint(&[KeyContext::Traces, KeyContext::Metrics], command)
    };
    let mut title = vec![Span::styled(
        format!(" Traces {} · last {} ", view.key, view.range.words()),
        theme.style(StyleName::TableTitle),
    )];
    if let Some(search) = view.search.data() {
        title.push(Span::styled(
            format!("· {} ", sanitize(&search.source)),
            theme.style(StyleName::Muted),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(title));
    let Some(search) = view.search.data() else {
        let (text, style) = match view.search.error() {
            Some(error) => (
                format!(
                    "No traces ({}):\n{}\n\n{}Press {} to try again.",
                    error.kind_label(),
                    sanitize(&error.to_string()),
                    crate::format::jaeger_hint(error)
                        .map_or_else(String::new, |h| format!("{h}\n\n")),
                    key(Command::Retry)
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => (
                format!("Reading the last {} from Jaeger…", view.range.words()),
                theme.style(StyleName::Muted),
            ),
        };
        message(block, area, buf, text, style);
        return;
    };
    let inner = block.inner(area);
    block.render(area, buf);
    let shown = view.shown();
    let mut lines = vec![
        figures(search, theme),
        filters(view, shown.len(), &key, theme),
    ];
    // A failed refresh keeps the list, said in one line above it.
    if let Some(error) = view.search.error() {
        lines.push(Line::styled(
            format!(
                "stale: showing the last good list: {}",
                sanitize(&error.to_string())
            ),
            theme.style(StyleName::EventWarning),
        ));
    }
    if let Some(line) = &view.line {
        let label = line.kind.label();
        let mut spans = vec![
            Span::styled(label, theme.style(StyleName::Prompt)),
            Span::styled(
                sanitize(&line.text).into_owned(),
                theme.style(StyleName::Text),
            ),
            Span::styled("█", theme.style(StyleName::Prompt)),
        ];
        if let Some(problem) = &line.problem {
            spans.push(Span::styled(
                format!("  {}", sanitize(problem)),
                theme.style(StyleName::ReadinessFailed),
            ));
        }
        lines.push(Line::from(spans));
    }
    let [top, chart, table] = Layout::vertical([
        Constraint::Length(lines.len() as u16),
        Constraint::Percentage(35),
        Constraint::Min(3),
    ])
    .areas(inner);
    Paragraph::new(lines).render(top, buf);
    draw_scatter(view, search, &shown, chart, buf, theme);
    draw_list(view, search, &shown, table, buf, theme);
}

fn figures<'a>(search: &TraceSearch, theme: &Theme) -> Line<'a> {
    let stats = funcdeck_core::jaeger::ColdStartStats::of(&search.summaries);
    let figure = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), millis);
    Line::from(vec![
        Span::styled("❄ cold starts ", theme.style(COLD)),
        Span::styled(stats.count.to_string(), theme.style(StyleName::HeaderValue)),
        Span::styled("  p50 ", theme.style(StyleName::HeaderLabel)),
        Span::styled(figure(stats.p50_ms), theme.style(StyleName::HeaderValue)),
        Span::styled("  p95 ", theme.style(StyleName::HeaderLabel)),
        Span::styled(figure(stats.p95_ms), theme.style(StyleName::HeaderValue)),
        Span::styled(
            format!("   of {} traces", search.summaries.len()),
            theme.style(StyleName::Muted),
        ),
    ])
}

fn filters<'a>(
    view: &TracesView,
    shown: usize,
    key: &dyn Fn(Command) -> String,
    theme: &Theme,
) -> Line<'a> {
    let on = |active: bool| {
        theme.style(if active {
            StyleName::HeaderValue
        } else {
            StyleName::Muted
        })
    };
    let filter = &view.filter;
    let words = funcdeck_core::duration::words;
    let duration = match (filter.min_duration, filter.max_duration) {
        (None, None) => "any".to_owned(),
        (Some(min), None) => format!("≥ {}", words(min)),
        (None, Some(max)) => format!("≤ {}", words(max)),
        (Some(min), Some(max)) => format!("{}–{}", words(min), words(max)),
    };
    let operation = filter
        .operation
        .as_deref()
        .map_or_else(|| "any".to_owned(), |op| sanitize(op).into_owned());
    let tags = if filter.tags.is_empty() {
        "any".to_owned()
    } else {
        sanitize(&super::tags::words(&filter.tags)).into_owned()
    };
    Line::from(vec![
        Span::styled(format!("showing {shown}  "), theme.style(StyleName::Text)),
        Span::styled(
            format!("{} errors only", key(Command::ErrorsOnly)),
            on(view.errors_only),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} cold only", key(Command::ColdOnly)),
            on(view.cold_only),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} duration {duration}", key(Command::MinDuration)),
            on(filter.min_duration.is_some() || filter.max_duration.is_some()),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} operation {operation}", key(Command::OperationFilter)),
            on(filter.operation.is_some()),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} tags {tags}", key(Command::TagFilter)),
            on(!filter.tags.is_empty()),
        ),
        Span::styled(
            format!("  {} slowest cold start", key(Command::SlowestCold)),
            theme.style(StyleName::Muted),
        ),
    ])
}

fn draw_scatter(
    view: &TracesView,
    search: &TraceSearch,
    shown: &[usize],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let length = view.range.length.as_secs_f64();
    let start = search.end.timestamp_millis() as f64 / 1000.0 - length;
    let point = |s: &TraceSummary| {
        let at = s
            .start
            .map_or(0.0, |t| t.timestamp_millis() as f64 / 1000.0 - start);
        (at.clamp(0.0, length), s.duration_ms)
    };
    let pick = |keep: &dyn Fn(&TraceSummary) -> bool| -> Vec<(f64, f64)> {
        shown
            .iter()
            .map(|&i| &search.summaries[i])
            .filter(|s| keep(s))
            .map(point)
            .collect()
    };
    let warm = pick(&|s| !s.is_cold() && s.errors == 0);
    let cold = pick(&|s| s.is_cold() && s.errors == 0);
    let failed = pick(&|s| s.errors > 0);
    let selected: Vec<(f64, f64)> = view
        .selected()
        .map(|i| point(&search.summaries[i]))
        .into_iter()
        .collect();
    let top = shown
        .iter()
        .map(|&i| search.summaries[i].duration_ms)
        .fold(0.0_f64, f64::max)
        .max(1.0)
        * 1.1;
    let dataset = |name: &'static str, style| {
        Dataset::default()
            .name(name)
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(theme.style(style))
    };
    let datasets = vec![
        dataset("warm", StyleName::Chart1).data(&warm),
        dataset("❄ cold", COLD).data(&cold),
        dataset("error", StyleName::ReadinessFailed).data(&failed),
        dataset("selected", StyleName::HeaderValue)
            .marker(Marker::Block)
            .data(&selected),
    ];
    let axis = theme.style(StyleName::Muted);
    let words = |s: f64| funcdeck_core::duration::human(std::time::Duration::from_secs_f64(s));
    Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.style(StyleName::TableBorder))
                .title(Span::styled(
                    " Duration over time ",
                    theme.style(StyleName::SectionTitle),
                )),
        )
        .x_axis(Axis::default().bounds([0.0, length]).style(axis).labels([
            format!("-{}", words(length)),
            format!("-{}", words(length / 2.0)),
            "now".to_owned(),
        ]))
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .style(axis)
                .labels(["0".to_owned(), millis(top)]),
        )
        // Top left: the newest traces are on the right.
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(30), Constraint::Percentage(100)))
        .render(area, buf);
}

fn draw_list(
    view: &TracesView,
    search: &TraceSearch,
    shown: &[usize],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    if shown.is_empty() {
        let text = if search.summaries.is_empty() {
            format!(
                "No traces of {} in the last {}.",
                view.key,
                view.range.words()
            )
        } else {
            "No trace passes the filters.".to_owned()
        };
        Paragraph::new(text)
            .style(theme.style(StyleName::Muted))
            .render(area, buf);
        return;
    }
    let height = area.height.saturating_sub(1) as usize;
    let top = view.cursor.saturating_sub(height.saturating_sub(1));
    let header = Row::new([
        "",
        "START",
        "DURATION",
        "SPANS",
        "ERR",
        "REVISION",
        "COLD START",
        "TRACE",
    ])
    .style(theme.style(StyleName::TableHeader));
    let rows = shown
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(at, &i)| {
            let s = &search.summaries[i];
            let marked = view.marked.contains(&s.trace_id);
            let id = s.trace_id.as_str();
            let cold = s
                .cold_start_ms
                .map_or_else(String::new, |c| format!("❄ {}", millis(c)));
            let row = Row::new([
                Cell::from(if marked { "●" } else { " " }),
                Cell::from(
                    s.start
                        .map_or_else(|| "–".to_owned(), |t| t.format("%H:%M:%S").to_string()),
                ),
                Cell::from(millis(s.duration_ms)),
                Cell::from(s.span_count.to_string()),
                Cell::from(if s.errors > 0 {
                    s.errors.to_string()
                } else {
                    String::new()
                })
                .style(theme.style(StyleName::ReadinessFailed)),
                Cell::from(
                    s.revision
                        .as_deref()
                        .map(sanitize)
                        .unwrap_or_default()
                        .into_owned(),
                ),
                Cell::from(cold).style(theme.style(COLD)),
                Cell::from(sanitize(&id[..id.len().min(16)]).into_owned()),
            ]);
            match (at == view.cursor, marked) {
                (true, _) => row.style(theme.style(StyleName::TableSelected)),
                (false, true) => row.style(theme.style(StyleName::TableMarked)),
                _ => row,
            }
        });
    Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(16),
        ],
    )
    .header(header)
    .render(area, buf);
}

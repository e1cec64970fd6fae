//! The selected span's detail beside the waterfall: what it is, where it sits in time and on
//! the critical path, what is wrong with it, then its tags, events and process. A span can
//! carry more than the pane holds, so the detail scrolls on its own keys; the offset belongs
//! to the span it was scrolled on and starts over on another.

use funcdeck_core::jaeger::{Span as TraceSpan, TagValue};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::Waterfall;
use super::render::ms;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;

pub(super) fn draw_detail(
    view: &Waterfall,
    area: Rect,
    buf: &mut Buffer,
    scroll_keys: &str,
    theme: &Theme,
) {
    let Some(i) = view.selected() else {
        detail_block(" Span ".into(), theme).render(area, buf);
        return;
    };
    let span = &view.trace.spans[i];
    let label = theme.style(StyleName::HeaderLabel);
    let section = theme.style(StyleName::SectionTitle);
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<10}"), label),
            Span::raw(value),
        ])
    };
    let flags = view.tree.flags(i);
    let mut lines = vec![
        field("operation", sanitize(&span.operation).into_owned()),
        field("service", sanitize(&span.service).into_owned()),
        field("kind", span.kind.as_str().to_owned()),
        field("start", format!("+{}", ms(span.start_us - view.start_us))),
        field("duration", ms(span.duration_us)),
        field("span id", sanitize(span.id.as_str()).into_owned()),
    ];
    if view.critical.contains(i) {
        let on: i64 = view.on_path[i].iter().map(|(s, e)| e - s).sum();
        lines.push(field(
            "critical",
            format!("{} on the critical path", ms(on)),
        ));
    }
    if span.error {
        lines.push(Line::styled(
            "✗ error",
            theme.style(StyleName::ReadinessFailed),
        ));
    }
    let warn = theme.style(StyleName::EventWarning);
    for (on, what) in [
        (flags.orphan, "orphan: its parent is not in the trace"),
        (flags.skewed, "clock skew: starts before its parent"),
        (flags.duplicate, "duplicate span id"),
        (flags.cycle, "its parents form a cycle"),
    ] {
        if on {
            lines.push(Line::styled(format!("⚠ {what}"), warn));
        }
    }
    for warning in &span.warnings {
        lines.push(Line::styled(format!("⚠ {}", sanitize(warning)), warn));
    }
    let pairs = |title: &'static str, pairs: &[(String, TagValue)], lines: &mut Vec<Line>| {
        if pairs.is_empty() {
            return;
        }
        lines.push(Line::styled(title, section));
        lines.extend(pairs.iter().map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{} ", sanitize(k)), label),
                Span::raw(sanitize(&v.to_string()).into_owned()),
            ])
        }));
    };
    pairs("Tags", &span.tags, &mut lines);
    events(span, view.start_us, section, label, &mut lines);
    pairs("Process", &span.process_tags, &mut lines);
    // Rows the lines take once wrapped (a word may push one more: near enough for a hint).
    let width = usize::from(area.width.saturating_sub(1)).max(1);
    let rows: usize = lines
        .iter()
        .map(|line| line.width().div_ceil(width).max(1))
        .sum();
    // The title takes the first row (there is no top border).
    let height = detail_block(String::new(), theme).inner(area).height;
    let most = u16::try_from(rows.saturating_sub(usize::from(height))).unwrap_or(u16::MAX);
    view.detail_most.set(most);
    let offset = view.detail_offset().min(most);
    let title = if most == 0 {
        " Span ".to_owned()
    } else {
        format!(
            " Span · {}/{} · {scroll_keys} scroll ",
            offset + 1,
            most + 1
        )
    };
    Paragraph::new(lines)
        .block(detail_block(title, theme))
        .wrap(Wrap { trim: false })
        .scroll((offset, 0))
        .render(area, buf);
}

fn detail_block<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::LEFT)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(title, theme.style(StyleName::SectionTitle)))
}

fn events<'a>(
    span: &TraceSpan,
    start: i64,
    section: Style,
    label: Style,
    lines: &mut Vec<Line<'a>>,
) {
    if span.events.is_empty() {
        return;
    }
    lines.push(Line::styled("Events", section));
    for event in &span.events {
        let fields: Vec<String> = event
            .fields
            .iter()
            .map(|(k, v)| format!("{}={}", sanitize(k), sanitize(&v.to_string())))
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("+{} ", ms(event.time_us - start)), label),
            Span::raw(format!("{} {}", sanitize(&event.name), fields.join(" "))),
        ]));
    }
}

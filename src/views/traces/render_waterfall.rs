//! Drawing a trace's waterfall: a time ruler, one row per span on screen (indented, folded
//! subtrees marked, the service in its colour, errors and tree trouble flagged, the bar on the
//! trace's scale with its critical-path part solid) and the selected span's detail beside it.
//! Only the rows on screen are drawn: the cost of a frame does not grow with the trace.

use funcdeck_core::jaeger::knative::ColdStartSource;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::render::ms;
use super::render_span::draw_detail;
use super::{TraceView, Waterfall};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::message;
use crate::views::Ctx;

/// The colours services take, in the order they appear in the trace.
const SERVICES: [StyleName; 6] = [
    StyleName::Chart1,
    StyleName::Chart2,
    StyleName::Chart3,
    StyleName::Chart4,
    StyleName::Chart5,
    StyleName::Chart6,
];

/// A trace's screen: its waterfall, or while it is read by its id, that it is coming or why
/// it did not.
pub fn render_trace(view: &TraceView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let key = |command| ctx.shell.keymap.hint(&[KeyContext::Trace], command);
    if let Some(waterfall) = view.loaded() {
        let scroll_keys = format!("{}/{}", key(Command::DetailDown), key(Command::DetailUp));
        render(
            waterfall,
            view.source.as_deref(),
            scroll_keys,
            area,
            buf,
            theme,
        );
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(
            format!(" {} ", view.title()),
            theme.style(StyleName::TableTitle),
        ));
    let (text, style) = match view.waterfall.error() {
        Some(error) => (
            format!(
                "Cannot show trace {} ({}):\n{}\n\n{}Press {} to try again or {} to go back.",
                sanitize(view.id.as_str()),
                error.kind_label(),
                sanitize(&error.to_string()),
                crate::format::jaeger_hint(error)
                    .or_else(|| gone_hint(error))
                    .map_or_else(String::new, |h| format!("{h}\n\n")),
                key(Command::Retry),
                key(Command::Back),
            ),
            theme.style(StyleName::ReadinessFailed),
        ),
        None => (
            format!("Reading trace {} from Jaeger…", sanitize(view.id.as_str())),
            theme.style(StyleName::Muted),
        ),
    };
    message(block, area, buf, text, style);
}

/// Why Jaeger may not know a trace someone saw an id of.
fn gone_hint(error: &funcdeck_core::error::CoreError) -> Option<&'static str> {
    use funcdeck_core::backend::{BackendError, Failure};
    match error {
        funcdeck_core::error::CoreError::Backend(BackendError::Failed {
            reason: Failure::NotFound { .. },
            ..
        }) => Some(
            "Jaeger keeps traces only for its retention period, and a trace reaches it a few \
             seconds after its request ends (sampling may also have left it out).",
        ),
        _ => None,
    }
}

/// `scroll_keys` names the keys that scroll the span's detail, for its title.
fn render(
    view: &Waterfall,
    source: Option<&str>,
    scroll_keys: String,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let trace = &view.trace;
    let mut title = vec![Span::styled(
        format!(" {} ", view.title()),
        theme.style(StyleName::TableTitle),
    )];
    title.push(Span::styled(
        format!(
            "· {} · {} spans · {} services ",
            ms(view.duration_us),
            trace.spans.len(),
            view.services
        ),
        theme.style(StyleName::Muted),
    ));
    if let Some(cold) = view
        .cold
        .filter(|c| c.is_cold(funcdeck_core::jaeger::knative::COLD_START_THRESHOLD))
    {
        let how = match cold.source {
            ColdStartSource::ThrottlerTry => "throttler_try",
            ColdStartSource::ActivatorMinusQueueProxy => "activator − queue-proxy",
        };
        title.push(Span::styled(
            format!("· ❄ cold start {} ({how}) ", ms(cold.duration_us)),
            theme.style(super::render::COLD),
        ));
    }
    if let Some(source) = source {
        title.push(Span::styled(
            format!("· {} ", sanitize(source)),
            theme.style(StyleName::Muted),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(title));
    let inner = block.inner(area);
    block.render(area, buf);
    let notes = notes(view, theme);
    let [top, body] =
        Layout::vertical([Constraint::Length(notes.len() as u16), Constraint::Min(1)]).areas(inner);
    Paragraph::new(notes).render(top, buf);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
    draw_rows(view, left, buf, theme);
    draw_detail(view, right, buf, &scroll_keys, theme);
}

/// What the trace's reader should know before the rows: warnings, tree trouble, the search.
fn notes<'a>(view: &Waterfall, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let warn = theme.style(StyleName::EventWarning);
    let (orphans, skewed, spans_warned) = view.trouble;
    let mut trouble = Vec::new();
    if orphans > 0 {
        trouble.push(format!("{orphans} orphan span(s) (parent missing)"));
    }
    if skewed > 0 {
        trouble.push(format!(
            "{skewed} span(s) start before their parent (clock skew)"
        ));
    }
    if spans_warned > 0 {
        trouble.push(format!("{spans_warned} span(s) with warnings"));
    }
    if !trouble.is_empty() {
        lines.push(Line::styled(format!("⚠ {}", trouble.join(" · ")), warn));
    }
    for warning in view.trace.warnings.iter().take(3) {
        lines.push(Line::styled(format!("⚠ {}", sanitize(warning)), warn));
    }
    if !view.query.is_empty() {
        lines.push(Line::styled(
            format!(
                "search \"{}\": {} matching span(s)",
                sanitize(&view.query),
                view.matches.len()
            ),
            theme.style(StyleName::Muted),
        ));
    }
    lines
}

fn draw_rows(view: &Waterfall, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.height < 2 || area.width < 20 {
        return;
    }
    let name_width = (area.width * 45 / 100).clamp(12, 60);
    let bar_x = area.x + name_width + 1;
    let bar_width = area.width.saturating_sub(name_width + 1).max(1);
    let start = view.start_us;
    let total = view.duration_us.max(1);
    let col = |us: i64| -> u16 {
        let at = (i128::from(us.saturating_sub(start)) * i128::from(bar_width)) / i128::from(total);
        at.clamp(0, i128::from(bar_width)) as u16
    };
    // The ruler: offsets at the quarters of the trace.
    let muted = theme.style(StyleName::Muted);
    buf.set_stringn(
        area.x,
        area.y,
        "span",
        name_width as usize,
        theme.style(StyleName::TableHeader),
    );
    for quarter in 0..4u16 {
        let x = bar_x + bar_width * quarter / 4;
        let label = match quarter {
            0 => "├0".to_owned(),
            q => format!("├{}", ms(total * i64::from(q) / 4)),
        };
        buf.set_stringn(x, area.y, &label, (bar_width - (x - bar_x)) as usize, muted);
    }
    let height = (area.height - 1) as usize;
    let mut top = view.top.get();
    if view.cursor < top {
        top = view.cursor;
    } else if view.cursor >= top + height {
        top = view.cursor + 1 - height;
    }
    top = top.min(view.rows.len().saturating_sub(height));
    view.top.set(top);
    for (line, (at, row)) in view
        .rows
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .enumerate()
    {
        let y = area.y + 1 + line as u16;
        let span = &view.trace.spans[row.span];
        let colour = theme.style(SERVICES[view.colour[row.span] % SERVICES.len()]);
        let selected = at == view.cursor;
        let base = if selected {
            theme.style(StyleName::TableSelected)
        } else if view.is_match[row.span] {
            theme.style(StyleName::TableMarked)
        } else {
            Style::default()
        };
        // The name column: critical-path gutter, indentation, fold marker, service, operation.
        let mut x = area.x;
        let end = area.x + name_width;
        let mut put = |text: &str, style: Style, x: &mut u16| {
            if *x < end {
                let (next, _) = buf.set_stringn(*x, y, text, (end - *x) as usize, style);
                *x = next;
            }
        };
        let on_path = view.critical.contains(row.span);
        put(
            if on_path { "┃" } else { " " },
            theme.style(StyleName::HeaderValue),
            &mut x,
        );
        put(
            &" ".repeat(row.depth.min(name_width as usize / 3)),
            base,
            &mut x,
        );
        let fold = match (row.has_children(), row.collapsed) {
            (false, _) => "  ",
            (true, false) => "▾ ",
            (true, true) => "▸ ",
        };
        put(fold, base, &mut x);
        if span.error {
            put("✗ ", theme.style(StyleName::ReadinessFailed), &mut x);
        }
        let flags = row.flags;
        if flags.orphan
            || flags.skewed
            || flags.duplicate
            || flags.cycle
            || !span.warnings.is_empty()
        {
            put("⚠ ", theme.style(StyleName::EventWarning), &mut x);
        }
        put(&sanitize(&span.service), colour.patch(base), &mut x);
        put(" ", base, &mut x);
        put(&sanitize(&span.operation), base, &mut x);
        if row.collapsed {
            put(
                &format!(" (+{})", row.descendants),
                muted.patch(base),
                &mut x,
            );
        }
        while x < end {
            put(" ", base, &mut x);
        }
        // The bar: the span on the trace's scale, its critical-path part solid.
        let (from, to) = (
            col(span.start_us),
            col(span.end_us()).max(col(span.start_us) + 1),
        );
        for c in from..to.min(bar_width) {
            buf[(bar_x + c, y)].set_char('━').set_style(colour);
        }
        for &(s, e) in &view.on_path[row.span] {
            let (a, b) = (col(s), col(e).max(col(s) + 1));
            for c in a..b.min(bar_width) {
                buf[(bar_x + c, y)].set_char('█').set_style(colour);
            }
        }
        let label = ms(span.duration_us);
        let after = to + 1;
        if after + label.len() as u16 <= bar_width {
            buf.set_string(bar_x + after, y, &label, muted);
        } else if from > label.len() as u16 + 1 {
            buf.set_string(bar_x + from - label.len() as u16 - 1, y, &label, muted);
        }
    }
}

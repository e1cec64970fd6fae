//! Drawing the quota view: a box titled with the namespace (and why that one), the usage rows
//! with their bars, the limit-range rows, the open quota line with its problem, and each state
//! said in words — loading, nothing set, refused (which permission), unreachable, stale.

use funcdeck_core::error::CoreError;
use funcdeck_core::quota::{self, LimitRow, UsageRow};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::QuotaView;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

const BAR_WIDTH: usize = 20;

/// The bar's style by how full the quota is: at 90% the next function or pod is likely refused.
pub fn usage_style(percent: u64) -> StyleName {
    match percent {
        0..75 => StyleName::QuotaOk,
        75..90 => StyleName::QuotaHigh,
        _ => StyleName::QuotaFull,
    }
}

pub fn render(view: &QuotaView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let mut title = format!(" Quota · namespace {} ", sanitize(&view.namespace));
    if view.defaulted {
        title.push_str("(the context's default: all namespaces are in scope) ");
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(title, theme.style(StyleName::TableTitle)));
    let style = |name: StyleName| theme.style(name);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let set_key = ctx
        .shell
        .keymap
        .hint(&[KeyContext::Quota], Command::SetQuota);
    let namespace = sanitize(&view.namespace).into_owned();
    if let Some(error) = view.data.error() {
        let stale = view.data.is_stale();
        for (i, text) in explain(error, ctx, &namespace).into_iter().enumerate() {
            let text = if i == 0 && stale {
                format!("stale — the last read failed: {text}")
            } else {
                text
            };
            lines.push(Line::styled(text, style(StyleName::ReadinessFailed)));
        }
        lines.push(Line::default());
    }
    match view.data.data() {
        None if view.data.error().is_none() => lines.push(Line::styled(
            format!("reading the quotas of namespace {namespace}…"),
            style(StyleName::Muted),
        )),
        None => {}
        Some(data) => {
            let usage = quota::usage_rows(&data.quotas);
            if usage.is_empty() {
                let what = if data.quotas.is_empty() {
                    "no quota".to_owned()
                } else {
                    "no quota on cpu, memory, gpus, pods or functions".to_owned()
                };
                lines.push(Line::styled(
                    format!("{what} in namespace {namespace} — press {set_key} to set one"),
                    style(StyleName::Muted),
                ));
            } else {
                lines.extend(usage_lines(&usage, &style));
            }
            lines.push(Line::default());
            let limits = quota::limit_rows(&data.limit_ranges);
            if limits.is_empty() {
                lines.push(Line::styled(
                    format!(
                        "no limit range in namespace {namespace}: containers without requests \
                         or limits get none"
                    ),
                    style(StyleName::Muted),
                ));
            } else {
                lines.extend(limit_lines(&limits, &style));
            }
        }
    }
    if let Some(line) = &view.line {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("set › ", style(StyleName::Prompt)),
            Span::styled(sanitize(&line.text).into_owned(), style(StyleName::Text)),
            Span::styled("█", style(StyleName::Prompt)),
        ]));
        match &line.problem {
            Some(problem) => lines.push(Line::styled(
                format!("      ✗ {}", sanitize(problem)),
                style(StyleName::ReadinessFailed),
            )),
            None => lines.push(Line::styled(
                "      words: cpu= memory= gpu= pods= functions= (as quota set's flags); \
                 only the words given change"
                    .to_owned(),
                style(StyleName::Muted),
            )),
        }
    }
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

/// Each failure in words: what could not be read and what to do about it.
fn explain(error: &CoreError, ctx: &Ctx<'_>, namespace: &str) -> Vec<String> {
    match error {
        CoreError::Forbidden { message } => {
            // The server names the kind it refused; quotas are read first.
            let resource = if message.contains("limitranges") {
                "limitranges"
            } else {
                "resourcequotas"
            };
            let permission = funcdeck_core::access::Permission::new("list", "", resource);
            vec![
                format!(
                    "cannot read the quotas: {}",
                    ctx.shell.missing(&permission, namespace)
                ),
                format!("the server said: {}", sanitize(&error.to_string())),
            ]
        }
        CoreError::Unreachable { .. } => vec![
            format!("cannot read the quotas: {}", sanitize(&error.to_string())),
            "read again every 5 s; the header shows when the server answers again".to_owned(),
        ],
        other => vec![format!(
            "cannot read the quotas: {}",
            sanitize(&other.to_string())
        )],
    }
}

/// Pads `text` to `width` columns (cells are short ASCII-ish words; sanitized before).
fn cell(text: &str, width: usize) -> String {
    format!("{text:<width$}  ")
}

fn widths<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> [usize; N] {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, text) in widths.iter_mut().zip(row) {
            *w = (*w).max(text.chars().count());
        }
    }
    widths
}

fn usage_lines(rows: &[UsageRow], style: &dyn Fn(StyleName) -> Style) -> Vec<Line<'static>> {
    const HEADER: [&str; 4] = ["QUOTA", "RESOURCE", "USED", "HARD"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                sanitize(&r.quota).into_owned(),
                r.resource.clone(),
                sanitize(r.used.as_deref().unwrap_or("?")).into_owned(),
                sanitize(&r.hard).into_owned(),
            ]
        })
        .collect();
    let w = widths(HEADER, &cells);
    let mut header: String = HEADER.iter().zip(w).map(|(h, w)| cell(h, w)).collect();
    header.push_str("USAGE");
    let mut lines = vec![Line::styled(header, style(StyleName::TableHeader))];
    for (row, texts) in rows.iter().zip(cells) {
        let text: String = texts.iter().zip(w).map(|(t, w)| cell(t, w)).collect();
        let bar = match row.percent {
            Some(percent) => Span::styled(
                quota::usage_bar(percent, BAR_WIDTH),
                style(usage_style(percent)),
            ),
            None => Span::styled("not counted yet", style(StyleName::Muted)),
        };
        lines.push(Line::from(vec![
            Span::styled(text, style(StyleName::Text)),
            bar,
        ]));
    }
    lines
}

fn limit_lines(rows: &[LimitRow], style: &dyn Fn(StyleName) -> Style) -> Vec<Line<'static>> {
    const HEADER: [&str; 6] = [
        "LIMITRANGE",
        "TYPE",
        "RESOURCE",
        "DEFAULT",
        "DEFAULT REQUEST",
        "MAX",
    ];
    let value = |v: &Option<String>| {
        v.as_deref()
            .map_or("-".to_owned(), |v| sanitize(v).into_owned())
    };
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                sanitize(&r.limit_range).into_owned(),
                sanitize(&r.kind).into_owned(),
                sanitize(&r.resource).into_owned(),
                value(&r.default),
                value(&r.default_request),
                value(&r.max),
            ]
        })
        .collect();
    let w = widths(HEADER, &cells);
    let line = |texts: &[&str]| -> String {
        texts
            .iter()
            .zip(w)
            .map(|(t, w)| cell(t, w))
            .collect::<String>()
            .trim_end()
            .to_owned()
    };
    let mut lines = vec![Line::styled(line(&HEADER), style(StyleName::TableHeader))];
    for texts in &cells {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        lines.push(Line::styled(line(&texts), style(StyleName::Text)));
    }
    lines
}

//! Drawing the Invoke view: the request form on the left (the field being edited is a live
//! text area, the others plain text), the response on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Exchange, Field, InvokeView};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;

/// The style of a status line: success, redirect, client error, server error.
fn status_style(status: u16) -> StyleName {
    match status {
        200..=299 => StyleName::ReadinessReady,
        300..=399 => StyleName::ReadinessUnknown,
        400..=499 => StyleName::ReadinessDeploying,
        _ => StyleName::ReadinessFailed,
    }
}

/// The response pane's lines, each with its style.
fn response_text(view: &InvokeView, send_key: &str) -> Vec<(String, StyleName)> {
    let mut out: Vec<(String, StyleName)> = Vec::new();
    match &view.exchange {
        Exchange::Idle => {
            out.push((
                format!("Press {send_key} to send the request."),
                StyleName::Muted,
            ));
            if view.service.data().is_some() && view.url().is_none() {
                out.push((
                    "The function has no URL yet: it is not ready.".to_owned(),
                    StyleName::BannerWarning,
                ));
            }
        }
        Exchange::InFlight { method, target } => {
            out.push((
                format!("Sending {method} {} …", sanitize(target)),
                StyleName::ReadinessDeploying,
            ));
            out.push((
                "A function scaled to zero answers after a cold start.".to_owned(),
                StyleName::Muted,
            ));
        }
        Exchange::Failed(why) => out.push((sanitize(why).into_owned(), StyleName::BannerError)),
        Exchange::Answered(resp) => {
            out.push((
                format!(
                    "HTTP {} {} · {:.1} ms",
                    resp.status,
                    resp.reason,
                    resp.latency.as_secs_f64() * 1000.0
                ),
                status_style(resp.status),
            ));
            let dest = &resp.sent_to;
            let via = match &dest.gateway {
                Some(g) => format!("through {} at {}", sanitize(g), dest.address),
                None => format!("straight to {}", dest.address),
            };
            out.push((sanitize(&dest.url).into_owned(), StyleName::Muted));
            out.push((via, StyleName::Muted));
            out.push((String::new(), StyleName::Text));
            for (k, v) in &resp.headers {
                out.push((
                    format!("{}: {}", sanitize(k), sanitize(v)),
                    StyleName::HeaderLabel,
                ));
            }
            out.push((String::new(), StyleName::Text));
            for line in resp.rendered_body().text().lines() {
                out.push((line.to_owned(), StyleName::Text));
            }
        }
    }
    out
}

pub(super) fn response_line_count(view: &InvokeView) -> usize {
    response_text(view, "").len()
}

fn boxed<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, title_style) = if focused {
        (StyleName::PopupBorder, StyleName::PopupSelected)
    } else {
        (StyleName::TableBorder, StyleName::TableTitle)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(border))
        .title(Span::styled(format!(" {title} "), theme.style(title_style)))
}

fn field(view: &InvokeView, which: Field, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let focused = view.focus == which;
    let mut title = which.label().to_owned();
    if focused && view.editing {
        title.push_str(" · editing");
    }
    let block = boxed(title, focused, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    match view.form.area(which) {
        Some(text) if focused && view.editing => text.render(inner, buf),
        Some(text) if which == Field::Method && text.is_empty() => {
            let auto = format!("{} (auto)", view.form.auto_method());
            Paragraph::new(Line::styled(auto, theme.style(StyleName::Muted))).render(inner, buf);
        }
        Some(text) => {
            let lines: Vec<Line<'_>> = text
                .lines()
                .iter()
                .map(|l| Line::styled(sanitize(l).into_owned(), theme.style(StyleName::Text)))
                .collect();
            Paragraph::new(lines).render(inner, buf);
        }
        None => {
            let line = match (&view.form.tag, view.url()) {
                (Some(tag), Some(url)) => format!("{tag} → {url}"),
                (Some(tag), None) => tag.clone(),
                (None, Some(url)) => format!("none → {url}"),
                (None, None) => "none".to_owned(),
            };
            let count = view.tags().len();
            let more = match count {
                0 => " (no tags)".to_owned(),
                n => format!(" ({n} tag{})", if n == 1 { "" } else { "s" }),
            };
            Paragraph::new(Line::from(vec![
                Span::styled(sanitize(&line).into_owned(), theme.style(StyleName::Text)),
                Span::styled(more, theme.style(StyleName::Muted)),
            ]))
            .render(inner, buf);
        }
    }
}

pub fn render(view: &InvokeView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let [top, tag, headers, body] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Length(6),
        Constraint::Min(3),
    ])
    .areas(left);
    let [method, path] =
        Layout::horizontal([Constraint::Length(15), Constraint::Min(10)]).areas(top);
    field(view, Field::Method, method, buf, theme);
    field(view, Field::Path, path, buf, theme);
    field(view, Field::Tag, tag, buf, theme);
    field(view, Field::Headers, headers, buf, theme);
    field(view, Field::Body, body, buf, theme);

    let send_key = ctx.shell.keymap.hint(&[KeyContext::Invoke], Command::Send);
    let block = boxed("Response".to_owned(), false, theme);
    let height = usize::from(right.height.saturating_sub(2));
    let lines: Vec<Line<'_>> = response_text(view, &send_key)
        .into_iter()
        .skip(view.scroll)
        .take(height)
        .map(|(text, style)| Line::styled(text, theme.style(style)))
        .collect();
    Paragraph::new(lines).block(block).render(right, buf);
}

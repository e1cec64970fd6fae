//! Drawing the editor: the text with line numbers and its problem underneath, or the screen
//! that asks for a decision (review, conflict, draft, leaving).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::{DiffLine, EditorView, Mode, Tone};
use crate::command::Command;
use crate::format::human_age;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::views::Ctx;
use funcdeck_core::diff::Change;

/// Unchanged lines kept around each change in a diff.
const CONTEXT_LINES: usize = 3;

pub fn render(view: &EditorView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let version = view
        .base
        .as_ref()
        .map(|b| format!(" (resourceVersion {})", b.resource_version))
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Span::styled(
            format!(" {}{version} ", sanitize(&view.title())),
            theme.style(StyleName::TableTitle),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let key = |command| ctx.shell.keymap.hint(&[KeyContext::EditChoice], command);
    match &view.mode {
        Mode::Loading => {
            Line::styled("loading the function…", theme.style(StyleName::Muted)).render(inner, buf)
        }
        Mode::Failed(why) => Paragraph::new(sanitize(why).into_owned())
            .style(theme.style(StyleName::BannerError))
            .wrap(Wrap { trim: false })
            .render(inner, buf),
        Mode::Editing | Mode::Leaving => {
            editing(view, inner, buf, theme);
            if matches!(view.mode, Mode::Leaving) {
                let text = vec![
                    Line::styled(
                        format!("{} has changes that are not applied.", view.id.key),
                        theme.style(StyleName::Text),
                    ),
                    Line::styled(
                        format!(
                            "{} keep them as a draft · {} discard them · {} stay",
                            key(Command::KeepDraft),
                            key(Command::Discard),
                            key(Command::Cancel)
                        ),
                        theme.style(StyleName::Muted),
                    ),
                ];
                popup(" Leave the editor? ", text, inner, buf, theme);
            }
        }
        Mode::Review { lines, scroll, .. } => {
            let (added, removed) = counts(lines);
            let head = vec![
                Line::styled(
                    format!("Your change to {}: +{added} −{removed} lines", view.id.key),
                    theme.style(StyleName::SectionTitle),
                ),
                Line::styled(
                    format!(
                        "{} apply · {} keep editing",
                        key(Command::Confirm),
                        key(Command::Cancel)
                    ),
                    theme.style(StyleName::Muted),
                ),
            ];
            diff_screen(head, lines, *scroll, inner, buf, theme);
        }
        Mode::Conflict {
            theirs,
            lines,
            scroll,
        } => {
            let Some(theirs) = theirs else {
                Line::styled(
                    "the function changed on the server; loading its version…",
                    theme.style(StyleName::Muted),
                )
                .render(inner, buf);
                return;
            };
            let was = view
                .base
                .as_ref()
                .map_or("", |b| b.resource_version.as_str());
            let head = vec![
                Line::styled(
                    format!(
                        "Conflict: {} changed on the server since you loaded it (resourceVersion {was} → {}).",
                        view.id.key,
                        sanitize(&theirs.resource_version)
                    ),
                    theme.style(StyleName::BannerError),
                ),
                Line::styled(
                    "− the server's version   + yours".to_owned(),
                    theme.style(StyleName::Muted),
                ),
                Line::styled(
                    format!(
                        "{} re-base your change onto theirs · {} overwrite theirs with yours · {} keep editing",
                        key(Command::Rebase),
                        key(Command::Overwrite),
                        key(Command::Cancel)
                    ),
                    theme.style(StyleName::Muted),
                ),
            ];
            diff_screen(head, lines, *scroll, inner, buf, theme);
        }
        Mode::Offer(draft) => {
            let age = human_age(Some(draft.saved_at), ctx.shell.now);
            let mut head = vec![Line::styled(
                format!(
                    "An unapplied edit of {} was kept as a draft {age} ago.",
                    view.id.key
                ),
                theme.style(StyleName::SectionTitle),
            )];
            if let Some((message, _)) = &view.message {
                head.push(Line::styled(
                    sanitize(message).into_owned(),
                    theme.style(StyleName::BannerError),
                ));
            }
            head.push(Line::styled(
                format!(
                    "{} restore it · {} discard it · {} leave it for later",
                    key(Command::Restore),
                    key(Command::Discard),
                    key(Command::Cancel)
                ),
                theme.style(StyleName::Muted),
            ));
            let lines = super::choices::diff_lines(&draft.base, &draft.text);
            diff_screen(head, &lines, 0, inner, buf, theme);
        }
    }
}

/// The text with line numbers, the problem's line marked, and what to say underneath.
fn editing(view: &EditorView, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut status: Vec<Line<'_>> = Vec::new();
    if let Some(problem) = &view.problem {
        status.push(Line::styled(
            format!("✗ {}", sanitize(&problem.to_string())),
            theme.style(StyleName::BannerError),
        ));
    }
    if let Some((message, tone)) = &view.message {
        let style = match tone {
            Tone::Info => StyleName::Muted,
            Tone::Error => StyleName::BannerError,
        };
        for line in message.lines() {
            status.push(Line::styled(
                sanitize(line).into_owned(),
                theme.style(style),
            ));
        }
    }
    // Room for the status as it wraps (a webhook's message can be long), up to half the box;
    // word wrapping leaves rows short, so a row of slack for each line that wraps.
    let width = usize::from(area.width.max(1));
    let wrapped: usize = status
        .iter()
        .map(|line| match line.width().div_ceil(width) {
            0 | 1 => 1,
            rows => rows + 1,
        })
        .sum();
    let status_height = u16::try_from(wrapped)
        .unwrap_or(u16::MAX)
        .min(area.height / 2);
    let [text_area, status_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(status_height)]).areas(area);
    (&view.textarea).render(text_area, buf);
    if let Some(problem) = &view.problem {
        let top = usize::from(view.textarea.scroll_offset().0);
        let row = problem.position().line.saturating_sub(1);
        if row >= top && row - top < usize::from(text_area.height) {
            let y = text_area.y + u16::try_from(row - top).unwrap_or(0);
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..text_area
                },
                theme.style(StyleName::DiffRemoved),
            );
        }
    }
    Paragraph::new(status)
        .wrap(Wrap { trim: false })
        .render(status_area, buf);
}

fn diff_screen(
    head: Vec<Line<'static>>,
    lines: &[DiffLine],
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let mut out = head;
    out.push(Line::raw(""));
    for line in hunks(lines).into_iter().skip(scroll) {
        out.push(match line {
            None => Line::styled("  …", theme.style(StyleName::Muted)),
            Some((change, text)) => {
                let (prefix, style) = match change {
                    Change::Same => (' ', StyleName::Text),
                    Change::Removed => ('-', StyleName::DiffRemoved),
                    Change::Added => ('+', StyleName::DiffAdded),
                };
                Line::styled(format!("{prefix} {}", sanitize(text)), theme.style(style))
            }
        });
    }
    Paragraph::new(out).render(area, buf);
}

/// The changed lines with a few unchanged ones around them; `None` stands for a gap.
fn hunks(lines: &[DiffLine]) -> Vec<Option<&DiffLine>> {
    let near_change = |i: usize| {
        let from = i.saturating_sub(CONTEXT_LINES);
        let to = (i + CONTEXT_LINES + 1).min(lines.len());
        lines[from..to].iter().any(|(c, _)| *c != Change::Same)
    };
    let mut out = Vec::new();
    let mut gap = false;
    for (i, line) in lines.iter().enumerate() {
        if near_change(i) {
            if gap && !out.is_empty() {
                out.push(None);
            }
            gap = false;
            out.push(Some(line));
        } else {
            gap = true;
        }
    }
    out
}

fn counts(lines: &[DiffLine]) -> (usize, usize) {
    let added = lines.iter().filter(|(c, _)| *c == Change::Added).count();
    let removed = lines.iter().filter(|(c, _)| *c == Change::Removed).count();
    (added, removed)
}

fn popup(title: &str, text: Vec<Line<'_>>, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width.min(72);
    let height = area.height.min(4);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(rect, buf);
    Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.style(StyleName::PopupBorder))
                .title(Span::styled(
                    title.to_owned(),
                    theme.style(StyleName::PopupTitle),
                )),
        )
        .render(rect, buf);
}

//! The bottom line: the filter prompt while typing, otherwise the top view's key hints (keys
//! from the keymap) and the cursor position.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::sanitize;
use crate::app::App;
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};

pub struct Footer<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Footer { app, theme } = self;
        let keymap = &app.shell.keymap;
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(24)]).areas(area);
        let view = &app.top().view;
        let line = match view.typing() {
            Some(text) => {
                let input = [KeyContext::Input];
                Line::from(vec![
                    Span::styled("/", theme.style(StyleName::Prompt)),
                    Span::styled(sanitize(text).into_owned(), theme.style(StyleName::Text)),
                    Span::styled("█", theme.style(StyleName::Prompt)),
                    Span::styled(
                        format!(
                            "   {} keep · {} clear",
                            keymap.hint(&input, Command::Confirm),
                            keymap.hint(&input, Command::Cancel)
                        ),
                        theme.style(StyleName::Footer),
                    ),
                ])
            }
            None => {
                let chain = view.key_chain();
                let mut spans = Vec::new();
                for (command, word) in view.hints() {
                    if let Some(key) = keymap.keys_for(chain, *command).first() {
                        // A change the user may not make here is shown, but dimmed; pressing
                        // it says which permission is missing.
                        let (key_style, word_style) = if app.disabled(*command).is_some() {
                            (StyleName::Muted, StyleName::Muted)
                        } else {
                            (StyleName::FooterKey, StyleName::Footer)
                        };
                        spans.push(Span::styled(format!(" {key}"), theme.style(key_style)));
                        spans.push(Span::styled(format!(" {word} "), theme.style(word_style)));
                    }
                }
                Line::from(spans)
            }
        };
        Paragraph::new(line).render(left, buf);
        if let Some((position, rows)) = view.position() {
            Paragraph::new(format!("{position}/{rows} "))
                .style(theme.style(StyleName::Footer))
                .alignment(ratatui::layout::Alignment::Right)
                .render(right, buf);
        }
    }
}

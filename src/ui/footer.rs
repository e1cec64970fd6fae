//! The bottom line: the filter prompt while typing, otherwise key hints and the cursor position.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::sanitize;
use crate::app::{App, Mode};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::Theme;

pub struct Footer<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// The commands worth a hint on the main screen, with the word shown for each.
const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Filter, "filter"),
    (Command::PickNamespace, "namespace"),
    (Command::AllNamespaces, "all"),
    (Command::SortNext, "sort"),
    (Command::Retry, "reload"),
    (Command::Quit, "quit"),
];

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Footer { app, theme } = self;
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(24)]).areas(area);
        let line = match &app.mode {
            Mode::Filtering => Line::from(vec![
                Span::styled("/", theme.style("prompt")),
                Span::styled(sanitize(&app.view.filter).into_owned(), theme.style("text")),
                Span::styled("█", theme.style("prompt")),
                Span::styled("   Enter keep · Esc clear", theme.style("footer")),
            ]),
            _ => {
                let mut spans = Vec::new();
                for (command, word) in HINTS {
                    if let Some(key) = app.keymap.keys_for(KeyContext::Functions, *command).first()
                    {
                        spans.push(Span::styled(format!(" {key}"), theme.style("footer.key")));
                        spans.push(Span::styled(format!(" {word} "), theme.style("footer")));
                    }
                }
                Line::from(spans)
            }
        };
        Paragraph::new(line).render(left, buf);
        if let Some(list) = app.functions.loaded() {
            let rows = list.row_count();
            let position = if rows == 0 { 0 } else { app.view.cursor + 1 };
            Paragraph::new(format!("{position}/{rows} "))
                .style(theme.style("footer"))
                .alignment(ratatui::layout::Alignment::Right)
                .render(right, buf);
        }
    }
}

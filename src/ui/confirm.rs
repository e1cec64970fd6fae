//! The confirmation of a change: what will happen, and a field where the user types the
//! target's name (like GitHub's "type the repository name"), so a stray Enter deletes nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::sanitize;
use crate::app::Confirm;
use crate::command::Command;
use crate::keymap::{KeyContext, Keymap};
use crate::theme::{StyleName, Theme};

pub struct ConfirmBox<'a> {
    pub confirm: &'a Confirm,
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
}

impl ConfirmBox<'_> {
    /// The rows the box needs at `width` (borders included), so a long preview is shown whole
    /// when the screen has room for it.
    pub fn height(&self, width: u16) -> u16 {
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let rows: usize = self
            .lines()
            .iter()
            .map(|line| line.width().max(1).div_ceil(inner))
            .sum();
        u16::try_from(rows + 2).unwrap_or(u16::MAX)
    }

    fn lines(&self) -> Vec<Line<'static>> {
        let ConfirmBox {
            confirm,
            keymap,
            theme,
        } = self;
        let mutation = &confirm.mutation;
        let chain = [KeyContext::Input];
        let target = sanitize(mutation.target()).into_owned();
        let mut lines = vec![Line::styled(
            format!("You are about to {}.", sanitize(&mutation.describe())),
            theme.style(StyleName::Text),
        )];
        lines.extend(
            mutation.consequence().lines().map(|line| {
                Line::styled(sanitize(line).into_owned(), theme.style(StyleName::Muted))
            }),
        );
        lines.extend(mutation.preview().iter().map(|line| {
            Line::styled(
                format!("  {}", sanitize(line)),
                theme.style(StyleName::Text),
            )
        }));
        if mutation.needs_name() {
            lines.extend([
                Line::raw(""),
                Line::from(vec![
                    Span::styled("Type ", theme.style(StyleName::Text)),
                    Span::styled(target.clone(), theme.style(StyleName::HeaderValue)),
                    Span::styled(" to confirm:", theme.style(StyleName::Text)),
                ]),
                Line::from(vec![
                    Span::styled("> ", theme.style(StyleName::Prompt)),
                    Span::styled(
                        sanitize(&confirm.typed).into_owned(),
                        theme.style(StyleName::Text),
                    ),
                    Span::styled("█", theme.style(StyleName::Prompt)),
                ]),
            ]);
        }
        if confirm.mismatch {
            lines.push(Line::styled(
                format!("That is not \"{target}\"; nothing was changed."),
                theme.style(StyleName::ReadinessFailed),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "{} to {} · {} to cancel",
                keymap.hint(&chain, Command::Confirm),
                sanitize(&mutation.describe()),
                keymap.hint(&chain, Command::Cancel)
            ),
            theme.style(StyleName::Footer),
        ));
        lines
    }
}

impl Widget for ConfirmBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::ReadinessFailed))
            .title(Span::styled(
                format!(" Confirm: {} ", sanitize(&self.confirm.mutation.describe())),
                theme.style(StyleName::ReadinessFailed),
            ));
        Paragraph::new(self.lines())
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}

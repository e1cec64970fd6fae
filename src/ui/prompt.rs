//! The `:` prompt, drawn over the top of the body: what is typed, the completion Tab would
//! give in grey, and the other candidates.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::sanitize;
use crate::app::{App, Prompt, prompt};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};

pub struct PromptBox<'a> {
    pub prompt: &'a Prompt,
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for PromptBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let PromptBox { prompt, app, theme } = self;
        let contexts = app
            .shell
            .context
            .as_ref()
            .map_or(&[][..], |c| c.contexts.as_slice());
        let candidates = prompt::candidates(&prompt.line, &app.shell.namespaces, contexts);
        let suggestion = candidates
            .first()
            .and_then(|c| c.strip_prefix(prompt.line.as_str()))
            .unwrap_or("");
        let others: Vec<&str> = candidates
            .iter()
            .skip(1)
            .take(8)
            .map(String::as_str)
            .collect();
        let keymap = &app.shell.keymap;
        let chain = [KeyContext::Command];
        let hint = format!(
            " {} complete · {} run · {} cancel ",
            keymap.hint(&chain, Command::Complete),
            keymap.hint(&chain, Command::Confirm),
            keymap.hint(&chain, Command::Cancel)
        );
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::PopupBorder))
            .title(Span::styled(hint, theme.style(StyleName::Footer)));
        if !others.is_empty() {
            block = block.title_bottom(Span::styled(
                format!(" also: {} ", sanitize(&others.join("  "))),
                theme.style(StyleName::Completion),
            ));
        }
        let line = Line::from(vec![
            Span::styled(":", theme.style(StyleName::Prompt)),
            Span::styled(
                sanitize(&prompt.line).into_owned(),
                theme.style(StyleName::Text),
            ),
            Span::styled("█", theme.style(StyleName::Prompt)),
            Span::styled(
                sanitize(suggestion).into_owned(),
                theme.style(StyleName::Completion),
            ),
        ]);
        Paragraph::new(line).block(block).render(area, buf);
    }
}

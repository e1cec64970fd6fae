//! The namespace picker overlay.

use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::sanitize;
use crate::app::NamespacePicker;
use crate::theme::{StyleName, Theme};

pub struct Picker<'a> {
    pub picker: &'a NamespacePicker,
    pub current: &'a NamespaceScope,
    pub theme: &'a Theme,
}

impl Widget for Picker<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Picker {
            picker,
            current,
            theme,
        } = self;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::PopupBorder))
            .title(Span::styled(
                " Namespace ",
                theme.style(StyleName::PopupTitle),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![Line::from(vec![
            Span::styled("> ", theme.style(StyleName::Prompt)),
            Span::raw(sanitize(&picker.filter).into_owned()),
            Span::styled("█", theme.style(StyleName::Prompt)),
        ])];
        let choices = picker.choices();
        let list_height = usize::from(inner.height.saturating_sub(2));
        let first = picker.cursor.saturating_sub(list_height.saturating_sub(1));
        for (i, choice) in choices.iter().enumerate().skip(first).take(list_height) {
            let (name, marker) = match choice {
                NamespaceScope::All => ("all namespaces".to_owned(), choice == current),
                NamespaceScope::One(ns) => (sanitize(ns).into_owned(), choice == current),
            };
            let text = format!("{} {name}", if marker { "•" } else { " " });
            let style = if i == picker.cursor {
                theme.style(StyleName::PopupSelected)
            } else {
                theme.style(StyleName::Text)
            };
            lines.push(Line::styled(text, style));
        }
        if let Some(error) = picker.namespaces.error() {
            lines.push(Line::styled(
                format!("  cannot list namespaces: {}", sanitize(&error.to_string())),
                theme.style(StyleName::ReadinessFailed),
            ));
        } else if picker.namespaces.is_loading() {
            lines.push(Line::styled(
                "  loading namespaces…",
                theme.style(StyleName::Muted),
            ));
        } else if choices.is_empty() {
            lines.push(Line::styled(
                "  no namespace matches",
                theme.style(StyleName::Muted),
            ));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

//! The namespace picker overlay.

use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::sanitize;
use crate::app::{Loadable, NamespacePicker};
use crate::theme::Theme;

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
            .border_style(theme.style("popup.border"))
            .title(Span::styled(" Namespace ", theme.style("popup.title")));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![Line::from(vec![
            Span::styled("> ", theme.style("prompt")),
            Span::raw(sanitize(&picker.filter).into_owned()),
            Span::styled("█", theme.style("prompt")),
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
                theme.style("popup.selected")
            } else {
                theme.style("text")
            };
            lines.push(Line::styled(text, style));
        }
        match &picker.namespaces {
            Loadable::Idle | Loadable::Loading => {
                lines.push(Line::styled("  loading namespaces…", theme.style("muted")));
            }
            Loadable::Failed(error) => {
                lines.push(Line::styled(
                    format!("  cannot list namespaces: {}", sanitize(&error.to_string())),
                    theme.style("readiness.failed"),
                ));
            }
            Loadable::Loaded(_) if choices.is_empty() => {
                lines.push(Line::styled("  no namespace matches", theme.style("muted")));
            }
            Loadable::Loaded(_) => {}
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

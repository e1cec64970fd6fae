//! The help overlay and `docs/keys.md`, both generated from the keymap and command descriptions.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::command::Command;
use crate::keymap::{KeyContext, Keymap};
use crate::theme::{StyleName, Theme};

pub struct HelpOverlay<'a> {
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
    pub scroll: u16,
    /// The current view's keymap sections, shown first: what works here comes before the rest.
    pub here: &'a [KeyContext],
}

/// One help entry: every key bound to a command in a context, and what it does.
pub struct HelpEntry {
    pub keys: String,
    pub description: String,
}

/// Help sections in display order, merging keys that run the same command.
pub fn sections(keymap: &Keymap) -> Vec<(KeyContext, Vec<HelpEntry>)> {
    KeyContext::ALL
        .into_iter()
        .map(|context| {
            let mut order: Vec<Command> = Vec::new();
            let mut entries: Vec<HelpEntry> = Vec::new();
            for binding in keymap.bindings(context) {
                let key = binding.key.to_string();
                match order.iter().position(|c| *c == binding.command) {
                    Some(i) => {
                        entries[i].keys.push_str(", ");
                        entries[i].keys.push_str(&key);
                    }
                    None => {
                        order.push(binding.command);
                        entries.push(HelpEntry {
                            keys: key,
                            description: binding.description().to_owned(),
                        });
                    }
                }
            }
            (context, entries)
        })
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

/// The Markdown for `docs/keys.md`.
pub fn keys_markdown(keymap: &Keymap) -> String {
    let mut out = String::from(
        "# Keys\n\n<!-- Generated from keymaps/default.toml by `cargo test` (UPDATE_DOCS=1); do not edit. -->\n\n\
         Every key can be rebound: copy `keymaps/default.toml` to `<config dir>/keymaps/default.toml` and change it.\n",
    );
    for (context, entries) in sections(keymap) {
        out.push_str(&format!(
            "\n## {}\n\n| keys | action |\n| --- | --- |\n",
            context.title()
        ));
        for entry in entries {
            let keys = entry
                .keys
                .split(", ")
                .map(|k| format!("`{}`", k.replace('|', "\\|")))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("| {keys} | {} |\n", entry.description));
        }
    }
    out.push_str("\n## Commands\n\n| command | what it does |\n| --- | --- |\n");
    for command in Command::ALL {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            command.name(),
            command.description()
        ));
    }
    out
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::PopupBorder))
            .title(Span::styled(
                format!(
                    " Help — {} or {} to close ",
                    self.keymap.hint(&[KeyContext::Help], Command::Help),
                    self.keymap.hint(&[KeyContext::Help], Command::Cancel)
                ),
                theme.style(StyleName::PopupTitle),
            ));
        let mut lines = Vec::new();
        let mut ordered = sections(self.keymap);
        // The view's own sections in lookup order, then the global keys, then everything else.
        ordered.sort_by_key(
            |(context, _)| match self.here.iter().position(|c| c == context) {
                Some(position) => position,
                None if *context == KeyContext::Global => self.here.len(),
                None => usize::MAX,
            },
        );
        for (context, entries) in ordered {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                context.title(),
                theme.style(StyleName::TableHeader),
            ));
            for entry in entries {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {:<22}", entry.keys),
                        theme.style(StyleName::FooterKey),
                    ),
                    Span::styled(entry.description, theme.style(StyleName::Text)),
                ]));
            }
        }
        Paragraph::new(lines)
            .block(block)
            .scroll((self.scroll, 0))
            .render(area, buf);
    }
}

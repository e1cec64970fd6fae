//! Key notation used in keymap files: `j`, `G`, `?`, `<C-c>`, `<Down>`, `<S-Tab>`, `<PageDown>`.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalised so that a parsed `G` equals the `G` crossterm reports
/// (crossterm adds SHIFT to upper-case characters; we drop it for characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(code, KeyCode::Char(_)) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        // Terminals send Shift+Tab as BackTab; keep one spelling.
        if code == KeyCode::BackTab {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Key { code, modifiers }
    }

    pub fn plain(c: char) -> Self {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// The character this key types into a text field, if it is a plain printable one.
    pub fn typed_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }
}

impl From<KeyEvent> for Key {
    fn from(event: KeyEvent) -> Self {
        Key::new(event.code, event.modifiers)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key \"{0}\"")]
pub struct InvalidKey(pub String);

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
    ("lt", KeyCode::Char('<')),
];

impl FromStr for Key {
    type Err = InvalidKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidKey(s.to_owned());
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::plain(c));
        }
        let inner = s
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix('>'))
            .ok_or_else(invalid)?;
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = inner;
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, tail)| !tail.is_empty()) {
            modifiers |= match prefix {
                "C" => KeyModifiers::CONTROL,
                "A" | "M" => KeyModifiers::ALT,
                "S" => KeyModifiers::SHIFT,
                _ => return Err(invalid()),
            };
            rest = tail;
        }
        let code = if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == rest) {
            *code
        } else if let Some(n) = rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
            KeyCode::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCode::Char(c),
                _ => return Err(invalid()),
            }
        };
        if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
            return Ok(Key::new(KeyCode::BackTab, modifiers));
        }
        Ok(Key::new(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NAMED
            .iter()
            .find(|(_, code)| *code == self.code)
            .map(|(name, _)| (*name).to_owned());
        let base = match (name, self.code) {
            (Some(name), _) => name,
            (None, KeyCode::F(n)) => format!("F{n}"),
            (None, KeyCode::Char(c)) => c.to_string(),
            (None, other) => format!("{other:?}"),
        };
        let mut prefix = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            prefix.push_str("C-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            prefix.push_str("A-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            prefix.push_str("S-");
        }
        let single_char = matches!(self.code, KeyCode::Char(c) if c != ' ' && c != '<');
        if prefix.is_empty() && single_char {
            f.write_str(&base)
        } else {
            write!(f, "<{prefix}{base}>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_named_and_modified_keys() {
        assert_eq!("j".parse(), Ok(Key::plain('j')));
        assert_eq!(
            "<C-c>".parse(),
            Ok(Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            "<PageDown>".parse(),
            Ok(Key::new(KeyCode::PageDown, KeyModifiers::NONE))
        );
        assert_eq!(
            "<S-Tab>".parse(),
            Ok(Key::new(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            "<F5>".parse(),
            Ok(Key::new(KeyCode::F(5), KeyModifiers::NONE))
        );
    }

    #[test]
    fn upper_case_letters_match_what_crossterm_reports() {
        let reported = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from(reported), "G".parse().expect("valid key"));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "<>", "<X-a>", "<Nope>", "ab", "<C->"] {
            assert!(bad.parse::<Key>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "j",
            "G",
            "?",
            "<C-c>",
            "<Down>",
            "<BackTab>",
            "<Space>",
            "<Esc>",
            "<A-x>",
        ] {
            let key: Key = text.parse().expect("valid key");
            assert_eq!(key.to_string(), text);
        }
    }
}

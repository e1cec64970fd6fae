//! Keymaps are data: TOML sections per context binding keys to [`Command`]s.
//!
//! The default keymap is embedded from `keymaps/default.toml`; a user file of the same name in the
//! config dir (or the one chosen with `--keymap`) overrides bindings key by key. A broken user file
//! never stops the app: the defaults stay and the caller gets a warning to show.

mod key;

pub use key::{InvalidKey, Key};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::command::Command;

pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");

/// Where a key is pressed. `Global` bindings apply in every context that does not bind the key itself,
/// except text input, where printable keys type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyContext {
    Global,
    Functions,
    Picker,
    Input,
    Help,
}

impl KeyContext {
    pub const ALL: [KeyContext; 5] = [
        KeyContext::Global,
        KeyContext::Functions,
        KeyContext::Picker,
        KeyContext::Input,
        KeyContext::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::Functions => "Functions list",
            KeyContext::Picker => "Namespace picker",
            KeyContext::Input => "Text input (filter)",
            KeyContext::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub command: Command,
    pub description: Option<String>,
}

impl Binding {
    pub fn description(&self) -> &str {
        self.description
            .as_deref()
            .unwrap_or_else(|| self.command.description())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    sections: BTreeMap<KeyContext, Vec<Binding>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("not valid TOML: {0}")]
    Toml(String),
    #[error("[{section}] {key:?}: {reason}")]
    Binding {
        section: &'static str,
        key: String,
        reason: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    global: SectionFile,
    #[serde(default)]
    functions: SectionFile,
    #[serde(default)]
    picker: SectionFile,
    #[serde(default)]
    input: SectionFile,
    #[serde(default)]
    help: SectionFile,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    #[serde(default)]
    keys: Vec<BindingFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BindingFile {
    on: String,
    run: String,
    desc: Option<String>,
}

impl Keymap {
    /// The embedded default keymap. A test proves it parses, so this cannot fail in a release.
    pub fn defaults() -> Self {
        Keymap::parse(DEFAULT_KEYMAP).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Self, KeymapError> {
        let file: KeymapFile =
            toml::from_str(text).map_err(|e| KeymapError::Toml(e.message().to_owned()))?;
        let mut sections = BTreeMap::new();
        for (context, name, section) in [
            (KeyContext::Global, "global", file.global),
            (KeyContext::Functions, "functions", file.functions),
            (KeyContext::Picker, "picker", file.picker),
            (KeyContext::Input, "input", file.input),
            (KeyContext::Help, "help", file.help),
        ] {
            let mut bindings = Vec::with_capacity(section.keys.len());
            for raw in section.keys {
                let error = |reason: String| KeymapError::Binding {
                    section: name,
                    key: raw.on.clone(),
                    reason,
                };
                let key = raw.on.parse::<Key>().map_err(|e| error(e.to_string()))?;
                let command = raw
                    .run
                    .parse::<Command>()
                    .map_err(|e| error(e.to_string()))?;
                bindings.push(Binding {
                    key,
                    command,
                    description: raw.desc,
                });
            }
            sections.insert(context, bindings);
        }
        Ok(Keymap { sections })
    }

    /// Lays `overrides` over `self`: a key bound in the override replaces its binding in that context.
    pub fn merged_with(mut self, overrides: Keymap) -> Self {
        for (context, bindings) in overrides.sections {
            let section = self.sections.entry(context).or_default();
            for binding in bindings {
                section.retain(|existing| existing.key != binding.key);
                section.push(binding);
            }
        }
        self
    }

    pub fn bindings(&self, context: KeyContext) -> &[Binding] {
        self.sections
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The command for `key` in `context`, falling back to the global section.
    pub fn lookup(&self, context: KeyContext, key: Key) -> Option<Command> {
        let local = self
            .bindings(context)
            .iter()
            .find(|b| b.key == key)
            .map(|b| b.command);
        local.or_else(|| {
            // While typing, printable keys belong to the text, not to global shortcuts like `q`.
            if context == KeyContext::Input && key.typed_char().is_some() {
                return None;
            }
            self.bindings(KeyContext::Global)
                .iter()
                .find(|b| b.key == key)
                .map(|b| b.command)
        })
    }

    /// The keys bound to `command` in `context`, for hints like "press ? for help".
    pub fn keys_for(&self, context: KeyContext, command: Command) -> Vec<Key> {
        self.bindings(context)
            .iter()
            .chain(self.bindings(KeyContext::Global))
            .filter(|b| b.command == command)
            .map(|b| b.key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_keymap_parses_and_binds_the_basics() {
        let keymap = Keymap::parse(DEFAULT_KEYMAP).expect("default keymap parses");
        assert_eq!(
            keymap.lookup(KeyContext::Functions, Key::plain('q')),
            Some(Command::Quit)
        );
        assert_eq!(
            keymap.lookup(KeyContext::Functions, Key::plain('/')),
            Some(Command::Filter)
        );
        assert_eq!(
            keymap.lookup(KeyContext::Help, Key::plain('?')),
            Some(Command::Help)
        );
    }

    #[test]
    fn typing_q_in_a_text_field_does_not_quit() {
        let keymap = Keymap::defaults();
        assert_eq!(keymap.lookup(KeyContext::Input, Key::plain('q')), None);
        let ctrl_c = "<C-c>".parse().expect("valid key");
        assert_eq!(
            keymap.lookup(KeyContext::Input, ctrl_c),
            Some(Command::Quit)
        );
    }

    #[test]
    fn user_bindings_override_by_key_and_keep_the_rest() {
        let user = Keymap::parse(
            r#"
            [functions]
            keys = [{ on = "j", run = "up" }, { on = "x", run = "quit", desc = "Leave" }]
            "#,
        )
        .expect("user keymap parses");
        let merged = Keymap::defaults().merged_with(user);
        assert_eq!(
            merged.lookup(KeyContext::Functions, Key::plain('j')),
            Some(Command::Up)
        );
        assert_eq!(
            merged.lookup(KeyContext::Functions, Key::plain('x')),
            Some(Command::Quit)
        );
        assert_eq!(
            merged.lookup(KeyContext::Functions, Key::plain('k')),
            Some(Command::Up)
        );
        let bound_j = merged
            .bindings(KeyContext::Functions)
            .iter()
            .filter(|b| b.key == Key::plain('j'))
            .count();
        assert_eq!(bound_j, 1);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let unknown_command = Keymap::parse(
            r#"[global]
keys = [{ on = "q", run = "explode" }]"#,
        );
        assert_eq!(
            unknown_command.map_err(|e| e.to_string()),
            Err(r#"[global] "q": unknown command "explode""#.to_owned())
        );
        let bad_key = Keymap::parse(
            r#"[help]
keys = [{ on = "<Hyper-x>", run = "quit" }]"#,
        );
        assert!(matches!(
            bad_key,
            Err(KeymapError::Binding {
                section: "help",
                ..
            })
        ));
        assert!(matches!(
            Keymap::parse("[global"),
            Err(KeymapError::Toml(_))
        ));
        assert!(matches!(
            Keymap::parse("[mystery]\nkeys = []"),
            Err(KeymapError::Toml(_))
        ));
    }
}

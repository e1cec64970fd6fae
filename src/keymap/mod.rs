//! Keymaps are data: TOML sections per context binding keys to [`Command`]s.
//!
//! The default keymap is embedded from `keymaps/default.toml`; a user file of the same name in the
//! config dir (or the one chosen with `--keymap`) overrides bindings key by key. A broken user file
//! never stops the app: the defaults stay and the caller gets a warning to show.

mod context;
mod key;

pub use context::KeyContext;
pub use key::{InvalidKey, Key};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::command::Command;

pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");

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
    #[error("unknown section [{name}] (known: {known})")]
    Section { name: String, known: String },
    #[error("[{section}] {key:?}: {reason}")]
    Binding {
        section: &'static str,
        key: String,
        reason: String,
    },
}

/// A keymap file: one table per context section, each `keys = [...]`.
type KeymapFile = BTreeMap<String, SectionFile>;

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
        for (name, section) in file {
            let Some(context) = KeyContext::ALL.into_iter().find(|c| c.section() == name) else {
                let known: Vec<&str> = KeyContext::ALL.iter().map(|c| c.section()).collect();
                return Err(KeymapError::Section {
                    name,
                    known: known.join(", "),
                });
            };
            let mut bindings = Vec::with_capacity(section.keys.len());
            for raw in section.keys {
                let error = |reason: String| KeymapError::Binding {
                    section: context.section(),
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

    /// The command for `key` along `chain` (most specific context first), then `global`.
    pub fn lookup(&self, chain: &[KeyContext], key: Key) -> Option<Command> {
        let typing = chain.first().is_some_and(|c| c.types_text());
        for &context in chain.iter().chain(std::iter::once(&KeyContext::Global)) {
            // While typing, printable keys belong to the text, not to shortcuts like `q`.
            if typing && context != chain[0] && key.typed_char().is_some() {
                return None;
            }
            if let Some(binding) = self.bindings(context).iter().find(|b| b.key == key) {
                return Some(binding.command);
            }
        }
        None
    }

    /// The keys bound to `command` along `chain` (then `global`), as they would fire.
    pub fn keys_for(&self, chain: &[KeyContext], command: Command) -> Vec<Key> {
        let mut keys = Vec::new();
        for &context in chain.iter().chain(std::iter::once(&KeyContext::Global)) {
            for binding in self.bindings(context) {
                if binding.command == command
                    && !keys.contains(&binding.key)
                    && self.lookup(chain, binding.key) == Some(command)
                {
                    keys.push(binding.key);
                }
            }
        }
        keys
    }

    /// How to name `command` in text ("press r to retry"): its first key along `chain`, or
    /// `:name` when no key is bound (the command prompt runs it too).
    pub fn hint(&self, chain: &[KeyContext], command: Command) -> String {
        match self.keys_for(chain, command).first() {
            Some(key) => key.to_string(),
            None => format!(":{}", command.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUNCTIONS: &[KeyContext] = &[KeyContext::Functions, KeyContext::List];

    #[test]
    fn shipped_default_keymap_parses_and_binds_the_basics() {
        let keymap = Keymap::parse(DEFAULT_KEYMAP).expect("default keymap parses");
        assert_eq!(
            keymap.lookup(FUNCTIONS, Key::plain('q')),
            Some(Command::Quit)
        );
        assert_eq!(
            keymap.lookup(FUNCTIONS, Key::plain('/')),
            Some(Command::Filter)
        );
        assert_eq!(
            keymap.lookup(&[KeyContext::Help], Key::plain('?')),
            Some(Command::Help)
        );
    }

    #[test]
    fn typing_q_in_a_text_field_does_not_quit() {
        let keymap = Keymap::defaults();
        assert_eq!(keymap.lookup(&[KeyContext::Input], Key::plain('q')), None);
        let ctrl_c = "<C-c>".parse().expect("valid key");
        assert_eq!(
            keymap.lookup(&[KeyContext::Input], ctrl_c),
            Some(Command::Quit)
        );
    }

    #[test]
    fn user_bindings_override_by_key_and_keep_the_rest() {
        let user = Keymap::parse(
            r#"
            [list]
            keys = [{ on = "j", run = "up" }, { on = "x", run = "quit", desc = "Leave" }]
            "#,
        )
        .expect("user keymap parses");
        let merged = Keymap::defaults().merged_with(user);
        assert_eq!(merged.lookup(FUNCTIONS, Key::plain('j')), Some(Command::Up));
        assert_eq!(
            merged.lookup(FUNCTIONS, Key::plain('x')),
            Some(Command::Quit)
        );
        assert_eq!(merged.lookup(FUNCTIONS, Key::plain('k')), Some(Command::Up));
        let bound_j = merged
            .bindings(KeyContext::List)
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
            Err(KeymapError::Section { ref name, .. }) if name == "mystery"
        ));
    }
}

#[cfg(test)]
mod chain_tests {
    use super::*;

    #[test]
    fn hints_name_the_key_that_would_fire_and_fall_back_to_the_prompt() {
        let keymap = Keymap::defaults();
        let chain = [KeyContext::Functions, KeyContext::List];
        assert_eq!(keymap.hint(&chain, Command::Retry), "r");
        assert_eq!(keymap.hint(&chain, Command::Filter), "/");
        let user = Keymap::parse(
            r#"
            [functions]
            keys = [{ on = "r", run = "quit" }]
            "#,
        )
        .expect("parses");
        let merged = Keymap::defaults().merged_with(user);
        // `r` now quits in this view: the hint must name another key for retry.
        assert_eq!(merged.hint(&chain, Command::Retry), "<C-r>");
        let empty = Keymap::default();
        assert_eq!(empty.hint(&chain, Command::Quit), ":quit");
    }

    #[test]
    fn every_context_is_a_known_section_of_the_default_keymap() {
        let keymap = Keymap::defaults();
        for context in KeyContext::ALL {
            assert!(
                !keymap.bindings(context).is_empty(),
                "no default keys for [{}]",
                context.section()
            );
        }
    }
}

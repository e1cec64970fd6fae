//! The application state and its pure transitions.
//!
//! One task owns [`App`]. Input and background answers arrive as [`Msg`]s; [`App::update`]
//! changes state and returns [`Effect`]s for the runner to perform. Nothing here does I/O, so
//! every transition is tested without a terminal or a cluster.

mod effect;
mod function_list;
mod health;
mod loadable;
mod msg;
mod picker;
mod sort;
mod update;

pub use effect::Effect;
pub use function_list::{FunctionList, Tally};
pub use health::Health;
pub use loadable::Loadable;
pub use msg::{ContextInfo, Msg};
pub use picker::NamespacePicker;
pub use sort::{Sort, SortColumn};

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;

use crate::keymap::{KeyContext, Keymap};

/// What has the keyboard.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    /// Typing into the `/` filter; rows narrow as you type.
    Filtering,
    Help {
        scroll: u16,
    },
    NamespacePicker(NamespacePicker),
}

/// How the user looks at the list: kept across reconnects and namespace switches.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    pub filter: String,
    pub sort: Sort,
    pub cursor: usize,
    pub offset: usize,
}

#[derive(Debug)]
pub struct App {
    pub keymap: Keymap,
    pub context: Option<ContextInfo>,
    pub scope: NamespaceScope,
    /// `-n` given on the command line; otherwise the context's namespace is used once known.
    scope_chosen: bool,
    pub health: Health,
    pub functions: Loadable<FunctionList>,
    pub view: ListView,
    pub mode: Mode,
    /// Config, theme or keymap problems that fell back to defaults; shown until dismissed.
    pub warnings: Vec<String>,
    pub now: DateTime<Utc>,
    pub terminal_size: (u16, u16),
    /// `--readonly`: every mutation is disabled (the header says so).
    pub readonly: bool,
    pub should_quit: bool,
    /// Something on screen changed since the last draw.
    pub dirty: bool,
    generation: u64,
    namespaces_generation: u64,
    last_probe: Option<DateTime<Utc>>,
}

impl App {
    /// `scope` is the namespace asked for on the command line, if any.
    pub fn new(keymap: Keymap, scope: Option<NamespaceScope>, now: DateTime<Utc>) -> Self {
        App {
            keymap,
            context: None,
            scope_chosen: scope.is_some(),
            scope: scope.unwrap_or_else(|| NamespaceScope::One("default".into())),
            health: Health::Connecting,
            functions: Loadable::Idle,
            view: ListView::default(),
            mode: Mode::Normal,
            warnings: Vec::new(),
            now,
            terminal_size: (80, 24),
            readonly: false,
            should_quit: false,
            dirty: true,
            generation: 0,
            namespaces_generation: 0,
            last_probe: None,
        }
    }

    /// The first effects to run: connect.
    pub fn start(&mut self) -> Vec<Effect> {
        self.reconnect()
    }

    pub fn key_context(&self) -> KeyContext {
        match self.mode {
            Mode::Normal => KeyContext::Functions,
            Mode::Filtering => KeyContext::Input,
            Mode::Help { .. } => KeyContext::Help,
            Mode::NamespacePicker(_) => KeyContext::Picker,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn shows_namespace_column(&self) -> bool {
        self.scope == NamespaceScope::All
    }

    /// The banner line under the header, if any: errors first, then warnings.
    pub fn banner(&self) -> Option<Banner> {
        if let Some(error) = self.health.error() {
            let retry = match self.health {
                Health::Failed { .. } => "press r to retry",
                _ => "retrying; press r to retry now",
            };
            let stale = matches!(self.functions, Loadable::Loaded(_));
            let mut text = error.to_string();
            if stale {
                text.push_str(" — showing last known data");
            }
            return Some(Banner::Error(format!("{text} ({retry})")));
        }
        self.warnings.first().map(|w| Banner::Warning(w.clone()))
    }

    /// Brings derived state up to date before a frame: rows after data or view changes, and the
    /// scroll offset so the cursor stays visible.
    pub fn settle(&mut self) {
        self.refresh_rows();
        let visible = usize::from(self.table_rows_visible()).max(1);
        let rows = self.functions.loaded().map_or(0, FunctionList::row_count);
        if self.view.cursor < self.view.offset {
            self.view.offset = self.view.cursor;
        } else if self.view.cursor >= self.view.offset + visible {
            self.view.offset = self.view.cursor + 1 - visible;
        }
        self.view.offset = self.view.offset.min(rows.saturating_sub(visible));
    }

    /// Recomputes filtered, sorted rows if stale, keeping the same function under the cursor.
    pub(crate) fn refresh_rows(&mut self) {
        let Loadable::Loaded(list) = &mut self.functions else {
            return;
        };
        let selected = list.row(self.view.cursor).map(|s| s.key.clone());
        if list.refresh_rows(&self.view.filter, self.view.sort) {
            if let Some(position) = selected.as_ref().and_then(|key| list.position_of(key)) {
                self.view.cursor = position;
            }
            self.dirty = true;
        }
        self.view.cursor = self.view.cursor.min(list.row_count().saturating_sub(1));
    }

    pub(crate) fn table_rows_visible(&self) -> u16 {
        let (width, height) = self.terminal_size;
        crate::ui::layout::table_body_rows(height, self.banner_lines(width))
    }

    /// Lines the banner takes at this width: long messages wrap onto a second line.
    pub fn banner_lines(&self, width: u16) -> u16 {
        match self.banner() {
            None => 0,
            Some(Banner::Error(text) | Banner::Warning(text)) => {
                if text.chars().count() + 4 > usize::from(width) {
                    2
                } else {
                    1
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    Error(String),
    Warning(String),
}

#[cfg(test)]
pub(crate) mod test_support {
    pub use crate::testing::summary;
}

#[cfg(test)]
mod tests;

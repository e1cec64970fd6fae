//! The namespace picker overlay: all namespaces first, then the cluster's, narrowed by typing.

use funcdeck_core::functions::NamespaceScope;

use super::loadable::Loadable;

#[derive(Debug, Clone, Default)]
pub struct NamespacePicker {
    pub namespaces: Loadable<Vec<String>>,
    pub filter: String,
    pub cursor: usize,
}

impl NamespacePicker {
    /// The choices as shown: "all namespaces" then matching names.
    pub fn choices(&self) -> Vec<NamespaceScope> {
        let needle = self.filter.to_lowercase();
        let mut choices = Vec::new();
        if needle.is_empty() || "all namespaces".contains(&needle) {
            choices.push(NamespaceScope::All);
        }
        if let Some(names) = self.namespaces.loaded() {
            choices.extend(
                names
                    .iter()
                    .filter(|n| n.to_lowercase().contains(&needle))
                    .map(|n| NamespaceScope::One(n.clone())),
            );
        }
        choices
    }

    pub fn selected(&self) -> Option<NamespaceScope> {
        self.choices().into_iter().nth(self.cursor)
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let count = self.choices().len();
        if count == 0 {
            self.cursor = 0;
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(count - 1);
    }

    pub fn edit_filter(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.filter);
        self.cursor = 0;
    }
}

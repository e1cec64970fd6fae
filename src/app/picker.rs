//! The namespace picker overlay: all namespaces first, then the cluster's, narrowed by typing.

use funcdeck_core::functions::NamespaceScope;

use super::pane::Pane;
use funcdeck_core::names::is_namespace_name;

#[derive(Debug, Clone, Default)]
pub struct NamespacePicker {
    pub namespaces: Pane<Vec<String>>,
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
        let names: &[String] = self.namespaces.data().map_or(&[], Vec::as_slice);
        let listed_before = choices.len();
        choices.extend(
            names
                .iter()
                .filter(|n| n.to_lowercase().contains(&needle))
                .map(|n| NamespaceScope::One(n.clone())),
        );
        // Someone allowed into one namespace may not list namespaces at all: when nothing
        // listed matches, what they typed is a choice of its own.
        if choices.len() == listed_before && is_namespace_name(&self.filter) {
            choices.push(NamespaceScope::One(self.filter.clone()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use funcdeck_core::error::CoreError;

    #[test]
    fn a_typed_namespace_is_offered_even_when_listing_is_forbidden() {
        let mut picker = NamespacePicker::default();
        picker.namespaces.fail(CoreError::Forbidden {
            message: "namespaces is forbidden".into(),
        });
        picker.edit_filter(|f| f.push_str("shop"));
        assert_eq!(picker.choices(), vec![NamespaceScope::One("shop".into())]);
        picker.edit_filter(|f| f.push_str("/x"));
        assert!(picker.choices().is_empty(), "not a namespace name");
    }

    #[test]
    fn typed_text_is_offered_only_when_nothing_listed_matches() {
        let mut picker = NamespacePicker::default();
        picker
            .namespaces
            .succeed(vec!["shop".into(), "shopping".into()]);
        picker.edit_filter(|f| f.push_str("sho"));
        assert_eq!(
            picker.choices(),
            vec![
                NamespaceScope::One("shop".into()),
                NamespaceScope::One("shopping".into())
            ]
        );
        picker.edit_filter(|f| f.push_str("es"));
        assert_eq!(picker.choices(), vec![NamespaceScope::One("shoes".into())]);
    }
}

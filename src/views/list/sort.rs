//! Which column a list is sorted by. Columns are indexes into the row type's column table
//! (`crate::columns`), so every list sorts the same way and the CLI shares the definitions.

use crate::columns::Column;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

impl Sort {
    /// Moves to the next (or previous) sortable column, skipping hidden ones (NAMESPACE in
    /// one namespace). Columns shown with the pulse do not sort (their numbers move).
    pub fn step<T>(self, columns: &[Column<T>], forward: bool, all_namespaces: bool) -> Sort {
        let candidates: Vec<usize> = (0..columns.len())
            .filter(|&i| columns[i].sort.is_some() && columns[i].shown(all_namespaces, false))
            .collect();
        let count = candidates.len();
        if count == 0 {
            return self;
        }
        let next = match candidates.iter().position(|&c| c == self.column) {
            Some(position) if forward => (position + 1) % count,
            Some(position) => (position + count - 1) % count,
            // The current column is hidden (NAMESPACE in one namespace): start from an end.
            None if forward => 0,
            None => count - 1,
        };
        Sort {
            column: candidates[next],
            descending: false,
        }
    }

    /// The column to mark as sorted: a hidden NAMESPACE column sorts by key, which within one
    /// namespace is the name — the next shown sortable column.
    pub fn marked<T>(self, columns: &[Column<T>], all_namespaces: bool) -> Option<usize> {
        (self.column..columns.len())
            .find(|&i| columns[i].sort.is_some() && columns[i].shown(all_namespaces, false))
    }
}

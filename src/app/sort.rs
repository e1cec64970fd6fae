//! Which column the function table is sorted by, and the ordering for each.

use std::cmp::Ordering;

use funcdeck_core::function::{FunctionSummary, Readiness};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Namespace,
    Name,
    Ready,
    Latest,
    Age,
}

impl SortColumn {
    pub const ALL: [SortColumn; 5] = [
        SortColumn::Namespace,
        SortColumn::Name,
        SortColumn::Ready,
        SortColumn::Latest,
        SortColumn::Age,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Namespace => "NAMESPACE",
            SortColumn::Name => "NAME",
            SortColumn::Ready => "READY",
            SortColumn::Latest => "LATEST",
            SortColumn::Age => "AGE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: SortColumn::Namespace,
            descending: false,
        }
    }
}

impl Sort {
    /// Moves to the next (or previous) column, skipping NAMESPACE when it is not shown.
    pub fn step(self, forward: bool, namespace_shown: bool) -> Sort {
        let columns: Vec<SortColumn> = SortColumn::ALL
            .into_iter()
            .filter(|c| namespace_shown || *c != SortColumn::Namespace)
            .collect();
        let count = columns.len();
        let next = match columns.iter().position(|c| *c == self.column) {
            Some(position) if forward => (position + 1) % count,
            Some(position) => (position + count - 1) % count,
            // The current column is hidden (NAMESPACE in one namespace): start from an end.
            None if forward => 0,
            None => count - 1,
        };
        Sort {
            column: columns[next],
            descending: false,
        }
    }

    pub fn compare(self, a: &FunctionSummary, b: &FunctionSummary) -> Ordering {
        let primary = match self.column {
            SortColumn::Namespace => a.key.cmp(&b.key),
            SortColumn::Name => a.key.name.cmp(&b.key.name),
            SortColumn::Ready => trouble_rank(a.readiness).cmp(&trouble_rank(b.readiness)),
            SortColumn::Latest => a.latest_revision().cmp(&b.latest_revision()),
            // Newest first reads naturally for ages; `descending` flips it like any other column.
            SortColumn::Age => b.created.cmp(&a.created),
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(|| a.key.cmp(&b.key))
    }
}

/// Trouble first: a sort by READY is a triage list.
fn trouble_rank(readiness: Readiness) -> u8 {
    match readiness {
        Readiness::Failed => 0,
        Readiness::Deploying => 1,
        Readiness::Unknown => 2,
        Readiness::Ready => 3,
    }
}

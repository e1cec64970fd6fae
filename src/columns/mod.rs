//! Column definitions shared by the TUI tables and the CLI's `-o table` output, so a column's
//! title, content and order are written once and both always agree.
//!
//! The TUI additionally uses the width hints (how wide a column may grow, which columns give way
//! first on a narrow screen), the sort order and the tone; the CLI prints every column in full.

mod events;
mod functions;
mod pods;
mod revisions;

use std::cmp::Ordering;
use std::io::{self, Write};

use chrono::{DateTime, Utc};

pub use events::EVENT_COLUMNS;
pub use functions::FUNCTION_COLUMNS;
pub use pods::{POD_COLUMNS, termination_cell};
pub use revisions::{FUNCTION_REVISION_COLUMNS, REVISION_COLUMNS};

use crate::cli::output::write_table;
use crate::theme::StyleName;

/// What a cell needs besides its row.
#[derive(Debug, Clone, Copy)]
pub struct CellContext {
    pub now: DateTime<Utc>,
    /// The TUI adds status symbols (● ✗ ◐); the CLI prints plain words, like kubectl.
    pub symbols: bool,
}

/// How wide a column may be in the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// As wide as its widest visible cell, up to this.
    Max(u16),
    /// Whatever is left, but only if at least this much is.
    Fill { min: u16 },
}

pub struct Column<T> {
    pub title: &'static str,
    pub cell: fn(&T, &CellContext) -> String,
    /// Rows sort by this column; `None` for columns that do not sort (URLs, messages).
    pub sort: Option<fn(&T, &T) -> Ordering>,
    pub width: Width,
    /// Columns with a rank give way, lowest first, when a row does not fit the screen.
    pub drop_rank: Option<u8>,
    /// Shown only when rows come from more than one namespace.
    pub namespace: bool,
    /// The cell's style; `None` for plain text.
    pub tone: fn(&T) -> Option<StyleName>,
}

impl<T> Column<T> {
    pub fn shown(&self, all_namespaces: bool) -> bool {
        all_namespaces || !self.namespace
    }
}

/// The plain tone: no style of its own.
pub fn plain<T>(_: &T) -> Option<StyleName> {
    None
}

/// Prints `rows` under `columns` the way kubectl prints tables (`-o table`).
pub fn write_rows<T>(
    out: &mut impl Write,
    columns: &[Column<T>],
    rows: &[T],
    all_namespaces: bool,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let cx = CellContext {
        now,
        symbols: false,
    };
    let shown: Vec<&Column<T>> = columns.iter().filter(|c| c.shown(all_namespaces)).collect();
    let headers: Vec<&str> = shown.iter().map(|c| c.title).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| shown.iter().map(|c| (c.cell)(row, &cx)).collect())
        .collect();
    write_table(out, &headers, &cells)
}

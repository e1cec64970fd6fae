//! Column definitions shared by the TUI tables and the CLI's `-o table` output, so a column's
//! title, content and order are written once and both always agree.
//!
//! The TUI additionally uses the width hints (how wide a column may grow, which columns give way
//! first on a narrow screen), the sort order and the tone; the CLI prints every column in full.

mod events;
mod functions;
mod pods;
mod pulse;
mod revisions;
mod tenants;
mod usage;

use std::cmp::Ordering;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::pulse::Pulses;
use funcdeck_core::text::sanitize;

pub use events::EVENT_COLUMNS;
pub use functions::FUNCTION_COLUMNS;
pub use pods::{POD_COLUMNS, termination_cell};
pub use revisions::{FUNCTION_REVISION_COLUMNS, REVISION_COLUMNS};
pub use tenants::TENANT_COLUMNS;
pub use usage::{FUNCTION_USAGE_COLUMNS, FunctionUsageRow, TENANT_USAGE_COLUMNS};

use crate::cli::output::write_table;
use crate::theme::StyleName;

/// What a cell needs besides its row.
#[derive(Debug, Clone, Copy)]
pub struct CellContext<'a> {
    pub now: DateTime<Utc>,
    /// The TUI adds status symbols (● ✗ ◐); the CLI prints plain words, like kubectl.
    pub symbols: bool,
    /// The functions' live traffic from Prometheus, when the list reads it.
    pub pulse: Option<&'a Pulses>,
}

/// When a column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Always,
    /// Only when rows come from more than one namespace (NAMESPACE).
    AcrossNamespaces,
    /// Only while the functions' pulse is read (a Prometheus answers); the CLI's tables never.
    WithPulse,
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
    pub shown: Shown,
    /// The cell's style; `None` for plain text.
    pub tone: fn(&T) -> Option<StyleName>,
}

impl<T> Column<T> {
    pub fn shown(&self, all_namespaces: bool, pulse: bool) -> bool {
        match self.shown {
            Shown::Always => true,
            Shown::AcrossNamespaces => all_namespaces,
            Shown::WithPulse => pulse,
        }
    }
}

/// Rows about one Kubernetes object, which share the NAMESPACE and NAME columns.
pub trait Keyed {
    fn object_key(&self) -> &ObjectKey;
}

impl Keyed for funcdeck_core::function::FunctionSummary {
    fn object_key(&self) -> &ObjectKey {
        &self.key
    }
}

impl Keyed for funcdeck_core::revisions::RevisionSummary {
    fn object_key(&self) -> &ObjectKey {
        &self.key
    }
}

impl Keyed for funcdeck_core::pods::PodSummary {
    fn object_key(&self) -> &ObjectKey {
        &self.key
    }
}

impl Keyed for funcdeck_core::events::EventSummary {
    fn object_key(&self) -> &ObjectKey {
        &self.key
    }
}

/// NAMESPACE: shown across namespaces only; sorting by it sorts by namespace, then name.
pub const fn namespace_column<T: Keyed>() -> Column<T> {
    Column {
        title: "NAMESPACE",
        cell: |r, _| sanitize(&r.object_key().namespace).into_owned(),
        sort: Some(|a, b| a.object_key().cmp(b.object_key())),
        width: Width::Max(24),
        drop_rank: None,
        shown: Shown::AcrossNamespaces,
        tone: plain,
    }
}

/// NAME, never dropped on a narrow screen.
pub const fn name_column<T: Keyed>(max: u16) -> Column<T> {
    Column {
        title: "NAME",
        cell: |r, _| sanitize(&r.object_key().name).into_owned(),
        sort: Some(|a, b| a.object_key().name.cmp(&b.object_key().name)),
        width: Width::Max(max),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    }
}

/// Rows about one tenant (a namespace): the Tenants view's and metering's per-tenant rows.
pub trait Tenanted {
    fn tenant(&self) -> &str;
    fn function_count(&self) -> usize;
}

/// The tenant's name, never dropped on a narrow screen.
pub const fn tenant_column<T: Tenanted>(title: &'static str) -> Column<T> {
    Column {
        title,
        cell: |t, _| sanitize(t.tenant()).into_owned(),
        sort: Some(|a, b| a.tenant().cmp(b.tenant())),
        width: Width::Max(32),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    }
}

/// How many functions the tenant hosts; sorts most first.
pub const fn function_count_column<T: Tenanted>() -> Column<T> {
    Column {
        title: "FUNCTIONS",
        cell: |t, _| t.function_count().to_string(),
        sort: Some(|a, b| b.function_count().cmp(&a.function_count())),
        width: Width::Max(9),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
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
    TablePrint::new(columns, now)
        .all_namespaces(all_namespaces)
        .write(out, rows)
}

/// A table for the CLI with choices beyond [`write_rows`]: columns left out, every line
/// indented (a section of `fn get`), a word for no rows.
pub struct TablePrint<'a, T> {
    columns: &'a [Column<T>],
    now: DateTime<Utc>,
    all_namespaces: bool,
    without: Vec<&'a str>,
    indent: &'a str,
}

impl<'a, T> TablePrint<'a, T> {
    pub fn new(columns: &'a [Column<T>], now: DateTime<Utc>) -> Self {
        TablePrint {
            columns,
            now,
            all_namespaces: false,
            without: Vec::new(),
            indent: "",
        }
    }

    pub fn all_namespaces(mut self, all: bool) -> Self {
        self.all_namespaces = all;
        self
    }

    /// Leaves out the column with this title (e.g. PODS when the pods could not be read).
    pub fn without(mut self, title: &'a str) -> Self {
        self.without.push(title);
        self
    }

    /// Indents every line and prints `(none)` for no rows: a section of a longer text.
    pub fn indent(mut self, indent: &'a str) -> Self {
        self.indent = indent;
        self
    }

    pub fn write(&self, out: &mut impl Write, rows: &[T]) -> io::Result<()> {
        if rows.is_empty() && !self.indent.is_empty() {
            return writeln!(out, "{}(none)", self.indent);
        }
        let cx = CellContext {
            now: self.now,
            symbols: false,
            pulse: None,
        };
        let shown: Vec<&Column<T>> = self
            .columns
            .iter()
            .filter(|c| c.shown(self.all_namespaces, false) && !self.without.contains(&c.title))
            .collect();
        let headers: Vec<&str> = shown.iter().map(|c| c.title).collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| shown.iter().map(|c| (c.cell)(row, &cx)).collect())
            .collect();
        if self.indent.is_empty() {
            return write_table(out, &headers, &cells);
        }
        let mut buffer = Vec::new();
        write_table(&mut buffer, &headers, &cells)?;
        for line in String::from_utf8_lossy(&buffer).lines() {
            writeln!(out, "{}{line}", self.indent)?;
        }
        Ok(())
    }
}

//! The Functions view: one row per Knative Service, only the visible window built per frame.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::{FunctionSummary, Readiness};
use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget, Wrap};

use super::sanitize;
use crate::app::{App, FunctionList, Loadable, Mode, SortColumn};
use crate::format::human_age;
use crate::theme::Theme;

pub struct FunctionTable<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// A column: what it shows, how wide it may grow, and when it gives way on a narrow screen.
/// Widths follow the visible rows' content, up to `max`; URL takes what is left.
struct Column {
    kind: ColumnKind,
    max: u16,
    /// Columns with a rank are dropped, lowest first, when the row does not fit.
    drop_rank: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Namespace,
    Name,
    Ready,
    Reason,
    Latest,
    Traffic,
    Url,
    Age,
}

impl ColumnKind {
    fn title(self) -> &'static str {
        match self {
            ColumnKind::Namespace => "NAMESPACE",
            ColumnKind::Name => "NAME",
            ColumnKind::Ready => "READY",
            ColumnKind::Reason => "REASON",
            ColumnKind::Latest => "LATEST",
            ColumnKind::Traffic => "TRAFFIC",
            ColumnKind::Url => "URL",
            ColumnKind::Age => "AGE",
        }
    }

    fn sort(self) -> Option<SortColumn> {
        match self {
            ColumnKind::Namespace => Some(SortColumn::Namespace),
            ColumnKind::Name => Some(SortColumn::Name),
            ColumnKind::Ready => Some(SortColumn::Ready),
            ColumnKind::Latest => Some(SortColumn::Latest),
            ColumnKind::Age => Some(SortColumn::Age),
            ColumnKind::Reason | ColumnKind::Traffic | ColumnKind::Url => None,
        }
    }
}

/// URL is worth showing only with at least this much room.
const URL_MIN_WIDTH: u16 = 24;
const COLUMN_SPACING: u16 = 2;

fn columns(with_namespace: bool) -> Vec<Column> {
    let column = |kind, max, drop_rank| Column {
        kind,
        max,
        drop_rank,
    };
    let mut columns = Vec::with_capacity(8);
    if with_namespace {
        columns.push(column(ColumnKind::Namespace, 24, None));
    }
    columns.extend([
        column(ColumnKind::Name, 40, None),
        column(ColumnKind::Ready, 11, None),
        column(ColumnKind::Reason, 26, Some(4)),
        column(ColumnKind::Latest, 36, Some(2)),
        column(ColumnKind::Traffic, 40, Some(1)),
        column(ColumnKind::Url, u16::MAX, Some(0)),
        column(ColumnKind::Age, 7, Some(3)),
    ]);
    columns
}

/// Which columns to show at `available` width: drop by rank until the content widths fit.
fn fitting(columns: &[Column], widths: &[u16], available: u16) -> Vec<bool> {
    let mut keep = vec![true; columns.len()];
    let needed = |keep: &[bool]| -> u32 {
        let shown: Vec<usize> = (0..columns.len()).filter(|&i| keep[i]).collect();
        let content: u32 = shown
            .iter()
            .map(|&i| {
                if columns[i].kind == ColumnKind::Url {
                    u32::from(URL_MIN_WIDTH)
                } else {
                    u32::from(widths[i])
                }
            })
            .sum();
        content + u32::from(COLUMN_SPACING) * shown.len().saturating_sub(1) as u32
    };
    let mut by_rank: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].drop_rank.is_some())
        .collect();
    by_rank.sort_by_key(|&i| columns[i].drop_rank);
    for i in by_rank {
        if needed(&keep) <= u32::from(available) {
            break;
        }
        keep[i] = false;
    }
    keep
}

impl Widget for FunctionTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let FunctionTable { app, theme } = self;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style("table.border"))
            .title(Line::from(self.title_spans()));
        match &app.functions {
            Loadable::Idle | Loadable::Loading => {
                let scope = match &app.scope {
                    NamespaceScope::All => "all namespaces".to_owned(),
                    NamespaceScope::One(ns) => format!("namespace {}", sanitize(ns)),
                };
                message(
                    block,
                    area,
                    buf,
                    format!("Loading functions in {scope}…"),
                    theme.style("muted"),
                );
            }
            Loadable::Failed(error) => {
                let hint = match error {
                    CoreError::Forbidden { .. } => {
                        "Press n to pick a namespace you may list, or r to retry."
                    }
                    _ => "Press r to retry.",
                };
                let text = format!(
                    "Cannot list functions ({}):\n{}\n\n{hint}",
                    error.kind_label(),
                    sanitize(&error.to_string())
                );
                message(block, area, buf, text, theme.style("readiness.failed"));
            }
            Loadable::Loaded(list) if list.row_count() == 0 => {
                let text = if list.is_empty() {
                    "No functions here. Press n to pick a namespace or 0 for all namespaces."
                        .to_owned()
                } else {
                    format!("No functions match \"{}\".", sanitize(&app.view.filter))
                };
                message(block, area, buf, text, theme.style("muted"));
            }
            Loadable::Loaded(list) => self.render_rows(list, block, area, buf),
        }
    }
}

impl FunctionTable<'_> {
    fn title_spans(&self) -> Vec<Span<'static>> {
        let app = self.app;
        let scope = match &app.scope {
            NamespaceScope::All => "all".to_owned(),
            NamespaceScope::One(ns) => sanitize(ns).into_owned(),
        };
        let mut spans = vec![Span::styled(
            format!(" Functions({scope})"),
            self.theme.style("table.title"),
        )];
        if let Some(list) = app.functions.loaded() {
            let count = if app.view.filter.is_empty() {
                format!("[{}] ", list.len())
            } else {
                format!("[{}/{}] ", list.row_count(), list.len())
            };
            spans.push(Span::styled(count, self.theme.style("table.title")));
        } else {
            spans.push(Span::raw(" "));
        }
        if !app.view.filter.is_empty() || matches!(app.mode, Mode::Filtering) {
            spans.push(Span::styled(
                format!("</{}> ", sanitize(&app.view.filter)),
                self.theme.style("prompt"),
            ));
        }
        spans
    }

    fn render_rows(&self, list: &FunctionList, block: Block<'_>, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let with_namespace = app.shows_namespace_column();
        let all_columns = columns(with_namespace);
        let sort = app.view.sort;
        // Sorting by namespace within one namespace is sorting by name: mark NAME then.
        let sorted_column = match sort.column {
            SortColumn::Namespace if !with_namespace => SortColumn::Name,
            column => column,
        };
        let title = |kind: ColumnKind| {
            if kind.sort() == Some(sorted_column) {
                format!(
                    "{}{}",
                    kind.title(),
                    if sort.descending { "↓" } else { "↑" }
                )
            } else {
                kind.title().to_owned()
            }
        };
        let visible = usize::from(area.height.saturating_sub(3));
        let rows: Vec<(Vec<String>, Readiness)> = list
            .rows(app.view.offset, visible)
            .map(|summary| (self.cells(summary, with_namespace), summary.readiness))
            .collect();
        let content_widths: Vec<u16> = all_columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let widest = rows
                    .iter()
                    .map(|(cells, _)| cells[i].chars().count())
                    .chain(std::iter::once(title(column.kind).chars().count()))
                    .max()
                    .unwrap_or(0);
                u16::try_from(widest).unwrap_or(u16::MAX).min(column.max)
            })
            .collect();
        let keep = fitting(&all_columns, &content_widths, area.width.saturating_sub(2));
        let shown: Vec<usize> = (0..all_columns.len()).filter(|&i| keep[i]).collect();
        let widths = shown.iter().map(|&i| match all_columns[i].kind {
            ColumnKind::Url => Constraint::Fill(1),
            _ => Constraint::Length(content_widths[i]),
        });
        let header = Row::new(shown.iter().map(|&i| {
            let kind = all_columns[i].kind;
            let style = if kind.sort() == Some(sorted_column) {
                theme.style("table.header.sorted")
            } else {
                theme.style("table.header")
            };
            Cell::from(title(kind)).style(style)
        }));
        let table_rows = rows
            .into_iter()
            .enumerate()
            .map(|(row_index, (cells, readiness))| {
                let row = Row::new(cells.into_iter().enumerate().filter(|(i, _)| keep[*i]).map(
                    |(i, text)| {
                        let style = match all_columns[i].kind {
                            ColumnKind::Ready | ColumnKind::Reason => theme.readiness(readiness),
                            ColumnKind::Url => theme.style("muted"),
                            _ => Style::default(),
                        };
                        Cell::from(text).style(style)
                    },
                ));
                if app.view.offset + row_index == app.view.cursor {
                    row.style(theme.style("table.selected"))
                } else {
                    row
                }
            });
        Table::new(table_rows, widths)
            .header(header)
            .block(block)
            .column_spacing(COLUMN_SPACING)
            .render(area, buf);
    }

    /// The text of each cell, sanitized: cluster text never reaches the terminal raw.
    fn cells(&self, summary: &FunctionSummary, with_namespace: bool) -> Vec<String> {
        let symbol = match summary.readiness {
            Readiness::Ready => "●",
            Readiness::Deploying => "◐",
            Readiness::Failed => "✗",
            Readiness::Unknown => "?",
        };
        let mut cells = Vec::with_capacity(8);
        if with_namespace {
            cells.push(sanitize(&summary.key.namespace).into_owned());
        }
        cells.extend([
            sanitize(&summary.key.name).into_owned(),
            format!("{symbol} {}", summary.readiness.label()),
            sanitize(summary.reason.as_deref().unwrap_or("")).into_owned(),
            sanitize(summary.latest_revision().unwrap_or("—")).into_owned(),
            sanitize(&summary.traffic_summary()).into_owned(),
            sanitize(summary.url.as_deref().unwrap_or("")).into_owned(),
            human_age(summary.created, self.app.now),
        ]);
        cells
    }
}

fn message(block: Block<'_>, area: Rect, buf: &mut Buffer, text: String, style: Style) {
    let inner = block.inner(area);
    block.render(area, buf);
    let top_padding = inner.height / 3;
    let area = Rect {
        y: inner.y + top_padding,
        height: inner.height - top_padding,
        ..inner
    };
    Paragraph::new(text)
        .style(style)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

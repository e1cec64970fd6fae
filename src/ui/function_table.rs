//! The Functions view: one row per Knative Service, only the visible window built per frame.

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

/// A column: its title, how wide it may grow, and the sort column it stands for (if any).
/// Widths follow the visible rows' content, up to `max`; URL takes what is left.
struct Column {
    title: &'static str,
    max: u16,
    sort: Option<SortColumn>,
}

const URL_COLUMN: &str = "URL";

fn columns(with_namespace: bool) -> Vec<Column> {
    let column = |title, max, sort| Column { title, max, sort };
    let mut columns = Vec::with_capacity(8);
    if with_namespace {
        columns.push(column("NAMESPACE", 24, Some(SortColumn::Namespace)));
    }
    columns.extend([
        column("NAME", 40, Some(SortColumn::Name)),
        column("READY", 11, Some(SortColumn::Ready)),
        column("REASON", 26, None),
        column("LATEST", 36, Some(SortColumn::Latest)),
        column("TRAFFIC", 40, None),
        column(URL_COLUMN, u16::MAX, None),
        column("AGE", 7, Some(SortColumn::Age)),
    ]);
    columns
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
                let text = format!(
                    "Cannot list functions ({}):\n{}\n\nPress r to retry.",
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
        let columns = columns(with_namespace);
        let sort = app.view.sort;
        let titles: Vec<String> = columns
            .iter()
            .map(|c| {
                if c.sort == Some(sort.column) {
                    format!("{}{}", c.title, if sort.descending { "↓" } else { "↑" })
                } else {
                    c.title.to_owned()
                }
            })
            .collect();
        let visible = usize::from(area.height.saturating_sub(3));
        let rows: Vec<(Vec<String>, Readiness)> = list
            .rows(app.view.offset, visible)
            .map(|summary| (self.cells(summary, with_namespace), summary.readiness))
            .collect();
        let widths = columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                if column.title == URL_COLUMN {
                    return Constraint::Fill(1);
                }
                let widest = rows
                    .iter()
                    .map(|(cells, _)| cells[i].chars().count())
                    .chain(std::iter::once(titles[i].chars().count()))
                    .max()
                    .unwrap_or(0);
                Constraint::Length(u16::try_from(widest).unwrap_or(u16::MAX).min(column.max))
            })
            .collect::<Vec<_>>();
        let header = Row::new(columns.iter().zip(&titles).map(|(column, title)| {
            let style = if column.sort == Some(sort.column) {
                theme.style("table.header.sorted")
            } else {
                theme.style("table.header")
            };
            Cell::from(title.clone()).style(style)
        }));
        // Status-bearing cells (READY, REASON) take the readiness colour; URL is muted.
        let status_columns = [
            usize::from(with_namespace) + 1,
            usize::from(with_namespace) + 2,
        ];
        let url_column = columns.iter().position(|c| c.title == URL_COLUMN);
        let table_rows = rows.into_iter().enumerate().map(|(i, (cells, readiness))| {
            let row = Row::new(cells.into_iter().enumerate().map(|(column, text)| {
                let style = if status_columns.contains(&column) {
                    theme.readiness(readiness)
                } else if Some(column) == url_column {
                    theme.style("muted")
                } else {
                    Style::default()
                };
                Cell::from(text).style(style)
            }));
            if app.view.offset + i == app.view.cursor {
                row.style(theme.style("table.selected"))
            } else {
                row
            }
        });
        Table::new(table_rows, widths)
            .header(header)
            .block(block)
            .column_spacing(2)
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

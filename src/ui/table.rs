//! A table of rows under shared column definitions (`crate::columns`), used by every list view.
//! Only the visible window is built per frame; column widths follow the visible cells and the
//! lowest-ranked columns give way on a narrow screen.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget, Wrap};

use crate::columns::{CellContext, Column, Width};
use crate::theme::{StyleName, Theme};
use crate::views::list::Sort;

const COLUMN_SPACING: u16 = 2;

pub struct DataTable<'a, T> {
    pub columns: &'a [Column<T>],
    /// The rows in view, already windowed.
    pub rows: Vec<&'a T>,
    /// Index into `rows` of the selected row, if it is in view.
    pub selected: Option<usize>,
    /// Rows to mark (e.g. revisions picked for a diff), as indexes into `rows`.
    pub marked: Vec<usize>,
    pub sort: Option<Sort>,
    pub all_namespaces: bool,
    pub cx: CellContext<'a>,
    pub block: Block<'a>,
    pub theme: &'a Theme,
}

/// Which columns to show at `available` width: drop by rank until the content widths fit.
fn fitting<T>(columns: &[&Column<T>], widths: &[u16], available: u16) -> Vec<bool> {
    let mut keep = vec![true; columns.len()];
    let needed = |keep: &[bool]| -> u32 {
        let shown: Vec<usize> = (0..columns.len()).filter(|&i| keep[i]).collect();
        let content: u32 = shown
            .iter()
            .map(|&i| match columns[i].width {
                Width::Fill { min } => u32::from(min),
                Width::Max(_) => u32::from(widths[i]),
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

impl<T> Widget for DataTable<'_, T> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let shown: Vec<(usize, &Column<T>)> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.shown(self.all_namespaces, self.cx.pulse.is_some()))
            .collect();
        let marked_column = self
            .sort
            .and_then(|sort| sort.marked(self.columns, self.all_namespaces));
        let title = |index: usize, column: &Column<T>| match (marked_column, self.sort) {
            (Some(marked), Some(sort)) if marked == index => format!(
                "{}{}",
                column.title,
                if sort.descending { "↓" } else { "↑" }
            ),
            _ => column.title.to_owned(),
        };
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| shown.iter().map(|(_, c)| (c.cell)(row, &self.cx)).collect())
            .collect();
        let content_widths: Vec<u16> = shown
            .iter()
            .enumerate()
            .map(|(i, (index, column))| {
                let widest = cells
                    .iter()
                    .map(|row| row[i].chars().count())
                    .chain(std::iter::once(title(*index, column).chars().count()))
                    .max()
                    .unwrap_or(0);
                let widest = u16::try_from(widest).unwrap_or(u16::MAX);
                match column.width {
                    Width::Max(max) => widest.min(max),
                    Width::Fill { .. } => widest,
                }
            })
            .collect();
        let columns: Vec<&Column<T>> = shown.iter().map(|(_, c)| *c).collect();
        let keep = fitting(&columns, &content_widths, area.width.saturating_sub(2));
        let widths = (0..columns.len())
            .filter(|&i| keep[i])
            .map(|i| match columns[i].width {
                Width::Fill { .. } => Constraint::Fill(1),
                Width::Max(_) => Constraint::Length(content_widths[i]),
            });
        let header = Row::new(shown.iter().enumerate().filter(|(i, _)| keep[*i]).map(
            |(_, (index, column))| {
                let style = if marked_column == Some(*index) {
                    theme.style(StyleName::TableHeaderSorted)
                } else {
                    theme.style(StyleName::TableHeader)
                };
                Cell::from(title(*index, column)).style(style)
            },
        ));
        let table_rows = cells.into_iter().enumerate().map(|(row_index, row_cells)| {
            let row = self.rows[row_index];
            let row_widget = Row::new(
                row_cells
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| keep[*i])
                    .map(|(i, text)| {
                        let style =
                            (columns[i].tone)(row).map_or(Style::default(), |s| theme.style(s));
                        Cell::from(text).style(style)
                    }),
            );
            let mut style = Style::default();
            if self.marked.contains(&row_index) {
                style = style.patch(theme.style(StyleName::TableMarked));
            }
            if self.selected == Some(row_index) {
                style = style.patch(theme.style(StyleName::TableSelected));
            }
            row_widget.style(style)
        });
        Table::new(table_rows, widths)
            .header(header)
            .block(self.block)
            .column_spacing(COLUMN_SPACING)
            .render(area, buf);
    }
}

/// A bordered box with a message a third of the way down: loading, empty, failed.
pub fn message(block: Block<'_>, area: Rect, buf: &mut Buffer, text: String, style: Style) {
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

/// The standard border of a list view, titled `Name(scope)[count]`, plus the filter if any.
pub fn list_block<'a>(
    theme: &Theme,
    name: &str,
    scope: &str,
    counts: Option<(usize, usize)>,
    filter: Option<&str>,
) -> Block<'a> {
    let mut spans = vec![Span::styled(
        format!(" {name}({scope})"),
        theme.style(StyleName::TableTitle),
    )];
    match counts {
        Some((shown, total)) if filter.is_some_and(|f| !f.is_empty()) => spans.push(Span::styled(
            format!("[{shown}/{total}] "),
            theme.style(StyleName::TableTitle),
        )),
        Some((_, total)) => spans.push(Span::styled(
            format!("[{total}] "),
            theme.style(StyleName::TableTitle),
        )),
        None => spans.push(Span::raw(" ")),
    }
    if let Some(filter) = filter {
        spans.push(Span::styled(
            format!("</{}> ", crate::ui::sanitize(filter)),
            theme.style(StyleName::Prompt),
        ));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(StyleName::TableBorder))
        .title(Line::from(spans))
}

/// A small table of plain cells for views whose rows are not a list view's (roles, who-can):
/// the header, the rows windowed so `selected` stays in view, each cell with its style.
pub struct Grid<'a> {
    pub header: Vec<String>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<Vec<(String, StyleName)>>,
    pub selected: Option<usize>,
    /// Whether the selection is where the keys act now (else it is shown, dimmer).
    pub focused: bool,
    pub block: Block<'a>,
    pub theme: &'a Theme,
}

impl Widget for Grid<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let visible = usize::from(area.height.saturating_sub(3)).max(1);
        let offset = self.selected.map_or(0, |s| s.saturating_sub(visible - 1));
        let header = Row::new(
            self.header
                .into_iter()
                .map(|h| Cell::from(h).style(theme.style(StyleName::TableHeader))),
        );
        let selected = self.selected;
        let focused = self.focused;
        let rows = self
            .rows
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(index, cells)| {
                let row = Row::new(
                    cells
                        .into_iter()
                        .map(|(text, style)| Cell::from(text).style(theme.style(style))),
                );
                match (selected == Some(index), focused) {
                    (true, true) => row.style(theme.style(StyleName::TableSelected)),
                    (true, false) => row.style(theme.style(StyleName::TableMarked)),
                    _ => row,
                }
            });
        Table::new(rows, self.widths)
            .header(header)
            .block(self.block)
            .column_spacing(COLUMN_SPACING)
            .render(area, buf);
    }
}

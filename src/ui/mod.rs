//! Drawing: pure functions of [`App`] and [`Theme`] onto a frame. No I/O, no locks, no waiting.

mod footer;
mod function_table;
mod header;
pub mod help;
pub mod layout;
mod picker;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::app::{App, Banner, Mode};
use crate::theme::Theme;

pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    let banner = app.banner();
    let [header_area, banner_area, body_area, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(app.banner_lines(area.width)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let buf = frame.buffer_mut();
    header::Header { app, theme }.render(header_area, buf);
    if let Some(banner) = banner {
        let (text, style) = match &banner {
            Banner::Error(text) => (format!(" ✗ {text}"), theme.style("banner.error")),
            Banner::Warning(text) => (
                format!(" ! {text} (Esc to dismiss)"),
                theme.style("banner.warning"),
            ),
        };
        Paragraph::new(Line::raw(sanitize(&text).into_owned()))
            .style(style)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(banner_area, buf);
    }
    function_table::FunctionTable { app, theme }.render(body_area, buf);
    footer::Footer { app, theme }.render(footer_area, buf);
    match &app.mode {
        Mode::Help { scroll } => {
            let popup = centered(area, 84, 90);
            Clear.render(popup, buf);
            help::HelpOverlay {
                keymap: &app.keymap,
                theme,
                scroll: *scroll,
            }
            .render(popup, buf);
        }
        Mode::NamespacePicker(state) => {
            let popup = centered(area, 40, 60);
            Clear.render(popup, buf);
            picker::Picker {
                picker: state,
                current: &app.scope,
                theme,
            }
            .render(popup, buf);
        }
        Mode::Normal | Mode::Filtering => {}
    }
}

/// Cluster text shown inert: escape sequences and control characters never reach the terminal.
pub(crate) fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    funcdeck_core::text::sanitize(text)
}

/// A rectangle `percent_x` by `percent_y` of `area`, centred, never smaller than what fits.
fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let width = (area.width * percent_x / 100).max(area.width.min(40));
    let height = (area.height * percent_y / 100).max(area.height.min(10));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

//! Drawing: pure functions of [`App`] and [`Theme`] onto a frame. No I/O, no locks, no waiting.
//! This module draws the chrome (header, banner, footer, overlays); each view draws its body.

mod confirm;
mod footer;
mod header;
pub mod help;
mod picker;
mod prompt;
pub mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::app::{App, Banner, Overlay};
use crate::command::Command;
use crate::theme::{StyleName, Theme};

pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    let banner = app.banner();
    let [header_area, banner_area, body_area, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(app.banner_lines()),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let buf = frame.buffer_mut();
    header::Header { app, theme }.render(header_area, buf);
    if let Some(banner) = banner {
        let dismiss = app.shell.keymap.hint(app.key_chain(), Command::Back);
        let (text, style) = match &banner {
            Banner::Error(text) => (format!(" ✗ {text}"), theme.style(StyleName::BannerError)),
            Banner::Notice(text) => (
                format!(" ! {text} ({dismiss} to dismiss)"),
                theme.style(StyleName::BannerWarning),
            ),
            Banner::Warning(text) => (
                format!(" ! {text} ({dismiss} to dismiss)"),
                theme.style(StyleName::BannerWarning),
            ),
        };
        Paragraph::new(Line::raw(sanitize(&text).into_owned()))
            .style(style)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(banner_area, buf);
    }
    let top = app.top();
    top.view.render(body_area, buf, &app.ctx(top.id), theme);
    footer::Footer { app, theme }.render(footer_area, buf);
    match &app.overlay {
        Some(Overlay::Help { scroll }) => {
            let popup = centered(area, 84, 90);
            Clear.render(popup, buf);
            help::HelpOverlay {
                keymap: &app.shell.keymap,
                theme,
                scroll: *scroll,
                here: app.top().view.key_chain(),
            }
            .render(popup, buf);
        }
        Some(Overlay::NamespacePicker(state)) => {
            let popup = centered(area, 40, 60);
            Clear.render(popup, buf);
            picker::Picker {
                picker: state,
                current: &app.shell.scope,
                theme,
            }
            .render(popup, buf);
        }
        Some(Overlay::Prompt(state)) => {
            let height = 3.min(body_area.height);
            let popup = Rect {
                height,
                ..body_area
            };
            Clear.render(popup, buf);
            prompt::PromptBox {
                prompt: state,
                app,
                theme,
            }
            .render(popup, buf);
        }
        Some(Overlay::Confirm(state)) => {
            let mut popup = centered(area, 60, 30);
            // A previewed object (a grant's binding) needs its lines; the rest fits 30%.
            let preview = state.mutation.preview().len() as u16;
            if preview > 0 {
                let wanted = (popup.height + preview).min(area.height);
                popup.y = area.y + (area.height - wanted) / 2;
                popup.height = wanted;
            }
            Clear.render(popup, buf);
            confirm::ConfirmBox {
                confirm: state,
                keymap: &app.shell.keymap,
                theme,
            }
            .render(popup, buf);
        }
        None => {}
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

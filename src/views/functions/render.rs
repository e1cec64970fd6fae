//! Drawing the Functions view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::FunctionsView;
use crate::theme::Theme;
use crate::views::Ctx;
use crate::views::list::render::{ListLabels, render_list};

pub fn render(view: &FunctionsView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let labels = ListLabels {
        name: "Functions",
        noun: "functions",
    };
    render_list(&view.list, &labels, area, buf, ctx, theme);
}

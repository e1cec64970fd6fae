//! Drawing the Usage view: a line naming the period, the scope and where the figures came from
//! (Prometheus and its era, as the metrics pane's title does), the line saying why the figures
//! are stale when a read failed, then the functions' table over the tenants' table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Focus, UsageView};
use crate::command::Command;
use crate::format::prometheus_hint;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::message;
use crate::views::list::render::{ListText, render_list};
use crate::views::{Ctx, scope_words};

pub fn render(view: &UsageView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let retry = ctx
        .shell
        .keymap
        .hint(&[KeyContext::Usage, KeyContext::List], Command::Retry);
    let scope = scope_words(&ctx.shell.scope);
    let period = view.period.words();
    let mut title = vec![Span::styled(
        format!(" Usage · last {period} · {scope} "),
        theme.style(StyleName::TableTitle),
    )];
    let Some(read) = view.read.data() else {
        let (text, style) = match view.read.error() {
            Some(error) => (
                format!(
                    "No usage ({}):\n{}\n\n{}Press {retry} to try again.",
                    error.kind_label(),
                    sanitize(&error.to_string()),
                    prometheus_hint(error).map_or_else(String::new, |h| format!("{h}\n\n"))
                ),
                theme.style(StyleName::ReadinessFailed),
            ),
            None => (
                format!("Metering the last {period} from Prometheus…"),
                theme.style(StyleName::Muted),
            ),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(StyleName::TableBorder))
            .title(Line::from(title));
        message(block, area, buf, text, style);
        return;
    };
    title.push(Span::styled(
        format!(
            "· {} · {} · GB-s and CPU-s allocated: requests × pod time",
            sanitize(&read.source),
            read.era
        ),
        theme.style(StyleName::Muted),
    ));
    let (functions_height, tenants_height) = view.table_heights(area.height);
    let stale = u16::from(view.read.is_stale());
    let [header, warning, functions, tenants] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(stale),
        Constraint::Length(functions_height),
        Constraint::Length(tenants_height),
    ])
    .areas(area);
    Paragraph::new(Line::from(title)).render(header, buf);
    if let Some(error) = view.read.error() {
        Paragraph::new(format!(
            " showing the last good figures: {}",
            sanitize(&error.to_string())
        ))
        .style(theme.style(StyleName::EventWarning))
        .render(warning, buf);
    }
    let scope_word = match &ctx.shell.scope {
        funcdeck_core::functions::NamespaceScope::All => "all".to_owned(),
        funcdeck_core::functions::NamespaceScope::One(ns) => sanitize(ns).into_owned(),
    };
    let text = |name, noun, focused| ListText {
        name,
        noun,
        scope: scope_word.clone(),
        empty: format!("Nothing ran in {scope} in the last {period}."),
        loading: format!("Metering the last {period}…"),
        cluster_wide: false,
        focused,
    };
    let functions_text = text("By function", "functions", view.focus == Focus::Functions);
    render_list(
        &view.functions,
        &functions_text,
        None,
        functions,
        buf,
        ctx,
        theme,
    );
    let tenants_text = text("By tenant", "tenants", view.focus == Focus::Tenants);
    render_list(&view.tenants, &tenants_text, None, tenants, buf, ctx, theme);
}

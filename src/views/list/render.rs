//! Drawing any list view: its table, or why there is none yet (loading, failed, empty).

use funcdeck_core::error::CoreError;
use funcdeck_core::prometheus::pulse::Pulses;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{ListState, ListView, Listed, Row};
use crate::columns::CellContext;
use crate::command::Command;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::{DataTable, list_block, message};
use crate::views::{Ctx, scope_words};

pub fn render_view<T: Listed>(
    view: &ListView<T>,
    area: Rect,
    buf: &mut Buffer,
    ctx: &Ctx<'_>,
    theme: &Theme,
) {
    let shell = ctx.shell;
    let keymap = &shell.keymap;
    let chain = [crate::keymap::KeyContext::List];
    let key = |command| keymap.hint(&chain, command);
    let scope = match &shell.scope {
        funcdeck_core::functions::NamespaceScope::All => "all".to_owned(),
        funcdeck_core::functions::NamespaceScope::One(ns) => sanitize(ns).into_owned(),
    };
    let text = ListText {
        name: T::NAME,
        noun: T::NOUN,
        scope,
        empty: format!(
            "No {} here. Press {} to pick a namespace or {} for all namespaces.",
            T::NOUN,
            key(Command::PickNamespace),
            key(Command::AllNamespaces)
        ),
        loading: format!("Loading {} in {}…", T::NOUN, scope_words(&shell.scope)),
        cluster_wide: false,
        focused: true,
    };
    render_list(
        &view.list,
        &text,
        view.pulse.as_ref(),
        area,
        buf,
        ctx,
        theme,
    );
}

/// The words around a list: its title and scope, and what it says while it has no rows.
pub struct ListText {
    pub name: &'static str,
    /// Plural, for messages ("tenants").
    pub noun: &'static str,
    /// In the title's parentheses.
    pub scope: String,
    /// With no rows at all.
    pub empty: String,
    pub loading: String,
    /// The rows are not per namespace (picking another one does not help when refused).
    pub cluster_wide: bool,
    /// Keys move in this table (a view with two shows the cursor only in one).
    pub focused: bool,
}

/// Any table of rows: the table, or why there is none yet (loading, failed, empty).
pub fn render_list<T: Row>(
    list: &ListState<T>,
    text: &ListText,
    pulse: Option<&Pulses>,
    area: Rect,
    buf: &mut Buffer,
    ctx: &Ctx<'_>,
    theme: &Theme,
) {
    let shell = ctx.shell;
    let keymap = &shell.keymap;
    let chain = [crate::keymap::KeyContext::List];
    let key = |command| keymap.hint(&chain, command);
    let data = list.items.data();
    let filter = (!list.filter.is_empty() || list.filtering).then_some(list.filter.as_str());
    let block = list_block(
        theme,
        text.name,
        &text.scope,
        data.map(|d| (d.row_count(), d.len())),
        filter,
    );
    let Some(data) = data else {
        match list.items.error() {
            Some(error) => {
                let hint = match error {
                    CoreError::Forbidden { .. } if text.cluster_wide => format!(
                        "Another context may list them (:ctx NAME); press {} to retry.",
                        key(Command::Retry)
                    ),
                    CoreError::Forbidden { .. } => format!(
                        "Press {} to pick a namespace you may list, or {} to retry.",
                        key(Command::PickNamespace),
                        key(Command::Retry)
                    ),
                    _ => format!("Press {} to retry.", key(Command::Retry)),
                };
                let why = format!(
                    "Cannot list {} ({}):\n{}\n\n{hint}",
                    text.noun,
                    error.kind_label(),
                    sanitize(&error.to_string())
                );
                message(
                    block,
                    area,
                    buf,
                    why,
                    theme.style(StyleName::ReadinessFailed),
                );
            }
            None => message(
                block,
                area,
                buf,
                text.loading.clone(),
                theme.style(StyleName::Muted),
            ),
        }
        return;
    };
    if data.row_count() == 0 {
        let why = if data.is_empty() {
            text.empty.clone()
        } else {
            format!("No {} match \"{}\".", text.noun, sanitize(&list.filter))
        };
        message(block, area, buf, why, theme.style(StyleName::Muted));
        return;
    }
    let visible = usize::from(area.height.saturating_sub(3));
    let rows: Vec<&T> = data.rows(list.offset, visible).collect();
    DataTable {
        columns: T::columns(),
        selected: list
            .cursor
            .checked_sub(list.offset)
            .filter(|_| text.focused),
        rows,
        marked: Vec::new(),
        sort: Some(list.sort),
        all_namespaces: shell.all_namespaces(),
        cx: CellContext {
            now: shell.now,
            symbols: true,
            pulse,
        },
        block,
        theme,
    }
    .render(area, buf);
}

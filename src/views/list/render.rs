//! Drawing any list view: its table, or why there is none yet (loading, failed, empty).

use funcdeck_core::error::CoreError;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{ListView, Listed};
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
    let list = &view.list;
    let shell = ctx.shell;
    let keymap = &shell.keymap;
    let chain = [crate::keymap::KeyContext::List];
    let key = |command| keymap.hint(&chain, command);
    let scope = match &shell.scope {
        funcdeck_core::functions::NamespaceScope::All => "all".to_owned(),
        funcdeck_core::functions::NamespaceScope::One(ns) => sanitize(ns).into_owned(),
    };
    let data = list.items.data();
    let filter = (!list.filter.is_empty() || list.filtering).then_some(list.filter.as_str());
    let block = list_block(
        theme,
        T::NAME,
        &scope,
        data.map(|d| (d.row_count(), d.len())),
        filter,
    );
    let Some(data) = data else {
        match list.items.error() {
            Some(error) => {
                let hint = match error {
                    CoreError::Forbidden { .. } => format!(
                        "Press {} to pick a namespace you may list, or {} to retry.",
                        key(Command::PickNamespace),
                        key(Command::Retry)
                    ),
                    _ => format!("Press {} to retry.", key(Command::Retry)),
                };
                let text = format!(
                    "Cannot list {} ({}):\n{}\n\n{hint}",
                    T::NOUN,
                    error.kind_label(),
                    sanitize(&error.to_string())
                );
                message(
                    block,
                    area,
                    buf,
                    text,
                    theme.style(StyleName::ReadinessFailed),
                );
            }
            None => message(
                block,
                area,
                buf,
                format!("Loading {} in {}…", T::NOUN, scope_words(&shell.scope)),
                theme.style(StyleName::Muted),
            ),
        }
        return;
    };
    if data.row_count() == 0 {
        let text = if data.is_empty() {
            format!(
                "No {} here. Press {} to pick a namespace or {} for all namespaces.",
                T::NOUN,
                key(Command::PickNamespace),
                key(Command::AllNamespaces)
            )
        } else {
            format!("No {} match \"{}\".", T::NOUN, sanitize(&list.filter))
        };
        message(block, area, buf, text, theme.style(StyleName::Muted));
        return;
    }
    let visible = usize::from(area.height.saturating_sub(3));
    let rows: Vec<&T> = data.rows(list.offset, visible).collect();
    DataTable {
        columns: T::columns(),
        selected: list.cursor.checked_sub(list.offset),
        rows,
        marked: Vec::new(),
        sort: Some(list.sort),
        all_namespaces: shell.all_namespaces(),
        cx: CellContext {
            now: shell.now,
            symbols: true,
        },
        block,
        theme,
    }
    .render(area, buf);
}

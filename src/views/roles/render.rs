//! Drawing `:roles`: the roles with their bound counts on top; below, the selected role's
//! rules (resource × verb, a ✓ per allowed verb, the same matrix `rbac roles` prints) beside
//! its subjects; the grant being typed, when there is one, at the bottom.

use funcdeck_core::rbac::{MatrixRow, RoleState, VERB_COLUMNS};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{Focus, RoleEntry, RolesView};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::{StyleName, Theme};
use crate::ui::sanitize;
use crate::ui::table::{Grid, message};
use crate::views::Ctx;

fn boxed<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, title_style) = if focused {
        (StyleName::PopupBorder, StyleName::PopupSelected)
    } else {
        (StyleName::TableBorder, StyleName::TableTitle)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(border))
        .title(Span::styled(
            format!(" {} ", sanitize(&title)),
            theme.style(title_style),
        ))
}

fn state_style(state: Option<RoleState>) -> StyleName {
    match state {
        Some(RoleState::UpToDate) => StyleName::ReadinessReady,
        Some(RoleState::Differs) => StyleName::ReadinessDeploying,
        Some(RoleState::NotInstalled) => StyleName::ReadinessFailed,
        None => StyleName::Text,
    }
}

/// "namespace shop", or with all namespaces in scope the context's, said as such.
fn where_words(view: &RolesView, ctx: &Ctx<'_>) -> String {
    if ctx.shell.all_namespaces() {
        format!(
            "namespace {} (the context's; all namespaces are in scope)",
            view.namespace
        )
    } else {
        format!("namespace {}", view.namespace)
    }
}

pub fn render(view: &RolesView, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
    let mut title = format!("Roles · {}", where_words(view, ctx));
    if let Some(error) = view.rbac.error().filter(|_| view.rbac.is_stale()) {
        title.push_str(&format!(" · stale: {}", error.kind_label()));
    }
    if view.entries.is_empty() {
        let block = boxed(title, false, theme);
        let (text, style) = match view.rbac.error() {
            Some(error) => (
                format!(
                    "Cannot read the roles and bindings ({}):\n{}",
                    error.kind_label(),
                    sanitize(&error.to_string())
                ),
                StyleName::ReadinessFailed,
            ),
            None => ("Reading roles and bindings…".to_owned(), StyleName::Muted),
        };
        message(block, area, buf, text, theme.style(style));
        return;
    }
    let input_height = if view.input.is_some() { 4 } else { 0 };
    let roles_height = (view.entries.len() as u16 + 3).min(area.height / 3).max(4);
    let [top, bottom, input] = Layout::vertical([
        Constraint::Length(roles_height),
        Constraint::Min(4),
        Constraint::Length(input_height),
    ])
    .areas(area);
    roles(view, title, top, buf, theme);
    if let Some(entry) = view.selected_entry() {
        // The matrix takes the rows its rules need (at most half); the subjects the rest.
        let rules = (entry.role.rules.len() as u16 + 3).clamp(4, (bottom.height / 2).max(4));
        let [rules_area, subjects_area] =
            Layout::vertical([Constraint::Length(rules), Constraint::Min(3)]).areas(bottom);
        matrix(entry, rules_area, buf, theme);
        subjects(view, entry, subjects_area, buf, theme);
    }
    if let Some(grant) = &view.input {
        grant_input(view, grant, ctx, input, buf, theme);
    }
}

fn roles(view: &RolesView, title: String, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let ns = sanitize(&view.namespace).into_owned();
    let rows = view
        .entries
        .iter()
        .map(|e| {
            let state = e.role.describe();
            vec![
                (sanitize(&e.role.name).into_owned(), StyleName::Text),
                (state, state_style(e.role.state)),
                (e.in_namespace().to_string(), StyleName::Text),
                (e.cluster_wide().to_string(), StyleName::Text),
            ]
        })
        .collect();
    Grid {
        header: vec![
            "ROLE".into(),
            "STATE".into(),
            format!("BOUND IN {ns}"),
            "CLUSTER-WIDE".into(),
        ],
        widths: vec![
            Constraint::Length(24),
            Constraint::Length(34),
            Constraint::Length(u16::try_from(ns.len() + 9).unwrap_or(30).max(12)),
            Constraint::Length(12),
        ],
        rows,
        selected: Some(view.selected),
        focused: view.focus == Focus::Roles,
        block: boxed(title, view.focus == Focus::Roles, theme),
        theme,
    }
    .render(area, buf);
}

/// One matrix row as cells: the resource, a ✓ under each verb it has, then any other verbs.
fn matrix_cells(row: &MatrixRow) -> Vec<(String, StyleName)> {
    let mut cells = vec![(sanitize(&row.resource).into_owned(), StyleName::Text)];
    cells.extend(VERB_COLUMNS.iter().map(|verb| {
        if row.has(verb) {
            ("✓".to_owned(), StyleName::ReadinessReady)
        } else {
            ("·".to_owned(), StyleName::Muted)
        }
    }));
    cells.push((
        sanitize(&row.other_verbs().join(" ")).into_owned(),
        StyleName::Text,
    ));
    cells
}

fn matrix(entry: &RoleEntry, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let title = format!("Rules of {}", entry.role.name);
    if entry.role.rules.is_empty() {
        let text = "This role has no rules: it allows nothing.".to_owned();
        message(
            boxed(title, false, theme),
            area,
            buf,
            text,
            theme.style(StyleName::Muted),
        );
        return;
    }
    let mut header = vec!["RESOURCE".to_owned()];
    header.extend(VERB_COLUMNS.iter().map(|v| v.to_string()));
    header.push("OTHER".into());
    let resource_width = entry
        .role
        .rules
        .iter()
        .map(|r| r.resource.chars().count())
        .max()
        .unwrap_or(0)
        .max("RESOURCE".len());
    let mut widths = vec![Constraint::Length(
        u16::try_from(resource_width).unwrap_or(u16::MAX),
    )];
    widths.extend(
        VERB_COLUMNS
            .iter()
            .map(|v| Constraint::Length(v.len() as u16)),
    );
    widths.push(Constraint::Fill(1));
    Grid {
        header,
        widths,
        rows: entry.role.rules.iter().map(matrix_cells).collect(),
        selected: None,
        focused: false,
        block: boxed(title, false, theme),
        theme,
    }
    .render(area, buf);
}

fn subjects(view: &RolesView, entry: &RoleEntry, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let focused = view.focus == Focus::Subjects;
    let title = format!("Bound to {}", entry.role.name);
    if entry.bound.is_empty() {
        let text = format!(
            "Nobody holds {} in namespace {} or cluster-wide.",
            sanitize(&entry.role.name),
            sanitize(&view.namespace)
        );
        message(
            boxed(title, focused, theme),
            area,
            buf,
            text,
            theme.style(StyleName::Muted),
        );
        return;
    }
    let rows = entry
        .bound
        .iter()
        .map(|b| {
            let scope = if b.cluster { "cluster" } else { "namespace" };
            vec![
                (sanitize(&b.subject.kind).into_owned(), StyleName::Text),
                (sanitize(&b.name()).into_owned(), StyleName::Text),
                (scope.to_owned(), StyleName::Muted),
                (sanitize(&b.binding).into_owned(), StyleName::Muted),
            ]
        })
        .collect();
    Grid {
        header: vec![
            "KIND".into(),
            "NAME".into(),
            "SCOPE".into(),
            "BINDING".into(),
        ],
        widths: vec![
            Constraint::Length(14),
            Constraint::Length(
                entry
                    .bound
                    .iter()
                    .map(|b| b.name().chars().count() as u16)
                    .max()
                    .unwrap_or(0)
                    .clamp(4, 40),
            ),
            Constraint::Length(9),
            Constraint::Fill(1),
        ],
        rows,
        selected: Some(view.subject),
        focused,
        block: boxed(title, focused, theme),
        theme,
    }
    .render(area, buf);
}

fn grant_input(
    view: &RolesView,
    grant: &super::GrantInput,
    ctx: &Ctx<'_>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let role = view
        .selected_entry()
        .map(|e| e.role.name.clone())
        .unwrap_or_default();
    let scope = if grant.cluster {
        "cluster-wide".to_owned()
    } else {
        format!("in namespace {}", view.namespace)
    };
    let keys = &ctx.shell.keymap;
    let chain = [KeyContext::RolesInput];
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", theme.style(StyleName::Prompt)),
        Span::styled(
            sanitize(&grant.text).into_owned(),
            theme.style(StyleName::Text),
        ),
        Span::styled("█", theme.style(StyleName::Prompt)),
        Span::styled(
            format!(
                "   user:NAME · group:NAME · sa:NS/NAME — {} grants, {} switches scope, {} cancels",
                keys.hint(&chain, Command::Confirm),
                keys.hint(&chain, Command::ToggleScope),
                keys.hint(&chain, Command::Cancel)
            ),
            theme.style(StyleName::Muted),
        ),
    ])];
    if let Some(error) = &grant.error {
        lines.push(Line::styled(
            sanitize(error).into_owned(),
            theme.style(StyleName::ReadinessFailed),
        ));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(boxed(format!("Grant {role} {scope} to"), true, theme))
        .render(area, buf);
}

//! The function form: create a function from a template or an image, or change a live one's
//! settings, checked as you type with each problem at its field. Submitting previews the
//! change in the gate's confirmation; once the server takes it, a new function's detail opens
//! so its first revision can be followed to Ready (an update returns to the detail it came
//! from, which shows the new revision live).

mod change;
mod quota;
mod render;
pub mod slots;

pub use render::render;

use std::collections::BTreeMap;

use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use ratatui_textarea::TextArea;

use super::{Action, Ctx, FunctionView, View};
use crate::app::{Generation, Mutation, Pane, Quotas};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};
use crate::templates::Catalogue;
use slots::Slot;

pub const HINTS: &[(Command, &str)] = &[
    (Command::NextField, "next field"),
    (Command::PreviousField, "previous"),
    (Command::Submit, "review and apply"),
    (Command::Back, "leave"),
];

/// Creating a new function, or changing the settings of one that exists.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Create,
    /// The function and its texts as loaded, to send only what the user changed.
    Update {
        key: ObjectKey,
        initial: BTreeMap<Slot, String>,
        /// Variables from secrets or config maps: kept, not shown.
        from_refs: usize,
    },
}

#[derive(Debug)]
pub struct FormView {
    pub purpose: Purpose,
    pub slots: &'static [Slot],
    fields: BTreeMap<Slot, TextArea<'static>>,
    pub focus: usize,
    pub catalogue: Catalogue,
    /// The template chosen (create only): index into the catalogue.
    pub template: usize,
    /// Problems at each field, as of the last keystroke.
    pub problems: BTreeMap<Slot, String>,
    /// The server's refusal of the last submit, verbatim.
    pub refusal: Option<String>,
    /// Esc was pressed once with unsaved input: a second Esc discards it.
    leaving: bool,
    /// The quotas of the namespace deployed into, for the warning (see `quota.rs`).
    pub quota: Pane<Quotas>,
    quota_namespace: Option<String>,
    polling: Generation,
}

fn textarea(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.lines().map(str::to_owned).collect());
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

impl FormView {
    /// A create form in `namespace`, filled from the first template.
    pub fn create(namespace: &str, catalogue: Catalogue) -> Self {
        let mut view = FormView {
            purpose: Purpose::Create,
            slots: slots::CREATE,
            fields: BTreeMap::new(),
            focus: 1,
            catalogue,
            template: 0,
            problems: BTreeMap::new(),
            refusal: None,
            leaving: false,
            quota: Pane::default(),
            quota_namespace: None,
            polling: Generation::default(),
        };
        for slot in view.slots {
            view.fields.insert(*slot, textarea(""));
        }
        view.fields.insert(Slot::Namespace, textarea(namespace));
        view.apply_template();
        view.check();
        view
    }

    /// An update form for the function `key`, filled from its live Service.
    pub fn update(key: ObjectKey, service: &serde_json::Value, catalogue: Catalogue) -> Self {
        let (initial, from_refs) = slots::from_service(service);
        let mut view = FormView {
            purpose: Purpose::Update {
                key,
                initial: initial.clone(),
                from_refs,
            },
            slots: slots::UPDATE,
            fields: BTreeMap::new(),
            focus: 0,
            catalogue,
            template: 0,
            problems: BTreeMap::new(),
            refusal: None,
            leaving: false,
            quota: Pane::default(),
            quota_namespace: None,
            polling: Generation::default(),
        };
        for slot in view.slots {
            let text = initial.get(slot).map_or("", String::as_str);
            view.fields.insert(*slot, textarea(text));
        }
        view.check();
        view
    }

    pub fn title(&self) -> String {
        match &self.purpose {
            Purpose::Create => "New function".to_owned(),
            Purpose::Update { key, .. } => format!("Change {key}"),
        }
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        &[KeyContext::Form]
    }

    pub fn focused(&self) -> Slot {
        self.slots[self.focus]
    }

    pub fn text(&self, slot: Slot) -> String {
        self.fields
            .get(&slot)
            .map(|area| area.lines().join("\n"))
            .unwrap_or_default()
    }

    pub fn field(&self, slot: Slot) -> Option<&TextArea<'static>> {
        self.fields.get(&slot)
    }

    /// Fills the template's settings in (create only), replacing what they cover.
    fn apply_template(&mut self) {
        let Some(template) = self.catalogue.templates.get(self.template) else {
            return;
        };
        for (slot, text) in slots::from_template(template) {
            self.fields.insert(slot, textarea(&text));
        }
    }

    /// Whether anything differs from what the form was opened with.
    fn modified(&self) -> bool {
        match &self.purpose {
            Purpose::Create => !self.text(Slot::Name).is_empty(),
            Purpose::Update { initial, .. } => self
                .slots
                .iter()
                .any(|s| self.text(*s) != initial.get(s).cloned().unwrap_or_default()),
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if command != Command::Back {
            self.leaving = false;
        }
        match command {
            Command::NextField => self.move_focus(1),
            Command::PreviousField => self.move_focus(-1),
            Command::Submit => return Some(self.submit(ctx)),
            Command::Back if self.modified() && !self.leaving => {
                self.leaving = true;
                return Some(vec![Action::Notice(
                    "the form has changes that are not applied: Esc again discards them".into(),
                )]);
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    fn move_focus(&mut self, by: isize) {
        let len = self.slots.len() as isize;
        self.focus = (self.focus as isize + by).rem_euclid(len) as usize;
    }

    /// A key no binding took: it edits the focused field (the template field cycles).
    pub fn on_key(&mut self, key: Key) {
        use crossterm::event::KeyCode;
        self.leaving = false;
        let slot = self.focused();
        if slot == Slot::Template {
            let count = self.catalogue.templates.len().max(1);
            match key.code {
                KeyCode::Left => self.template = (self.template + count - 1) % count,
                KeyCode::Right | KeyCode::Char(' ') => self.template = (self.template + 1) % count,
                KeyCode::Enter | KeyCode::Down => return self.move_focus(1),
                KeyCode::Up => return self.move_focus(-1),
                _ => return,
            }
            self.apply_template();
            self.check();
            return;
        }
        let Some(area) = self.fields.get_mut(&slot) else {
            return;
        };
        let row = area.cursor().0;
        let last_row = area.lines().len().saturating_sub(1);
        match key.code {
            KeyCode::Enter if !slot.multiline() => return self.move_focus(1),
            KeyCode::Down if !slot.multiline() || row == last_row => return self.move_focus(1),
            KeyCode::Up if !slot.multiline() || row == 0 => return self.move_focus(-1),
            _ => {}
        }
        let event = crossterm::event::KeyEvent::new(key.code, key.modifiers);
        if area.input(event) {
            self.refusal = None;
            self.check();
        }
    }

    /// Re-reads every field and records the problems at each.
    fn check(&mut self) {
        self.problems = match self.change() {
            Ok(_) => BTreeMap::new(),
            Err(problems) => problems,
        };
    }

    fn submit(&mut self, _ctx: &Ctx<'_>) -> Vec<Action> {
        self.check();
        let change = match self.change() {
            Ok(change) => change,
            Err(problems) => {
                if let Some(first) = self.slots.iter().position(|s| problems.contains_key(s)) {
                    self.focus = first;
                }
                let count = problems.len();
                return vec![Action::Notice(format!(
                    "{count} field{} to fix first",
                    if count == 1 { "" } else { "s" }
                ))];
            }
        };
        match change {
            Some(mutation) => vec![Action::Request(mutation)],
            None => vec![Action::Notice("nothing is changed yet".into())],
        }
    }

    /// The server answered a change: ours taken → on to the function; refused → say why
    /// here too, with every field kept.
    pub fn mutated(
        &mut self,
        mutation: &Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        let key = match (mutation, &self.purpose) {
            (Mutation::CreateFunction { key, .. }, Purpose::Create) => key,
            (Mutation::UpdateFunction { key, .. }, Purpose::Update { key: mine, .. })
                if key == mine =>
            {
                key
            }
            _ => return Vec::new(),
        };
        match result {
            Ok(()) if matches!(self.purpose, Purpose::Create) => vec![
                Action::Close(ctx.id),
                Action::Push(Box::new(View::Function(Box::new(FunctionView::new(
                    key.clone(),
                ))))),
            ],
            Ok(()) => vec![Action::Close(ctx.id)],
            Err(error) => {
                self.refusal = Some(error.to_string());
                Vec::new()
            }
        }
    }
}

//! The YAML editor: a function's Service as text, checked as you type, reviewed as a diff
//! against the live object, applied through the gate as a merge patch of only what changed.
//!
//! Nothing typed here is lost: the buffer is saved as a draft (debounced, and on the way out)
//! until it is applied or discarded; a conflict shows yours against the server's and offers a
//! re-base; a refusal is shown in the server's words with the buffer kept.

mod answers;
mod choices;
mod render;

pub use render::render;

use chrono::{DateTime, Utc};
use funcdeck_core::edit::{self, EditError, Editable};
use funcdeck_core::error::CoreError;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea};

use super::{Action, Ctx};
use crate::app::{Effect, Generation, Reply, Ticket};
use crate::command::Command;
use crate::drafts::{Draft, DraftId};
use crate::keymap::{Key, KeyContext};

pub const HINTS: &[(Command, &str)] = &[
    (Command::Review, "review"),
    (Command::ExternalEditor, "$EDITOR"),
    (Command::Back, "leave"),
];

/// How long the buffer rests before it is checked and saved as a draft.
const SETTLE_SECONDS: i64 = 1;

/// Opens the editor on a function of the cluster the app is connected to.
pub fn open(key: funcdeck_core::key::ObjectKey, ctx: &Ctx<'_>) -> Action {
    let context = ctx
        .shell
        .context
        .as_ref()
        .map_or_else(String::new, |c| c.context.clone());
    Action::Push(Box::new(super::View::Editor(Box::new(EditorView::new(
        DraftId { context, key },
    )))))
}

/// What the editor shows.
#[derive(Debug, Clone)]
pub enum Mode {
    Loading,
    /// Nothing to edit (the function cannot be read and no draft is left).
    Failed(String),
    /// A draft was left for this function: restore or discard it.
    Offer(Draft),
    Editing,
    /// The change as a line diff against the text it was made from; Enter asks the gate.
    Review {
        plan: edit::Plan,
        lines: Vec<DiffLine>,
        scroll: usize,
    },
    /// The write was refused with 409: yours against the server's (`None` while it loads).
    Conflict {
        theirs: Option<Editable>,
        lines: Vec<DiffLine>,
        scroll: usize,
    },
    /// Esc with unapplied changes: keep them as a draft, discard them, or stay.
    Leaving,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

pub type DiffLine = (funcdeck_core::diff::Change, String);

#[derive(Debug)]
pub struct EditorView {
    pub id: DraftId,
    /// The text the change is computed against, and its resourceVersion.
    pub base: Option<Editable>,
    pub textarea: TextArea<'static>,
    pub mode: Mode,
    /// The buffer's YAML problem, if the last check found one.
    pub problem: Option<EditError>,
    /// The last outcome worth saying (a refusal verbatim, a re-base's overlaps).
    pub message: Option<(String, Tone)>,
    /// The function was deleted while being edited.
    pub gone: bool,
    /// When the buffer last changed, while it has changes not yet checked and saved.
    changed_at: Option<DateTime<Utc>>,
    requested: bool,
    generation: Generation,
}

impl EditorView {
    pub fn new(id: DraftId) -> Self {
        EditorView {
            id,
            base: None,
            textarea: TextArea::default(),
            mode: Mode::Loading,
            problem: None,
            message: None,
            gone: false,
            changed_at: None,
            requested: false,
            generation: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        format!("Edit {}", self.id.key)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        match self.mode {
            Mode::Editing | Mode::Loading | Mode::Failed(_) => &[KeyContext::Editor],
            _ => &[KeyContext::EditChoice],
        }
    }

    pub fn text(&self) -> String {
        let mut text = self.textarea.lines().join("\n");
        text.push('\n');
        text
    }

    /// Whether the buffer differs from what it would write nothing over.
    pub fn modified(&self) -> bool {
        self.base
            .as_ref()
            .is_some_and(|base| base.text.trim_end() != self.text().trim_end())
    }

    /// Loads once; a reconnect must not replace what the user is typing.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        if self.requested {
            return Vec::new();
        }
        self.requested = true;
        self.generation.bump();
        vec![Action::Effect(Effect::LoadEdit {
            ticket: self.generation.ticket(ctx.id),
            id: self.id.clone(),
        })]
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::EditLoaded { object, draft } => self.loaded(object, draft),
            Reply::Theirs(result) => self.theirs(result),
            Reply::ExternalEdited(Ok(text)) => {
                self.set_text(&text);
                self.check();
                self.message = Some((
                    "loaded the buffer back from $EDITOR; review it before it is applied".into(),
                    Tone::Info,
                ));
                self.save()
            }
            Reply::ExternalEdited(Err(why)) => {
                self.message = Some((format!("{why}; the buffer is as it was"), Tone::Error));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn loaded(
        &mut self,
        object: Result<Editable, CoreError>,
        draft: Result<Option<Draft>, String>,
    ) -> Vec<Action> {
        let draft = match draft {
            Ok(draft) => draft,
            Err(why) => {
                self.message = Some((why, Tone::Error));
                None
            }
        };
        match (object, draft) {
            (Ok(live), Some(draft)) => {
                self.set_text(&live.text);
                self.base = Some(live);
                self.mode = Mode::Offer(draft);
            }
            (Ok(live), None) => {
                self.set_text(&live.text);
                self.base = Some(live);
                self.mode = Mode::Editing;
            }
            (Err(error), Some(draft)) => {
                self.gone = matches!(error, CoreError::NotFound { .. });
                self.message = Some((self.unreadable(&error), Tone::Error));
                self.mode = Mode::Offer(draft);
            }
            (Err(error), None) => self.mode = Mode::Failed(self.unreadable(&error)),
        }
        Vec::new()
    }

    fn unreadable(&self, error: &CoreError) -> String {
        match error {
            CoreError::NotFound { .. } => {
                format!("function {} no longer exists", self.id.key)
            }
            other => format!("cannot read function {}: {other}", self.id.key),
        }
    }

    /// A key no binding took: it edits the text.
    pub fn on_key(&mut self, key: Key, ctx: &Ctx<'_>) {
        if !matches!(self.mode, Mode::Editing) {
            return;
        }
        let event = crossterm::event::KeyEvent::new(key.code, key.modifiers);
        if self.textarea.input(event) {
            self.changed_at = Some(ctx.shell.now);
        }
    }

    /// On the clock: a buffer that has rested is checked and saved.
    pub fn on_tick(&mut self, ctx: &Ctx<'_>) -> (bool, Vec<Action>) {
        match self.changed_at {
            Some(at) if (ctx.shell.now - at).num_seconds() >= SETTLE_SECONDS => {
                self.check();
                (true, self.save())
            }
            _ => (false, Vec::new()),
        }
    }

    /// Leaving the app: whatever is unapplied is kept.
    pub fn on_quit(&mut self) -> Vec<Action> {
        if self.changed_at.is_some() || self.modified() {
            self.save()
        } else {
            Vec::new()
        }
    }

    /// Checks the buffer now; the problem (if any) is shown at its line.
    fn check(&mut self) -> Option<edit::Plan> {
        let base = self.base.as_ref()?;
        match edit::plan(&base.text, &self.text()) {
            Ok(plan) => {
                self.problem = None;
                Some(plan)
            }
            Err(problem) => {
                self.problem = Some(problem);
                None
            }
        }
    }

    fn save(&mut self) -> Vec<Action> {
        self.changed_at = None;
        let Some(base) = &self.base else {
            return Vec::new();
        };
        if !self.modified() {
            return vec![Action::Effect(Effect::DeleteDraft {
                id: self.id.clone(),
            })];
        }
        vec![Action::Effect(Effect::SaveDraft {
            draft: Draft {
                context: self.id.context.clone(),
                namespace: self.id.key.namespace.clone(),
                name: self.id.key.name.clone(),
                base: base.text.clone(),
                resource_version: base.resource_version.clone(),
                text: self.text(),
                saved_at: chrono::Utc::now(),
            },
        })]
    }

    fn set_text(&mut self, text: &str) {
        let mut textarea = TextArea::new(text.lines().map(str::to_owned).collect());
        textarea.move_cursor(CursorMove::Top);
        // The widget keeps its own styles and is drawn through a shared borrow, so they are
        // set here, as modifiers that read well in every theme.
        textarea.set_line_number_style(Style::default().add_modifier(Modifier::DIM));
        textarea.set_cursor_line_style(Style::default());
        self.textarea = textarea;
        self.problem = None;
    }

    /// Puts the cursor on the problem's line and column.
    fn jump_to_problem(&mut self) {
        if let Some(problem) = &self.problem {
            let at = problem.position();
            let row = u16::try_from(at.line.saturating_sub(1)).unwrap_or(u16::MAX);
            let col = u16::try_from(at.column.saturating_sub(1)).unwrap_or(u16::MAX);
            self.textarea.move_cursor(CursorMove::Jump(row, col));
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        match &self.mode {
            Mode::Editing => self.editing_command(command, ctx),
            Mode::Loading | Mode::Failed(_) => None,
            _ => Some(self.choice_command(command, ctx)),
        }
    }

    fn editing_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        Some(match command {
            Command::Review => self.review(),
            Command::ExternalEditor => {
                vec![Action::Effect(Effect::ExternalEdit {
                    ticket: self.generation.ticket(ctx.id),
                    text: self.text(),
                })]
            }
            Command::Back => {
                if self.modified() {
                    self.mode = Mode::Leaving;
                    Vec::new()
                } else {
                    vec![
                        Action::Effect(Effect::DeleteDraft {
                            id: self.id.clone(),
                        }),
                        Action::Close(ctx.id),
                    ]
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests;

//! What the server says to the editor's write: applied (the draft goes, the editor closes),
//! a conflict (the server's version is read for the conflict screen), or a refusal (said in the
//! server's words, the buffer and its draft kept).

use funcdeck_core::error::CoreError;

use super::{EditorView, Mode, Tone};
use crate::app::{Effect, Mutation};
use crate::views::{Action, Ctx};

impl EditorView {
    /// The server's answer to the edit this editor asked the gate for.
    pub fn mutated(
        &mut self,
        mutation: &Mutation,
        result: &Result<(), CoreError>,
        ctx: &Ctx<'_>,
    ) -> Vec<Action> {
        let Mutation::EditFunction { key, .. } = mutation else {
            return Vec::new();
        };
        if *key != self.id.key {
            return Vec::new();
        }
        match result {
            Ok(()) => vec![
                Action::Effect(Effect::DeleteDraft {
                    id: self.id.clone(),
                }),
                Action::Close(ctx.id),
            ],
            Err(CoreError::Conflict { .. }) => {
                self.mode = Mode::Conflict {
                    theirs: None,
                    lines: Vec::new(),
                    scroll: 0,
                };
                self.generation.bump();
                let mut actions = self.save();
                actions.push(Action::Effect(Effect::LoadTheirs {
                    ticket: self.generation.ticket(ctx.id),
                    key: self.id.key.clone(),
                }));
                actions
            }
            Err(error) => {
                self.mode = Mode::Editing;
                self.message = Some((self.refusal(error), Tone::Error));
                if matches!(error, CoreError::NotFound { .. }) {
                    self.gone = true;
                }
                self.save()
            }
        }
    }

    pub(super) fn refusal(&self, error: &CoreError) -> String {
        match error {
            CoreError::NotFound { .. } => format!(
                "function {} was deleted while you edited it; your edit is kept as a draft",
                self.id.key
            ),
            other => format!("not applied: {other}"),
        }
    }
}

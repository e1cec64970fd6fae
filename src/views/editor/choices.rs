//! The editor's screens that ask for a decision: the review before applying, the conflict after
//! a 409, the draft left by an earlier session, and leaving with unapplied changes.

use funcdeck_core::edit::{self, Editable};
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;

use super::{DiffLine, EditorView, Mode, Tone};
use crate::app::{Effect, Mutation};
use crate::command::Command;
use crate::views::{Action, Ctx};
use funcdeck_core::diff::{Change, line_diff};

impl EditorView {
    /// Checks the buffer and shows the change against the text it was made from.
    pub(super) fn review(&mut self) -> Vec<Action> {
        let Some(plan) = self.check() else {
            self.jump_to_problem();
            return Vec::new();
        };
        if funcdeck_core::merge_patch::is_empty(&plan.patch) {
            self.message = Some(("no changes to apply".into(), Tone::Info));
            return Vec::new();
        }
        let base = self.base.as_ref().map_or("", |b| b.text.as_str());
        self.mode = Mode::Review {
            lines: diff_lines(base, &self.text()),
            plan,
            scroll: 0,
        };
        Vec::new()
    }

    /// The server's version after a conflict.
    pub(super) fn theirs(&mut self, result: Result<Editable, CoreError>) -> Vec<Action> {
        match result {
            Ok(theirs) => {
                self.mode = Mode::Conflict {
                    lines: diff_lines(&theirs.text, &self.text()),
                    theirs: Some(theirs),
                    scroll: 0,
                };
            }
            Err(error) => {
                self.gone = matches!(error, CoreError::NotFound { .. });
                self.message = Some((self.refusal(&error), Tone::Error));
                self.mode = Mode::Editing;
            }
        }
        Vec::new()
    }

    pub(super) fn choice_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Vec<Action> {
        let page = usize::from(ctx.shell.body_height / 2).max(1);
        if let Some(delta) = match command {
            Command::Up => Some(-1),
            Command::Down => Some(1),
            Command::PageUp => Some(-(page as isize)),
            Command::PageDown => Some(page as isize),
            _ => None,
        } {
            if let Mode::Review { scroll, lines, .. } | Mode::Conflict { scroll, lines, .. } =
                &mut self.mode
            {
                *scroll = scroll
                    .saturating_add_signed(delta)
                    .min(lines.len().saturating_sub(1));
            }
            return Vec::new();
        }
        // The edit was loaded from one cluster; after `:ctx` the connection is another's.
        if matches!(command, Command::Confirm | Command::Overwrite)
            && let Some(now) = &ctx.shell.context
            && now.context != self.id.context
        {
            return vec![Action::Notice(format!(
                "this edit of {} belongs to context {}; switch back with :ctx {} to apply it",
                self.id.key, self.id.context, self.id.context
            ))];
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Editing);
        match (mode, command) {
            (Mode::Review { plan, lines, .. }, Command::Confirm) => {
                let request = self.request(plan.patch.clone(), &plan.touched, &lines);
                // The review stays up behind the confirmation; the server's answer moves on.
                self.mode = Mode::Review {
                    plan,
                    lines,
                    scroll: 0,
                };
                request
            }
            (
                Mode::Conflict {
                    theirs: Some(theirs),
                    ..
                },
                Command::Rebase,
            ) => self.rebase(theirs, false),
            (
                Mode::Conflict {
                    theirs: Some(theirs),
                    ..
                },
                Command::Overwrite,
            ) => self.rebase(theirs, true),
            (Mode::Offer(draft), Command::Restore) => {
                self.set_text(&draft.text);
                self.base = Some(Editable {
                    key: ObjectKey::new(&draft.namespace, &draft.name),
                    text: draft.base,
                    resource_version: draft.resource_version,
                });
                self.check();
                if !self.gone {
                    self.message = None;
                }
                Vec::new()
            }
            (Mode::Offer(_), Command::Discard) => {
                let mut actions = vec![Action::Effect(Effect::DeleteDraft {
                    id: self.id.clone(),
                })];
                if self.base.is_none() {
                    // Nothing live to edit instead: the function is gone.
                    actions.push(Action::Close(ctx.id));
                }
                actions
            }
            (Mode::Offer(_), Command::Cancel | Command::Back) => {
                // Leaves the draft where it is, to be offered next time.
                vec![Action::Close(ctx.id)]
            }
            (Mode::Leaving, Command::KeepDraft) => {
                let mut actions = self.save();
                actions.push(Action::Close(ctx.id));
                actions
            }
            (Mode::Leaving, Command::Discard) => vec![
                Action::Effect(Effect::DeleteDraft {
                    id: self.id.clone(),
                }),
                Action::Close(ctx.id),
            ],
            (_, Command::Cancel | Command::Back) => Vec::new(),
            (mode, _) => {
                // Not a choice on this screen: stay on it.
                self.mode = mode;
                Vec::new()
            }
        }
    }

    /// Your change onto the server's version. A re-base goes back to editing with the overlaps
    /// named; an overwrite asks the gate to write it right away.
    fn rebase(&mut self, theirs: Editable, overwrite: bool) -> Vec<Action> {
        let base = self.base.as_ref().map_or(String::new(), |b| b.text.clone());
        let rebased = match edit::rebase(&base, &self.text(), theirs) {
            Ok(rebased) => rebased,
            Err(problem) => {
                self.problem = Some(problem);
                self.jump_to_problem();
                return Vec::new();
            }
        };
        self.base = Some(rebased.theirs);
        self.set_text(&rebased.text);
        self.message = Some(if rebased.conflicts.is_empty() {
            (
                "re-based onto the server's version; your change does not overlap theirs".into(),
                Tone::Info,
            )
        } else {
            (
                format!(
                    "re-based onto the server's version; you both changed {} (yours kept) — check before applying",
                    rebased.conflicts.join(", ")
                ),
                Tone::Error,
            )
        });
        let mut actions = self.save();
        if overwrite && let Some(plan) = self.check() {
            let base = self.base.as_ref().map_or("", |b| b.text.as_str());
            let lines = diff_lines(base, &self.text());
            actions.extend(self.request(plan.patch.clone(), &plan.touched, &lines));
            self.mode = Mode::Review {
                plan,
                lines,
                scroll: 0,
            };
        }
        actions
    }

    fn request(
        &self,
        patch: serde_json::Value,
        touched: &[String],
        lines: &[DiffLine],
    ) -> Vec<Action> {
        let Some(base) = &self.base else {
            return Vec::new();
        };
        let added = lines.iter().filter(|(c, _)| *c == Change::Added).count();
        let removed = lines.iter().filter(|(c, _)| *c == Change::Removed).count();
        vec![Action::Request(Mutation::EditFunction {
            key: self.id.key.clone(),
            patch,
            resource_version: base.resource_version.clone(),
            summary: format!("+{added} −{removed} lines in {}", touched.join(", ")),
        })]
    }
}

pub(super) fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    line_diff(old, new)
        .into_iter()
        .map(|(change, line)| (change, line.to_owned()))
        .collect()
}

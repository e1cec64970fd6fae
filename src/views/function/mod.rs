//! A function's whole story on one screen, live: URL and tag URLs, conditions, traffic, its
//! revisions (with why a failing one fails), its pods and recent events — what `kn service
//! describe` + `kubectl describe` + `kubectl get pods,events` would say together.
//!
//! Four watches feed it (the Service by name, its revisions, its pods, the namespace's events);
//! each part keeps its own pane, so a forbidden events list leaves the rest working.

mod actions;
mod follow;
mod overview;
mod render;
pub mod traffic;
mod traffic_render;

pub use render::render;
pub use traffic::TrafficEditor;
pub use traffic_render::TrafficEditorBox;

use std::collections::BTreeMap;

use funcdeck_core::events::EventSummary;
use funcdeck_core::function::FunctionDetail;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::{Revision, Service};
use funcdeck_core::labels::function_selector;
use funcdeck_core::pods::PodSummary;
use funcdeck_core::prometheus::dialect::Scope;
use funcdeck_core::prometheus::pulse::Pulses;
use funcdeck_core::revisions::RevisionSummary;
use funcdeck_core::watch::WatchEvent;

pub use follow::Follow;

use super::{Action, Ctx};
use crate::app::{Effect, Generation, Mutation, Pane, Polled, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    // Enter, Space, d and P are named in the revisions box's title.
    (Command::NextSection, "section"),
    (Command::Traffic, "traffic"),
    (Command::Rollback, "rollback"),
    (Command::Edit, "edit"),
    (Command::Update, "update"),
    (Command::Invoke, "invoke"),
    (Command::ToggleOffline, "offline/online"),
    (Command::Back, "back"),
    (Command::CommandMode, "command"),
];

/// The parts of the screen with a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Revisions,
    Pods,
    Events,
}

impl Section {
    const ALL: [Section; 3] = [Section::Revisions, Section::Pods, Section::Events];

    fn index(self) -> usize {
        match self {
            Section::Revisions => 0,
            Section::Pods => 1,
            Section::Events => 2,
        }
    }
}

#[derive(Debug)]
pub struct FunctionView {
    pub key: ObjectKey,
    pub service: Pane<Service>,
    /// The Service is gone (deleted while open, or never existed); the last state stays.
    pub gone: bool,
    pub revisions: Pane<BTreeMap<ObjectKey, Revision>>,
    pub pods: Pane<BTreeMap<ObjectKey, PodSummary>>,
    pub events: Pane<BTreeMap<ObjectKey, EventSummary>>,
    /// Rebuilt from the parts when one changes.
    pub detail: Option<FunctionDetail>,
    detail_stale: bool,
    pub section: Section,
    pub cursors: [usize; 3],
    /// Revisions picked (Space) for a diff, oldest pick first.
    pub marked: Vec<String>,
    /// A change made from this console deployed a revision: which write to follow.
    pub following: Option<Follow>,
    /// The traffic editor, open over the detail (`t`).
    pub traffic: Option<TrafficEditor>,
    /// The revisions' requests/s and p99 from Prometheus: the last read that answered.
    pub pulse: Option<Pulses>,
    generation: Generation,
}

impl FunctionView {
    pub fn new(key: ObjectKey) -> Self {
        FunctionView {
            key,
            service: Pane::loading(),
            gone: false,
            revisions: Pane::loading(),
            pods: Pane::loading(),
            events: Pane::loading(),
            detail: None,
            detail_stale: false,
            section: Section::Revisions,
            cursors: [0; 3],
            marked: Vec::new(),
            traffic: None,
            following: None,
            pulse: None,
            generation: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        format!("{}/{}", self.key.namespace, self.key.name)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        match &self.traffic {
            Some(editor) if editor.typing.is_some() => &[KeyContext::Input],
            Some(_) => &[KeyContext::Traffic],
            None => &[KeyContext::Function],
        }
    }

    /// A printable key no binding took: typed into the traffic editor when it is open.
    pub fn on_char(&mut self, c: char) {
        if let Some(editor) = &mut self.traffic {
            editor.on_char(c);
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.service.reload();
        self.revisions.reload();
        self.pods.reload();
        self.events.reload();
        self.generation.bump();
        let ticket = self.generation.ticket(ctx.id);
        let namespace = NamespaceScope::One(self.key.namespace.clone());
        [
            Watch::Function {
                key: self.key.clone(),
            },
            Watch::FunctionRevisions {
                key: self.key.clone(),
            },
            Watch::Pods {
                scope: namespace.clone(),
                selector: Some(function_selector(&self.key.name)),
            },
            Watch::Events { scope: namespace },
            Watch::Polled(Polled::Pulse {
                scope: Scope::revisions_of(&self.key.namespace, &self.key.name),
            }),
        ]
        .into_iter()
        .map(|watch| Action::Effect(Effect::Watch { ticket, watch }))
        .collect()
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        self.detail_stale = true;
        match reply {
            Reply::Function(event) => return self.on_service(event),
            Reply::FunctionRevisions(event) => apply(&mut self.revisions, event, ObjectKey::of),
            Reply::Pods(event) => apply(&mut self.pods, event, |p| p.key.clone()),
            Reply::Events(event) => apply(&mut self.events, event, |e| e.key.clone()),
            // A failed read keeps the last pulse (the metrics pane explains failures).
            Reply::Pulse(Ok(pulses)) => self.pulse = Some(pulses),
            _ => {}
        }
        Vec::new()
    }

    /// The Service drives the connection health; a deletion keeps the last state on screen.
    fn on_service(&mut self, event: WatchEvent<Service>) -> Vec<Action> {
        match event {
            WatchEvent::Synced(services) => match services.into_iter().next() {
                Some(service) => {
                    self.gone = false;
                    self.service.succeed(service);
                }
                None => {
                    self.gone = true;
                    if self.service.data().is_none() {
                        self.service
                            .fail(funcdeck_core::error::CoreError::NotFound {
                                message: format!(
                                    "function \"{}\" not found in namespace \"{}\"",
                                    self.key.name, self.key.namespace
                                ),
                            });
                    }
                }
            },
            WatchEvent::Applied(service) => {
                self.gone = false;
                // The editor's change has landed: its job is done, the detail shows the split.
                if self
                    .traffic
                    .as_ref()
                    .is_some_and(|e| e.applied_in(&service))
                {
                    self.traffic = None;
                }
                self.service.succeed(service);
            }
            WatchEvent::Deleted(_) => self.gone = true,
            WatchEvent::Failed(error) => {
                self.service.fail(error.clone());
                return vec![Action::Degraded(error)];
            }
        }
        vec![Action::Live]
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if let Some(editor) = &mut self.traffic {
            return Some(editor.on_command(command).unwrap_or_else(|| {
                self.traffic = None;
                Vec::new()
            }));
        }
        // The logs of the pod under the cursor in the pods section; elsewhere the function's.
        if command == Command::Logs {
            return Some(vec![self.open_logs(ctx)]);
        }
        if let Some(view) = crate::views::on_function::view_for(command, self.key.clone()) {
            return Some(vec![Action::Push(Box::new(view))]);
        }
        let page = usize::from(ctx.shell.body_height / 4).max(1) as isize;
        match command {
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-page),
            Command::PageDown => self.move_by(page),
            Command::Top => self.move_by(isize::MIN / 2),
            Command::Bottom => self.move_by(isize::MAX / 2),
            Command::NextSection | Command::PreviousSection => {
                let step = if command == Command::NextSection {
                    1
                } else {
                    2
                };
                self.section = Section::ALL[(self.section.index() + step) % 3];
            }
            Command::Open => return Some(self.open()),
            Command::Mark => self.mark(),
            Command::Diff => return Some(self.diff()),
            Command::Prune => return Some(self.prune()),
            Command::Rollback => return Some(self.rollback()),
            Command::Edit => return Some(vec![super::editor::open(self.key.clone(), ctx)]),
            Command::Update => return Some(self.open_form(ctx)),
            Command::Traffic => return Some(self.edit_traffic()),
            Command::ToggleOffline => return Some(self.toggle_offline(ctx.shell.now)),
            Command::Delete => {
                return Some(vec![Action::Request(Mutation::DeleteFunction {
                    key: self.key.clone(),
                })]);
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    pub fn settle(&mut self) {
        if self.detail_stale {
            self.detail_stale = false;
            self.rebuild();
        }
        for section in Section::ALL {
            let rows = self.rows_in(section);
            let cursor = &mut self.cursors[section.index()];
            *cursor = (*cursor).min(rows.saturating_sub(1));
        }
    }

    fn rebuild(&mut self) {
        let Some(service) = self.service.data() else {
            return;
        };
        let revisions = self.revision_summaries();
        let pods: Vec<PodSummary> = self
            .pods
            .data()
            .map(|all| all.values().cloned().collect())
            .unwrap_or_default();
        let events: Vec<EventSummary> = self
            .events
            .data()
            .map(|all| all.values().cloned().collect())
            .unwrap_or_default();
        self.detail = Some(FunctionDetail::build(service, &revisions, &pods, &events));
        // Marks for revisions that are gone go with them.
        let names: Vec<String> = revisions.iter().map(|r| r.key.name.clone()).collect();
        self.marked.retain(|m| names.contains(m));
    }

    pub fn rows_in(&self, section: Section) -> usize {
        self.detail.as_ref().map_or(0, |d| match section {
            Section::Revisions => d.revisions.len(),
            Section::Pods => d.pods.len(),
            Section::Events => d.events.len(),
        })
    }

    pub fn cursor(&self, section: Section) -> usize {
        self.cursors[section.index()]
    }

    fn move_by(&mut self, delta: isize) {
        let rows = self.rows_in(self.section);
        let cursor = &mut self.cursors[self.section.index()];
        *cursor = cursor
            .saturating_add_signed(delta)
            .min(rows.saturating_sub(1));
    }

    pub(super) fn selected_revision(&self) -> Option<&str> {
        let detail = self.detail.as_ref()?;
        let row = detail.revisions.get(self.cursor(Section::Revisions))?;
        Some(row.revision.key.name.as_str())
    }

    pub(super) fn revision(&self, name: &str) -> Option<&Revision> {
        let key = ObjectKey::new(&self.key.namespace, name);
        self.revisions.data()?.get(&key)
    }

    pub(super) fn revision_summaries(&self) -> Vec<RevisionSummary> {
        self.revisions
            .data()
            .map(|all| all.values().map(RevisionSummary::from_revision).collect())
            .unwrap_or_default()
    }
}

/// Applies a watch event to a pane of objects keyed by namespace/name.
fn apply<T>(
    pane: &mut Pane<BTreeMap<ObjectKey, T>>,
    event: WatchEvent<T>,
    key: fn(&T) -> ObjectKey,
) {
    match event {
        WatchEvent::Synced(items) => {
            pane.succeed(items.into_iter().map(|i| (key(&i), i)).collect())
        }
        WatchEvent::Applied(item) => pane.update(|all| {
            all.insert(key(&item), item);
        }),
        WatchEvent::Deleted(gone) => pane.update(|all| {
            all.remove(&gone);
        }),
        WatchEvent::Failed(error) => pane.fail(error),
    }
}

#[cfg(test)]
mod tests;

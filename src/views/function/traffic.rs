//! The traffic editor over a function's detail (`t`): one row per revision and `@latest`, each
//! with its share and tags; keys raise and lower a share, a typed number sets it, tags are typed
//! in. Every keystroke re-plans the change with core's `plan_traffic`, so the preview of the
//! resulting split and the reason it cannot be applied yet (a sum that is not 100, a bad tag)
//! are always on screen; Enter hands the plan to the gate.
//!
//! The editor plans from the Service as it was when opened (its resourceVersion), so a change
//! someone makes meanwhile fails the write (409) instead of being overwritten.

use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::rollback::describe_split;
use funcdeck_core::function::traffic_plan::{
    LATEST, Target, TrafficChange, TrafficError, TrafficPlan, parse_percent, plan_traffic,
};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::{Service, TrafficTarget};
use funcdeck_core::revisions::RevisionSummary;

use crate::app::Mutation;
use crate::command::Command;
use crate::views::Action;

/// How much one raise or lower moves a share.
pub const STEP: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct EditRow {
    pub target: Target,
    pub percent: u32,
    pub tags: Vec<String>,
    pub ready: ConditionStatus,
}

impl EditRow {
    pub fn given(&self) -> &str {
        match &self.target {
            Target::Revision(name) => name,
            Target::Latest => LATEST,
        }
    }
}

/// Text being typed into the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typing {
    Percent(String),
    Tag(String),
}

#[derive(Debug, Clone)]
pub struct TrafficEditor {
    pub key: ObjectKey,
    /// What `@latest` resolves to now (the latest ready revision), for the row's label.
    pub latest_ready: Option<String>,
    service: Service,
    revisions: Vec<RevisionSummary>,
    original: Vec<EditRow>,
    pub rows: Vec<EditRow>,
    pub cursor: usize,
    pub typing: Option<Typing>,
    /// A typed number that is not a percentage, until the next key.
    pub error: Option<String>,
    /// The plan for the rows as they are, or why there is none.
    pub plan: Result<TrafficPlan, TrafficError>,
    /// The traffic sent to the gate; the editor closes when the function shows it.
    pub requested: Option<Vec<TrafficTarget>>,
}

impl TrafficEditor {
    pub fn open(key: ObjectKey, service: &Service, revisions: &[RevisionSummary]) -> Self {
        let mut sorted: Vec<&RevisionSummary> = revisions.iter().collect();
        sorted.sort_by(RevisionSummary::newest_first);
        let mut rows = vec![EditRow {
            target: Target::Latest,
            percent: 0,
            tags: Vec::new(),
            ready: ConditionStatus::True,
        }];
        rows.extend(sorted.iter().map(|r| EditRow {
            target: Target::Revision(r.key.name.clone()),
            percent: 0,
            tags: Vec::new(),
            ready: r.ready,
        }));
        let spec = service.spec.traffic.clone().unwrap_or_default();
        if spec.is_empty() {
            rows[0].percent = 100;
        }
        for t in &spec {
            let pinned = t.revision_name.clone().filter(|n| !n.is_empty());
            let target = match pinned {
                Some(name) if !t.latest_revision.unwrap_or(false) => Target::Revision(name),
                _ => Target::Latest,
            };
            let index = match rows.iter().position(|r| r.target == target) {
                Some(i) => i,
                // A revision the spec names that is not listed (yet): a row of its own.
                None => {
                    rows.push(EditRow {
                        target,
                        percent: 0,
                        tags: Vec::new(),
                        ready: ConditionStatus::Unknown,
                    });
                    rows.len() - 1
                }
            };
            let row = &mut rows[index];
            row.percent += u32::try_from(t.percent.unwrap_or(0).clamp(0, 100)).unwrap_or(0);
            row.tags.extend(t.tag.clone().filter(|s| !s.is_empty()));
        }
        let mut editor = TrafficEditor {
            key,
            latest_ready: service
                .status
                .as_ref()
                .and_then(|s| s.latest_ready_revision_name.clone()),
            service: service.clone(),
            revisions: revisions.to_vec(),
            original: rows.clone(),
            rows,
            cursor: 0,
            typing: None,
            error: None,
            plan: Err(TrafficError::Invalid(String::new())),
            requested: None,
        };
        editor.replan();
        editor
    }

    /// The change the rows say, relative to how they were opened.
    pub fn change(&self) -> TrafficChange {
        let mut change = TrafficChange {
            shares: self
                .rows
                .iter()
                .filter(|r| r.percent > 0)
                .map(|r| (r.given().to_owned(), r.percent))
                .collect(),
            ..TrafficChange::default()
        };
        for (row, was) in self.rows.iter().zip(&self.original) {
            change
                .untags
                .extend(was.tags.iter().filter(|t| !row.tags.contains(t)).cloned());
            change.tags.extend(
                row.tags
                    .iter()
                    .filter(|t| !was.tags.contains(t))
                    .map(|t| (row.given().to_owned(), t.clone())),
            );
        }
        change
    }

    pub fn sum(&self) -> u32 {
        self.rows.iter().map(|r| r.percent).sum()
    }

    fn replan(&mut self) {
        self.plan = plan_traffic(&self.service, &self.revisions, &self.change());
    }

    /// The editor's answer to a command; `None` leaves it to the detail (Back closes it there).
    pub fn on_command(&mut self, command: Command) -> Option<Vec<Action>> {
        self.error = None;
        if self.typing.is_some() {
            match command {
                Command::Confirm => self.finish_typing(),
                Command::Cancel => self.typing = None,
                Command::DeleteChar => {
                    if let Some(Typing::Percent(text) | Typing::Tag(text)) = &mut self.typing {
                        text.pop();
                    }
                }
                _ => {}
            }
            return Some(Vec::new());
        }
        let last = self.rows.len().saturating_sub(1);
        match command {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(last),
            Command::Top => self.cursor = 0,
            Command::Bottom => self.cursor = last,
            Command::Raise => self.set_percent(|p| (p + STEP).min(100)),
            Command::Lower => self.set_percent(|p| p.saturating_sub(STEP)),
            Command::Tag => self.typing = Some(Typing::Tag(String::new())),
            Command::Untag => {
                if let Some(row) = self.rows.get_mut(self.cursor) {
                    row.tags.pop();
                }
                self.replan();
            }
            Command::Confirm => return Some(self.apply()),
            Command::Back => return None,
            _ => return Some(Vec::new()),
        }
        Some(Vec::new())
    }

    /// A printable key: a digit starts (or continues) a percentage; text goes into a tag.
    pub fn on_char(&mut self, c: char) {
        self.error = None;
        match &mut self.typing {
            Some(Typing::Tag(text)) => text.push(c),
            Some(Typing::Percent(text)) if c.is_ascii_digit() && text.len() < 3 => text.push(c),
            Some(Typing::Percent(_)) => {}
            None if c.is_ascii_digit() => self.typing = Some(Typing::Percent(c.to_string())),
            None => {}
        }
    }

    fn finish_typing(&mut self) {
        let Some(typing) = self.typing.take() else {
            return;
        };
        let Some(row) = self.rows.get_mut(self.cursor) else {
            return;
        };
        match typing {
            Typing::Percent(text) => match parse_percent(row.given(), &text) {
                Ok(p) => row.percent = p,
                Err(why) => self.error = Some(why),
            },
            Typing::Tag(text) => {
                let tag = text.trim().to_owned();
                if !tag.is_empty() && !row.tags.contains(&tag) {
                    row.tags.push(tag);
                }
            }
        }
        self.replan();
    }

    fn set_percent(&mut self, f: impl Fn(u32) -> u32) {
        if let Some(row) = self.rows.get_mut(self.cursor) {
            row.percent = f(row.percent);
        }
        self.replan();
    }

    /// Enter: the plan to the gate, or why not.
    fn apply(&mut self) -> Vec<Action> {
        match &self.plan {
            Ok(plan) => {
                self.requested = Some(plan.traffic.clone());
                vec![Action::Request(Mutation::SetTraffic {
                    key: self.key.clone(),
                    before: describe_split(&self.key.name, &plan.before),
                    after: describe_split(&self.key.name, &plan.after),
                    traffic: plan.traffic.clone(),
                    resource_version: plan.resource_version.clone(),
                    generation: plan.generation,
                })]
            }
            Err(why) => vec![Action::Notice(format!("cannot apply: {why}"))],
        }
    }

    /// Whether `service` already carries what was requested (then the editor has done its job).
    pub fn applied_in(&self, service: &Service) -> bool {
        self.requested
            .as_ref()
            .is_some_and(|wanted| service.spec.traffic.as_ref() == Some(wanted))
    }
}

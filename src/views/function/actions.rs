//! What the keys do to one function from its detail: open a revision's YAML, mark and diff two
//! revisions, open the traffic editor, and ask the gate to roll back, prune, or take the
//! function offline or online.

use chrono::{DateTime, Utc};
use funcdeck_core::function::rollback::{describe_split, plan_rollback};
use funcdeck_core::function::visibility::{
    Reachability, VisibilityOutcome, plan_offline, plan_online, reachability,
};
use funcdeck_core::knative::Revision;

use super::{FunctionView, Section};
use crate::app::Mutation;
use crate::views::text::TextView;
use crate::views::{Action, Ctx, View};

impl FunctionView {
    /// Enter: a revision's full object, as `kubectl get revision -o yaml` would show it.
    pub(super) fn open(&mut self) -> Vec<Action> {
        if self.section != Section::Revisions {
            return Vec::new();
        }
        let Some(name) = self.selected_revision() else {
            return Vec::new();
        };
        let Some(revision) = self.revision(name) else {
            return Vec::new();
        };
        vec![Action::Push(Box::new(View::Text(TextView::revision(
            revision,
        ))))]
    }

    /// `L`: the function's logs, or the selected pod's in the pods section. (A revision's are
    /// one Enter away in the logs' fields panel: the revision field lists them.)
    pub(super) fn open_logs(&self, ctx: &Ctx<'_>) -> Action {
        let mut target = crate::app::LogTarget::function(self.key.clone());
        if self.section == Section::Pods
            && let Some(pod) = self
                .detail
                .as_ref()
                .and_then(|d| d.pods.get(self.cursor(Section::Pods)))
        {
            target.pod = Some(pod.key.name.clone());
        }
        Action::Push(Box::new(View::Logs(Box::new(
            crate::views::LogsView::open(target, ctx),
        ))))
    }

    /// `R`: all traffic to the previous ready revision, previewed by the gate.
    pub(super) fn rollback(&self) -> Vec<Action> {
        let Some(service) = self.service.data() else {
            return Vec::new();
        };
        let summaries = self.revision_summaries();
        match plan_rollback(service, &summaries, None) {
            Ok(plan) => vec![Action::Request(Mutation::Rollback {
                key: self.key.clone(),
                before: describe_split(&self.key.name, &plan.before),
                after: describe_split(&self.key.name, &plan.after),
                to: plan.to,
                traffic: plan.traffic,
                resource_version: plan.resource_version,
                generation: plan.generation,
            })],
            Err(why) => vec![Action::Notice(format!("cannot roll back: {why}"))],
        }
    }

    /// `u`: the update form, filled from the function as it is now.
    pub(super) fn open_form(&self, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(service) = self.service.data() else {
            return vec![Action::Notice(format!(
                "function {} is still loading",
                self.key
            ))];
        };
        let Ok(service) = serde_json::to_value(service) else {
            return Vec::new();
        };
        let form =
            crate::views::FormView::update(self.key.clone(), &service, ctx.shell.templates.clone());
        vec![Action::Push(Box::new(crate::views::View::Form(Box::new(
            form,
        ))))]
    }

    /// `t`: the traffic editor over the detail, planned from the function as it is now.
    pub(super) fn edit_traffic(&mut self) -> Vec<Action> {
        let Some(service) = self.service.data() else {
            return Vec::new();
        };
        let editor =
            super::TrafficEditor::open(self.key.clone(), service, &self.revision_summaries());
        self.traffic = Some(editor);
        Vec::new()
    }

    /// `O`: offline when online, online when funcdeck took it offline; the gate names what
    /// is written.
    pub(super) fn toggle_offline(&self, now: DateTime<Utc>) -> Vec<Action> {
        let Some(service) = self.service.data() else {
            return Vec::new();
        };
        let online = matches!(reachability(service), Reachability::Offline { .. });
        let outcome = if online {
            plan_online(service)
        } else {
            plan_offline(service, &self.revision_summaries(), now)
        };
        match outcome {
            VisibilityOutcome::Plan(plan) => vec![Action::Request(Mutation::SetVisibility {
                key: self.key.clone(),
                online,
                writes: plan.writes,
                warnings: plan.warnings,
                patch: plan.patch,
            })],
            VisibilityOutcome::AlreadyDone(words) => vec![Action::Notice(words)],
        }
    }

    /// `P`: the revisions nothing routes to or tags, for the gate to confirm.
    pub(super) fn prune(&self) -> Vec<Action> {
        let Some(service) = self.service.data() else {
            return Vec::new();
        };
        let revisions = funcdeck_core::function::prunable(service, &self.revision_summaries(), 0);
        if revisions.is_empty() {
            return vec![Action::Notice(
                "nothing to prune: every revision carries traffic or a tag, or is the latest"
                    .into(),
            )];
        }
        vec![Action::Request(Mutation::PruneRevisions {
            key: self.key.clone(),
            revisions,
        })]
    }

    pub(super) fn mark(&mut self) {
        if self.section != Section::Revisions {
            return;
        }
        let Some(name) = self.selected_revision().map(str::to_owned) else {
            return;
        };
        if let Some(position) = self.marked.iter().position(|m| *m == name) {
            self.marked.remove(position);
        } else {
            self.marked.push(name);
            // Two make a pair: a third mark replaces the oldest.
            if self.marked.len() > 2 {
                self.marked.remove(0);
            }
        }
    }

    pub(super) fn diff(&mut self) -> Vec<Action> {
        let pair: Option<(&Revision, &Revision)> = match self.marked.as_slice() {
            [a, b] => self.revision(a).zip(self.revision(b)),
            _ => None,
        };
        match pair {
            Some((a, b)) => {
                // Older on the left, as `diff old new`.
                let (old, new) = if a.metadata.creation_timestamp <= b.metadata.creation_timestamp {
                    (a, b)
                } else {
                    (b, a)
                };
                vec![Action::Push(Box::new(View::Text(TextView::revision_diff(
                    old, new,
                ))))]
            }
            None => vec![Action::Notice(format!(
                "mark two revisions to compare their specs ({} marked)",
                self.marked.len()
            ))],
        }
    }
}

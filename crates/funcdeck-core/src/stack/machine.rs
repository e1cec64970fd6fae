//! The install and uninstall runs as a pure state machine: it says what to do next (apply,
//! check, verify, delete, wait), is told what happened, and keeps every object's state and a
//! log. The driver does the I/O; the tests drive it by hand with a clock they move.

mod record;
mod steps;

use std::collections::BTreeSet;
use std::time::Duration;

use super::bundle::Verify;
use super::component::Component;
use super::object::{ObjectRef, Wave};
use super::plan::{Action, Plan};

pub use steps::{Mode, Next, Outcome, Step, StepState, Timing};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Write,
    Await,
    Verify(usize),
}

#[derive(Debug, Clone)]
pub struct Run {
    pub mode: Mode,
    pub steps: Vec<Step>,
    /// Each component's backend check and the group after which it runs.
    verifies: Vec<(Component, usize, Verify)>,
    timing: Timing,
    group: usize,
    groups: usize,
    phase: Phase,
    group_started: Option<Duration>,
    /// Steps checked in the current polling round.
    round: BTreeSet<usize>,
    stalled_since: Vec<Option<Duration>>,
    retry_at: Option<Duration>,
    last_verify_failure: Option<String>,
    pub log: Vec<String>,
    pub outcome: Option<Result<(), String>>,
}

impl Run {
    /// An install of `plan`; refuses (with every reason) when the plan would take over someone
    /// else's objects.
    pub fn install(
        plan: &Plan,
        verifies: Vec<(Component, Verify)>,
        timing: Timing,
    ) -> Result<Self, Vec<String>> {
        let refusals = plan.refusals();
        if !refusals.is_empty() {
            return Err(refusals);
        }
        // Groups: each stage's foundations, then its objects, then its custom resources.
        let mut keys: Vec<(usize, Wave)> = plan
            .objects
            .iter()
            .map(|p| (p.desired.stage, p.desired.wave))
            .collect();
        keys.dedup();
        let steps: Vec<Step> = plan
            .objects
            .iter()
            .map(|p| {
                let key = (p.desired.stage, p.desired.wave);
                let group = keys.iter().position(|k| *k == key).unwrap_or(0);
                let (state, body) = match &p.action {
                    Action::Create | Action::Change { .. } => {
                        (StepState::Pending, Some(p.desired.object.clone()))
                    }
                    Action::Unchanged => (StepState::Unchanged, None),
                    Action::Kept | Action::Foreign { .. } => (StepState::Kept, None),
                };
                Step {
                    reference: p.desired.reference.clone(),
                    component: p.desired.component,
                    group,
                    state,
                    body,
                    shared: p.desired.shared,
                }
            })
            .collect();
        let verifies = verifies
            .into_iter()
            .filter_map(|(component, verify)| {
                let last = steps
                    .iter()
                    .filter(|s| s.component == component)
                    .map(|s| s.group)
                    .max()?;
                Some((component, last, verify))
            })
            .collect();
        Ok(Self::new(
            Mode::Install,
            steps,
            verifies,
            keys.len(),
            timing,
        ))
    }

    /// An uninstall of the objects found (funcdeck's own, and the shared ones to release), in
    /// reverse: per component (wiring first), its objects, then its namespaces and CRDs.
    pub fn uninstall(found: Vec<(ObjectRef, Component, bool)>, timing: Timing) -> Self {
        // (component, last) orders the groups: later components first, namespaces and CRDs last.
        type Keyed = (
            (std::cmp::Reverse<Component>, bool),
            ObjectRef,
            Component,
            bool,
        );
        let mut keyed: Vec<Keyed> = found
            .into_iter()
            .map(|(r, c, shared)| {
                let last = matches!(r.kind.as_str(), "Namespace" | "CustomResourceDefinition");
                ((std::cmp::Reverse(c), last), r, c, shared)
            })
            .collect();
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| super::object::rank(&b.1).cmp(&super::object::rank(&a.1)))
        });
        let mut keys: Vec<_> = keyed.iter().map(|k| k.0).collect();
        keys.dedup();
        let steps: Vec<Step> = keyed
            .into_iter()
            .map(|(key, reference, component, shared)| Step {
                group: keys.iter().position(|k| *k == key).unwrap_or(0),
                reference,
                component,
                state: StepState::Pending,
                body: None,
                shared,
            })
            .collect();
        Self::new(Mode::Uninstall, steps, Vec::new(), keys.len(), timing)
    }

    fn new(
        mode: Mode,
        steps: Vec<Step>,
        verifies: Vec<(Component, usize, Verify)>,
        groups: usize,
        timing: Timing,
    ) -> Self {
        let stalled_since = vec![None; steps.len()];
        Run {
            mode,
            steps,
            verifies,
            timing,
            group: 0,
            groups,
            phase: Phase::Write,
            group_started: None,
            round: BTreeSet::new(),
            stalled_since,
            retry_at: None,
            last_verify_failure: None,
            log: Vec::new(),
            outcome: None,
        }
    }

    /// How far along: finished steps out of all.
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .steps
            .iter()
            .filter(|s| {
                matches!(
                    s.state,
                    StepState::Ready | StepState::Gone | StepState::Released | StepState::Kept
                ) || (s.state == StepState::Unchanged && !s.reference.is_waitable())
                    || (s.state == StepState::Applied && !s.reference.is_waitable())
            })
            .count();
        (done, self.steps.len())
    }

    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// The next thing to do at time `now` (any monotonic clock, as long as it only grows).
    pub fn next(&mut self, now: Duration) -> Next {
        if let Some(outcome) = &self.outcome {
            return if outcome.is_ok() {
                Next::Done
            } else {
                Next::Failed
            };
        }
        if self.group >= self.groups {
            self.finish(Ok(()));
            return Next::Done;
        }
        let started = *self.group_started.get_or_insert(now);
        if now.saturating_sub(started) > self.timing.step_timeout {
            let reason = self.timeout_reason();
            self.finish(Err(reason));
            return Next::Failed;
        }
        if let Some(at) = self.retry_at
            && at > now
        {
            return Next::Sleep(at - now);
        }
        self.retry_at = None;
        match self.phase {
            Phase::Write => self.next_write(),
            Phase::Await => self.next_await(now),
            Phase::Verify(i) => {
                let (component, _, verify) = self.verifies[i].clone();
                Next::Verify(component, verify)
            }
        }
    }

    fn in_group(&self) -> impl Iterator<Item = (usize, &Step)> {
        let group = self.group;
        self.steps
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.group == group)
    }

    fn next_write(&mut self) -> Next {
        let pending = self
            .in_group()
            .find(|(_, s)| matches!(s.state, StepState::Pending | StepState::Retrying(_)))
            .map(|(i, _)| i);
        match (pending, self.mode) {
            (Some(i), Mode::Install) => Next::Apply(i),
            (Some(i), Mode::Uninstall) if self.steps[i].shared => Next::Release(i),
            (Some(i), Mode::Uninstall) => Next::Delete(i),
            (None, _) => {
                self.phase = Phase::Await;
                self.round.clear();
                self.next_await(self.group_started.unwrap_or_default())
            }
        }
    }

    fn awaited(&self, step: &Step) -> bool {
        match self.mode {
            Mode::Install => {
                step.reference.is_waitable()
                    && matches!(
                        step.state,
                        StepState::Applied | StepState::Unchanged | StepState::Waiting(_)
                    )
            }
            Mode::Uninstall => step.state == StepState::Deleting,
        }
    }

    fn next_await(&mut self, _now: Duration) -> Next {
        let waiting: Vec<usize> = self
            .in_group()
            .filter(|(_, s)| self.awaited(s))
            .map(|(i, _)| i)
            .collect();
        if waiting.is_empty() {
            return self.group_done();
        }
        match waiting.into_iter().find(|i| !self.round.contains(i)) {
            Some(i) => {
                self.round.insert(i);
                match self.mode {
                    Mode::Install => Next::Check(i),
                    Mode::Uninstall => Next::CheckGone(i),
                }
            }
            None => {
                self.round.clear();
                Next::Sleep(self.timing.poll)
            }
        }
    }

    fn group_done(&mut self) -> Next {
        let verify = self
            .verifies
            .iter()
            .position(|(_, group, _)| *group == self.group);
        if let (Some(i), Mode::Install, Phase::Await) = (verify, self.mode, self.phase) {
            self.phase = Phase::Verify(i);
            let (component, _, verify) = self.verifies[i].clone();
            return Next::Verify(component, verify);
        }
        self.group += 1;
        self.phase = Phase::Write;
        self.group_started = None;
        self.round.clear();
        Next::Sleep(Duration::ZERO)
    }

    /// Stops the run where it is (the user interrupted it); the summary says what is left.
    pub fn interrupt(&mut self) {
        if self.outcome.is_none() {
            self.finish(Err("interrupted".into()));
        }
    }

    /// The objects not done yet, for the message after a failure or an interruption.
    pub fn left(&self) -> Vec<&ObjectRef> {
        self.steps
            .iter()
            .filter(|s| match self.mode {
                Mode::Install => {
                    matches!(
                        s.state,
                        StepState::Pending
                            | StepState::Retrying(_)
                            | StepState::Failed(_)
                            | StepState::Waiting(_)
                    ) || (s.reference.is_waitable()
                        && matches!(s.state, StepState::Applied | StepState::Unchanged))
                }
                Mode::Uninstall => !matches!(s.state, StepState::Gone | StepState::Released),
            })
            .map(|s| &s.reference)
            .collect()
    }
}

fn verify_target(verify: &Verify) -> String {
    format!("{}/{}:{}", verify.namespace, verify.service, verify.port)
}

#[cfg(test)]
mod tests;

//! The install and uninstall runs as a pure state machine: it says what to do next (apply,
//! check, verify, delete, wait), is told what happened, and keeps every object's state and a
//! log. The driver does the I/O; the tests drive it by hand with a clock they move.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::bundle::Verify;
use super::component::Component;
use super::object::{ObjectRef, Wave};
use super::plan::{Action, Plan};
use super::readiness::Readiness;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Install,
    Uninstall,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "kebab-case")]
pub enum StepState {
    Pending,
    /// Retrying after a refusal that may pass (a webhook whose pod is not up yet).
    Retrying(String),
    Applied,
    Unchanged,
    Waiting(String),
    Ready,
    /// A namespace that existed before: used, left alone.
    Kept,
    Deleting,
    Gone,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub reference: ObjectRef,
    pub component: Component,
    /// Steps of one group are applied together, then waited for, before the next group.
    pub group: usize,
    pub state: StepState,
    /// The body to apply (install), `None` when nothing is to be written.
    pub body: Option<Value>,
    /// Knative's own object: install merges keys in, uninstall takes them out.
    pub shared: bool,
}

/// How long a group may take, how long a stuck pod is given, how often to look again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub step_timeout: Duration,
    pub stall_grace: Duration,
    pub poll: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            step_timeout: Duration::from_secs(300),
            stall_grace: Duration::from_secs(30),
            poll: Duration::from_millis(500),
        }
    }
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Apply(usize),
    /// Read the object (and its pods) and report its readiness.
    Check(usize),
    Verify(Component, Verify),
    Delete(usize),
    /// Give up funcdeck's fields of a shared object (apply an empty body).
    Release(usize),
    /// Report whether the object is still there.
    CheckGone(usize),
    Sleep(Duration),
    Done,
    Failed,
}

/// What happened to the last `Next`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Refused { reason: String, retryable: bool },
    Readiness(Readiness),
    Verified(Result<(), String>),
    Deleted,
    Present(bool),
}

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
                    StepState::Ready | StepState::Gone | StepState::Kept
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

    /// Records what happened to the step `Next` named (for `Verify`, the index is ignored).
    pub fn record(&mut self, next: &Next, outcome: Outcome, now: Duration) {
        match (next, outcome) {
            (Next::Apply(i) | Next::Release(i), Outcome::Applied) => {
                let step = &mut self.steps[*i];
                let verb = if self.mode == Mode::Uninstall {
                    "released"
                } else {
                    "applied"
                };
                step.state = StepState::Applied;
                if self.mode == Mode::Uninstall {
                    step.state = StepState::Gone;
                }
                self.log.push(format!("{verb} {}", step.reference));
            }
            (
                Next::Apply(i) | Next::Delete(i) | Next::Release(i),
                Outcome::Refused { reason, retryable },
            ) => {
                let reference = self.steps[*i].reference.clone();
                if retryable {
                    if self.steps[*i].state != StepState::Retrying(reason.clone()) {
                        self.log.push(format!("{reference}: {reason} (retrying)"));
                    }
                    self.steps[*i].state = StepState::Retrying(reason);
                    self.retry_at = Some(now + self.timing.poll);
                } else {
                    self.steps[*i].state = StepState::Failed(reason.clone());
                    self.finish(Err(format!("{reference}: {reason}")));
                }
            }
            (Next::Check(i), Outcome::Readiness(readiness)) => self.checked(*i, readiness, now),
            (Next::Verify(component, verify), Outcome::Verified(result)) => match result {
                Ok(()) => {
                    self.log.push(format!(
                        "{component}: {} answers through the service proxy",
                        verify_target(verify)
                    ));
                    self.last_verify_failure = None;
                    self.phase = Phase::Await;
                    self.verifies.retain(|(c, _, _)| c != component);
                }
                Err(reason) => {
                    if self.last_verify_failure.as_ref() != Some(&reason) {
                        self.log.push(format!(
                            "{component}: {} does not answer yet: {reason}",
                            verify_target(verify)
                        ));
                    }
                    self.last_verify_failure = Some(reason);
                    self.retry_at = Some(now + self.timing.poll);
                }
            },
            (Next::Delete(i), Outcome::Deleted) => {
                self.steps[*i].state = StepState::Deleting;
                self.log
                    .push(format!("deleting {}", self.steps[*i].reference));
            }
            (Next::CheckGone(i), Outcome::Present(false)) => {
                self.steps[*i].state = StepState::Gone;
                self.log
                    .push(format!("deleted {}", self.steps[*i].reference));
            }
            _ => {}
        }
    }

    fn checked(&mut self, i: usize, readiness: Readiness, now: Duration) {
        let reference = self.steps[i].reference.clone();
        match readiness {
            Readiness::Ready => {
                self.steps[i].state = StepState::Ready;
                self.stalled_since[i] = None;
                self.log.push(format!("ready: {reference}"));
            }
            Readiness::Failed(reason) => {
                self.steps[i].state = StepState::Failed(reason.clone());
                self.finish(Err(format!("{reference}: {reason}")));
            }
            Readiness::Stalled(reason) => {
                let since = *self.stalled_since[i].get_or_insert(now);
                if now.saturating_sub(since) >= self.timing.stall_grace {
                    self.steps[i].state = StepState::Failed(reason.clone());
                    self.finish(Err(format!("{reference}: {reason}")));
                } else {
                    self.waiting(i, reason);
                }
            }
            Readiness::Progressing(reason) => {
                self.stalled_since[i] = None;
                self.waiting(i, reason);
            }
        }
    }

    fn waiting(&mut self, i: usize, reason: String) {
        if self.steps[i].state != StepState::Waiting(reason.clone()) {
            self.log
                .push(format!("waiting for {}: {reason}", self.steps[i].reference));
            self.steps[i].state = StepState::Waiting(reason);
        }
    }

    fn timeout_reason(&self) -> String {
        let minutes = self.timing.step_timeout.as_secs_f64() / 60.0;
        let within = if minutes >= 1.0 {
            format!("{minutes:.0}m")
        } else {
            format!("{:.0}s", self.timing.step_timeout.as_secs_f64())
        };
        if let Phase::Verify(i) = self.phase {
            let (component, _, verify) = &self.verifies[i];
            return format!(
                "{component}: {} did not answer within {within}: {}",
                verify_target(verify),
                self.last_verify_failure.as_deref().unwrap_or("no answer")
            );
        }
        let stuck = self
            .in_group()
            .find(|(_, s)| self.awaited(s) || matches!(s.state, StepState::Retrying(_)));
        match stuck {
            Some((_, step)) => {
                let why = match &step.state {
                    StepState::Waiting(r) | StepState::Retrying(r) => r.as_str(),
                    _ => "no answer",
                };
                let verb = if self.mode == Mode::Install {
                    "not ready"
                } else {
                    "still there"
                };
                format!("{} {verb} within {within}: {why}", step.reference)
            }
            None => format!("timed out after {within}"),
        }
    }

    fn finish(&mut self, outcome: Result<(), String>) {
        match &outcome {
            Ok(()) => self.log.push(match self.mode {
                Mode::Install => "installed".to_string(),
                Mode::Uninstall => "uninstalled".to_string(),
            }),
            Err(reason) => self.log.push(format!("failed: {reason}")),
        }
        self.outcome = Some(outcome);
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
                Mode::Uninstall => s.state != StepState::Gone,
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

//! How a run takes what happened: a write done or refused (retried when it may pass), a
//! readiness read (stuck pods given their grace), a backend's answer, a deletion seen through;
//! and the words it finishes with.

use std::time::Duration;

use super::{Mode, Next, Outcome, Phase, Run, StepState, verify_target};
use crate::stack::readiness::Readiness;

impl Run {
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
                step.state = match self.mode {
                    Mode::Install => StepState::Applied,
                    Mode::Uninstall => StepState::Released,
                };
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

    pub(super) fn timeout_reason(&self) -> String {
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

    pub(super) fn finish(&mut self, outcome: Result<(), String>) {
        match &outcome {
            Ok(()) => self.log.push(match self.mode {
                Mode::Install => "installed".to_string(),
                Mode::Uninstall => "uninstalled".to_string(),
            }),
            Err(reason) => self.log.push(format!("failed: {reason}")),
        }
        self.outcome = Some(outcome);
    }
}

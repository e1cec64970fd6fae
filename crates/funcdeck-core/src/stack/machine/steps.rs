//! What a run is made of and speaks in: its mode, each object's step and state, the pace it
//! keeps, what it asks the driver to do next and what the driver tells it back.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::stack::bundle::Verify;
use crate::stack::component::Component;
use crate::stack::object::ObjectRef;
use crate::stack::readiness::Readiness;

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
    /// A shared object (Knative's ConfigMap) with funcdeck's keys taken out; the object stays.
    Released,
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

//! Readiness from a Service's conditions and generations.

use super::Readiness;
use crate::knative::{Condition, Service};

/// The readiness plus the `Ready` condition it came from (for reason and message).
pub(super) fn derive(svc: &Service) -> (Readiness, Option<&Condition>) {
    let Some(status) = &svc.status else {
        return (Readiness::Unknown, None);
    };
    let ready = status.condition("Ready");
    let generation = svc.metadata.generation.unwrap_or(0);
    let observed = status.observed_generation.unwrap_or(0);
    // A spec change the controller has not reconciled yet: whatever the conditions say is
    // about the previous generation.
    if observed < generation {
        return (Readiness::Deploying, ready);
    }
    let readiness = match ready {
        None => Readiness::Unknown,
        Some(c) if c.is_true() => Readiness::Ready,
        Some(c) if c.is_false() => Readiness::Failed,
        Some(_) => Readiness::Deploying,
    };
    (readiness, ready)
}

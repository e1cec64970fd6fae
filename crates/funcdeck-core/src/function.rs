//! The function as funcdeck shows it: a flat, UI-ready summary of a Knative Service.
//!
//! Deriving readiness and traffic here, once, keeps the table, the triage board and the CLI
//! agreeing on what "deploying" or "canary" means, and makes it testable on real payloads.

pub mod detail;
mod prune;
mod quantity;
mod readiness;
pub mod rollback;
mod rollout;
pub mod spec;
mod spec_check;
pub mod spec_parse;
mod summary;
mod traffic;
pub mod traffic_plan;
pub mod visibility;

use serde::Serialize;

pub use crate::key::ObjectKey;
pub use detail::FunctionDetail;
pub use prune::prunable;
pub use quantity::{Quantity, check_quantity};
pub use rollout::{Rollout, rollout};
pub use spec::{Field, SpecChange, apply_change, new_service};
pub(crate) use spec_check::check_label_value;
pub use spec_check::{FieldError, check_function_name, check_image};
pub use summary::FunctionSummary;
pub use traffic::TrafficShare;

/// Identifies a function across namespaces; orders by namespace, then name.
pub type FunctionKey = ObjectKey;

/// Where a function stands, ordered from healthy to unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Readiness {
    /// `Ready` is `True` for the current generation.
    Ready,
    /// `Ready` is `Unknown`, or the controller has not yet observed the latest spec.
    Deploying,
    /// `Ready` is `False`.
    Failed,
    /// No status (or no `Ready` condition) yet.
    Unknown,
}

impl Readiness {
    /// The word the table shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ready => "Ready",
            Self::Deploying => "Deploying",
            Self::Failed => "Failed",
            Self::Unknown => "Unknown",
        }
    }
}

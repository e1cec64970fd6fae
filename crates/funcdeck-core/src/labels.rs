//! The labels and annotations Knative puts on what it creates, and the selectors built from
//! them. Revisions, pods and events are tied to their function only through these names.

/// On revisions and pods: the owning Service (the function).
pub const SERVICE: &str = "serving.knative.dev/service";
/// On pods: the revision the pod runs.
pub const REVISION: &str = "serving.knative.dev/revision";
/// On revisions: the Configuration generation the revision was stamped from.
pub const CONFIGURATION_GENERATION: &str = "serving.knative.dev/configurationGeneration";

/// Revision annotations bounding the autoscaler, current and legacy spellings.
pub const MIN_SCALE: [&str; 2] = [
    "autoscaling.knative.dev/min-scale",
    "autoscaling.knative.dev/minScale",
];
pub const MAX_SCALE: [&str; 2] = [
    "autoscaling.knative.dev/max-scale",
    "autoscaling.knative.dev/maxScale",
];

/// `serving.knative.dev/service=NAME`: the revisions or pods of one function.
pub fn function_selector(function: &str) -> String {
    format!("{SERVICE}={function}")
}

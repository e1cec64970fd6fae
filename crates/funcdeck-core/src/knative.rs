//! Knative Serving `serving.knative.dev/v1` objects as small serde structs.
//!
//! Only the fields funcdeck reads are typed; every other field, at every typed level, is kept
//! in an `extra` map, so an object read from the cluster serializes back unchanged
//! (`funcdeck fn list -o json`, edit-and-replace). `kube::Resource` is implemented by hand to
//! avoid kube's derive machinery for two fixed kinds.

mod common;
mod resource;
mod revision;
mod service;

pub use common::{
    Addressable, Condition, Container, Resources, RevisionSpec, RevisionTemplate, TemplateMetadata,
    TrafficTarget,
};
pub use revision::{Revision, RevisionStatus};
pub use service::{Service, ServiceSpec, ServiceStatus};

/// `serving.knative.dev`
pub const GROUP: &str = "serving.knative.dev";
/// `v1`
pub const VERSION: &str = "v1";
/// `serving.knative.dev/v1`
pub const API_VERSION: &str = "serving.knative.dev/v1";

/// Unknown fields kept for a faithful round trip.
pub type Extra = serde_json::Map<String, serde_json::Value>;

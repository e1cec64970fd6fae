//! funcdeck's domain model and its clients.
//!
//! Everything that talks to a cluster or a backend lives here, behind typed errors, so the
//! binary's UI code stays pure and the compiler keeps terminal code out of the I/O layer
//! (this crate has no ratatui/crossterm dependency on purpose).

pub mod access;
pub mod backend;
pub mod cluster;
pub mod condition;
pub mod diff;
pub mod duration;
pub mod edit;
pub mod elastic;
pub mod error;
pub mod events;
pub mod function;
pub mod functions;
pub mod invoke;
pub mod jaeger;
pub mod key;
pub mod knative;
pub mod labels;
pub mod merge_patch;
pub mod names;
mod paged;
pub mod podlogs;
pub mod pods;
pub mod prometheus;
pub mod quota;
pub mod rbac;
pub mod revisions;
pub mod stack;
pub mod tenant;
pub mod text;
mod time;
pub mod tls;
pub mod watch;

#[cfg(test)]
mod testing;

pub use error::CoreError;
pub use key::ObjectKey;

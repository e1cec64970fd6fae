//! funcdeck's domain model and its clients.
//!
//! Everything that talks to a cluster or a backend lives here, behind typed errors, so the
//! binary's UI code stays pure and the compiler keeps terminal code out of the I/O layer
//! (this crate has no ratatui/crossterm dependency on purpose).

pub mod cluster;
pub mod error;
pub mod function;
pub mod functions;
pub mod knative;
pub mod text;
pub mod tls;

pub use error::CoreError;

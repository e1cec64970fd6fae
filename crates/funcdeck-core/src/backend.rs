//! Reaching an observability backend (Prometheus today; Jaeger and Elasticsearch later).
//!
//! Every backend is an HTTP API that is either configured by URL or found inside the cluster
//! and reached through the API server's service proxy. What differs per backend (paths, wire
//! format, which Services to look for) lives in its own module; what is shared lives here:
//! the endpoint configuration, the two transports behind one type, the failures every backend
//! can have (named after the backend and where it is), and the search for a well-known Service.

pub mod config;
pub mod discovery;
pub mod error;
pub mod service;
pub mod transport;

pub use config::{AuthConfig, EndpointConfig, parse_timeout};
pub use discovery::{Attempt, Located, WellKnown, endpoint_for, locate_service};
pub use error::{Backend, BackendError, Failure};
pub use service::ServiceRef;
pub use transport::{DirectAuth, Endpoint, Method, RawRequest, RawResponse, Transport};

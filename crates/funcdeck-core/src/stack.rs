//! The observability stack's installer: components as data (`manifests/`), a plan of what
//! applying would change, and install/uninstall runs as a pure state machine, driven against
//! the cluster by `driver`.

pub mod bundle;
pub mod cluster;
pub mod component;
pub mod machine;
pub mod object;
pub mod options;
pub mod plan;
pub mod readiness;
pub mod render;
pub mod session;
pub mod status;
pub mod upstream;

pub use bundle::{Bundle, Pin, Verify};
pub use component::Component;
pub use machine::{Mode, Next, Outcome, Run, Step, StepState, Timing};
pub use object::{Desired, ObjectRef};
pub use options::{KnativeEra, LogStore, Options};
pub use plan::{Action, Plan, Planned};
pub use readiness::Readiness;

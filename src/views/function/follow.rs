//! Following a rollout from the detail: a create or update made in this console deployed a
//! revision, and the overview says where it stands until it is ready or has failed.

use funcdeck_core::function::Rollout;

use super::FunctionView;

/// A write to follow to its revision's Ready or failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub generation: i64,
    pub previous: Option<String>,
}

impl FunctionView {
    /// Follow the revision deployed by writing `generation` (replacing `previous`).
    pub fn follow(&mut self, generation: i64, previous: Option<String>) {
        self.following = Some(Follow {
            generation,
            previous,
        });
    }

    /// Where the followed rollout stands, if one is followed and the function is loaded.
    pub fn rollout(&self) -> Option<Rollout> {
        let follow = self.following.as_ref()?;
        let service = self.service.data()?;
        let detail = self.detail.as_ref()?;
        Some(funcdeck_core::function::rollout(
            service,
            follow.generation,
            follow.previous.as_deref(),
            detail,
        ))
    }
}

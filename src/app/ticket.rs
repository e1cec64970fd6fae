//! Tickets route answers to the view that asked for them.
//!
//! Every effect that will answer carries a [`Ticket`]: which view asked ([`ViewId`], unique for
//! the life of the app, so a popped view's id is never reused) and that view's generation at the
//! time (bumped when it asks again, e.g. after a namespace switch). An answer whose view is gone
//! or whose generation is old is dropped, so no view ever shows data it did not ask for.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViewId(pub u64);

impl ViewId {
    /// The shell itself: the connection, probes, the namespace list.
    pub const SHELL: ViewId = ViewId(0);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ticket {
    pub view: ViewId,
    pub generation: u64,
}

/// A view's (or the shell's) current generation; tickets are cut from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Generation(u64);

impl Generation {
    /// Moves on: every ticket cut before this is stale from now on.
    pub fn bump(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    pub fn ticket(self, view: ViewId) -> Ticket {
        Ticket {
            view,
            generation: self.0,
        }
    }

    pub fn is_current(self, ticket: Ticket) -> bool {
        ticket.generation == self.0
    }
}

//! The state of any part of a screen that shows data from elsewhere.
//!
//! A pane remembers its last good data separately from how the latest attempt went, so a failed
//! refresh never blanks the screen: it shows the old data marked stale, with the reason.

use funcdeck_core::error::CoreError;

#[derive(Debug, Clone, Default)]
enum PaneState {
    /// Nothing asked for yet.
    #[default]
    Idle,
    Loading,
    Ok,
    Failed(CoreError),
}

#[derive(Debug, Clone)]
pub struct Pane<T> {
    last_good: Option<T>,
    state: PaneState,
}

impl<T> Default for Pane<T> {
    fn default() -> Self {
        Pane {
            last_good: None,
            state: PaneState::Idle,
        }
    }
}

impl<T> Pane<T> {
    pub fn loading() -> Self {
        Pane {
            last_good: None,
            state: PaneState::Loading,
        }
    }

    /// Asking again: keeps what is on screen until an answer comes.
    pub fn reload(&mut self) {
        self.state = PaneState::Loading;
    }

    /// Asking for something else entirely (another namespace): the old data does not apply.
    pub fn restart(&mut self) {
        self.last_good = None;
        self.state = PaneState::Loading;
    }

    pub fn succeed(&mut self, data: T) {
        self.last_good = Some(data);
        self.state = PaneState::Ok;
    }

    /// A change to data we already have (a watch event); ignored before the first answer.
    pub fn update(&mut self, change: impl FnOnce(&mut T)) {
        if let Some(data) = &mut self.last_good {
            change(data);
            self.state = PaneState::Ok;
        }
    }

    pub fn fail(&mut self, error: CoreError) {
        self.state = PaneState::Failed(error);
    }

    pub fn data(&self) -> Option<&T> {
        self.last_good.as_ref()
    }

    pub fn data_mut(&mut self) -> Option<&mut T> {
        self.last_good.as_mut()
    }

    pub fn error(&self) -> Option<&CoreError> {
        match &self.state {
            PaneState::Failed(error) => Some(error),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.state, PaneState::Loading | PaneState::Idle)
    }

    /// Showing old data because the latest attempt failed.
    pub fn is_stale(&self) -> bool {
        self.last_good.is_some() && matches!(self.state, PaneState::Failed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_data_keeps_the_data_and_marks_it_stale() {
        let mut pane = Pane::loading();
        assert!(pane.is_loading() && pane.data().is_none());
        pane.succeed(vec![1, 2]);
        pane.fail(CoreError::NotConnected);
        assert_eq!(pane.data(), Some(&vec![1, 2]));
        assert!(pane.is_stale());
        pane.update(|v| v.push(3));
        assert!(!pane.is_stale());
        assert_eq!(pane.data(), Some(&vec![1, 2, 3]));
        pane.restart();
        assert!(pane.data().is_none() && pane.is_loading());
        pane.update(|v| v.push(4));
        assert!(
            pane.data().is_none(),
            "changes before the first answer are ignored"
        );
    }
}

//! The views a key opens on one function, wherever a function is under the cursor (the
//! functions list, a function's detail): the same key opens the same view from both.

use funcdeck_core::key::ObjectKey;

use super::{InvokeView, LogsView, MetricsView, ObserveView, TracesView, View, WhoCanView};
use crate::command::Command;

/// The view `command` opens on the function `key`; `None` for a command that opens none.
pub fn view_for(command: Command, key: ObjectKey) -> Option<View> {
    Some(match command {
        Command::Invoke => View::Invoke(Box::new(InvokeView::new(key))),
        Command::Metrics => View::Metrics(Box::new(MetricsView::new(key))),
        Command::Traces => View::Traces(Box::new(TracesView::new(key))),
        // Sized by `[logs] buffer_lines` when it first subscribes.
        Command::Logs => View::Logs(Box::new(LogsView::new(
            crate::app::LogTarget::function(key),
            funcdeck_core::elastic::DEFAULT_CAPACITY,
        ))),
        Command::Observe => View::Observe(Box::new(ObserveView::new(key))),
        Command::WhoCan => View::WhoCan(Box::new(WhoCanView::for_function(&key))),
        _ => return None,
    })
}

/// Whether `command` opens a view on a function (so a list without a selection swallows it).
pub fn opens_view(command: Command) -> bool {
    matches!(
        command,
        Command::Invoke
            | Command::Metrics
            | Command::Traces
            | Command::Logs
            | Command::Observe
            | Command::WhoCan
    )
}

//! Logs go to a file in the state dir, never to the terminal the TUI is drawing on.
//!
//! `FUNCDECK_LOG` sets the filter (`info` by default, e.g. `FUNCDECK_LOG=funcdeck=debug,kube=debug`).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Keeps the background writer alive; logs are flushed when it drops.
pub struct LogGuard {
    _guard: Option<WorkerGuard>,
    pub path: Option<PathBuf>,
}

/// Starts file logging. If the state dir cannot be created, funcdeck runs without logs rather
/// than refusing to start.
pub fn init(state_dir: &Path) -> LogGuard {
    if std::fs::create_dir_all(state_dir).is_err() {
        return LogGuard {
            _guard: None,
            path: None,
        };
    }
    let appender = tracing_appender::rolling::never(state_dir, "funcdeck.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("FUNCDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    LogGuard {
        _guard: Some(guard),
        path: installed.then(|| state_dir.join("funcdeck.log")),
    }
}

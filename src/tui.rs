//! The terminal and the event loop: one task owns the [`App`], drains messages, draws once.
//!
//! Every way out — quit, error, SIGTERM/SIGHUP, panic — restores the terminal: the guard's
//! `Drop` covers returns and errors, ratatui's panic hook (installed by `try_init`) covers panics.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use funcdeck_core::cluster::ClusterTarget;
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::app::{App, Effect, Msg, Reply, Ticket};
use crate::drafts::DraftStore;
use crate::external_editor;
use crate::runner::Runner;
use crate::theme::Theme;
use crate::ui;

/// Messages applied before a frame is drawn, at most; keeps the screen moving under a flood.
const MAX_MESSAGES_PER_FRAME: usize = 4096;

struct TerminalGuard {
    terminal: DefaultTerminal,
}

impl TerminalGuard {
    fn enter() -> std::io::Result<Self> {
        // try_init may fail after raw mode is on: undo whatever it managed.
        let terminal = ratatui::try_init().inspect_err(|_| ratatui::restore())?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

pub async fn run(
    mut app: App,
    theme: Theme,
    target: ClusterTarget,
    drafts: DraftStore,
    backends: crate::runner::Backends,
) -> anyhow::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runner = Runner::new(target, tx)
        .with_drafts(drafts)
        .with_backends(backends);
    let size = guard.terminal.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let mut suspended = Vec::new();
    for effect in app.start() {
        dispatch(effect, &mut runner, &mut suspended);
    }
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = Terminate::new()?;

    loop {
        app.settle();
        if app.shell.dirty {
            guard.terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
            app.shell.dirty = false;
        }
        if app.shell.should_quit {
            break;
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key.into()),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            Some(msg) = rx.recv() => msg,
            _ = ticker.tick() => Msg::Tick(Utc::now()),
            () = terminate.recv() => break,
        };
        for effect in app.update(msg) {
            dispatch(effect, &mut runner, &mut suspended);
        }
        for _ in 0..MAX_MESSAGES_PER_FRAME {
            let Ok(msg) = rx.try_recv() else { break };
            for effect in app.update(msg) {
                dispatch(effect, &mut runner, &mut suspended);
            }
        }
        for (ticket, text, name) in suspended.drain(..) {
            // The input reader must not compete with the editor for keystrokes: it goes for
            // the editor's run and a new one starts after.
            drop(events);
            let result = suspend(&mut guard, || external_editor::edit(&text, &name))?;
            events = EventStream::new();
            let reply = Box::new(Reply::ExternalEdited(result));
            for effect in app.update(Msg::Reply { ticket, reply }) {
                runner.run(effect);
            }
            app.shell.dirty = true;
        }
    }
    // The last draft must reach the disk before the process goes.
    runner.flush().await;
    drop(runner);
    drop(guard);
    Ok(())
}

/// Hands an effect to the runner, except `$EDITOR`, which needs the terminal this loop owns.
fn dispatch(effect: Effect, runner: &mut Runner, suspended: &mut Vec<(Ticket, String, String)>) {
    match effect {
        Effect::ExternalEdit { ticket, text } => {
            suspended.push((ticket, text, "function".to_owned()));
        }
        other => runner.run(other),
    }
}

/// Leaves the alternate screen and raw mode, runs `work` on the plain terminal, and comes back
/// with a full redraw.
fn suspend<T>(guard: &mut TerminalGuard, work: impl FnOnce() -> T) -> std::io::Result<T> {
    ratatui::restore();
    let result = work();
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    // A new terminal has no previous frame, so the next draw is whole. (`Terminal::clear`
    // would ask the terminal for the cursor position, an answer that can get lost here.)
    guard.terminal =
        ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
    Ok(result)
}

/// SIGTERM and SIGHUP end the TUI cleanly (Ctrl-C arrives as a key in raw mode).
struct Terminate {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Terminate {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Terminate {
                term: signal(SignalKind::terminate())?,
                hup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Terminate {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

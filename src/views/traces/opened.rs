//! A trace on screen: its waterfall once the trace is here. A trace picked in the list is
//! here at once; one named by its id (`:trace ID`, a log line's trace id) is read from Jaeger
//! first, and until it comes the screen says so — or says why it did not (not in Jaeger, Jaeger
//! not found, Jaeger down) with the key to ask again.

use funcdeck_core::jaeger::{Trace, TraceId};

use super::Waterfall;
use super::waterfall::HINTS as WATERFALL_HINTS;
use crate::app::{Effect, Generation, Pane, Reply, Ticket};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};
use crate::views::{Action, Ctx};

pub const WAITING_HINTS: &[(Command, &str)] = &[(Command::Retry, "retry"), (Command::Back, "back")];

#[derive(Debug)]
pub struct TraceView {
    pub id: TraceId,
    pub waterfall: Pane<Waterfall>,
    /// Where the trace came from (Jaeger's address and API), when known.
    pub source: Option<String>,
    generation: Generation,
}

impl TraceView {
    /// A trace already read (picked in the list).
    pub fn new(trace: Trace) -> Self {
        Self::with_source(trace, None)
    }

    pub fn with_source(trace: Trace, source: Option<String>) -> Self {
        Self::of(Waterfall::new(trace), source)
    }

    /// A waterfall already laid out.
    pub fn of(waterfall: Waterfall, source: Option<String>) -> Self {
        let id = waterfall.trace.id.clone();
        let mut pane = Pane::loading();
        pane.succeed(waterfall);
        TraceView {
            id,
            waterfall: pane,
            source,
            generation: Generation::default(),
        }
    }

    /// A trace known only by its id: read from Jaeger when the view opens.
    pub fn by_id(id: TraceId) -> Self {
        TraceView {
            id,
            waterfall: Pane::loading(),
            source: None,
            generation: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        let id = self.id.as_str();
        format!("Trace {}", &id[..id.len().min(16)])
    }

    pub fn loaded(&self) -> Option<&Waterfall> {
        self.waterfall.data()
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        match self.loaded() {
            Some(waterfall) => waterfall.key_chain(),
            None => &[KeyContext::Trace],
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        match self.loaded() {
            Some(_) => WATERFALL_HINTS,
            None => WAITING_HINTS,
        }
    }

    /// Reads the trace when it is not here yet.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        if self.loaded().is_some() {
            return Vec::new();
        }
        self.waterfall.reload();
        self.generation.bump();
        vec![Action::Effect(Effect::ReadTrace {
            ticket: self.generation.ticket(ctx.id),
            id: self.id.clone(),
        })]
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        match self.waterfall.data_mut() {
            Some(waterfall) => waterfall.on_command(command, ctx),
            // Retry is the app's: it reconnects, and subscribing again reads the trace again.
            None => None,
        }
    }

    pub fn on_key(&mut self, key: Key) {
        if let Some(waterfall) = self.waterfall.data_mut() {
            waterfall.on_key(key);
        }
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Trace(Ok((trace, source))) => {
                self.source = Some(source);
                self.waterfall.succeed(Waterfall::new(trace));
            }
            Reply::Trace(Err(error)) => self.waterfall.fail(error),
            _ => {}
        }
        Vec::new()
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        self.loaded()?.position()
    }

    pub fn typing(&self) -> Option<&str> {
        self.loaded()?.typing.as_deref()
    }
}

//! Invoke: send a function an HTTP request and read the answer. A form (method, path, tag,
//! headers, body) on the left, the response (status coloured by class, latency, where it went,
//! headers, the body pretty-printed) on the right, scrollable.
//!
//! The request runs as an effect in the runner; the screen shows it in flight and stays live.
//! Two kinds of answers reach the view, each with its own generation: the function's Service
//! (watched, for its URL and tags) and invocations (a new send makes an older answer stale).

mod form;
mod render;

pub use form::{Field, Form};
pub use render::render;

use funcdeck_core::invoke::{InvokeError, InvokeResponse, known_tags};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::knative::Service;
use funcdeck_core::watch::WatchEvent;

use super::{Action, Ctx};
use crate::app::{Effect, Generation, Pane, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

pub const HINTS: &[(Command, &str)] = &[
    (Command::Send, "send"),
    (Command::NextSection, "field"),
    (Command::EditField, "edit"),
    (Command::NextTag, "tag"),
    (Command::Down, "scroll"),
    (Command::Back, "back"),
];

pub const EDIT_HINTS: &[(Command, &str)] = &[(Command::Cancel, "done"), (Command::Send, "send")];

/// Where the last request stands.
#[derive(Debug, Clone)]
pub enum Exchange {
    /// Nothing sent yet.
    Idle,
    InFlight {
        method: String,
        target: String,
    },
    Answered(Box<InvokeResponse>),
    /// No answer (or not sent: the form was wrong), and why.
    Failed(String),
}

#[derive(Debug)]
pub struct InvokeView {
    pub key: ObjectKey,
    pub service: Pane<Service>,
    pub form: Form,
    pub focus: Field,
    pub editing: bool,
    pub exchange: Exchange,
    /// First line of the response shown.
    pub scroll: usize,
    watching: Generation,
    sending: Generation,
}

impl InvokeView {
    pub fn new(key: ObjectKey) -> Self {
        InvokeView {
            key,
            service: Pane::loading(),
            form: Form::default(),
            focus: Field::Method,
            editing: false,
            exchange: Exchange::Idle,
            scroll: 0,
            watching: Generation::default(),
            sending: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        format!("Invoke {}/{}", self.key.namespace, self.key.name)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.editing {
            &[KeyContext::InvokeEdit]
        } else {
            &[KeyContext::Invoke]
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.editing { EDIT_HINTS } else { HINTS }
    }

    /// The function's tags, in traffic order.
    pub fn tags(&self) -> Vec<String> {
        self.service.data().map(known_tags).unwrap_or_default()
    }

    /// The URL the form would invoke now, once the function has one.
    pub fn url(&self) -> Option<String> {
        let service = self.service.data()?;
        funcdeck_core::invoke::target_url(service, &self.key.name, self.form.tag.as_deref()).ok()
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.service.reload();
        self.watching.bump();
        vec![Action::Effect(Effect::Watch {
            ticket: self.watching.ticket(ctx.id),
            watch: Watch::Function {
                key: self.key.clone(),
            },
        })]
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.watching.is_current(ticket) || self.sending.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::Function(event) if self.watching.is_current(ticket) => self.on_service(event),
            Reply::Invoked(result) if self.sending.is_current(ticket) => {
                self.scroll = 0;
                self.exchange = match result {
                    Ok(response) => Exchange::Answered(Box::new(response)),
                    Err(error) => Exchange::Failed(describe(&error)),
                };
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_service(&mut self, event: WatchEvent<Service>) -> Vec<Action> {
        match event {
            WatchEvent::Synced(services) => match services.into_iter().next() {
                Some(service) => self.service.succeed(service),
                None => self
                    .service
                    .fail(funcdeck_core::error::CoreError::NotFound {
                        message: format!(
                            "function \"{}\" not found in namespace \"{}\"",
                            self.key.name, self.key.namespace
                        ),
                    }),
            },
            WatchEvent::Applied(service) => self.service.succeed(service),
            WatchEvent::Deleted(_) => {}
            WatchEvent::Failed(error) => {
                self.service.fail(error.clone());
                return vec![Action::Degraded(error)];
            }
        }
        // A tag that went away is no longer offered.
        if let Some(tag) = &self.form.tag
            && !self.tags().contains(tag)
        {
            self.form.tag = None;
        }
        vec![Action::Live]
    }

    /// Sends what the form says; a form that does not make a request says why instead.
    fn send(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.editing = false;
        self.scroll = 0;
        let request = match self.form.request() {
            Ok(r) => r,
            Err(why) => {
                self.exchange = Exchange::Failed(format!("not sent: {why}"));
                return Vec::new();
            }
        };
        self.sending.bump();
        self.exchange = Exchange::InFlight {
            method: request.method.clone(),
            target: format!("{}{}", self.url().unwrap_or_default(), request.path),
        };
        vec![Action::Effect(Effect::Invoke {
            ticket: self.sending.ticket(ctx.id),
            key: self.key.clone(),
            request,
        })]
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let page = usize::from(ctx.shell.body_height.saturating_sub(2)).max(1);
        match command {
            Command::Send => return Some(self.send(ctx)),
            Command::Cancel if self.editing => self.editing = false,
            _ if self.editing => return None,
            Command::NextSection => self.focus = self.focus.step(1),
            Command::PreviousSection => self.focus = self.focus.step(-1),
            Command::EditField if self.focus == Field::Tag => self.next_tag(),
            Command::EditField => self.editing = true,
            Command::NextTag => self.next_tag(),
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            Command::Down => self.scroll += 1,
            Command::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Command::PageDown => self.scroll += page,
            Command::Top => self.scroll = 0,
            Command::Bottom => self.scroll = usize::MAX / 2,
            _ => return None,
        }
        Some(Vec::new())
    }

    fn next_tag(&mut self) {
        let tags = self.tags();
        self.form.next_tag(&tags);
    }

    /// Whether keys no binding takes are text for the field being edited.
    pub fn wants_keys(&self) -> bool {
        self.editing
    }

    /// A key typed into the field being edited; Enter ends a one-line field's edit.
    pub fn on_key(&mut self, key: Key) {
        use crossterm::event::KeyCode;
        if key.code == KeyCode::Enter && self.focus.single_line() {
            self.editing = false;
            return;
        }
        if let Some(area) = self.form.area_mut(self.focus) {
            area.input(crossterm::event::KeyEvent::new(key.code, key.modifiers));
        }
    }

    /// Keeps the response scrolled within its lines.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        let page = usize::from(ctx.shell.body_height.saturating_sub(2)).max(1);
        let lines = render::response_line_count(self);
        self.scroll = self.scroll.min(lines.saturating_sub(page));
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match &self.exchange {
            Exchange::Answered(_) => Some((self.scroll + 1, render::response_line_count(self))),
            _ => None,
        }
    }
}

/// An invocation's failure as one line: the error's own words, which say what to do.
fn describe(error: &InvokeError) -> String {
    funcdeck_core::text::sanitize(&error.to_string()).into_owned()
}

#[cfg(test)]
mod tests;

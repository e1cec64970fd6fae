//! The request form: method, path, tag, headers (one `Name: value` per line) and body, each an
//! editable text (ratatui-textarea) but the tag, which cycles through the function's tags.
//! Turning the form into a request checks it first, so a bad header line is named, not sent.

use funcdeck_core::invoke::{InvokeRequest, parse_header};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

/// The parts of the form, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Method,
    Path,
    Tag,
    Headers,
    Body,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Method,
        Field::Path,
        Field::Tag,
        Field::Headers,
        Field::Body,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Method => "Method",
            Field::Path => "Path",
            Field::Tag => "Tag",
            Field::Headers => "Headers (Name: value, one per line)",
            Field::Body => "Body",
        }
    }

    /// Fields typed on one line (Enter ends the edit instead of breaking the line).
    pub fn single_line(self) -> bool {
        matches!(self, Field::Method | Field::Path)
    }

    pub fn step(self, by: isize) -> Field {
        let i = Field::ALL.iter().position(|f| *f == self).unwrap_or(0) as isize;
        let n = Field::ALL.len() as isize;
        Field::ALL[(i + by).rem_euclid(n) as usize]
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub method: TextArea<'static>,
    pub path: TextArea<'static>,
    pub headers: TextArea<'static>,
    pub body: TextArea<'static>,
    /// The chosen tag; `None` invokes the function's own URL.
    pub tag: Option<String>,
}

fn text(initial: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![initial.to_owned()]);
    area.set_cursor_line_style(Style::default());
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

impl Default for Form {
    fn default() -> Self {
        Form {
            // Empty: curl's rule decides (GET, or POST with a body).
            method: text(""),
            path: text("/"),
            headers: text(""),
            body: text(""),
            tag: None,
        }
    }
}

impl Form {
    pub fn area(&self, field: Field) -> Option<&TextArea<'static>> {
        match field {
            Field::Method => Some(&self.method),
            Field::Path => Some(&self.path),
            Field::Headers => Some(&self.headers),
            Field::Body => Some(&self.body),
            Field::Tag => None,
        }
    }

    pub fn area_mut(&mut self, field: Field) -> Option<&mut TextArea<'static>> {
        match field {
            Field::Method => Some(&mut self.method),
            Field::Path => Some(&mut self.path),
            Field::Headers => Some(&mut self.headers),
            Field::Body => Some(&mut self.body),
            Field::Tag => None,
        }
    }

    /// The next tag after the current one among `tags`, then none again.
    pub fn next_tag(&mut self, tags: &[String]) {
        let at = self
            .tag
            .as_ref()
            .and_then(|t| tags.iter().position(|x| x == t));
        self.tag = match at {
            None => tags.first().cloned(),
            Some(i) => tags.get(i + 1).cloned(),
        };
    }

    /// The method sent when the method field is left empty.
    pub fn auto_method(&self) -> &'static str {
        if self.body.is_empty() { "GET" } else { "POST" }
    }

    /// The request the form describes, or what is wrong with it.
    pub fn request(&self) -> Result<InvokeRequest, String> {
        let body = self.body.lines().join("\n");
        let method = self.method.lines().join("").trim().to_ascii_uppercase();
        let method = match method.as_str() {
            "" => self.auto_method().to_owned(),
            m if m.bytes().all(|b| b.is_ascii_alphabetic()) => method,
            _ => return Err(format!("{method:?} is not an HTTP method")),
        };
        let path = self.path.lines().join("").trim().to_owned();
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        if path.chars().any(char::is_whitespace) {
            return Err(format!("path {path:?} has spaces (write them as %20)"));
        }
        let mut headers = Vec::new();
        for (i, line) in self.headers.lines().iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            headers.push(parse_header(line).map_err(|e| format!("headers, line {}: {e}", i + 1))?);
        }
        Ok(InvokeRequest {
            method,
            path,
            headers,
            body: body.into_bytes(),
            tag: self.tag.clone(),
            ..InvokeRequest::default()
        })
    }
}

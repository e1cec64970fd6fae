//! How a response body is shown: JSON pretty-printed (2-space indent) when the content type or
//! the body itself says JSON, UTF-8 text sanitized, anything else summarised by its size.

use serde::Serialize;

use crate::text::sanitize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Rendered {
    Empty,
    /// Pretty JSON, already sanitized.
    Json(String),
    /// Text, sanitized.
    Text(String),
    /// Not text: its size in bytes.
    Binary(usize),
}

impl Rendered {
    /// The lines to print (a binary body is one line saying its size).
    pub fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Json(s) | Self::Text(s) => s.clone(),
            Self::Binary(n) => format!("<{n} bytes of binary data>"),
        }
    }
}

/// [`sanitize`] line by line, keeping the line breaks (it makes each line a safe cell).
fn sanitize_lines(s: &str) -> String {
    s.lines()
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn says_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json")
    })
}

fn looks_json(body: &[u8]) -> bool {
    matches!(body.trim_ascii_start().first(), Some(b'{' | b'['))
}

pub fn render_body(content_type: Option<&str>, body: &[u8]) -> Rendered {
    if body.is_empty() {
        return Rendered::Empty;
    }
    if (says_json(content_type) || looks_json(body))
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(body)
        && let Ok(pretty) = serde_json::to_string_pretty(&v)
    {
        return Rendered::Json(sanitize_lines(&pretty));
    }
    match std::str::from_utf8(body) {
        Ok(s) => Rendered::Text(sanitize_lines(s)),
        Err(_) => Rendered::Binary(body.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_binary() {
        assert_eq!(
            render_body(Some("application/json; charset=utf-8"), br#"{"a":[1,2]}"#),
            Rendered::Json("{\n  \"a\": [\n    1,\n    2\n  ]\n}".into())
        );
        assert_eq!(
            render_body(None, br#"[true]"#),
            Rendered::Json("[\n  true\n]".into())
        );
        // Says JSON but is not: shown as the text it is.
        assert_eq!(
            render_body(Some("application/json"), b"oops"),
            Rendered::Text("oops".into())
        );
        let hostile = render_body(Some("text/plain"), b"hi \x1b[31mred");
        assert!(!hostile.text().contains('\x1b'), "{hostile:?}");
        assert_eq!(render_body(None, &[0xff, 0x00, 0xfe]), Rendered::Binary(3));
        assert_eq!(render_body(None, b""), Rendered::Empty);
    }
}

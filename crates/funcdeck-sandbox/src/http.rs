//! Response building and body reading shared by every handler.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::body::Incoming;
use hyper::{Response, StatusCode, header};
use serde_json::Value;

use crate::status::ApiError;

pub type Body = BoxBody<Bytes, Infallible>;

/// Request bodies above this get 413 (the apiserver's limit is 3 MiB too).
pub const MAX_BODY: usize = 3 * 1024 * 1024;

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

pub fn json(code: u16, content_type: &str, v: &Value) -> Response<Body> {
    let mut bytes = serde_json::to_vec(v).unwrap_or_default();
    bytes.push(b'\n');
    let mut resp = Response::new(full(bytes));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    if let Ok(ct) = header::HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp
}

/// A response from already-encoded JSON bytes.
pub fn bytes(code: u16, content_type: &str, bytes: Vec<u8>) -> Response<Body> {
    let mut resp = Response::new(full(bytes));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    if let Ok(ct) = header::HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp
}

pub fn ok(v: &Value) -> Response<Body> {
    json(200, "application/json", v)
}

pub fn error(e: &ApiError) -> Response<Body> {
    json(e.code, "application/json", &e.to_status())
}

pub fn text(code: u16, body: &'static str) -> Response<Body> {
    let mut resp = Response::new(full(body));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

pub async fn read_body(body: Incoming) -> Result<Bytes, ApiError> {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(ApiError::too_large(MAX_BODY)),
        Err(e) => Err(ApiError::bad_request(format!(
            "unable to read request body: {e}"
        ))),
    }
}

/// Parses a JSON request body; an empty body is `{}` when `empty_ok`.
pub fn parse_json(bytes: &[u8], empty_ok: bool, what: &str) -> Result<Value, ApiError> {
    if empty_ok && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("{what}: {}", go_json_error(bytes, &e))))
}

/// serde_json's error in the words of Go's encoding/json, which the apiserver quotes.
pub fn go_json_error(bytes: &[u8], e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "unexpected end of JSON input".into(),
        Category::Syntax => {
            let text = e.to_string();
            let context = if text.starts_with("key must be a string") {
                "looking for beginning of object key string"
            } else if text.starts_with("expected `:`") {
                "after object key"
            } else if text.starts_with("expected `,` or `}`") {
                "after object key:value pair"
            } else if text.starts_with("expected `,` or `]`") {
                "after array element"
            } else if text.starts_with("trailing characters") {
                "after top-level value"
            } else {
                "looking for beginning of value"
            };
            let ch = offending_char(bytes, e.line(), e.column());
            format!("invalid character {ch} {context}")
        }
        Category::Data | Category::Io => e.to_string(),
    }
}

/// Go quotes the offending byte: `'x'`, or `'\\n'` style escapes for control characters.
fn offending_char(bytes: &[u8], line: usize, column: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let c = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.chars().nth(column.saturating_sub(1)))
        .unwrap_or(' ');
    match c {
        '\n' => "'\\n'".into(),
        '\t' => "'\\t'".into(),
        '\'' => "'\\''".into(),
        c if c.is_control() => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

/// Parses an apply-patch body: JSON (what kubectl sends) or YAML.
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, ApiError> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"{") {
        return serde_json::from_slice(bytes).map_err(|e| {
            ApiError::bad_request(format!("error decoding YAML: {}", go_json_error(bytes, &e)))
        });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    let v: Value = serde_saphyr::from_str(text).map_err(|e| {
        let first = e.to_string();
        let first = first.lines().next().unwrap_or("").to_string();
        ApiError::bad_request(format!("error decoding YAML: {first}"))
    })?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(ApiError::bad_request(
            "error decoding YAML: cannot unmarshal a non-object document into an object",
        ))
    }
}

/// Adds one `Warning: 299 - "..."` header per warning (field validation `Warn`).
pub fn with_warnings(mut resp: Response<Body>, warnings: &[String]) -> Response<Body> {
    for w in warnings {
        let escaped = w.replace('\\', "\\\\").replace('"', "\\\"");
        if let Ok(v) = header::HeaderValue::from_str(&format!("299 - \"{escaped}\"")) {
            resp.headers_mut().append(header::WARNING, v);
        }
    }
    resp
}

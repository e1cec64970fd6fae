//! What comes back through the gateway: the sandbox's stand-in user container (it echoes the
//! request as JSON, the way a hello-world function shows what it received), and the short text
//! answers Envoy, the activator and queue-proxy give when there is no one to answer.

use std::time::Duration;

use hyper::{HeaderMap, Response, header};
use serde_json::{Map, Value, json};

use crate::http::{Body, full};

/// What the echoing function needs to know about the request it answers.
pub struct Echo<'a> {
    pub revision: &'a str,
    pub service: &'a str,
    pub namespace: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub request_id: &'a str,
    /// From the gateway to the upstream's answer (a cold start included).
    pub upstream: Duration,
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|c| (*c as char).to_digit(16))
                .map(|d| d as u8)
        };
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=x+y&a=2` → `{"a": ["1", "2"], "b": ["x y"]}` (Go's `url.Values`, as JSON).
fn query_json(query: Option<&str>) -> Value {
    let mut out: Map<String, Value> = Map::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let entry = out.entry(decode(k)).or_insert_with(|| json!([]));
        if let Some(a) = entry.as_array_mut() {
            a.push(json!(decode(v)));
        }
    }
    Value::Object(out)
}

/// The request body as the function saw it: JSON when it parses, text when it is UTF-8,
/// otherwise its size.
fn body_json(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return v;
    }
    match std::str::from_utf8(body) {
        Ok(s) => json!(s),
        Err(_) => json!(format!("<{} bytes of binary data>", body.len())),
    }
}

/// The function's 200: what it was asked, as JSON, with the headers the path added.
pub fn echo(e: &Echo<'_>) -> Response<Body> {
    let mut headers: Map<String, Value> = Map::new();
    for (k, v) in e.headers {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        match headers.get_mut(k.as_str()) {
            Some(Value::String(prev)) => *prev = format!("{prev}, {v}"),
            _ => {
                headers.insert(k.as_str().to_string(), json!(v));
            }
        }
    }
    // What Envoy and the queue-proxy add on the way in.
    headers.insert("x-forwarded-proto".into(), json!("http"));
    headers.insert("x-request-id".into(), json!(e.request_id));
    headers
        .entry("x-forwarded-for")
        .or_insert_with(|| json!("127.0.0.1"));
    let body = json!({
        "revision": e.revision,
        "service": e.service,
        "namespace": e.namespace,
        "method": e.method,
        "path": e.path,
        "query": query_json(e.query),
        "headers": headers,
        "body": body_json(e.body),
    });
    let mut bytes = serde_json::to_vec_pretty(&body).unwrap_or_default();
    bytes.push(b'\n');
    let mut resp = with_envoy(Response::new(full(bytes)), e.request_id);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = header::HeaderValue::from_str(&e.upstream.as_millis().to_string()) {
        h.insert("x-envoy-upstream-service-time", v);
    }
    resp
}

/// A short `text/plain` answer from the path (Envoy, activator or queue-proxy).
pub fn text(code: u16, body: &str, request_id: &str) -> Response<Body> {
    let mut resp = with_envoy(Response::new(full(body.to_string())), request_id);
    *resp.status_mut() = hyper::StatusCode::from_u16(code).unwrap_or_default();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    resp
}

/// Envoy's 404 for a host no route has: no body at all.
pub fn not_found() -> Response<Body> {
    let mut resp = Response::new(full(Vec::new()));
    *resp.status_mut() = hyper::StatusCode::NOT_FOUND;
    resp.headers_mut()
        .insert(header::SERVER, header::HeaderValue::from_static("envoy"));
    resp
}

fn with_envoy(mut resp: Response<Body>, request_id: &str) -> Response<Body> {
    let h = resp.headers_mut();
    h.insert(header::SERVER, header::HeaderValue::from_static("envoy"));
    if let Ok(v) = header::HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_body_shapes() {
        assert_eq!(
            query_json(Some("a=1&b=x+y&a=%32")),
            json!({"a": ["1", "2"], "b": ["x y"]})
        );
        assert_eq!(body_json(b""), Value::Null);
        assert_eq!(body_json(br#"{"n": 1}"#), json!({"n": 1}));
        assert_eq!(body_json(b"plain"), json!("plain"));
        assert_eq!(body_json(&[0xff, 0xfe]), json!("<2 bytes of binary data>"));
    }
}

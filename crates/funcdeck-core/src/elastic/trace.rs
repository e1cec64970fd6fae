//! The trace a log line belongs to, for the jump from logs to traces.
//!
//! Knative's request log template writes `traceId` from the B3 header; other programs write
//! `trace_id`, `traceID`, a W3C `traceparent`, Google's `logging.googleapis.com/trace`
//! (`projects/P/traces/ID`), or nest them under `httpRequest`. Only a 64- or 128-bit hex id is
//! taken (lowercased, as Jaeger prints it); an empty header or all zeros is no trace.

use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "traceId", "trace_id", "traceID", "traceid", "trace-id", "trace",
];
const GOOGLE: &[&str] = &[
    "logging.googleapis.com/trace",
    "logging_googleapis_com/trace",
];
/// Objects that carry the request's headers or ids in request logs.
const NESTED: &[&str] = &["httpRequest", "http_request", "request", "headers"];

/// The trace id a JSON object names.
pub fn from_json(object: &Map<String, Value>) -> Option<String> {
    direct(object).or_else(|| {
        NESTED
            .iter()
            .filter_map(|key| object.get(*key)?.as_object())
            .find_map(direct)
    })
}

fn direct(object: &Map<String, Value>) -> Option<String> {
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    KEYS.iter()
        .find_map(|key| text(key).and_then(hex_id))
        .or_else(|| text("traceparent").and_then(traceparent))
        .or_else(|| {
            // B3 headers as logged by some request loggers.
            ["X-B3-Traceid", "x-b3-traceid", "X-B3-TraceId"]
                .iter()
                .find_map(|key| text(key).and_then(hex_id))
        })
        .or_else(|| {
            GOOGLE
                .iter()
                .find_map(|key| text(key).and_then(|t| hex_id(t.rsplit('/').next()?)))
        })
}

/// `00-<32 hex trace id>-<16 hex span id>-<flags>`.
pub fn traceparent(header: &str) -> Option<String> {
    let mut parts = header.trim().split('-');
    let (_version, id) = (parts.next()?, parts.next()?);
    (id.len() == 32).then(|| hex_id(id)).flatten()
}

/// A 16- or 32-digit hex id, lowercased; not all zeros.
pub fn hex_id(text: &str) -> Option<String> {
    let t = text.trim();
    let ok = matches!(t.len(), 16 | 32)
        && t.bytes().all(|b| b.is_ascii_hexdigit())
        && t.bytes().any(|b| b != b'0');
    ok.then(|| t.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(v: Value) -> Option<String> {
        from_json(v.as_object().expect("object"))
    }

    #[test]
    fn the_ids_request_logs_carry_are_found() {
        let id = "4bf92f3577b34da6a3ce929d0e0e4736";
        assert_eq!(of(json!({"traceId": id.to_uppercase()})), Some(id.into()));
        assert_eq!(
            of(json!({"trace_id": "a3ce929d0e0e4736"})),
            Some("a3ce929d0e0e4736".into())
        );
        assert_eq!(
            of(json!({"traceparent": format!("00-{id}-00f067aa0ba902b7-01")})),
            Some(id.into())
        );
        assert_eq!(
            of(json!({"httpRequest": {"requestMethod": "GET", "traceId": id}})),
            Some(id.into())
        );
        assert_eq!(
            of(json!({"logging_googleapis_com/trace": format!("projects/p/traces/{id}")})),
            Some(id.into())
        );
    }

    #[test]
    fn empty_malformed_or_zero_ids_are_no_trace() {
        assert_eq!(of(json!({"traceId": ""})), None);
        assert_eq!(of(json!({"traceId": "xyz"})), None);
        assert_eq!(of(json!({"traceId": "0000000000000000"})), None);
        assert_eq!(of(json!({"traceId": 42})), None);
        assert_eq!(of(json!({"traceparent": "00-abc-def-01"})), None);
        assert_eq!(of(json!({"msg": "hi"})), None);
    }
}

//! Reading an answer from either API into data, "this API is not here", "no such trace", or a
//! [`Failure`].
//!
//! Both APIs send JSON errors, but differently: the classic API writes its envelope
//! `{data, errors: [{code, msg}]}` with `http.Error`, so the Content-Type is **text/plain**
//! (the body is read as JSON whatever the header says); v3 sends `{"error": {httpCode,
//! message}}`. An API that is not served at all answers 404 (or 405/501) without either shape,
//! or 200 with the UI's HTML page: that is what makes the client fall back.

use serde_json::Value;

use super::classic::{Envelope, EnvelopeError};
use crate::backend::error::{Failure, inert, snippet};
use crate::backend::transport::RawResponse;

#[derive(Debug, PartialEq)]
pub enum Outcome<T> {
    Ok(T),
    /// The route is not served: try the other API. Carries what to report if neither is.
    Absent(Failure),
    /// The backend's own "not found" (a trace id it does not hold; v3 also says it for an
    /// empty search), with its message.
    NotFound(String),
    Failed(Failure),
}

/// A v3 answer's JSON.
pub fn read_v3(resp: &RawResponse) -> Outcome<Value> {
    if let Some(f) = refused(resp) {
        return Outcome::Failed(f);
    }
    let Ok(value) = serde_json::from_slice::<Value>(&resp.body) else {
        return absent_or(resp);
    };
    if let Some(err) = value.get("error").filter(|e| e.is_object()) {
        let code = err
            .get("httpCode")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(resp.status);
        let message = err.get("message").and_then(Value::as_str).unwrap_or("");
        return by_code(code, message);
    }
    if !(200..300).contains(&resp.status) {
        // JSON, but not v3's error: e.g. a gateway's own error document.
        return absent_or(resp);
    }
    Outcome::Ok(value)
}

/// A classic answer's `data` and the messages of any `errors` that came with it (a search can
/// succeed for some traces and report others).
pub fn read_classic(resp: &RawResponse) -> Outcome<(Value, Vec<String>)> {
    if let Some(f) = refused(resp) {
        return Outcome::Failed(f);
    }
    let envelope = match serde_json::from_slice::<Envelope>(&resp.body) {
        Ok(e) if looks_like_envelope(&resp.body) => e,
        _ => return absent_or(resp),
    };
    let errors = envelope.errors.unwrap_or_default();
    let ok = (200..300).contains(&resp.status);
    if !ok || (envelope.data.is_null() && !errors.is_empty()) {
        let first = errors.first().cloned().unwrap_or(EnvelopeError {
            code: None,
            msg: String::new(),
            trace_id: None,
        });
        let code = first
            .code
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(resp.status);
        return by_code(code, &first.msg);
    }
    let messages = errors
        .iter()
        .map(|e| match &e.trace_id {
            Some(id) => format!("trace {}: {}", inert(id), inert(&e.msg)),
            None => inert(&e.msg),
        })
        .collect();
    Outcome::Ok((envelope.data, messages))
}

/// `Envelope`'s fields all default, so any JSON object would do: require one of its keys.
fn looks_like_envelope(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, Value>>(body)
        .is_ok_and(|m| m.contains_key("data") || m.contains_key("errors"))
}

/// Credentials refused, whatever the body (a proxy in front of Jaeger answers its own way).
fn refused(resp: &RawResponse) -> Option<Failure> {
    matches!(resp.status, 401 | 403).then(|| Failure::Unauthorized {
        code: resp.status,
        message: snippet(&resp.body),
    })
}

/// An answer in neither API's shape: the route is missing, or a failure in someone's words.
fn absent_or<T>(resp: &RawResponse) -> Outcome<T> {
    match resp.status {
        404 | 405 | 501 => Outcome::Absent(Failure::Http {
            code: resp.status,
            message: snippet(&resp.body),
        }),
        200..=299 => Outcome::Absent(Failure::NotTheBackend {
            code: resp.status,
            content_type: inert(&resp.content_type),
            snippet: snippet(&resp.body),
        }),
        code @ (502..=504) => Outcome::Failed(Failure::Unavailable {
            code,
            kind: "unavailable".to_owned(),
            message: snippet(&resp.body),
        }),
        code => Outcome::Failed(Failure::Http {
            code,
            message: snippet(&resp.body),
        }),
    }
}

/// Jaeger's own error, by its code.
fn by_code<T>(code: u16, message: &str) -> Outcome<T> {
    let message = inert(message);
    match code {
        404 => Outcome::NotFound(message),
        400 => Outcome::Failed(Failure::BadQuery { message }),
        401 | 403 => Outcome::Failed(Failure::Unauthorized { code, message }),
        500..=599 => Outcome::Failed(Failure::Unavailable {
            code,
            kind: "error".to_owned(),
            message,
        }),
        _ => Outcome::Failed(Failure::Http { code, message }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, content_type: &str, body: &str) -> RawResponse {
        RawResponse {
            status,
            content_type: content_type.into(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn classic_errors_come_as_text_plain_json() {
        let body = r#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"#;
        assert_eq!(
            read_classic(&resp(404, "text/plain; charset=utf-8", body)),
            Outcome::NotFound("trace not found".into())
        );
        let body = r#"{"data":null,"errors":[{"code":400,"msg":"parsing \"x\": invalid syntax"}]}"#;
        assert_eq!(
            read_classic(&resp(400, "text/plain", body)),
            Outcome::Failed(Failure::BadQuery {
                message: "parsing \"x\": invalid syntax".into()
            })
        );
        let body = r#"{"data":null,"errors":[{"code":500,"msg":"storage \u001b[2Jdown"}]}"#;
        let Outcome::Failed(Failure::Unavailable { code, message, .. }) =
            read_classic(&resp(500, "text/plain", body))
        else {
            panic!("unavailable");
        };
        assert_eq!(code, 500);
        assert!(!message.contains('\u{1b}'), "{message}");
    }

    #[test]
    fn a_partial_classic_search_keeps_data_and_reports_the_rest() {
        let body = r#"{"data":[],"errors":[{"code":404,"msg":"trace not found","traceID":"ab"}]}"#;
        assert_eq!(
            read_classic(&resp(200, "application/json", body)),
            Outcome::Ok((
                Value::Array(vec![]),
                vec!["trace ab: trace not found".into()]
            ))
        );
    }

    #[test]
    fn v3_errors_and_missing_routes_are_told_apart() {
        let body = r#"{"error":{"httpCode":404,"message":"No traces found"}}"#;
        assert_eq!(
            read_v3(&resp(404, "application/json", body)),
            Outcome::NotFound("No traces found".into())
        );
        let body =
            r#"{"error":{"httpCode":400,"message":"malformed parameter query.start_time_min"}}"#;
        assert!(matches!(
            read_v3(&resp(400, "application/json", body)),
            Outcome::Failed(Failure::BadQuery { .. })
        ));
        assert!(matches!(
            read_v3(&resp(404, "text/plain", "404 page not found\n")),
            Outcome::Absent(Failure::Http { code: 404, .. })
        ));
        // The UI's index.html for any unknown path.
        assert!(matches!(
            read_v3(&resp(
                200,
                "text/html",
                "<!doctype html><title>Jaeger UI</title>"
            )),
            Outcome::Absent(Failure::NotTheBackend { .. })
        ));
        assert!(matches!(
            read_classic(&resp(404, "text/plain", "404 page not found\n")),
            Outcome::Absent(_)
        ));
        assert!(matches!(
            read_v3(&resp(401, "text/plain", "Unauthorized")),
            Outcome::Failed(Failure::Unauthorized { code: 401, .. })
        ));
        assert!(matches!(
            read_v3(&resp(503, "text/html", "<h1>no healthy upstream</h1>")),
            Outcome::Failed(Failure::Unavailable { code: 503, .. })
        ));
    }
}

//! Error mapping on answers typed here; the recorded payloads are in tests/prometheus_contract.rs.

use super::*;
use crate::prometheus::wire::QueryData;

fn resp(status: u16, content_type: &str, body: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: content_type.into(),
        body: body.as_bytes().to_vec(),
    }
}

fn fail(status: u16, content_type: &str, body: &str) -> Failure {
    read::<QueryData>(&resp(status, content_type, body)).expect_err("a failure")
}

#[test]
fn error_types_map_to_what_a_pane_can_act_on() {
    let env = |t: &str| format!(r#"{{"status":"error","errorType":"{t}","error":"msg"}}"#);
    assert_eq!(
        fail(400, "application/json", &env("bad_data")),
        Failure::BadQuery {
            message: "msg".into()
        }
    );
    assert_eq!(
        fail(422, "application/json", &env("execution")),
        Failure::Execution {
            message: "msg".into()
        }
    );
    for t in ["timeout", "canceled", "unavailable", "internal"] {
        let code = if t == "internal" { 500 } else { 503 };
        assert_eq!(
            fail(code, "application/json", &env(t)),
            Failure::Unavailable {
                code,
                kind: t.into(),
                message: "msg".into()
            },
            "{t}"
        );
    }
    assert_eq!(
        fail(500, "application/json", &env("not_found")),
        Failure::Http {
            code: 500,
            message: "not_found: msg".into()
        }
    );
}

#[test]
fn credentials_refused_carry_the_body_whatever_its_shape() {
    assert_eq!(
        fail(401, "text/plain", "Unauthorized\n"),
        Failure::Unauthorized {
            code: 401,
            message: "Unauthorized".into()
        }
    );
    assert_eq!(
        fail(403, "text/html", "<h1>Forbidden</h1>"),
        Failure::Unauthorized {
            code: 403,
            message: "<h1>Forbidden</h1>".into()
        }
    );
}

#[test]
fn an_html_page_on_200_is_not_prometheus() {
    let html = "<!DOCTYPE html>\n<html><head><title>Grafana</title></head></html>";
    let got = fail(200, "text/html; charset=utf-8", html);
    assert_eq!(
        got,
        Failure::NotTheBackend {
            code: 200,
            content_type: "text/html; charset=utf-8".into(),
            snippet: "<!DOCTYPE html> <html><head><title>Grafana</title></head></html>".into()
        }
    );
    assert!(
        got.to_string()
            .starts_with("the answer (200, text/html; charset=utf-8) is not its API: <!DOCTYPE")
    );
    // Other JSON is not the envelope either.
    assert!(matches!(
        fail(200, "application/json", r#"{"hello":"world"}"#),
        Failure::NotTheBackend { .. }
    ));
}

#[test]
fn plain_text_failures_keep_their_status() {
    assert_eq!(
        fail(503, "text/plain", "Service Unavailable"),
        Failure::Unavailable {
            code: 503,
            kind: "unavailable".into(),
            message: "Service Unavailable".into()
        }
    );
    assert_eq!(
        fail(404, "text/plain", "404 page not found\n"),
        Failure::Http {
            code: 404,
            message: "404 page not found".into()
        }
    );
}

#[test]
fn hostile_text_is_made_inert_and_long_text_cut() {
    let body =
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\\u001b]0;pwned\\u0007y\"}";
    let Failure::BadQuery { message } = fail(400, "application/json", body) else {
        panic!("bad query expected");
    };
    assert!(!message.contains('\u{1b}'), "{message:?}");
    let long = "a".repeat(1000);
    let Failure::Http { message, .. } = fail(502, "text/plain", &long) else {
        panic!("http expected");
    };
    assert_eq!(message.chars().count(), 201);
    assert!(message.ends_with('…'));
}

#[test]
fn a_success_whose_data_does_not_fit_is_a_decode_failure() {
    let got = fail(
        200,
        "application/json",
        r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}}"#,
    );
    assert!(
        matches!(&got, Failure::Decode { message } if message.contains("\"one\" is not a number")),
        "{got:?}"
    );
    assert!(matches!(
        fail(200, "application/json", r#"{"status":"success"}"#),
        Failure::Decode { .. }
    ));
    assert!(matches!(
        fail(200, "application/json", r#"{"status":"maybe","data":1}"#),
        Failure::Decode { .. }
    ));
}

#[test]
fn probes_read_the_text_or_say_not_ready() {
    assert_eq!(
        read_probe(&resp(200, "text/plain", "Prometheus Server is Ready.\n")),
        Ok("Prometheus Server is Ready.".into())
    );
    assert_eq!(
        read_probe(&resp(503, "text/plain", "Service Unavailable")),
        Err(Failure::Unavailable {
            code: 503,
            kind: "not ready".into(),
            message: "Service Unavailable".into()
        })
    );
    assert!(matches!(
        read_probe(&resp(401, "", "")),
        Err(Failure::Unauthorized { code: 401, .. })
    ));
    assert!(matches!(
        read_probe(&resp(404, "", "nope")),
        Err(Failure::Http { code: 404, .. })
    ));
}

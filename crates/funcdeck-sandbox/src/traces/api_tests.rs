//! Every endpoint's shape and errors, checked as the fixtures in `shared/fixtures/jaeger/` have
//! them (parsed as plain JSON values).
#![allow(clippy::unwrap_used)]

use hyper::Method;
use serde_json::{Value, json};

use super::super::serve::answer;
use super::super::spans::Val;
use super::super::{Era, hex_id};
use super::{POD, START, get, three};

#[test]
fn classic_services_and_operations() {
    let (t, _) = three(Era::V119);
    let r = get(&t, "/api/services");
    assert_eq!((r.code, r.content_type), (200, "application/json"));
    assert_eq!(
        r.value(),
        json!({"data": ["activator", "cart"], "total": 2, "limit": 0, "offset": 0, "errors": null})
    );
    let r = get(&t, "/api/services/cart/operations");
    assert_eq!(
        r.value()["data"],
        json!(["HTTP GET", "kn.queueproxy.proxy", "queue"])
    );
    let r = get(&t, "/api/operations?service=activator&spanKind=server");
    assert_eq!(
        r.value()["data"],
        json!([{"name": "handle", "spanKind": "server"}])
    );
    let r = get(&t, "/api/operations");
    assert_eq!((r.code, r.content_type), (400, "text/plain; charset=utf-8"));
    assert_eq!(
        r.value(),
        json!({"data": null, "total": 0, "limit": 0, "offset": 0,
            "errors": [{"code": 400, "msg": "parameter 'service' is required"}]})
    );
}

/// The keys of `ui_01.trace.json` / `testTraceNormal.trace.json`.
fn assert_classic_trace(tr: &Value) {
    let id = tr["traceID"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    for s in tr["spans"].as_array().unwrap() {
        assert_eq!(s["traceID"], id);
        assert_eq!(s["spanID"].as_str().unwrap().len(), 16);
        for k in [
            "operationName",
            "references",
            "startTime",
            "duration",
            "tags",
            "logs",
            "processID",
        ] {
            assert!(s.get(k).is_some(), "{k} in {s}");
        }
        assert!(s["startTime"].is_i64() && s["duration"].is_i64());
        assert!(tr["processes"][s["processID"].as_str().unwrap()]["serviceName"].is_string());
        for tag in s["tags"].as_array().unwrap() {
            assert!(["string", "bool", "int64"].contains(&tag["type"].as_str().unwrap()));
        }
    }
    let refs = &tr["spans"][1]["references"][0];
    assert_eq!(refs["refType"], "CHILD_OF");
    assert_eq!(refs["spanID"], tr["spans"][0]["spanID"]);
}

#[test]
fn classic_search_and_trace() {
    let (t, [cold, err, _]) = three(Era::V119);
    let start = format!("start={}", START - 1);
    let r = get(&t, &format!("/api/traces?service=activator&{start}"));
    let v = r.value();
    assert_eq!(
        (r.code, v["total"].clone(), v["errors"].clone()),
        (200, json!(0), Value::Null)
    );
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    data.iter().for_each(assert_classic_trace);
    // Newest first; min duration matches the cold one's activator span only.
    let r = get(
        &t,
        &format!("/api/traces?service=activator&{start}&minDuration=1.2s"),
    );
    let found = r.value();
    let ids: Vec<&Value> = found["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["traceID"])
        .collect();
    assert_eq!(ids, [&json!(hex_id(cold))]);
    let r = get(
        &t,
        &format!("/api/traces?service=cart&{start}&tag=error:true&limit=5"),
    );
    let found = r.value();
    assert_eq!(found["data"][0]["traceID"], hex_id(err), "{found}");
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    let tags = r#"{"http.response.status_code":"500"}"#;
    let r = get(&t, &format!("/api/traces?service=cart&{start}&tags={tags}"));
    assert_eq!(r.value()["data"].as_array().unwrap().len(), 1);
    let r = get(
        &t,
        &format!("/api/traces?service=activator&{start}&operation=nope"),
    );
    assert_eq!(r.value()["data"], json!([]));

    let r = get(&t, &format!("/api/traces/{}", hex_id(err)));
    assert_eq!(r.code, 200);
    let tr = &r.value()["data"][0];
    assert_classic_trace(tr);
    let server = &tr["spans"][0]["tags"];
    assert!(
        server
            .as_array()
            .unwrap()
            .contains(&json!({"key": "error", "type": "bool", "value": true}))
    );
    assert!(
        server
            .as_array()
            .unwrap()
            .contains(&json!({"key": "otel.status_code", "type": "string", "value": "ERROR"}))
    );
    assert!(
        server
            .as_array()
            .unwrap()
            .contains(&json!({"key": "span.kind", "type": "string", "value": "server"}))
    );
    let big = super::classic::tag_json("javascript_limit", &Val::Int(9_223_372_036_854_775_222));
    assert_eq!(big["value"], "9223372036854775222");
}

#[test]
fn classic_errors_are_text_plain_envelopes() {
    let (t, _) = three(Era::V118);
    let missing = get(&t, &format!("/api/traces/{}", "ab".repeat(16)));
    assert_eq!(
        (missing.code, missing.content_type),
        (404, "text/plain; charset=utf-8")
    );
    assert_eq!(
        std::str::from_utf8(&missing.body).unwrap(),
        "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}\n"
    );
    let cases = [
        (
            "/api/traces?service=activator-service&minDuration=20",
            "unable to parse param 'minDuration': time: missing unit in duration \"20\"",
        ),
        (
            "/api/traces?service=x&maxDuration=1x",
            "unable to parse param 'maxDuration': time: unknown unit \"x\" in duration \"1x\"",
        ),
        (
            "/api/traces?minDuration=1s",
            "parameter 'service' is required",
        ),
        (
            "/api/traces?service=x&minDuration=2s&maxDuration=1s",
            "'maxDuration' should be greater than 'minDuration'",
        ),
        (
            "/api/traces?service=x&tag=nocolon",
            "malformed 'tag' parameter, expecting key:value, received: nocolon",
        ),
        (
            "/api/traces?service=x&start=soon",
            "unable to parse param 'start': strconv.ParseInt: parsing \"soon\": invalid syntax",
        ),
        (
            "/api/traces/zz",
            "strconv.ParseUint: parsing \"zz\": invalid syntax",
        ),
    ];
    for (path, msg) in cases {
        let r = get(&t, path);
        assert_eq!(
            (r.code, r.content_type),
            (400, "text/plain; charset=utf-8"),
            "{path}"
        );
        assert_eq!(
            r.value()["errors"],
            json!([{"code": 400, "msg": msg}]),
            "{path}"
        );
    }
    assert_eq!(get(&t, "/api/nope").code, 404);
    assert_eq!(answer(&t, &Method::POST, "/api/services", None).code, 405);
}

fn window() -> String {
    "query.start_time_min=2026-11-01T00:00:00Z&query.start_time_max=2030-01-01T00:00:00.123456789Z"
        .into()
}

#[test]
fn v3_services_operations_and_errors() {
    let (t, _) = three(Era::V118);
    assert_eq!(
        get(&t, "/api/v3/services").value(),
        json!({"services": ["activator-service", POD]})
    );
    let ops = get(&t, "/api/v3/operations?service=activator-service").value();
    assert_eq!(
        ops,
        json!({"operations": [
            {"name": "/items", "spanKind": "client"},
            {"name": "/items", "spanKind": "server"},
            {"name": "activator_proxy", "spanKind": "internal"},
            {"name": "throttler_try", "spanKind": "internal"}]})
    );
    let r = get(&t, "/api/v3/traces?query.service_name=activator-service");
    assert_eq!((r.code, r.content_type), (400, "text/plain; charset=utf-8"));
    assert_eq!(
        r.value(),
        json!({"error": {"httpCode": 400, "message": "query.start_time_min and query.start_time_max are required"}})
    );
    let r = get(
        &t,
        &format!("/api/v3/traces?{}&query.duration_min=fast", window()),
    );
    assert_eq!(
        r.value()["error"]["message"],
        "malformed parameter query.duration_min: time: invalid duration \"fast\""
    );
    let r = get(&t, &format!("/api/v3/traces/{}", "0".repeat(31) + "1"));
    assert_eq!(
        (r.code, r.value()),
        (
            404,
            json!({"error": {"httpCode": 404, "message": "No traces found"}})
        )
    );
    let r = get(
        &t,
        &format!("/api/v3/traces?{}&query.service_name=nobody", window()),
    );
    assert_eq!(r.code, 404);
}

#[test]
fn v3_traces_are_otlp_json() {
    let (t, [cold, err, _]) = three(Era::V119);
    let r = get(
        &t,
        &format!(
            "/api/v3/traces?{}&query.serviceName=cart&query.numTraces=2",
            window()
        ),
    );
    assert_eq!(r.code, 200);
    let v = r.value();
    let rs = v["result"]["resourceSpans"].as_array().unwrap();
    // Two traces, two processes each.
    assert_eq!(rs.len(), 4);
    let attrs = &rs[1]["resource"]["attributes"];
    assert_eq!(
        attrs[0],
        json!({"key": "service.name", "value": {"stringValue": "cart"}})
    );
    for res in rs {
        for scope in res["scopeSpans"].as_array().unwrap() {
            assert!(scope["scope"]["name"].is_string());
            for s in scope["spans"].as_array().unwrap() {
                assert_eq!(s["traceId"].as_str().unwrap().len(), 32);
                assert_eq!(s["spanId"].as_str().unwrap().len(), 16);
                assert!(s["kind"].is_i64() && s["status"].is_object());
                let start: u128 = s["startTimeUnixNano"].as_str().unwrap().parse().unwrap();
                let end: u128 = s["endTimeUnixNano"].as_str().unwrap().parse().unwrap();
                assert!(end >= start);
            }
        }
    }
    let one = get(&t, &format!("/api/v3/traces/{}", hex_id(err))).value();
    let rs = &one["result"]["resourceSpans"];
    let queue = rs[1]["scopeSpans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["spans"].as_array().unwrap())
        .find(|s| s["name"] == "queue")
        .unwrap()
        .clone();
    assert_eq!(queue["kind"], 2);
    assert_eq!(queue["status"], json!({"code": 2}));
    assert!(queue["parentSpanId"].is_string());
    assert!(
        queue["attributes"]
            .as_array()
            .unwrap()
            .contains(&json!({"key": "http.response.status_code", "value": {"intValue": "500"}}))
    );
    let root = &rs[0]["scopeSpans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["spans"].as_array().unwrap())
        .find(|s| s["name"] == "handle")
        .unwrap()
        .clone();
    assert!(root.get("parentSpanId").is_none());
    let slow = get(&t, &format!("/api/v3/traces?{}&query.service_name=activator&query.operation_name=throttler_try&query.duration_min=1s", window())).value();
    let ids: Vec<&str> = slow["result"]["resourceSpans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scopeSpans"][0]["spans"][0]["traceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [hex_id(cold), hex_id(cold)]);
}

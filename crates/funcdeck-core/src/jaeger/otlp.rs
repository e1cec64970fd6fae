//! The v3 API's OTLP JSON (`{"result": TracesData}`): spans grouped by resource and scope, hex
//! ids, nanosecond times as strings, `kind` and `status.code` as enum numbers, attributes as
//! `{key, value: {stringValue | intValue | …}}`.
//!
//! proto3 leaves zero values out, so a missing time, kind or status is the zero value, not an
//! error. A span that cannot be read at all is skipped with a warning on its trace.

use serde::Deserialize;
use serde_json::Value;

use super::classic::kind_of;
use super::model::{Event, Span, SpanId, SpanKind, TagValue, Trace, TraceId};
use crate::backend::error::inert;

#[derive(Deserialize, Default)]
pub struct TracesData {
    #[serde(rename = "resourceSpans", default)]
    resource_spans: Option<Vec<ResourceSpans>>,
}

#[derive(Deserialize)]
struct ResourceSpans {
    #[serde(default)]
    resource: Option<Resource>,
    #[serde(rename = "scopeSpans", alias = "instrumentationLibrarySpans", default)]
    scope_spans: Option<Vec<ScopeSpans>>,
}

#[derive(Deserialize, Default)]
struct Resource {
    #[serde(default)]
    attributes: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct ScopeSpans {
    #[serde(default, alias = "instrumentationLibrary")]
    scope: Option<Scope>,
    #[serde(default)]
    spans: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
struct Scope {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct WireSpan {
    #[serde(rename = "traceId")]
    trace_id: String,
    #[serde(rename = "spanId")]
    span_id: String,
    #[serde(rename = "parentSpanId", default)]
    parent: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: Option<Value>,
    #[serde(rename = "startTimeUnixNano", default)]
    start: Option<Value>,
    #[serde(rename = "endTimeUnixNano", default)]
    end: Option<Value>,
    #[serde(default)]
    attributes: Option<Vec<Value>>,
    #[serde(default)]
    events: Option<Vec<WireEvent>>,
    #[serde(default)]
    status: Option<Status>,
}

#[derive(Deserialize)]
struct WireEvent {
    #[serde(rename = "timeUnixNano", default)]
    time: Option<Value>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    attributes: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
struct Status {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    message: String,
}

/// Where `trace_id`'s spans go in `out`. Spans come grouped by trace: the last one is looked
/// at first.
fn place(trace_id: TraceId, out: &mut Vec<Trace>) -> usize {
    if let Some(i) = out.iter().rposition(|t| t.id == trace_id) {
        return i;
    }
    out.push(Trace {
        id: trace_id,
        ..Trace::default()
    });
    out.len() - 1
}

/// The traces in `data`, one per trace id in order of first appearance.
pub fn traces(data: TracesData) -> Vec<Trace> {
    let mut out: Vec<Trace> = Vec::new();
    let mut orphan_warnings = Vec::new();
    for rs in data.resource_spans.unwrap_or_default() {
        let mut service = String::new();
        let mut process_tags = Vec::new();
        for (key, value) in attributes(rs.resource.unwrap_or_default().attributes) {
            if key == "service.name" {
                service = value.to_string();
            } else {
                process_tags.push((key, value));
            }
        }
        if service.is_empty() {
            service = "unknown_service".to_owned();
        }
        for ss in rs.scope_spans.unwrap_or_default() {
            let scope = ss.scope.unwrap_or_default();
            for (i, value) in ss.spans.unwrap_or_default().into_iter().enumerate() {
                match serde_json::from_value::<WireSpan>(value) {
                    Ok(w) => {
                        let span = span(w, &service, &process_tags, &scope);
                        let at = place(span.trace_id.clone(), &mut out);
                        out[at].spans.push(span);
                    }
                    // Without a readable trace id it belongs to no trace in particular.
                    Err(e) => orphan_warnings.push(format!(
                        "span #{i} of {} skipped: {}",
                        inert(&service),
                        inert(&e.to_string())
                    )),
                }
            }
        }
    }
    if !orphan_warnings.is_empty() {
        match out.first_mut() {
            Some(first) => first.warnings.extend(orphan_warnings),
            None => out.push(Trace {
                warnings: orphan_warnings,
                ..Trace::default()
            }),
        }
    }
    out
}

fn span(w: WireSpan, service: &str, process_tags: &[(String, TagValue)], scope: &Scope) -> Span {
    let start_ns = w.start.as_ref().and_then(int).unwrap_or(0);
    let end_ns = w.end.as_ref().and_then(int).unwrap_or(start_ns);
    let kind = match &w.kind {
        Some(Value::String(s)) => SpanKind::from_word(s),
        Some(v) => int(v).map(SpanKind::from_otlp).unwrap_or_default(),
        None => SpanKind::Unspecified,
    };
    let status = w.status.unwrap_or_default();
    let code = match &status.code {
        Some(Value::String(s)) => match s.as_str() {
            "STATUS_CODE_OK" => 1,
            "STATUS_CODE_ERROR" => 2,
            _ => 0,
        },
        Some(v) => int(v).unwrap_or(0),
        None => 0,
    };
    let mut tags = attributes(w.attributes);
    // The same extra tags Jaeger's own OTLP translation shows, so both APIs read alike.
    if !scope.name.is_empty() {
        tags.push(("otel.scope.name".into(), TagValue::Str(scope.name.clone())));
    }
    if !scope.version.is_empty() {
        tags.push((
            "otel.scope.version".into(),
            TagValue::Str(scope.version.clone()),
        ));
    }
    match code {
        1 => tags.push(("otel.status_code".into(), TagValue::Str("OK".into()))),
        2 => tags.push(("otel.status_code".into(), TagValue::Str("ERROR".into()))),
        _ => {}
    }
    if !status.message.is_empty() {
        tags.push((
            "otel.status_description".into(),
            TagValue::Str(status.message),
        ));
    }
    let error = code == 2
        || tags
            .iter()
            .any(|(k, v)| k == "error" && matches!(v, TagValue::Bool(true)));
    let events = w
        .events
        .unwrap_or_default()
        .into_iter()
        .map(|e| Event {
            time_us: e.time.as_ref().and_then(int).unwrap_or(0) / 1000,
            name: e.name,
            fields: attributes(e.attributes),
        })
        .collect();
    Span {
        id: SpanId::new(&w.span_id),
        parent: w.parent.filter(|p| !p.is_empty()).map(|p| SpanId::new(&p)),
        trace_id: TraceId::new(&w.trace_id),
        service: service.to_owned(),
        operation: w.name,
        start_us: start_ns / 1000,
        duration_us: (end_ns.saturating_sub(start_ns) / 1000).max(0),
        kind,
        error,
        tags,
        events,
        process_tags: process_tags.to_vec(),
        warnings: Vec::new(),
    }
}

/// OTLP's `[{key, value: AnyValue}]`; an entry without a key is left out.
fn attributes(list: Option<Vec<Value>>) -> Vec<(String, TagValue)> {
    list.unwrap_or_default()
        .iter()
        .filter_map(|kv| {
            let key = kv.get("key")?.as_str()?.to_owned();
            Some((key, any_value(kv.get("value").unwrap_or(&Value::Null))))
        })
        .collect()
}

/// An OTLP `AnyValue`; int64 arrives as a string (proto3 JSON) or a number.
fn any_value(v: &Value) -> TagValue {
    let Some(obj) = v.as_object() else {
        return TagValue::Str(String::new());
    };
    if let Some(s) = obj.get("stringValue") {
        return TagValue::Str(s.as_str().map_or_else(|| s.to_string(), str::to_owned));
    }
    if let Some(b) = obj.get("boolValue") {
        return TagValue::Bool(b.as_bool().unwrap_or(b.as_str() == Some("true")));
    }
    if let Some(i) = obj.get("intValue") {
        return int(i).map_or_else(|| TagValue::Str(i.to_string()), TagValue::Int);
    }
    if let Some(d) = obj.get("doubleValue") {
        let f = d
            .as_f64()
            .or_else(|| d.as_str().and_then(|s| s.parse().ok()));
        return f.map_or_else(|| TagValue::Str(d.to_string()), TagValue::Float);
    }
    if let Some(b) = obj.get("bytesValue") {
        return TagValue::Binary(b.as_str().unwrap_or_default().to_owned());
    }
    if let Some(a) = obj.get("arrayValue") {
        let values = a.get("values").and_then(Value::as_array);
        return TagValue::Array(
            values
                .map(|vs| vs.iter().map(any_value).collect())
                .unwrap_or_default(),
        );
    }
    if let Some(kv) = obj.get("kvlistValue") {
        let values = kv.get("values").and_then(Value::as_array).cloned();
        return TagValue::Map(attributes(values));
    }
    TagValue::Str(String::new())
}

/// An integer sent as a number or as a decimal string.
fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX))),
        Value::String(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| s.parse::<u64>().ok().map(|_| i64::MAX)),
        _ => None,
    }
}

/// `{"result": TracesData}` read from `value`.
pub fn result(value: Value) -> Result<Vec<Trace>, String> {
    let Value::Object(mut obj) = value else {
        return Err(format!("expected an object, got {}", kind_of(&value)));
    };
    let Some(result) = obj.remove("result") else {
        return Err("no `result` in the answer".to_owned());
    };
    if result.is_null() {
        return Ok(Vec::new());
    }
    let data: TracesData = serde_json::from_value(result)
        .map_err(|e| format!("not OTLP traces: {}", inert(&e.to_string())))?;
    Ok(traces(data))
}

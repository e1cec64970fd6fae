//! Jaeger's API v3 over HTTP (`/api/v3/...`, the gRPC gateway): OTLP JSON as protojson writes
//! it (hex ids, 64-bit integers as strings, enums as numbers, zero values left out), and errors
//! as `{"error":{"httpCode":…,"message":…}}` under `text/plain`. Parameters are accepted in
//! v1.x's snake_case and v2's camelCase.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::params::{go_duration, rfc3339_us};
use super::serve::Reply;
use super::spans::{Trace, Val};
use super::store::{Query, Ring};
use super::{hex_id, parse_id};
use crate::metrics::Era;
use crate::request::Query as Params;

const DEFAULT_DEPTH: usize = 100;

pub fn error(code: u16, message: &str) -> Reply {
    let doc = json!({"error": {"httpCode": code, "message": message}});
    Reply::go_error(code, &doc.to_string())
}

fn not_found() -> Reply {
    error(404, "No traces found")
}

pub fn services(ring: &Ring) -> Reply {
    Reply::json(200, &json!({"services": ring.services()}))
}

pub fn operations(ring: &Ring, p: &Params) -> Reply {
    let service = p.get("service").unwrap_or("");
    let kind = p.get("span_kind").or(p.get("spanKind")).unwrap_or("");
    let ops: Vec<Value> = ring
        .operations(service, kind)
        .into_iter()
        .map(|(name, kind)| {
            // The gateway reports an unspecified kind as internal.
            let kind = if kind.is_empty() { "internal" } else { kind };
            json!({"name": name, "spanKind": kind})
        })
        .collect();
    Reply::json(200, &json!({"operations": ops}))
}

/// The first of the parameter's spellings that is present, with the name it was given under.
fn param<'a>(p: &'a Params, names: &[&'static str]) -> (Option<&'a str>, &'static str) {
    names
        .iter()
        .find_map(|n| p.get(n).filter(|v| !v.is_empty()).map(|v| (Some(v), *n)))
        .unwrap_or((None, names[0]))
}

fn malformed(name: &str, e: impl std::fmt::Display) -> String {
    format!("malformed parameter {name}: {e}")
}

fn parse_find(p: &Params) -> Result<Query, String> {
    let (min, min_name) = param(p, &["query.start_time_min", "query.startTimeMin"]);
    let (max, max_name) = param(p, &["query.start_time_max", "query.startTimeMax"]);
    let (Some(min), Some(max)) = (min, max) else {
        return Err("query.start_time_min and query.start_time_max are required".into());
    };
    let start_min = rfc3339_us(min).map_err(|e| malformed(min_name, e))?;
    let start_max = rfc3339_us(max).map_err(|e| malformed(max_name, e))?;
    let depth_names = [
        "query.search_depth",
        "query.searchDepth",
        "query.num_traces",
        "query.numTraces",
    ];
    let limit = match param(p, &depth_names) {
        (Some(n), name) => n
            .parse::<usize>()
            .map_err(|_| malformed(name, format!("strconv.Atoi: parsing {n:?}: invalid syntax")))?,
        (None, _) => DEFAULT_DEPTH,
    };
    let duration = |names: &[&'static str]| match param(p, names) {
        (Some(d), name) => go_duration(d)
            .map(|ns| Some(ns / 1000))
            .map_err(|e| malformed(name, e)),
        (None, _) => Ok(None),
    };
    let dur_min = duration(&["query.duration_min", "query.durationMin"])?;
    let dur_max = duration(&["query.duration_max", "query.durationMax"])?;
    let mut tags = Vec::new();
    if let (Some(a), name) = param(p, &["query.attributes"]) {
        let map: Map<String, Value> = serde_json::from_str(a).map_err(|e| malformed(name, e))?;
        for (k, v) in map {
            let v = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            tags.push((k, v));
        }
    }
    let text = |names: &[&'static str]| param(p, names).0.map(str::to_string);
    Ok(Query {
        service: text(&["query.service_name", "query.serviceName"]),
        operation: text(&["query.operation_name", "query.operationName"]),
        tags,
        start_min,
        start_max,
        dur_min,
        dur_max,
        limit: if limit == 0 { DEFAULT_DEPTH } else { limit },
    })
}

pub fn find(ring: &Ring, era: Era, p: &Params) -> Reply {
    let q = match parse_find(p) {
        Ok(q) => q,
        Err(e) => return error(400, &e),
    };
    let found = ring.search(era, &q);
    if found.is_empty() {
        return not_found();
    }
    Reply::json(200, &render(&found))
}

pub fn trace(ring: &Ring, era: Era, id: &str) -> Reply {
    let id = match parse_id(id) {
        Ok(id) => id,
        Err(e) => return error(400, &malformed("trace_id", e)),
    };
    match ring.get(era, id) {
        Some(t) => Reply::json(200, &render(&[t])),
        None => not_found(),
    }
}

fn any_value(v: &Val) -> Value {
    match v {
        Val::Str(s) => json!({"stringValue": s}),
        Val::Int(i) => json!({"intValue": i.to_string()}),
        Val::Bool(b) => json!({"boolValue": b}),
    }
}

fn attributes<'a>(tags: impl IntoIterator<Item = &'a (&'static str, Val)>) -> Vec<Value> {
    tags.into_iter()
        .map(|(k, v)| json!({"key": k, "value": any_value(v)}))
        .collect()
}

/// `{"result": TracesData}`: per trace, one `resourceSpans` per process, one `scopeSpans` per
/// instrumentation scope.
pub fn render(traces: &[Trace]) -> Value {
    let mut resource_spans = Vec::new();
    for t in traces {
        let trace_id = hex_id(t.id);
        for (pi, process) in t.processes.iter().enumerate() {
            let mut scopes: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
            for s in t.spans.iter().filter(|s| s.process == pi) {
                let mut span = Map::new();
                span.insert("traceId".into(), json!(trace_id));
                span.insert("spanId".into(), json!(format!("{:016x}", s.id)));
                if let Some(p) = s.parent {
                    span.insert("parentSpanId".into(), json!(format!("{p:016x}")));
                }
                span.insert("name".into(), json!(s.name));
                if let Some(k) = s.kind {
                    span.insert("kind".into(), json!(k.otlp()));
                }
                let start_ns = i128::from(s.start_us) * 1000;
                let end_ns = i128::from(s.start_us + s.dur_us) * 1000;
                span.insert("startTimeUnixNano".into(), json!(start_ns.to_string()));
                span.insert("endTimeUnixNano".into(), json!(end_ns.to_string()));
                if !s.tags.is_empty() {
                    span.insert("attributes".into(), json!(attributes(&s.tags)));
                }
                let status = if s.error {
                    json!({"code": 2})
                } else {
                    json!({})
                };
                span.insert("status".into(), status);
                scopes
                    .entry(s.scope.unwrap_or(""))
                    .or_default()
                    .push(Value::Object(span));
            }
            let scope_spans: Vec<Value> = scopes
                .into_iter()
                .map(|(name, spans)| {
                    let scope = if name.is_empty() {
                        json!({})
                    } else {
                        json!({"name": name})
                    };
                    json!({"scope": scope, "spans": spans})
                })
                .collect();
            let service = ("service.name", Val::Str(process.service.clone()));
            let attrs = attributes(std::iter::once(&service).chain(process.tags.iter()));
            resource_spans.push(json!({
                "resource": {"attributes": attrs},
                "scopeSpans": scope_spans,
            }));
        }
    }
    json!({"result": {"resourceSpans": resource_spans}})
}

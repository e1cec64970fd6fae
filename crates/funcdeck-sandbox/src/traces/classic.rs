//! Jaeger's classic query API (`/api/services`, `/api/operations`, `/api/traces`): the
//! `structuredResponse` envelope `{data, total, limit, offset, errors}`, the UI's trace model
//! (µs times, a `processes` map, typed tags), and errors as `http.Error` sends them — a JSON
//! envelope under `text/plain`.

use serde_json::{Value, json};

use super::params::go_duration;
use super::serve::Reply;
use super::spans::{Trace, Val};
use super::store::{Query, Ring, shown_tags};
use super::{hex_id, now_us, parse_id};
use crate::metrics::Era;
use crate::request::Query as Params;

const DEFAULT_LIMIT: usize = 100;
/// How far back a search looks without `start` (Jaeger's default lookback, 2 days).
const LOOKBACK_US: i64 = 48 * 3600 * 1_000_000;
/// Beyond this an int64 loses precision in JavaScript: Jaeger sends it as a string.
const JS_SAFE: i64 = 1 << 53;

fn envelope(data: Value, total: usize) -> Reply {
    Reply::json(
        200,
        &json!({"data": data, "total": total, "limit": 0, "offset": 0, "errors": null}),
    )
}

/// Written by hand to keep Go's field order (`structuredResponse`), byte for byte.
pub fn error(code: u16, msg: &str) -> Reply {
    let msg = serde_json::to_string(msg).unwrap_or_default();
    Reply::go_error(
        code,
        &format!(
            r#"{{"data":null,"total":0,"limit":0,"offset":0,"errors":[{{"code":{code},"msg":{msg}}}]}}"#
        ),
    )
}

pub fn services(ring: &Ring) -> Reply {
    let s = ring.services();
    let n = s.len();
    envelope(json!(s), n)
}

/// `/api/services/{svc}/operations`: the names, every kind.
pub fn operations_legacy(ring: &Ring, service: &str) -> Reply {
    let mut names: Vec<String> = ring
        .operations(service, "")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    names.dedup();
    let n = names.len();
    envelope(json!(names), n)
}

pub fn operations(ring: &Ring, p: &Params) -> Reply {
    let Some(service) = p.get("service").filter(|s| !s.is_empty()) else {
        return error(400, "parameter 'service' is required");
    };
    let ops: Vec<Value> = ring
        .operations(service, p.get("spanKind").unwrap_or(""))
        .into_iter()
        .map(|(name, kind)| json!({"name": name, "spanKind": kind}))
        .collect();
    let n = ops.len();
    envelope(json!(ops), n)
}

fn int_param(p: &Params, name: &str) -> Result<Option<i64>, String> {
    match p.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            format!(
                "unable to parse param '{name}': strconv.ParseInt: parsing {v:?}: invalid syntax"
            )
        }),
    }
}

fn duration_param(p: &Params, name: &str) -> Result<Option<i64>, String> {
    match p.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => go_duration(v)
            .map(|ns| Some(ns / 1000))
            .map_err(|e| format!("unable to parse param '{name}': {e}")),
    }
}

/// `tag=k:v` (repeatable) and `tags={"k":"v"}`, as Jaeger's `parseTags`.
fn tags(p: &Params) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for t in p.all("tag") {
        match t.split_once(':') {
            Some((k, v)) => out.push((k.to_string(), v.to_string())),
            None => {
                return Err(format!(
                    "malformed 'tag' parameter, expecting key:value, received: {t}"
                ));
            }
        }
    }
    for j in p.all("tags") {
        let map: serde_json::Map<String, Value> = serde_json::from_str(j)
            .map_err(|e| format!("malformed 'tags' parameter, cannot unmarshal JSON: {e}"))?;
        for (k, v) in map {
            match v {
                Value::String(s) => out.push((k, s)),
                other => {
                    return Err(format!(
                        "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal {} into Go value of type string",
                        if other.is_number() { "number" } else { "value" }
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Parses a search the way Jaeger's `parseTraceQueryParams` does (and in its order), so the
/// first bad parameter is the one reported.
fn parse_search(p: &Params, now: i64) -> Result<(Query, Vec<u128>), String> {
    let start = int_param(p, "start")?.unwrap_or(now - LOOKBACK_US);
    let end = int_param(p, "end")?.unwrap_or(now);
    let tags = tags(p)?;
    let limit = int_param(p, "limit")?.unwrap_or(DEFAULT_LIMIT as i64);
    let dur_min = duration_param(p, "minDuration")?;
    let dur_max = duration_param(p, "maxDuration")?;
    let ids = p
        .all("traceID")
        .into_iter()
        .map(|s| parse_id(s).map_err(|e| format!("cannot parse traceID param: {e}")))
        .collect::<Result<Vec<u128>, String>>()?;
    let service = p.get("service").filter(|s| !s.is_empty());
    if ids.is_empty() && service.is_none() {
        return Err("parameter 'service' is required".into());
    }
    if limit <= 0 {
        return Err("invalid parameter: limit must be greater than 0".into());
    }
    if start > end {
        return Err("invalid parameter: start time must be before end time".into());
    }
    if let (Some(lo), Some(hi)) = (dur_min, dur_max)
        && lo != 0
        && hi != 0
        && hi < lo
    {
        return Err("'maxDuration' should be greater than 'minDuration'".into());
    }
    let q = Query {
        service: service.map(str::to_string),
        operation: p
            .get("operation")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        tags,
        start_min: start,
        start_max: end,
        dur_min: dur_min.filter(|d| *d != 0),
        dur_max: dur_max.filter(|d| *d != 0),
        limit: limit as usize,
    };
    Ok((q, ids))
}

pub fn search(ring: &Ring, era: Era, p: &Params) -> Reply {
    let (q, ids) = match parse_search(p, now_us()) {
        Ok(x) => x,
        Err(e) => return error(400, &e),
    };
    if !ids.is_empty() {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for id in ids {
            match ring.get(era, id) {
                Some(t) => found.push(render(&t)),
                None => errors.push(json!({"msg": "trace not found", "traceID": hex_id(id)})),
            }
        }
        let errors = if errors.is_empty() {
            Value::Null
        } else {
            json!(errors)
        };
        return Reply::json(
            200,
            &json!({"data": found, "total": 0, "limit": 0, "offset": 0, "errors": errors}),
        );
    }
    let found: Vec<Value> = ring.search(era, &q).iter().map(render).collect();
    // Jaeger's search leaves `total` at 0.
    envelope(json!(found), 0)
}

pub fn trace(ring: &Ring, era: Era, id: &str) -> Reply {
    let id = match parse_id(id) {
        Ok(id) => id,
        Err(e) => return error(400, &e),
    };
    match ring.get(era, id) {
        Some(t) => envelope(json!([render(&t)]), 0),
        None => error(404, "trace not found"),
    }
}

fn tag(key: &str, v: &Val) -> Value {
    let (ty, value) = match v {
        Val::Str(s) => ("string", json!(s)),
        Val::Bool(b) => ("bool", json!(b)),
        Val::Int(i) if i.abs() > JS_SAFE => ("int64", json!(i.to_string())),
        Val::Int(i) => ("int64", json!(i)),
    };
    json!({"key": key, "type": ty, "value": value})
}

/// One trace in the UI model (`internal/uimodel`), as `ui_01.trace.json` has it.
pub fn render(t: &Trace) -> Value {
    let trace_id = hex_id(t.id);
    let spans: Vec<Value> = t
        .spans
        .iter()
        .map(|s| {
            let refs: Vec<Value> = s
                .parent
                .iter()
                .map(|p| json!({"refType": "CHILD_OF", "traceID": trace_id, "spanID": format!("{p:016x}")}))
                .collect();
            let tags: Vec<Value> = shown_tags(s).iter().map(|(k, v)| tag(k, v)).collect();
            json!({
                "traceID": trace_id,
                "spanID": format!("{:016x}", s.id),
                "flags": 1,
                "operationName": s.name,
                "references": refs,
                "startTime": s.start_us,
                "duration": s.dur_us,
                "tags": tags,
                "logs": [],
                "processID": format!("p{}", s.process + 1),
                "warnings": null,
            })
        })
        .collect();
    let processes: serde_json::Map<String, Value> = t
        .processes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tags: Vec<Value> = p.tags.iter().map(|(k, v)| tag(k, v)).collect();
            (
                format!("p{}", i + 1),
                json!({"serviceName": p.service, "tags": tags}),
            )
        })
        .collect();
    json!({"traceID": trace_id, "spans": spans, "processes": processes, "warnings": null})
}

#[cfg(test)]
pub(super) fn tag_json(key: &str, v: &Val) -> Value {
    tag(key, v)
}

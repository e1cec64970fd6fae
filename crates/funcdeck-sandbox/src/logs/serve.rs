//! The Elasticsearch HTTP API on loopback, behind the apiserver's service proxy as
//! `logging/elasticsearch:9200`: `GET /`, `GET /_cluster/health`, `{index}/_search` (GET or
//! POST), `{index}/_pit` and `DELETE /_pit`. A slow Elasticsearch (the `slow-elasticsearch`
//! scenario) waits before every answer.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::search::{self, Failure};
use super::{Line, Logs, docs, pit, query::glob};
use crate::http::{Body, full};
use crate::request::{Query as Params, percent_decode};
use crate::scenario::Scenarios;
use crate::traces::serve::Reply;

pub const VERSION: &str = "8.15.3";

fn fail(f: &Failure, index: &str) -> Reply {
    Reply::json(f.status, &f.to_json(index))
}

/// `logstash-*,fluent-bit*` → the existing indices it names; a concrete name that does not
/// exist is an error, a wildcard that matches nothing is not (`allow_no_indices`).
pub fn resolve(pattern: &str, existing: &[String]) -> Result<Vec<String>, Failure> {
    let mut out: Vec<String> = Vec::new();
    for part in pattern.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(ex) = part.strip_prefix('-').filter(|_| !out.is_empty()) {
            out.retain(|i| !glob(ex, i));
        } else if part == "_all" || part.contains('*') {
            let p = if part == "_all" { "*" } else { part };
            for i in existing.iter().filter(|i| glob(p, i)) {
                if !out.contains(i) {
                    out.push(i.clone());
                }
            }
        } else if existing.iter().any(|i| i == part) {
            if !out.iter().any(|i| i == part) {
                out.push(part.to_string());
            }
        } else {
            return Err(Failure::index_not_found(part));
        }
    }
    Ok(out)
}

fn body_json(body: &[u8]) -> Result<Value, Failure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            Failure::new(
                400,
                "x_content_parse_exception",
                "[1:1] Unexpected character: was expecting a JSON object".into(),
            )
        })
}

/// The URI search parameters (`?q=log:error&size=3&from=0&track_total_hits=true`), as
/// `kubectl get --raw` can send no body; the body wins where both say.
fn with_params(mut b: Value, p: &Params) -> Value {
    if let Some(q) = p.get("q")
        && b.get("query").is_none()
    {
        b["query"] = json!({"query_string": {"query": q}});
    }
    for k in ["size", "from"] {
        if let Some(n) = p.get(k).and_then(|v| v.parse::<i64>().ok())
            && b.get(k).is_none()
        {
            b[k] = json!(n);
        }
    }
    if let Some(t) = p.get("track_total_hits")
        && b.get("track_total_hits").is_none()
    {
        b["track_total_hits"] = match t {
            "true" => json!(true),
            "false" => json!(false),
            n => n.parse::<u64>().map_or(json!(true), |n| json!(n)),
        };
    }
    b
}

fn of_indices(lines: &[Arc<Line>], indices: &[String]) -> Vec<Arc<Line>> {
    lines
        .iter()
        .filter(|l| indices.contains(&docs::index_of(l.ts_ms())))
        .cloned()
        .collect()
}

/// Routes one request; `now` is the time `now` means in date math (ms since the epoch).
pub fn answer(
    logs: &Logs,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    now: i64,
) -> Reply {
    let p = Params::parse(query);
    let segs: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let Some(store) = logs.store() else {
        return Reply::json(500, &json!({"error": "internal error", "status": 500}));
    };
    let existing = store.indices();
    let get_post = method == Method::GET || method == Method::POST;
    match (segs.as_slice(), method.clone()) {
        ([], Method::GET | Method::HEAD) => Reply::json(
            200,
            &json!({
            "name": "sandbox-es-0", "cluster_name": "funcdeck-sandbox", "cluster_uuid": "c2FuZGJveC1lbGFzdGlj",
            "version": {"number": VERSION, "build_flavor": "default", "build_type": "docker",
                "build_hash": "f19a7ba8b1a6c8a5d8d5ea5d6b6b43d4bd1ae3d4", "build_date": "2024-10-11T19:00:03.541418389Z",
                "build_snapshot": false, "lucene_version": "9.11.1",
                "minimum_wire_compatibility_version": "7.17.0", "minimum_index_compatibility_version": "7.0.0"},
            "tagline": "You Know, for Search"}),
        ),
        (["_cluster", "health"], Method::GET) => Reply::json(
            200,
            &json!({
            "cluster_name": "funcdeck-sandbox", "status": "green", "timed_out": false, "number_of_nodes": 1,
            "number_of_data_nodes": 1, "active_primary_shards": existing.len(), "active_shards": existing.len(),
            "relocating_shards": 0, "initializing_shards": 0, "unassigned_shards": 0, "delayed_unassigned_shards": 0,
            "number_of_pending_tasks": 0, "number_of_in_flight_fetch": 0, "task_max_waiting_in_queue_millis": 0,
            "active_shards_percent_as_number": 100.0}),
        ),
        (["_search"], _) if get_post => {
            let b = match body_json(body).map(|b| with_params(b, &p)) {
                Ok(b) => b,
                Err(f) => return fail(&f, "_all"),
            };
            let Some(id) = b
                .pointer("/pit/id")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                let snap = of_indices(&store.snapshot(), &existing);
                drop(store);
                return search_reply(&snap, &b, now, None, existing.len(), "_all");
            };
            drop(store);
            let keep = b
                .pointer("/pit/keep_alive")
                .and_then(Value::as_str)
                .and_then(pit::keep_alive);
            match logs.pits.get(&id, keep) {
                Some((lines, shards)) => search_reply(&lines, &b, now, Some(&id), shards, "_all"),
                None => fail(
                    &Failure::new(
                        404,
                        "search_context_missing_exception",
                        format!("No search context found for id [{id}]"),
                    ),
                    "_all",
                ),
            }
        }
        ([idx, "_search"], _) if get_post => {
            let b = match body_json(body).map(|b| with_params(b, &p)) {
                Ok(b) => b,
                Err(f) => return fail(&f, idx),
            };
            if b.get("pit").is_some() {
                return fail(
                    &Failure::validation(
                        "[indices] cannot be used with point in time. Do not specify any index with point in time.",
                    ),
                    idx,
                );
            }
            let indices = match resolve(idx, &existing) {
                Ok(i) => i,
                Err(f) => return fail(&f, idx),
            };
            let snap = of_indices(&store.snapshot(), &indices);
            drop(store);
            search_reply(
                &snap,
                &b,
                now,
                None,
                indices.len(),
                indices.first().map_or(*idx, String::as_str),
            )
        }
        ([idx, "_pit"], Method::POST) => {
            let Some(keep) = p.get("keep_alive") else {
                return fail(&Failure::validation("[keep_alive] is not specified"), idx);
            };
            let Some(keep) = pit::keep_alive(keep) else {
                return fail(
                    &Failure::new(
                        400,
                        "parse_exception",
                        format!(
                            "failed to parse setting [keep_alive] with value [{keep}] as a time value: unit is missing or unrecognized"
                        ),
                    ),
                    idx,
                );
            };
            let indices = match resolve(idx, &existing) {
                Ok(i) => i,
                Err(f) => return fail(&f, idx),
            };
            let snap = of_indices(&store.snapshot(), &indices);
            drop(store);
            let id = logs.pits.open(snap, indices.len(), keep);
            let n = indices.len();
            Reply::json(
                200,
                &json!({"id": id, "_shards": {"total": n, "successful": n, "skipped": 0, "failed": 0}}),
            )
        }
        (["_pit"], Method::DELETE) => {
            let b = match body_json(body) {
                Ok(b) => b,
                Err(f) => return fail(&f, "_all"),
            };
            let Some(id) = b.get("id").and_then(Value::as_str) else {
                return fail(&Failure::validation("[id] is required"), "_all");
            };
            let freed = logs.pits.close(id);
            Reply::json(
                if freed { 200 } else { 404 },
                &json!({"succeeded": true, "num_freed": usize::from(freed)}),
            )
        }
        _ => Reply::json(
            400,
            &json!({"error": format!("no handler found for uri [{path}] and method [{method}]"), "status": 400}),
        ),
    }
}

fn search_reply(
    lines: &[Arc<Line>],
    b: &Value,
    now: i64,
    pit: Option<&str>,
    shards: usize,
    index: &str,
) -> Reply {
    match search::run(lines, b, now, pit, shards) {
        Ok(v) => Reply::json(200, &v),
        Err(f) => fail(&f, index),
    }
}

async fn respond(
    logs: &Logs,
    scenarios: &Scenarios,
    req: Request<hyper::body::Incoming>,
) -> Response<Body> {
    if let Some(delay) = scenarios.slow_elasticsearch() {
        tokio::time::sleep(delay).await;
    }
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let now = crate::traces::now_us() / 1000;
    let r = answer(
        logs,
        &parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &body,
        now,
    );
    let mut resp = Response::new(full(r.body));
    *resp.status_mut() = StatusCode::from_u16(r.code).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(r.content_type),
    );
    resp.headers_mut().insert(
        "x-elastic-product",
        header::HeaderValue::from_static("Elasticsearch"),
    );
    resp
}

pub async fn serve(
    listener: TcpListener,
    logs: Logs,
    scenarios: Arc<Scenarios>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (l, sc, mut stop) = (logs.clone(), scenarios.clone(), shutdown.clone());
                    conns.spawn(async move {
                        let svc = service_fn(move |req| {
                            let (l, sc) = (l.clone(), sc.clone());
                            async move { Ok::<_, Infallible>(respond(&l, &sc, req).await) }
                        });
                        let conn = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(Duration::from_secs(10))
                            .serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = stop.changed() => conn.as_mut().graceful_shutdown(),
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "elasticsearch accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    conns.abort_all();
}

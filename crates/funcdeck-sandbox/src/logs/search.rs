//! One `_search`: the body read (query, sort, `search_after`, `from`/`size`,
//! `track_total_hits`, `_source`, aggregations, `pit`), run over the documents of the asked
//! indices, answered in Elasticsearch 8's shapes; failures in its error shapes ([`Failure`]).

use std::sync::Arc;

use serde_json::{Map, Value, json};

pub use super::datemath::date_ms;
use super::docs::{self, Doc};
use super::{Line, aggs, query};

/// An Elasticsearch error: its `type`, `reason`, HTTP status and shape.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: u16,
    pub kind: &'static str,
    pub reason: String,
    pub extra: Map<String, Value>,
    /// `query_shard_exception` under `search_phase_execution_exception`, with this cause.
    pub shard_cause: Option<(&'static str, String)>,
}

impl Failure {
    pub fn new(status: u16, kind: &'static str, reason: String) -> Self {
        Failure {
            status,
            kind,
            reason,
            extra: Map::new(),
            shard_cause: None,
        }
    }
    pub fn parsing(reason: String) -> Self {
        let mut f = Failure::new(400, "parsing_exception", reason);
        f.extra.insert("line".into(), json!(1));
        f.extra.insert("col".into(), json!(1));
        f
    }
    pub fn named(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }
    pub fn with_line(self, _field: String) -> Self {
        self
    }
    pub fn index_not_found(index: &str) -> Self {
        let mut f = Failure::new(
            404,
            "index_not_found_exception",
            format!("no such index [{index}]"),
        );
        for (k, v) in [
            ("resource.type", "index_or_alias"),
            ("resource.id", index),
            ("index_uuid", "_na_"),
            ("index", index),
        ] {
            f.extra.insert(k.into(), json!(v));
        }
        f
    }
    pub fn validation(what: &str) -> Self {
        Failure::new(
            400,
            "action_request_validation_exception",
            format!("Validation Failed: 1: {what};"),
        )
    }
    pub fn illegal(reason: String) -> Self {
        Failure::new(400, "illegal_argument_exception", reason)
    }
    /// A `query_string` Lucene cannot parse (ES: `Failed to parse query [...]`).
    pub fn query_string(q: &str, cause: String) -> Self {
        let mut f = Failure::new(
            400,
            "query_shard_exception",
            format!("Failed to parse query [{q}]"),
        );
        f.shard_cause = Some(("parse_exception", cause));
        f
    }
    pub fn parse_date(value: &str, cause: String) -> Self {
        let mut f = Failure::new(
            400,
            "parse_exception",
            format!(
                "failed to parse date field [{value}] with format [strict_date_optional_time||epoch_millis]: [{cause}]"
            ),
        );
        f.shard_cause = Some(("illegal_argument_exception", cause));
        f
    }

    /// The error document; shard-level failures are wrapped as the coordinating node does.
    pub fn to_json(&self, index: &str) -> Value {
        let mut cause = Map::new();
        cause.insert("type".into(), json!(self.kind));
        cause.insert("reason".into(), json!(self.reason));
        cause.extend(self.extra.clone());
        let Some((ck, cr)) = &self.shard_cause else {
            let root = Value::Object(cause.clone());
            cause.insert("root_cause".into(), json!([root]));
            return json!({"error": sorted(cause), "status": self.status});
        };
        cause.insert("index_uuid".into(), json!("_na_"));
        cause.insert("index".into(), json!(index));
        let root = Value::Object(cause.clone());
        cause.insert("caused_by".into(), json!({"type": ck, "reason": cr}));
        json!({"error": {
            "root_cause": [root],
            "type": "search_phase_execution_exception",
            "reason": "all shards failed",
            "phase": "query",
            "grouped": true,
            "failed_shards": [{"shard": 0, "index": index, "node": "sandbox-es-0", "reason": Value::Object(cause)}],
        }, "status": self.status})
    }
}

/// `root_cause` first, as Elasticsearch writes it.
fn sorted(mut m: Map<String, Value>) -> Value {
    let mut out = Map::new();
    if let Some(r) = m.remove("root_cause") {
        out.insert("root_cause".into(), r);
    }
    out.extend(m);
    Value::Object(out)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    Time,
    Doc,
    Score,
}

/// The sort: keys with descending flags.
pub fn parse_sort(v: Option<&Value>, pit: bool) -> Result<Vec<(Key, bool)>, Failure> {
    let mut out = Vec::new();
    let items: Vec<Value> = match v {
        None => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(x) => vec![x.clone()],
    };
    for it in items {
        let (field, order) = match &it {
            Value::String(f) => (f.clone(), None),
            Value::Object(m) => {
                let (f, o) = m.iter().next().ok_or_else(|| Failure::parsing("malformed sort".into()))?;
                let o = o.as_str().map(str::to_string).or_else(|| o.get("order").and_then(Value::as_str).map(str::to_string));
                (f.clone(), o)
            }
            _ => return Err(Failure::parsing("malformed sort format, within the sort array, an object, or an actual string are allowed".into())),
        };
        let key = match field.as_str() {
            "@timestamp" => Key::Time,
            "_doc" | "_shard_doc" => Key::Doc,
            "_score" => Key::Score,
            other => {
                let mut f = Failure::new(
                    400,
                    "query_shard_exception",
                    format!("No mapping found for [{other}] in order to sort on"),
                );
                f.shard_cause = None;
                return Err(f);
            }
        };
        let desc = match order.as_deref() {
            None => key == Key::Score,
            Some("desc") => true,
            Some("asc") => false,
            Some(o) => return Err(Failure::illegal(format!("Unknown SortOrder [{o}]"))),
        };
        out.push((key, desc));
    }
    // A point in time sorts by `_shard_doc` last, so `search_after` never skips a tie.
    if pit && !out.iter().any(|(k, _)| *k == Key::Doc) {
        out.push((Key::Doc, false));
    }
    Ok(out)
}

fn sort_values(l: &Line, sort: &[(Key, bool)]) -> Vec<i64> {
    sort_key(l, sort)[..sort.len().min(3)].to_vec()
}

/// The sort values without allocating (at most three keys are meaningful: time, doc, score),
/// descending ones negated when `order` so that one ascending order serves every sort.
fn sort_key(l: &Line, sort: &[(Key, bool)]) -> [i64; 3] {
    let mut k = [0i64; 3];
    for (i, (key, _)) in sort.iter().take(3).enumerate() {
        k[i] = match key {
            Key::Time => l.ts_ms(),
            Key::Doc => l.seq as i64,
            Key::Score => 1,
        };
    }
    k
}

fn cmp_by(a: &[i64], b: &[i64], sort: &[(Key, bool)]) -> std::cmp::Ordering {
    for (i, (_, desc)) in sort.iter().enumerate() {
        let o = a[i].cmp(&b[i]);
        let o = if *desc { o.reverse() } else { o };
        if o.is_ne() {
            return o;
        }
    }
    std::cmp::Ordering::Equal
}

/// Runs `body` over `lines` (already those of the asked indices).
pub fn run(
    lines: &[Arc<Line>],
    body: &Value,
    now: i64,
    pit: Option<&str>,
    shards: usize,
) -> Result<Value, Failure> {
    let started = std::time::Instant::now();
    let q = match body.get("query") {
        Some(q) => query::parse(q, now)?,
        None => query::Q::All,
    };
    let int = |k: &str, d: i64| -> Result<i64, Failure> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(d),
            Some(v) => v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| Failure::parsing(format!("[{k}] failed to parse field"))),
        }
    };
    let size = int("size", 10)?;
    let from = int("from", 0)?;
    if size < 0 {
        return Err(Failure::illegal(format!(
            "[size] parameter cannot be negative, found [{size}]"
        )));
    }
    if from < 0 {
        return Err(Failure::illegal(format!(
            "[from] parameter cannot be negative but was [{from}]"
        )));
    }
    if from + size > 10_000 {
        return Err(Failure::illegal(format!(
            "Result window is too large, from + size must be less than or equal to: [10000] but was [{}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.",
            from + size
        )));
    }
    let sort = parse_sort(body.get("sort"), pit.is_some())?;
    let after: Option<Vec<i64>> = match body.get("search_after") {
        None => None,
        Some(Value::Array(a)) => {
            if sort.is_empty() || a.len() != sort.len() {
                return Err(Failure::illegal(format!(
                    "search_after has {} value(s) but sort has {}.",
                    a.len(),
                    sort.len()
                )));
            }
            Some(
                a.iter()
                    .map(|v| {
                        v.as_i64()
                            .or_else(|| v.as_str().and_then(|s| date_ms(s, now, false).ok()))
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Failure::illegal("Failed to parse search_after value".into()))?,
            )
        }
        Some(_) => return Err(Failure::parsing("[search_after] must be an array".into())),
    };
    if after.is_some() && from > 0 {
        return Err(Failure::illegal(
            "[from] parameter must be set to 0 when [search_after] is used".into(),
        ));
    }
    let mut hits: Vec<&Arc<Line>> = lines
        .iter()
        .filter(|l| q.matches(&Doc::new(l), now))
        .collect();
    let aggregations = match body.get("aggs").or_else(|| body.get("aggregations")) {
        Some(a) => Some(aggs::run(&hits, a, now)?),
        None => None,
    };
    let total = hits.len();
    if !sort.is_empty() {
        // Keys computed once per document, descending ones negated so one order serves all.
        hits.sort_by_key(|l| {
            let mut k = sort_key(l, &sort);
            for (v, (_, desc)) in k.iter_mut().zip(&sort) {
                if *desc {
                    *v = -*v;
                }
            }
            k
        });
    }
    if let Some(after) = &after {
        hits.retain(|l| cmp_by(&sort_values(l, &sort), after, &sort).is_gt());
    }
    let page: Vec<Value> = hits
        .iter()
        .skip(from as usize)
        .take(size as usize)
        .map(|l| hit(l, &sort, body.get("_source")))
        .collect();
    let mut out = json!({
        "took": started.elapsed().as_millis() as u64,
        "timed_out": false,
        "_shards": {"total": shards, "successful": shards, "skipped": 0, "failed": 0},
        "hits": {"max_score": if sort.is_empty() && total > 0 { json!(1.0) } else { Value::Null }, "hits": page},
    });
    match body.get("track_total_hits") {
        Some(Value::Bool(false)) => {}
        t => {
            let limit = match t {
                Some(Value::Bool(true)) => usize::MAX,
                Some(v) => v.as_u64().map_or(10_000, |n| n as usize),
                None => 10_000,
            };
            let (value, rel) = if total > limit {
                (limit, "gte")
            } else {
                (total, "eq")
            };
            out["hits"]["total"] = json!({"value": value, "relation": rel});
        }
    }
    if let Some(a) = aggregations {
        out["aggregations"] = a;
    }
    if let Some(id) = pit {
        out["pit_id"] = json!(id);
    }
    Ok(out)
}

fn hit(l: &Line, sort: &[(Key, bool)], filter: Option<&Value>) -> Value {
    let mut h = json!({
        "_index": docs::index_of(l.ts_ms()),
        "_id": docs::id(l),
        "_score": if sort.is_empty() { json!(1.0) } else { Value::Null },
    });
    match filter {
        Some(Value::Bool(false)) => {}
        f => h["_source"] = super::aggs::source_filter(docs::source(l), f),
    }
    if !sort.is_empty() {
        h["sort"] = json!(sort_values(l, sort));
    }
    h
}

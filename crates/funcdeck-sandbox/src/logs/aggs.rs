//! The aggregations a logs view needs: `date_histogram` (`fixed_interval`, empty buckets
//! filled between the first and last, as `min_doc_count: 0` does) for the histogram and
//! `terms` (`size`) for a field's top values, nested as asked; and `_source` filtering.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::Line;
use super::docs::{self, Doc};
use super::query::glob;
use super::search::Failure;

fn interval_ms(s: &str) -> Option<i64> {
    let (n, u) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = n.parse().ok()?;
    let unit = match u {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    Some(n * unit)
}

pub fn run(lines: &[&Arc<Line>], spec: &Value, now: i64) -> Result<Value, Failure> {
    let mut out = Map::new();
    for (name, a) in spec.as_object().into_iter().flatten() {
        out.insert(name.clone(), one(lines, name, a, now)?);
    }
    Ok(Value::Object(out))
}

fn one(lines: &[&Arc<Line>], name: &str, a: &Value, now: i64) -> Result<Value, Failure> {
    let sub = a.get("aggs").or_else(|| a.get("aggregations"));
    let with_sub = |mut b: Value, docs: &[&Arc<Line>]| -> Result<Value, Failure> {
        if let Some(s) = sub
            && let (Some(m), Value::Object(r)) = (b.as_object_mut(), run(docs, s, now)?)
        {
            m.extend(r);
        }
        Ok(b)
    };
    if let Some(h) = a.get("date_histogram") {
        let iv = h
            .get("fixed_interval")
            .or_else(|| h.get("interval"))
            .and_then(Value::as_str);
        let Some(step) = iv.and_then(interval_ms).filter(|s| *s > 0) else {
            return Err(Failure::illegal(format!(
                "Invalid interval specified, must be non-null and non-empty for [{name}]"
            )));
        };
        let mut by: BTreeMap<i64, Vec<&Arc<Line>>> = BTreeMap::new();
        for l in lines {
            by.entry(l.ts_ms().div_euclid(step) * step)
                .or_default()
                .push(l);
        }
        let min_count = h.get("min_doc_count").and_then(Value::as_u64).unwrap_or(0) as usize;
        let bound = |k: &str| {
            h.pointer(&format!("/extended_bounds/{k}")).and_then(|v| {
                v.as_i64().or_else(|| {
                    v.as_str()
                        .and_then(|s| super::search::date_ms(s, now, false).ok())
                })
            })
        };
        let first = by
            .keys()
            .next()
            .copied()
            .into_iter()
            .chain(bound("min").map(|m| m.div_euclid(step) * step))
            .min();
        let last = by
            .keys()
            .last()
            .copied()
            .into_iter()
            .chain(bound("max").map(|m| m.div_euclid(step) * step))
            .max();
        let mut buckets = Vec::new();
        if let (Some(mut k), Some(last)) = (first, last) {
            while k <= last && buckets.len() < 65_536 {
                let docs = by.get(&k).cloned().unwrap_or_default();
                if docs.len() >= min_count.max(if min_count == 0 { 0 } else { 1 }) {
                    let b = json!({"key_as_string": docs::timestamp(k), "key": k, "doc_count": docs.len()});
                    buckets.push(with_sub(b, &docs)?);
                }
                k += step;
            }
        }
        return Ok(json!({"buckets": buckets}));
    }
    if let Some(t) = a.get("terms") {
        let field = t.get("field").and_then(Value::as_str).unwrap_or("");
        let base = field.strip_suffix(".keyword").unwrap_or(field);
        let size = t.get("size").and_then(Value::as_u64).unwrap_or(10) as usize;
        let mut by: BTreeMap<String, Vec<&Arc<Line>>> = BTreeMap::new();
        for l in lines {
            if let Some(v) = Doc::new(l).get(base) {
                by.entry(v.into_owned()).or_default().push(l);
            }
        }
        let mut all: Vec<(String, Vec<&Arc<Line>>)> = by.into_iter().collect();
        all.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let other: usize = all.iter().skip(size).map(|(_, d)| d.len()).sum();
        let mut buckets = Vec::new();
        for (k, d) in all.into_iter().take(size) {
            buckets.push(with_sub(json!({"key": k, "doc_count": d.len()}), &d)?);
        }
        return Ok(
            json!({"doc_count_error_upper_bound": 0, "sum_other_doc_count": other, "buckets": buckets}),
        );
    }
    let kind = a
        .as_object()
        .and_then(|m| m.keys().find(|k| *k != "aggs" && *k != "aggregations"))
        .cloned()
        .unwrap_or_default();
    Err(Failure::new(
        400,
        "x_content_parse_exception",
        format!("[1:1] [{kind}] unknown field [{kind}]"),
    )
    .named("named_object_not_found_exception"))
}

/// `_source` as asked: `true`/absent (all), a pattern or list of them, or
/// `{"includes": [...], "excludes": [...]}` (dotted paths, `*` wildcards).
pub fn source_filter(src: Value, f: Option<&Value>) -> Value {
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => vec![],
        }
    };
    let (inc, exc) = match f {
        None | Some(Value::Bool(_)) => return src,
        Some(Value::Object(m)) => (
            list(m.get("includes").or_else(|| m.get("include"))),
            list(m.get("excludes").or_else(|| m.get("exclude"))),
        ),
        v => (list(v), vec![]),
    };
    prune("", src, &inc, &exc)
}

fn prune(prefix: &str, v: Value, inc: &[String], exc: &[String]) -> Value {
    let Value::Object(m) = v else { return v };
    let mut out = Map::new();
    for (k, v) in m {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if exc.iter().any(|p| glob(p, &path)) {
            continue;
        }
        let whole = inc.is_empty() || inc.iter().any(|p| glob(p, &path));
        if whole {
            let v = if v.is_object() {
                prune(&path, v, &[], exc)
            } else {
                v
            };
            out.insert(k, v);
        } else if v.is_object()
            && inc
                .iter()
                .any(|p| p.starts_with(&format!("{path}.")) || glob(p, &path))
        {
            let inner = prune(&path, v, inc, exc);
            if inner.as_object().is_some_and(|o| !o.is_empty()) {
                out.insert(k, inner);
            }
        }
    }
    Value::Object(out)
}

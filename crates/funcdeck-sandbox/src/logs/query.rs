//! The query DSL subset a logs client sends (`bool` with `filter`/`must`/`should`/`must_not`,
//! `range`, `term`/`terms`, `match`/`match_phrase`, `exists`, `match_all`, `query_string`)
//! parsed into [`Q`], and evaluated against a document with Elasticsearch's semantics for
//! dynamically mapped fields: strings are `text` (analyzed: lower-cased words) with an exact
//! `.keyword` sub-field, `@timestamp` a date, JSON numbers numbers.

use serde_json::Value;

use super::docs::Doc;
use super::lucene;
use super::search::{Failure, date_ms};

#[derive(Debug, Clone, PartialEq)]
pub enum Q {
    All,
    None,
    /// Analyzed match: any word (or, as a phrase, the words in a row); `None` = every field.
    Text {
        field: Option<String>,
        text: String,
        phrase: bool,
    },
    Wild {
        field: Option<String>,
        pattern: String,
    },
    /// `term`/`terms`: an exact value (a whole keyword, or one indexed word of a text field).
    Term {
        field: String,
        values: Vec<String>,
    },
    Range {
        field: String,
        gt: Option<String>,
        gte: Option<String>,
        lt: Option<String>,
        lte: Option<String>,
    },
    /// A range on `@timestamp`, resolved to ms since the epoch (both ends included).
    Time {
        lo: i64,
        hi: i64,
    },
    Exists(String),
    Not(Box<Q>),
    Bool {
        must: Vec<Q>,
        should: Vec<Q>,
        must_not: Vec<Q>,
    },
}

impl Q {
    pub fn not(q: Q) -> Q {
        Q::Not(Box::new(q))
    }
    pub fn bool_must(qs: Vec<Q>) -> Q {
        Q::Bool {
            must: qs,
            should: vec![],
            must_not: vec![],
        }
    }

    pub fn matches(&self, d: &Doc<'_>, now_ms: i64) -> bool {
        match self {
            Q::All => true,
            Q::None => false,
            Q::Text {
                field,
                text,
                phrase,
            } => {
                if d.cannot_hold(field.as_deref(), &words(text)) {
                    return false;
                }
                on_fields(d, field.as_deref(), |v, keyword| {
                    if keyword {
                        v == text
                    } else {
                        text_match(v, text, *phrase)
                    }
                })
            }
            Q::Wild { field, pattern } => on_fields(d, field.as_deref(), |v, keyword| {
                if keyword {
                    glob(pattern, v)
                } else {
                    let p = pattern.to_lowercase();
                    words(v).iter().any(|w| glob(&p, w))
                }
            }),
            Q::Term { field, values } if d.cannot_hold(Some(field), values) => false,
            Q::Term { field, values } => on_fields(d, Some(field), |v, keyword| {
                if field == "@timestamp" {
                    return values
                        .iter()
                        .any(|x| date_ms(x, now_ms, false).ok() == date_ms(v, now_ms, false).ok());
                }
                if keyword {
                    values.iter().any(|x| x == v)
                } else {
                    let ws = words(v);
                    values.iter().any(|x| ws.iter().any(|w| w == x))
                }
            }),
            Q::Range {
                field,
                gt,
                gte,
                lt,
                lte,
            } => {
                let f = field.strip_suffix(".keyword").unwrap_or(field);
                if f == "@timestamp" {
                    // The stored time, without formatting and re-reading it per document.
                    let v = d.line.ts_ms().to_string();
                    return in_range(f, &v, [gt, gte, lt, lte], now_ms);
                }
                let Some(v) = d.get(f) else { return false };
                in_range(f, &v, [gt, gte, lt, lte], now_ms)
            }
            Q::Time { lo, hi } => (*lo..=*hi).contains(&d.line.ts_ms()),
            Q::Exists(f) => {
                let f = f.strip_suffix(".keyword").unwrap_or(f);
                d.get(f).is_some()
            }
            Q::Not(q) => !q.matches(d, now_ms),
            Q::Bool {
                must,
                should,
                must_not,
            } => {
                must.iter().all(|q| q.matches(d, now_ms))
                    && !must_not.iter().any(|q| q.matches(d, now_ms))
                    && (should.is_empty() || should.iter().any(|q| q.matches(d, now_ms)))
            }
        }
    }
}

/// Applies `f(value, is_keyword)` to the field (or to every field for `None`/`*`).
fn on_fields(d: &Doc<'_>, field: Option<&str>, f: impl Fn(&str, bool) -> bool) -> bool {
    match field {
        None | Some("*") => d.leaves().iter().any(|(_, v)| f(v, false)),
        Some(field) => match field.strip_suffix(".keyword") {
            Some(base) => d.get(base).is_some_and(|v| f(&v, true)),
            None => d.get(field).is_some_and(|v| f(&v, false)),
        },
    }
}

/// The standard analyzer, roughly: lower-cased runs of letters, digits and `_`.
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn text_match(value: &str, query: &str, phrase: bool) -> bool {
    let q = words(query);
    if q.is_empty() {
        return false;
    }
    if !phrase || q.len() == 1 {
        return q.iter().any(|t| has_word(value, t));
    }
    let v = words(value);
    v.windows(q.len()).any(|w| w == q.as_slice())
}

/// Whether `value` has the (lower-case) word `t`, without analyzing it into a new list: the
/// common search (one word over every document) stays cheap.
fn has_word(value: &str, t: &str) -> bool {
    value
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| {
            if w.is_ascii() {
                w.eq_ignore_ascii_case(t)
            } else {
                w.to_lowercase() == t
            }
        })
}

/// `*` any run, `?` one character.
pub fn glob(p: &str, s: &str) -> bool {
    let p: Vec<char> = p.chars().collect();
    let s: Vec<char> = s.chars().collect();
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn in_range(field: &str, v: &str, [gt, gte, lt, lte]: [&Option<String>; 4], now: i64) -> bool {
    let cmp = |bound: &Option<String>, ok: fn(std::cmp::Ordering) -> bool, round_up: bool| {
        let Some(b) = bound else { return true };
        let ord = if field == "@timestamp" {
            match (date_ms(v, now, false), date_ms(b, now, round_up)) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => return false,
            }
        } else {
            match (v.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                _ => v.cmp(b.as_str()),
            }
        };
        ok(ord)
    };
    cmp(gt, |o| o.is_gt(), true)
        && cmp(gte, |o| o.is_ge(), false)
        && cmp(lt, |o| o.is_lt(), false)
        && cmp(lte, |o| o.is_le(), true)
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `{"field": value}` or `{"field": {"value"|"query": value, ...}}` → (field, body).
fn single(kind: &str, v: &Value) -> Result<(String, Value), Failure> {
    let m = v.as_object().filter(|m| m.len() == 1).ok_or_else(|| {
        Failure::parsing(format!(
            "[{kind}] query doesn't support multiple fields, found [{}]",
            v
        ))
    })?;
    let (k, v) = m
        .iter()
        .next()
        .ok_or_else(|| Failure::parsing(format!("[{kind}] query malformed, no field")))?;
    Ok((k.clone(), v.clone()))
}

fn list(v: Option<&Value>, now: i64) -> Result<Vec<Q>, Failure> {
    match v {
        None => Ok(vec![]),
        Some(Value::Array(a)) => a.iter().map(|q| parse(q, now)).collect(),
        Some(q) => Ok(vec![parse(q, now)?]),
    }
}

/// The `query` object → [`Q`]. `now` for `query_string`'s nothing; dates are resolved when
/// matching (ms since the epoch).
pub fn parse(v: &Value, now: i64) -> Result<Q, Failure> {
    let m = v.as_object().ok_or_else(|| {
        Failure::parsing("[_na] query malformed, must start with start_object".into())
    })?;
    let Some((kind, body)) = m.iter().next() else {
        return Ok(Q::All);
    };
    if m.len() > 1 {
        let second = m.keys().nth(1).cloned().unwrap_or_default();
        return Err(Failure::parsing(format!(
            "[{kind}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"
        ))
        .with_line(second));
    }
    Ok(match kind.as_str() {
        "match_all" => Q::All,
        "match_none" => Q::None,
        "bool" => {
            let mut must = list(body.get("must"), now)?;
            must.extend(list(body.get("filter"), now)?);
            let should = list(body.get("should"), now)?;
            let must_not = list(body.get("must_not"), now)?;
            // minimum_should_match defaults to 1 only without must/filter clauses.
            let should = if !must.is_empty() && body.get("minimum_should_match").is_none() {
                vec![]
            } else {
                should
            };
            Q::Bool {
                must,
                should,
                must_not,
            }
        }
        "term" => {
            let (field, b) = single(kind, body)?;
            let val = b.get("value").unwrap_or(&b);
            let val = text_of(val).ok_or_else(|| {
                Failure::parsing("[term] query does not support array of values".into())
            })?;
            Q::Term {
                field,
                values: vec![val],
            }
        }
        "terms" => {
            let (field, b) = single(kind, body)?;
            let values = b.as_array().ok_or_else(|| {
                Failure::parsing(format!("[terms] query does not support [{field}]"))
            })?;
            Q::Term {
                field,
                values: values.iter().filter_map(text_of).collect(),
            }
        }
        "match" | "match_phrase" => {
            let (field, b) = single(kind, body)?;
            let q = b.get("query").unwrap_or(&b);
            let text = text_of(q).unwrap_or_default();
            Q::Text {
                field: Some(field),
                text,
                phrase: kind == "match_phrase",
            }
        }
        "exists" => Q::Exists(
            body.get("field")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ),
        "wildcard" => {
            let (field, b) = single(kind, body)?;
            let p = b.get("value").or_else(|| b.get("wildcard")).unwrap_or(&b);
            Q::Wild {
                field: Some(field),
                pattern: text_of(p).unwrap_or_default(),
            }
        }
        "range" => {
            let (field, b) = single(kind, body)?;
            let s = |k: &str| b.get(k).and_then(text_of);
            if field.strip_suffix(".keyword").unwrap_or(&field) == "@timestamp" {
                // Resolved once (a date that cannot be read fails the search, as in ES), then
                // each document is one comparison of its stored time.
                let at = |k: &str, up: bool| -> Result<Option<i64>, Failure> {
                    s(k).map(|b| date_ms(&b, now, up).map_err(|e| Failure::parse_date(&b, e)))
                        .transpose()
                };
                let lo = [at("gte", false)?, at("gt", true)?.map(|v| v + 1)];
                let hi = [at("lte", true)?, at("lt", false)?.map(|v| v - 1)];
                Q::Time {
                    lo: lo.into_iter().flatten().max().unwrap_or(i64::MIN),
                    hi: hi.into_iter().flatten().min().unwrap_or(i64::MAX),
                }
            } else {
                Q::Range {
                    field,
                    gt: s("gt"),
                    gte: s("gte"),
                    lt: s("lt"),
                    lte: s("lte"),
                }
            }
        }
        "query_string" | "simple_query_string" => {
            let text = body.get("query").and_then(text_of).unwrap_or_default();
            let q = lucene::parse(&text).map_err(|cause| Failure::query_string(&text, cause))?;
            match body.get("default_field").and_then(Value::as_str) {
                Some(f) => with_default(q, f),
                None => q,
            }
        }
        other => {
            return Err(
                Failure::parsing(format!("unknown query [{other}]")).named("parsing_exception")
            );
        }
    })
}

fn with_default(q: Q, f: &str) -> Q {
    match q {
        Q::Text {
            field: None,
            text,
            phrase,
        } => Q::Text {
            field: Some(f.into()),
            text,
            phrase,
        },
        Q::Wild {
            field: None,
            pattern,
        } => Q::Wild {
            field: Some(f.into()),
            pattern,
        },
        Q::Not(q) => Q::not(with_default(*q, f)),
        Q::Bool {
            must,
            should,
            must_not,
        } => Q::Bool {
            must: must.into_iter().map(|q| with_default(q, f)).collect(),
            should: should.into_iter().map(|q| with_default(q, f)).collect(),
            must_not: must_not.into_iter().map(|q| with_default(q, f)).collect(),
        },
        q => q,
    }
}

//! Reading Elasticsearch's (and OpenSearch's) answers: the `_search` response, its
//! aggregations, `_count`, `_pit`, the root `/`, and every error shape.
//!
//! Errors come as `{"error": {"root_cause": [{type, reason}], type, reason, caused_by?},
//! "status": N}`, or with `error` a plain string (routing errors, e.g. "no handler found for
//! uri"). The user must see the server's reason for a bad query, so it is kept (made inert)
//! and the HTTP status picks the kind of [`Failure`]. Bodies are read lossily: invalid UTF-8 in
//! a log line becomes U+FFFD rather than failing the whole page.

use serde::Deserialize;
use serde_json::Value;

use crate::backend::error::{Failure, inert, snippet};
use crate::backend::transport::RawResponse;

/// A `_search` answer, as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchWire {
    #[serde(default)]
    pub took: u64,
    #[serde(default)]
    pub timed_out: bool,
    #[serde(rename = "_shards", default)]
    pub shards: Option<Shards>,
    pub hits: HitsWire,
    #[serde(default)]
    pub pit_id: Option<String>,
    #[serde(default)]
    pub aggregations: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Shards {
    #[serde(default)]
    pub failed: u32,
}

#[derive(Debug, Deserialize)]
pub(crate) struct HitsWire {
    #[serde(default)]
    pub total: Option<TotalWire>,
    #[serde(default)]
    pub hits: Vec<HitWire>,
}

/// An object since ES 7; an int on ES 6 or with `rest_total_hits_as_int=true`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum TotalWire {
    Count(u64),
    Object {
        value: u64,
        #[serde(default)]
        relation: String,
    },
}

#[derive(Debug, Deserialize)]
pub(crate) struct HitWire {
    #[serde(rename = "_index", default)]
    pub index: String,
    #[serde(rename = "_id", default)]
    pub id: String,
    #[serde(rename = "_source", default)]
    pub source: Option<Value>,
    #[serde(default)]
    pub sort: Option<Vec<Value>>,
}

/// How many documents matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Total {
    pub value: u64,
    /// `false` when the server stopped counting (`relation: "gte"`): "at least `value`".
    pub exact: bool,
}

impl From<&TotalWire> for Total {
    fn from(t: &TotalWire) -> Self {
        match t {
            TotalWire::Count(value) => Self {
                value: *value,
                exact: true,
            },
            TotalWire::Object { value, relation } => Self {
                value: *value,
                exact: relation != "gte",
            },
        }
    }
}

/// Who answered `/`: Elasticsearch or OpenSearch, and which version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub product: Product,
    pub version: String,
    pub cluster_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Elasticsearch,
    OpenSearch,
}

impl std::fmt::Display for ServerInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.product {
            Product::Elasticsearch => "Elasticsearch",
            Product::OpenSearch => "OpenSearch",
        };
        write!(f, "{name} {}", self.version)
    }
}

/// A 2xx answer's JSON, or the failure the status and error body describe.
pub fn read_json(resp: &RawResponse) -> Result<Value, Failure> {
    let text = String::from_utf8_lossy(&resp.body);
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    match (resp.status, parsed) {
        (200..=299, Some(value)) => Ok(value),
        (200..=299, None) => Err(not_the_backend(resp)),
        (status, parsed) => Err(failure(status, parsed.as_ref(), resp)),
    }
}

/// A 2xx answer read as `T`; JSON of another shape means something else answered.
pub(crate) fn read_as<T: serde::de::DeserializeOwned>(resp: &RawResponse) -> Result<T, Failure> {
    let value = read_json(resp)?;
    serde_json::from_value(value).map_err(|_| not_the_backend(resp))
}

/// A `_search` answer; parsed straight from the text (no intermediate tree for the hits).
pub(crate) fn read_search(resp: &RawResponse) -> Result<SearchWire, Failure> {
    if (200..300).contains(&resp.status) {
        let text = String::from_utf8_lossy(&resp.body);
        return serde_json::from_str::<SearchWire>(&text).map_err(|e| {
            match serde_json::from_str::<Value>(&text) {
                // A search answer with something odd in it: say what.
                Ok(v) if v.get("hits").is_some() => Failure::Decode {
                    message: e.to_string(),
                },
                // Not JSON, or JSON of another shape: another program, or a proxy's page.
                _ => not_the_backend(resp),
            }
        });
    }
    Err(read_json(resp)
        .err()
        .unwrap_or_else(|| not_the_backend(resp)))
}

/// A `_search` answer as a page of lines (`size`: what was asked, to tell a full page).
pub fn read_page(
    resp: &RawResponse,
    size: usize,
    parser: &mut super::line::LineParser,
) -> Result<super::page::LogPage, Failure> {
    read_search(resp).map(|wire| super::page::LogPage::from_wire(wire, size, parser))
}

/// A `_count` answer.
pub fn read_count(resp: &RawResponse) -> Result<u64, Failure> {
    #[derive(Deserialize)]
    struct Count {
        count: u64,
    }
    read_as::<Count>(resp).map(|c| c.count)
}

/// `/`: `{"name", "cluster_name", "version": {"number", "distribution"?}, "tagline"}`.
pub fn read_info(resp: &RawResponse) -> Result<ServerInfo, Failure> {
    let value = read_json(resp)?;
    let Some(number) = value.pointer("/version/number").and_then(Value::as_str) else {
        return Err(not_the_backend(resp));
    };
    let product = match value
        .pointer("/version/distribution")
        .and_then(Value::as_str)
    {
        Some("opensearch") => Product::OpenSearch,
        _ => Product::Elasticsearch,
    };
    Ok(ServerInfo {
        product,
        version: inert(number),
        cluster_name: inert(value["cluster_name"].as_str().unwrap_or("")),
    })
}

/// The server's error, in its words: `(type, reason)`.
pub fn error_of(value: &Value) -> Option<(String, String)> {
    match value.get("error")? {
        Value::String(reason) => Some((String::new(), reason.clone())),
        Value::Object(error) => {
            let first = error
                .get("root_cause")
                .and_then(Value::as_array)
                .and_then(|causes| causes.first());
            let pick = |v: Option<&Value>, key: &str| {
                v.and_then(|v| v.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let top = value.get("error");
            let kind = pick(first, "type").or_else(|| pick(top, "type"));
            let reason = pick(first, "reason").or_else(|| pick(top, "reason"))?;
            // A parse error's detail ("Cannot parse 'x:(': Encountered <EOF>…") sits in the
            // innermost cause, often under failed_shards; say it after the summary.
            let detail = innermost(top).or_else(|| {
                innermost(
                    error
                        .get("failed_shards")
                        .and_then(|s| s.get(0))
                        .and_then(|s| s.get("reason")),
                )
            });
            let reason = match detail {
                Some(d) if !reason.contains(&d) => format!("{reason}: {d}"),
                _ => reason,
            };
            Some((kind.unwrap_or_default(), reason))
        }
        _ => None,
    }
}

/// The reason of the deepest `caused_by` under `cause`, if it has one.
fn innermost(cause: Option<&Value>) -> Option<String> {
    let mut cur = cause?.get("caused_by")?;
    while let Some(next) = cur.get("caused_by") {
        cur = next;
    }
    cur.get("reason").and_then(Value::as_str).map(str::to_owned)
}

fn failure(status: u16, parsed: Option<&Value>, resp: &RawResponse) -> Failure {
    let Some((kind, reason)) = parsed.and_then(error_of) else {
        return match status {
            401 | 403 => Failure::Unauthorized {
                code: status,
                message: snippet(&resp.body),
            },
            503 => Failure::Unavailable {
                code: 503,
                kind: "unavailable".to_owned(),
                message: snippet(&resp.body),
            },
            code => Failure::Http {
                code,
                message: snippet(&resp.body),
            },
        };
    };
    let message = inert(&reason);
    match status {
        401 | 403 => Failure::Unauthorized {
            code: status,
            message,
        },
        404 if kind == "index_not_found_exception" => Failure::NoData {
            what: format!("no log index: {message}"),
        },
        400 => Failure::BadQuery { message },
        408 | 429 | 500..=599 => Failure::Unavailable {
            code: status,
            kind: if kind.is_empty() {
                "unavailable".to_owned()
            } else {
                inert(&kind)
            },
            message,
        },
        code => Failure::Http { code, message },
    }
}

fn not_the_backend(resp: &RawResponse) -> Failure {
    Failure::NotTheBackend {
        code: resp.status,
        content_type: inert(&resp.content_type),
        snippet: snippet(&resp.body),
    }
}

#[cfg(test)]
mod tests;

//! The searches funcdeck makes, over either transport, bounded by the endpoint's timeout.
//!
//! Every request is a JSON POST (`_search` bodies outgrow URLs; the service proxy needs
//! `create` on `services/proxy` for it, which the stack's reader role grants). Point-in-time
//! paging is used when the server has it (Elasticsearch ≥ 7.10); OpenSearch and older
//! Elasticsearch answer `_pit` with "no handler found" or an index error, and then the client
//! remembers, for every clone, to page with plain `search_after` instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use serde_json::{Value, json};

use super::answer::{ServerInfo, error_of, read_count, read_info, read_json, read_search};
use super::line::LineParser;
use super::page::{Histogram, LogPage, TopValues};
use super::query::{LogQuery, histogram_interval};
use super::tail::Tail;
use crate::backend::transport::{Endpoint, RawRequest, RawResponse};
use crate::backend::{Backend, BackendError, Failure};

/// The indices fluent-bit writes to by default (`logstash_format`, or its plain `index`).
pub const DEFAULT_INDICES: &str = "logstash-*,fluent-bit*";
/// How long a point in time lives between pages.
pub const PIT_KEEP_ALIVE: &str = "2m";
/// Pages read per [`ElasticClient::poll`] before yielding to the caller.
pub const MAX_PAGES_PER_POLL: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PitSupport {
    Unknown,
    Supported,
    /// The server refused `_pit`; pages use plain `search_after`.
    Unsupported,
}

/// An Elasticsearch or OpenSearch to search. Cheap to clone; clones share what was learnt
/// about the server (PIT support, its product and version).
#[derive(Debug, Clone)]
pub struct ElasticClient {
    endpoint: Endpoint,
    indices: String,
    keyword: String,
    pit: Arc<AtomicU8>,
    info: Arc<std::sync::Mutex<Option<ServerInfo>>>,
}

impl ElasticClient {
    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            indices: DEFAULT_INDICES.to_owned(),
            keyword: super::fields::KEYWORD.to_owned(),
            pit: Arc::new(AtomicU8::new(0)),
            info: Arc::default(),
        }
    }

    /// Search these indices instead (comma-separated, wildcards allowed).
    pub fn with_indices(mut self, indices: &str) -> Self {
        let trimmed = indices.trim();
        if !trimmed.is_empty() {
            self.indices = trimmed.to_owned();
        }
        self
    }

    /// The exact-value sub-field suffix (`.keyword`); empty when the index template maps the
    /// kubernetes fields as `keyword` themselves.
    pub fn with_keyword_suffix(mut self, suffix: &str) -> Self {
        self.keyword = suffix.to_owned();
        self
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn indices(&self) -> &str {
        &self.indices
    }

    /// Where the lines come from, for pane titles and `source` fields: the product and
    /// version once [`ElasticClient::ready`] has answered, then the endpoint.
    pub fn source(&self) -> String {
        match self.info.lock().ok().and_then(|i| i.clone()) {
            Some(info) => format!("{info} at {}", self.endpoint.source),
            None => self.endpoint.source.clone(),
        }
    }

    pub fn pit_support(&self) -> PitSupport {
        match self.pit.load(Ordering::Relaxed) {
            1 => PitSupport::Supported,
            2 => PitSupport::Unsupported,
            _ => PitSupport::Unknown,
        }
    }

    /// `/`: who answers (Elasticsearch or OpenSearch, which version), remembered for
    /// [`ElasticClient::source`].
    pub async fn ready(&self) -> Result<ServerInfo, BackendError> {
        let resp = self.send(&RawRequest::get("/")).await?;
        let info = read_info(&resp).map_err(|f| self.fail(f))?;
        if let Ok(mut slot) = self.info.lock() {
            *slot = Some(info.clone());
        }
        Ok(info)
    }

    /// One page of lines.
    pub async fn search(&self, query: &LogQuery) -> Result<LogPage, BackendError> {
        self.search_with(query, &mut LineParser::default()).await
    }

    /// One page, parsed with `parser` (keep one per pane, so lines share field strings).
    pub async fn search_with(
        &self,
        query: &LogQuery,
        parser: &mut LineParser,
    ) -> Result<LogPage, BackendError> {
        let body = query.search_json(&self.keyword, PIT_KEEP_ALIVE);
        // A PIT search names no index: the PIT holds them.
        let path = match query.pit {
            Some(_) => "/_search".to_owned(),
            None => self.path("_search"),
        };
        let wire = self
            .read(&RawRequest::post_json(&path, &body), read_search)
            .await?;
        Ok(LogPage::from_wire(wire, query.size, parser))
    }

    /// Lines per bucket over the query's range (both ends needed; `buckets` at most).
    pub async fn histogram(
        &self,
        query: &LogQuery,
        buckets: usize,
    ) -> Result<Histogram, BackendError> {
        let (Some(from), Some(to)) = (query.from, query.to) else {
            return Err(self.fail(Failure::BadQuery {
                message: "a histogram needs a time range with both ends".to_owned(),
            }));
        };
        let interval = histogram_interval(from, to, buckets);
        let body = query.histogram_json(&self.keyword, interval);
        let req = RawRequest::post_json(&self.path("_search"), &body);
        let wire = self.read(&req, read_search).await?;
        Histogram::from_wire(&wire, interval).map_err(|f| self.fail(f))
    }

    /// The `n` most common values of each field (as the fields panel names them), counted
    /// on their exact-value sub-field.
    pub async fn top_values(
        &self,
        query: &LogQuery,
        fields: &[&str],
        n: usize,
    ) -> Result<Vec<TopValues>, BackendError> {
        let exact: Vec<String> = fields.iter().map(|f| self.exact(f)).collect();
        let body = query.top_values_json(&self.keyword, &exact, n);
        let req = RawRequest::post_json(&self.path("_search"), &body);
        let wire = self.read(&req, read_search).await?;
        fields
            .iter()
            .zip(&exact)
            .enumerate()
            .map(|(i, (field, exact))| TopValues::from_wire(&wire, &format!("f{i}"), field, exact))
            .collect::<Result<_, _>>()
            .map_err(|f| self.fail(f))
    }

    /// How many lines match (`_count`).
    pub async fn count(&self, query: &LogQuery) -> Result<u64, BackendError> {
        let body = json!({"query": query.query_json(&self.keyword)});
        let req = RawRequest::post_json(&self.path("_count"), &body);
        self.read(&req, read_count).await
    }

    /// Opens a point in time over the indices, or `None` when the server has none (then
    /// remembered: later calls do not ask again).
    pub async fn open_pit(&self) -> Result<Option<String>, BackendError> {
        if self.pit_support() == PitSupport::Unsupported {
            return Ok(None);
        }
        let req = RawRequest::post_json(&self.path("_pit"), &json!({}))
            .with_query("keep_alive", PIT_KEEP_ALIVE);
        let id = self.read(&req, read_pit).await?;
        self.pit
            .store(if id.is_some() { 1 } else { 2 }, Ordering::Relaxed);
        Ok(id)
    }

    /// Frees a point in time early (it would expire after [`PIT_KEEP_ALIVE`] anyway).
    pub async fn close_pit(&self, id: &str) -> Result<(), BackendError> {
        let req = RawRequest::delete_json("/_pit", &json!({"id": id}));
        self.read(&req, read_json).await.map(drop)
    }

    /// One poll of a live tail: pages until the tail has caught up (or
    /// [`MAX_PAGES_PER_POLL`]; the next poll then goes on from there). New lines, oldest first.
    pub async fn poll(
        &self,
        tail: &mut Tail,
        base: &LogQuery,
        parser: &mut LineParser,
    ) -> Result<Vec<super::LogLine>, BackendError> {
        let mut lines = Vec::new();
        for _ in 0..MAX_PAGES_PER_POLL {
            let page = self.search_with(&tail.query(base), parser).await?;
            let step = tail.accept(page);
            lines.extend(step.lines);
            if !step.more {
                break;
            }
        }
        Ok(lines)
    }

    fn exact(&self, field: &str) -> String {
        if self.keyword.is_empty() || field.ends_with(&self.keyword) {
            field.to_owned()
        } else {
            format!("{field}{}", self.keyword)
        }
    }

    fn path(&self, api: &str) -> String {
        format!("/{}/{api}", self.indices)
    }

    async fn send(&self, req: &RawRequest) -> Result<RawResponse, BackendError> {
        self.endpoint.send(req).await.map_err(|f| self.fail(f))
    }

    async fn read<T>(
        &self,
        req: &RawRequest,
        read: impl Fn(&RawResponse) -> Result<T, Failure>,
    ) -> Result<T, BackendError> {
        let resp = self.send(req).await?;
        read(&resp).map_err(|f| self.fail(f))
    }

    fn fail(&self, reason: Failure) -> BackendError {
        BackendError::failed(Backend::Elasticsearch, self.endpoint.at(), reason)
    }
}

/// An `_pit` answer: its id, or `None` when the server has no point-in-time API.
pub fn read_pit(resp: &RawResponse) -> Result<Option<String>, Failure> {
    if refuses_pit(resp) {
        return Ok(None);
    }
    let value = read_json(resp)?;
    Ok(value.get("id").and_then(Value::as_str).map(str::to_owned))
}

/// The server has no `_pit` API: a routing error ("no handler found for uri"), an old
/// Elasticsearch or OpenSearch reading `_pit` as an index name, or a method not allowed.
fn refuses_pit(resp: &RawResponse) -> bool {
    if !matches!(resp.status, 400 | 404 | 405 | 501) {
        return false;
    }
    let text = String::from_utf8_lossy(&resp.body);
    let Some((kind, reason)) = serde_json::from_str(&text).ok().as_ref().and_then(error_of) else {
        // Not the server's JSON error: a bare 404/405 from the HTTP layer.
        return true;
    };
    kind != "index_not_found_exception" || reason.contains("_pit")
}

#[cfg(test)]
mod tests;

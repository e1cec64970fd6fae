//! Watch streams: newline-delimited JSON events in a chunked 200 response (reference §2).
//! A watch from RV N replays retained events after N, then follows live ones; a too-old RV gets an
//! in-stream ERROR 410 (never an HTTP 410: trap 4). RV unset or "0" starts with synthetic ADDED
//! events for what exists, like the real apiserver; `sendInitialEvents=true` ends that phase
//! with the `k8s.io/initial-events-end` bookmark. BOOKMARKs (with apiVersion and kind: trap 5)
//! only when `allowWatchBookmarks=true` (trap 6), periodically and just before a timeout close.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Frame;
use hyper::{Response, header};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

use crate::http::Body;
use crate::list::Filter;
use crate::request::{Format, Query};
use crate::resources::Res;
use crate::routes::ResPath;
use crate::status::ApiError;
use crate::store::{Event, EventKind, Store, WatchStart};
use crate::table::{self, IncludeObject};

/// A response body fed from a channel; ends when the sender is dropped.
pub struct ChannelBody(pub mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}

/// What a watch stream needs from the server besides the store.
#[derive(Clone)]
pub struct WatchEnv {
    pub store: Arc<Store>,
    /// Bumped by `SandboxControl::drop_watches`: every open stream closes.
    pub drops: watch::Receiver<u64>,
    pub shutdown: watch::Receiver<bool>,
    pub bookmark_every: Duration,
    /// What the service proxy forwards each backend Service to (Prometheus, Jaeger, ES).
    pub backends: Arc<crate::proxy::Backends>,
    /// The pods' logs (`/log`); none when the sandbox records no logs.
    pub logs: Option<crate::logs::Logs>,
}

struct Stream {
    res: Res,
    namespace: Option<String>,
    filter: Filter,
    format: Format,
    include: IncludeObject,
    bookmarks: bool,
    first_table: bool,
}

impl Stream {
    fn visible(&self, o: &Value) -> bool {
        if let Some(ns) = &self.namespace
            && crate::obj::namespace(o) != ns
        {
            return false;
        }
        self.filter.matches(o)
    }

    fn render(&mut self, o: &Value) -> Value {
        match self.format {
            Format::Json => o.clone(),
            Format::Metadata => table::partial_metadata(o),
            Format::Table { v1beta1 } => {
                let row = table::row(self.res, o, chrono::Utc::now(), self.include);
                let mut t = table::table(v1beta1, self.res, vec![row], json!({}));
                if !self.first_table {
                    t["columnDefinitions"] = json!([]);
                }
                self.first_table = false;
                t
            }
        }
    }

    fn line(&mut self, kind: &str, o: &Value) -> Bytes {
        let ev = json!({"type": kind, "object": self.render(o)});
        let mut bytes = serde_json::to_vec(&ev).unwrap_or_default();
        bytes.push(b'\n');
        Bytes::from(bytes)
    }

    /// The event line a store event becomes for this watch, if any (selector transitions
    /// become ADDED/DELETED like the apiserver's watch cache filter).
    fn event(&mut self, ev: &Event) -> Option<Bytes> {
        if ev.res != self.res {
            return None;
        }
        if let Some(ns) = &self.namespace
            && &ev.namespace != ns
        {
            return None;
        }
        let now = self.visible(&ev.object);
        let before = ev.old.as_ref().is_some_and(|o| self.visible(o));
        let kind = match ev.kind {
            EventKind::Added if now => "ADDED",
            EventKind::Modified if now && before => "MODIFIED",
            EventKind::Modified if now => "ADDED",
            EventKind::Modified if before => "DELETED",
            EventKind::Deleted if before || now => "DELETED",
            _ => return None,
        };
        Some(self.line(kind, &ev.object))
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let def = self.res.def();
        let (api_version, kind) = match self.format {
            Format::Metadata => ("meta.k8s.io/v1".to_string(), "PartialObjectMetadata"),
            _ => (def.api_version(), def.kind),
        };
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let ev = json!({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": api_version, "metadata": meta}});
        let mut bytes = serde_json::to_vec(&ev).unwrap_or_default();
        bytes.push(b'\n');
        Bytes::from(bytes)
    }
}

fn expired_line(requested: u64, oldest: u64) -> Bytes {
    let status =
        ApiError::expired(format!("too old resource version: {requested} ({oldest})")).to_status();
    let mut bytes =
        serde_json::to_vec(&json!({"type": "ERROR", "object": status})).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

pub fn serve(
    env: &WatchEnv,
    rp: &ResPath,
    q: &Query,
    format: Format,
) -> Result<Response<Body>, ApiError> {
    let filter = Filter::from_query(rp.res, q)?;
    let rv_param = q.get("resourceVersion").filter(|s| !s.is_empty());
    let from: Option<u64> = match rv_param {
        None => None,
        Some(s) => Some(
            s.parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {s}")))?,
        ),
    };
    let timeout = q
        .get("timeoutSeconds")
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs);
    let mut stream = Stream {
        res: rp.res,
        namespace: rp.namespace.clone(),
        filter,
        format,
        include: IncludeObject::from_query(q.get("includeObject")),
        bookmarks: q.flag("allowWatchBookmarks"),
        first_table: true,
    };
    let initial_events = q.flag("sendInitialEvents");
    let mut lines: Vec<Bytes> = Vec::new();
    let (rx, start_rv, ok) = match from {
        Some(n) if n > 0 && !initial_events => match env.store.watch_from(rp.res, n) {
            WatchStart::Replay(events, rx) => {
                let last = events.last().map_or(n, |e| e.rv);
                lines.extend(events.iter().filter_map(|e| stream.event(e)));
                (Some(rx), last, true)
            }
            WatchStart::Expired { requested, oldest } => {
                lines.push(expired_line(requested, oldest));
                (None, n, false)
            }
        },
        _ => {
            let (rv, objects, rx) = env.store.watch_snapshot(rp.res, rp.namespace.as_deref());
            for o in &objects {
                if stream.visible(o) {
                    lines.push(stream.line("ADDED", o));
                }
            }
            if initial_events {
                lines.push(stream.bookmark(rv, true));
            }
            (Some(rx), rv, true)
        }
    };
    let (tx, body_rx) = mpsc::channel::<Bytes>(256);
    let env = env.clone();
    tokio::spawn(async move {
        for l in lines {
            if tx.send(l).await.is_err() {
                return;
            }
        }
        if let (Some(rx), true) = (rx, ok) {
            follow(env, stream, rx, tx, start_rv, timeout).await;
        }
    });
    let mut resp = Response::new(ChannelBody(body_rx).boxed());
    if let Ok(ct) = header::HeaderValue::from_str(format.content_type(false)) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache, private"),
    );
    Ok(resp)
}

async fn follow(
    mut env: WatchEnv,
    mut stream: Stream,
    mut rx: broadcast::Receiver<Arc<Event>>,
    tx: mpsc::Sender<Bytes>,
    mut last_rv: u64,
    timeout: Option<Duration>,
) {
    let deadline = timeout.map(|d| Instant::now() + d);
    let mut tick =
        tokio::time::interval_at(Instant::now() + env.bookmark_every, env.bookmark_every);
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(ev) => {
                    last_rv = last_rv.max(ev.rv);
                    if let Some(line) = stream.event(&ev)
                        && tx.send(line).await.is_err()
                    {
                        return;
                    }
                }
                // A lagging watcher is closed; the client resumes from its last RV.
                Err(_) => return,
            },
            _ = async { match deadline { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } } => {
                if stream.bookmarks
                    && let Some(rv) = drain(&env, &mut stream, &mut rx, &tx, last_rv).await
                {
                    let _ = tx.send(stream.bookmark(rv, false)).await;
                }
                return;
            }
            _ = tick.tick(), if stream.bookmarks => {
                let Some(rv) = drain(&env, &mut stream, &mut rx, &tx, last_rv).await else {
                    return;
                };
                last_rv = rv;
                if tx.send(stream.bookmark(rv, false)).await.is_err() {
                    return;
                }
            }
            _ = env.drops.changed() => return,
            _ = env.shutdown.changed() => {
                if stream.bookmarks {
                    let _ = tx.send(stream.bookmark(last_rv, false)).await;
                }
                return;
            }
            _ = tx.closed() => return,
        }
    }
}

/// Delivers every event already emitted, then returns an RV safe to bookmark.
async fn drain(
    env: &WatchEnv,
    stream: &mut Stream,
    rx: &mut broadcast::Receiver<Arc<Event>>,
    tx: &mpsc::Sender<Bytes>,
    last_rv: u64,
) -> Option<u64> {
    let current = env.store.resource_version();
    let mut last = last_rv;
    loop {
        match rx.try_recv() {
            Ok(ev) => {
                last = last.max(ev.rv);
                if let Some(line) = stream.event(&ev) {
                    tx.send(line).await.ok()?;
                }
            }
            Err(broadcast::error::TryRecvError::Empty) => break,
            Err(_) => return None,
        }
    }
    Some(last.max(current))
}

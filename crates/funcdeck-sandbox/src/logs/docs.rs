//! Lines as fluent-bit's Elasticsearch output writes them: the kubernetes filter's metadata,
//! `Merge_Log On` (a JSON line's keys lifted beside `log`), `Replace_Dots On` (every `.` in a
//! key becomes `_`, so `serving.knative.dev/service` is `serving_knative_dev/service`), the
//! `@timestamp` time key in milliseconds, and `logstash_format On`'s daily indices.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::{Line, PodMeta, QUEUE};
use crate::obj;
use crate::rng::fnv64;

/// `logstash-YYYY.MM.DD` of a time in ms since the epoch (UTC, as fluent-bit formats it).
pub fn index_of(ms: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    format!("logstash-{}", t.format("%Y.%m.%d"))
}

/// fluent-bit's `@timestamp`: `%Y-%m-%dT%H:%M:%S.<ms>Z`.
pub fn timestamp(ms: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn de_dot(k: &str) -> String {
    k.replace('.', "_")
}

pub fn pod_meta(pod: &Value) -> PodMeta {
    let labels = obj::at(pod, &["metadata", "labels"])
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (de_dot(k), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let image = |i: usize| {
        obj::at(pod, &["spec", "containers"])
            .and_then(|c| c.get(i))
            .and_then(|c| c.get("image"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let name = obj::name(pod).to_string();
    PodMeta {
        ns: obj::namespace(pod).to_string(),
        ip: crate::dataplane::pod_ip(&name),
        name,
        uid: obj::uid(pod).to_string(),
        labels,
        host: obj::str_at(pod, &["spec", "nodeName"])
            .unwrap_or(crate::dataplane::NODE)
            .to_string(),
        user_image: image(0),
        queue_image: image(1),
    }
}

/// The container's id as Docker/containerd prints it (64 hex), stable per pod, container, run.
pub fn docker_id(l: &Line) -> String {
    let seed = format!("{}/{}/{}", l.pod.uid, l.container, l.run);
    (0..4)
        .map(|i| format!("{:016x}", fnv64(&format!("{seed}/{i}"))))
        .collect()
}

/// The `log` field: the line as text (invalid UTF-8 replaced, as JSON cannot carry it) with
/// the newline the container wrote.
pub fn log_text(l: &Line) -> String {
    let mut s = String::from_utf8_lossy(&l.text).into_owned();
    s.push('\n');
    s
}

/// A JSON object line's keys, de-dotted, as `Merge_Log` lifts them (none for other lines).
pub fn merged(l: &Line) -> Option<Map<String, Value>> {
    if l.text.first() != Some(&b'{') {
        return None;
    }
    match serde_json::from_slice::<Value>(&l.text) {
        Ok(Value::Object(m)) => Some(de_dot_map(m)),
        _ => None,
    }
}

fn de_dot_map(m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Object(o) => Value::Object(de_dot_map(o)),
                v => v,
            };
            (de_dot(&k), v)
        })
        .collect()
}

pub fn kubernetes(l: &Line) -> Value {
    let p: &PodMeta = &l.pod;
    let labels: Map<String, Value> = p
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let image = if l.container == QUEUE {
        &p.queue_image
    } else {
        &p.user_image
    };
    // The image as the runtime reports it: a digest reference's tag part is the repository.
    let (repo, hash) = match image.split_once('@') {
        Some((repo, digest)) => (repo.to_string(), format!("{repo}@{digest}")),
        None => (image.clone(), image.clone()),
    };
    json!({
        "pod_name": p.name,
        "namespace_name": p.ns,
        "pod_id": p.uid,
        "labels": labels,
        "annotations": {"serving_knative_dev/creator": "system:serviceaccount:knative-serving:controller"},
        "host": p.host,
        "container_name": l.container,
        "docker_id": docker_id(l),
        "container_hash": hash,
        "container_image": repo,
    })
}

/// The document's `_source`, keys in fluent-bit's order: the time key first.
pub fn source(l: &Line) -> Value {
    let mut m = Map::new();
    m.insert("@timestamp".into(), json!(timestamp(l.ts_ms())));
    m.insert("log".into(), json!(log_text(l)));
    m.insert(
        "stream".into(),
        json!(if l.stderr { "stderr" } else { "stdout" }),
    );
    if let Some(extra) = merged(l) {
        for (k, v) in extra {
            m.entry(k).or_insert(v);
        }
    }
    m.insert("kubernetes".into(), kubernetes(l));
    Value::Object(m)
}

/// The document's `_id`: 20 URL-safe characters, as Elasticsearch's auto-generated ids look.
pub fn id(l: &Line) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut h = fnv64(&format!("{}/{}", l.pod.uid, l.seq)) ^ l.seq.rotate_left(17);
    let mut h2 = fnv64(&format!("{}/{}", l.seq, l.ts_ns));
    (0..20)
        .map(|i| {
            let src = if i < 10 { &mut h } else { &mut h2 };
            let c = ABC[(*src & 63) as usize];
            *src >>= 6;
            c as char
        })
        .collect()
}

/// Go's `time.RFC3339Nano`: trailing zeros of the fraction dropped (the kubelet's prefix).
pub fn rfc3339_nano(ns: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp_nanos(ns);
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let frac = format!("{:09}", ns.rem_euclid(1_000_000_000));
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{base}Z")
    } else {
        format!("{base}.{frac}Z")
    }
}

/// A document's values at a dotted field path (`kubernetes.labels.app`), without building the
/// whole source for the fields every query asks about.
pub struct Doc<'a> {
    pub line: &'a Line,
    merged: std::cell::OnceCell<Option<Map<String, Value>>>,
    kube: std::cell::OnceCell<Value>,
}

impl<'a> Doc<'a> {
    pub fn new(line: &'a Line) -> Self {
        Doc {
            line,
            merged: std::cell::OnceCell::new(),
            kube: std::cell::OnceCell::new(),
        }
    }

    /// The value at `field`, as text (numbers and booleans printed); `None` when absent.
    pub fn get(&self, field: &str) -> Option<Cow<'_, str>> {
        let l = self.line;
        match field {
            "@timestamp" => return Some(Cow::Owned(timestamp(l.ts_ms()))),
            // What the words are read from (the `log` field less its final newline).
            "log" => return Some(String::from_utf8_lossy(&l.text)),
            "stream" => return Some(Cow::Borrowed(if l.stderr { "stderr" } else { "stdout" })),
            "kubernetes.namespace_name" => return Some(Cow::Borrowed(&l.pod.ns)),
            "kubernetes.pod_name" => return Some(Cow::Borrowed(&l.pod.name)),
            "kubernetes.container_name" => return Some(Cow::Borrowed(l.container)),
            _ => {}
        }
        let v = if let Some(rest) = field.strip_prefix("kubernetes.") {
            let k = self.kube.get_or_init(|| kubernetes(l));
            walk(k, rest)?
        } else {
            let m = self.merged.get_or_init(|| merged(l)).as_ref()?;
            let (head, rest) = field.split_once('.').unwrap_or((field, ""));
            let v = m.get(head)?;
            if rest.is_empty() { v } else { walk(v, rest)? }
        };
        match v {
            Value::String(s) => Some(Cow::Borrowed(s.as_str())),
            Value::Null | Value::Object(_) | Value::Array(_) => None,
            v => Some(Cow::Owned(v.to_string())),
        }
    }

    /// True when a field lifted from a JSON line cannot hold any of `needles` because none is
    /// in the line's bytes at all: most documents are ruled out without parsing them.
    pub fn cannot_hold<S: AsRef<str>>(&self, field: Option<&str>, needles: &[S]) -> bool {
        let Some(field) = field else { return false };
        let base = field.strip_suffix(".keyword").unwrap_or(field);
        let lifted =
            !matches!(base, "@timestamp" | "log" | "stream") && !base.starts_with("kubernetes.");
        let plain = |n: &str| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.:/".contains(&b))
        };
        if !lifted || needles.is_empty() || !needles.iter().all(|n| plain(n.as_ref())) {
            return false;
        }
        let text = &self.line.text;
        !needles.iter().any(|n| {
            let n = n.as_ref().as_bytes();
            text.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
        })
    }

    /// Every leaf (field, text) of the document: what a query on `*` searches.
    pub fn leaves(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        flatten("", &source(self.line), &mut out);
        out
    }
}

fn walk<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null | Value::Array(_) => {}
        v => out.push((prefix.to_string(), v.to_string())),
    }
}

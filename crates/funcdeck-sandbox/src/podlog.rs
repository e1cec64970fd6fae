//! `GET /api/v1/namespaces/NS/pods/NAME/log`: a container's log as the kubelet serves it
//! through the apiserver, from the same lines the Elasticsearch documents are (crate `logs`).
//! Options as `PodLogOptions`: `container`, `follow` (the response stays open and carries new
//! lines until the pod goes), `previous`, `timestamps` (an RFC3339Nano prefix), `tailLines`,
//! `sinceSeconds`, `sinceTime` and `limitBytes`. Which run of the container is read, and the
//! refusals, follow the apiserver's `LogLocation` and the kubelet's `validateContainerLogStatus`.
//! RBAC (`get` on `pods/log`) already happened in the gate.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::{Response, header};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::http::{self, Body};
use crate::logs::{Line, Logs, docs};
use crate::obj;
use crate::request::Query;
use crate::resources::Res;
use crate::status::ApiError;
use crate::watch::{ChannelBody, WatchEnv};

/// How often a follower looks again without being woken (a pod deleted, the sandbox stopping).
const FOLLOW_POLL: Duration = Duration::from_millis(500);

/// `/api/v1/namespaces/NS/pods/NAME/log` → (ns, name).
pub fn parse(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/api/v1/namespaces/")?;
    let (ns, rest) = rest.split_once('/')?;
    let rest = rest.strip_prefix("pods/")?;
    let name = rest.strip_suffix("/log")?;
    (!ns.is_empty() && !name.is_empty() && !name.contains('/')).then_some((ns, name))
}

#[derive(Debug, Default, Clone)]
pub struct Options {
    pub container: Option<String>,
    pub follow: bool,
    pub previous: bool,
    pub timestamps: bool,
    pub tail: Option<usize>,
    pub since_ns: Option<i64>,
    pub limit: Option<usize>,
}

fn int(q: &Query, key: &str) -> Result<Option<i64>, ApiError> {
    match q.get(key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!("strconv.ParseInt: parsing {v:?}: invalid syntax"))
        }),
    }
}

fn invalid(field: &str, value: impl std::fmt::Display, why: &str) -> ApiError {
    ApiError::unprocessable(format!(
        "PodLogOptions \"\" is invalid: {field}: Invalid value: {value}: {why}"
    ))
}

pub fn options(q: &Query, now_ns: i64) -> Result<Options, ApiError> {
    let tail = int(q, "tailLines")?;
    let since_s = int(q, "sinceSeconds")?;
    let limit = int(q, "limitBytes")?;
    if let Some(t) = tail.filter(|t| *t < 0) {
        return Err(invalid(
            "tailLines",
            t,
            "must be greater than or equal to 0",
        ));
    }
    if let Some(l) = limit.filter(|l| *l < 1) {
        return Err(invalid("limitBytes", l, "must be greater than 0"));
    }
    if let Some(s) = since_s.filter(|s| *s < 1) {
        return Err(invalid("sinceSeconds", s, "must be greater than 0"));
    }
    let since_time = match q.get("sinceTime") {
        None => None,
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .map_err(|_| {
                    ApiError::bad_request(format!(
                        "parsing time {t:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse"
                    ))
                })?
                .timestamp_nanos_opt()
                .unwrap_or(0),
        ),
    };
    if since_s.is_some() && since_time.is_some() {
        return Err(ApiError::unprocessable(
            "PodLogOptions \"\" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
        ));
    }
    Ok(Options {
        container: q
            .get("container")
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        follow: q.flag("follow"),
        previous: q.flag("previous"),
        timestamps: q.flag("timestamps"),
        tail: tail.map(|t| t as usize),
        since_ns: since_time.or(since_s.map(|s| now_ns - s * 1_000_000_000)),
        limit: limit.map(|l| l as usize),
    })
}

/// The run of `container` to read and whether it is still running, or the kubelet's refusal.
fn run_of(pod: &Value, container: &str, previous: bool) -> Result<(u64, bool), ApiError> {
    let name = obj::name(pod);
    let status = obj::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(container))
        });
    let waiting = |reason: &str| {
        ApiError::bad_request(format!(
            "container {container:?} in pod {name:?} is waiting to start: {reason}"
        ))
    };
    let Some(st) = status else {
        return Err(waiting("ContainerCreating"));
    };
    let restarts = st.get("restartCount").and_then(Value::as_u64).unwrap_or(0);
    let last = st.pointer("/lastState/terminated").is_some();
    let state = st.get("state");
    if previous {
        if !last {
            return Err(ApiError::bad_request(format!(
                "previous terminated container {container:?} in pod {name:?} not found"
            )));
        }
        // Running again: the run before this one; still backing off: the one that crashed.
        let running = state.and_then(|s| s.get("running")).is_some();
        return Ok((
            if running {
                restarts.saturating_sub(1)
            } else {
                restarts
            },
            false,
        ));
    }
    if state.and_then(|s| s.get("running")).is_some() {
        return Ok((restarts, true));
    }
    if last {
        return Ok((restarts, false));
    }
    let reason = state
        .and_then(|s| s.pointer("/waiting/reason"))
        .and_then(Value::as_str)
        .unwrap_or("ContainerCreating");
    Err(match reason {
        "ErrImagePull" => waiting("image can't be pulled"),
        "ImagePullBackOff" => waiting("trying and failing to pull image"),
        r => waiting(r),
    })
}

/// One entry as the kubelet writes it: each physical line, with the timestamp when asked.
fn render(l: &Line, timestamps: bool, out: &mut Vec<Vec<u8>>) {
    let ts = docs::rfc3339_nano(l.ts_ns);
    for part in l.text.split(|b| *b == b'\n') {
        let mut v = Vec::with_capacity(part.len() + 32);
        if timestamps {
            v.extend_from_slice(ts.as_bytes());
            v.push(b' ');
        }
        v.extend_from_slice(part);
        v.push(b'\n');
        out.push(v);
    }
}

fn lines_of(logs: &Logs, uid: &str, container: &str, run: u64, after: u64) -> Vec<Arc<Line>> {
    let Some(s) = logs.store() else { return vec![] };
    s.container(uid, container, after)
        .into_iter()
        .filter(|l| l.run == run)
        .collect()
}

pub async fn handle(
    env: &Arc<WatchEnv>,
    method: &str,
    ns: &str,
    name: &str,
    q: &Query,
) -> Response<Body> {
    if method != "GET" && method != "HEAD" {
        return http::error(&ApiError::method_not_allowed());
    }
    match respond(env, ns, name, q) {
        Ok(r) => r,
        Err(e) => http::error(&e),
    }
}

fn respond(
    env: &Arc<WatchEnv>,
    ns: &str,
    name: &str,
    q: &Query,
) -> Result<Response<Body>, ApiError> {
    let now_ns = crate::traces::now_us() * 1000;
    let opts = options(q, now_ns)?;
    let pod = env
        .store
        .get(Res::Pod, ns, name)
        .ok_or_else(|| ApiError::not_found(Res::Pod.def(), name))?;
    let names: Vec<&str> = obj::at(&pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| c.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let container = match &opts.container {
        Some(c) if names.contains(&c.as_str()) => c.clone(),
        Some(c) => {
            return Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )));
        }
        None if names.len() == 1 => names[0].to_string(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                names.join(" ")
            )));
        }
    };
    let (run, running) = run_of(&pod, &container, opts.previous)?;
    let uid = obj::uid(&pod).to_string();
    let Some(logs) = env.logs.clone() else {
        return Ok(text_response(Vec::new()));
    };
    let mut lines = lines_of(&logs, &uid, &container, run, 0);
    let mut last_seq = lines.last().map_or(0, |l| l.seq);
    if let Some(since) = opts.since_ns {
        lines.retain(|l| l.ts_ns >= since);
    }
    let mut out = Vec::new();
    for l in &lines {
        render(l, opts.timestamps, &mut out);
    }
    if let Some(t) = opts.tail {
        out.drain(..out.len().saturating_sub(t));
    }
    let mut budget = opts.limit.unwrap_or(usize::MAX);
    let first = take(out.concat(), &mut budget);
    if !(opts.follow && running) || budget == 0 {
        return Ok(text_response(first));
    }
    if last_seq == 0 {
        last_seq = logs.store().map_or(0, |s| s.last_seq());
    }
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let store = env.store.clone();
    let mut shutdown = env.shutdown.clone();
    let container_name = container.clone();
    let (ns, name) = (ns.to_string(), name.to_string());
    tokio::spawn(async move {
        if !first.is_empty() && tx.send(Bytes::from(first)).await.is_err() {
            return;
        }
        loop {
            let woken = logs.written.notified();
            let fresh = lines_of(&logs, &uid, &container_name, run, last_seq);
            if let Some(l) = fresh.last() {
                last_seq = l.seq;
            }
            let mut out = Vec::new();
            for l in &fresh {
                render(l, opts.timestamps, &mut out);
            }
            if !out.is_empty() {
                let chunk = take(out.concat(), &mut budget);
                if tx.send(Bytes::from(chunk)).await.is_err() || budget == 0 {
                    return;
                }
            }
            // The stream ends with the pod (or its container's run).
            let same = store.get(Res::Pod, &ns, &name).is_some_and(|p| {
                obj::uid(&p) == uid && run_of(&p, &container_name, false) == Ok((run, true))
            });
            if !same {
                return;
            }
            tokio::select! {
                _ = woken => {}
                _ = tokio::time::sleep(FOLLOW_POLL) => {}
                _ = shutdown.changed() => return,
                _ = tx.closed() => return,
            }
        }
    });
    let mut resp = Response::new(ChannelBody(rx).boxed());
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    Ok(resp)
}

fn take(mut bytes: Vec<u8>, budget: &mut usize) -> Vec<u8> {
    bytes.truncate(*budget);
    *budget -= bytes.len();
    bytes
}

fn text_response(body: Vec<u8>) -> Response<Body> {
    http::bytes(200, "text/plain", body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(user: Value) -> Value {
        json!({"metadata": {"name": "p"}, "status": {"containerStatuses": [user]}})
    }

    #[test]
    fn which_run_the_kubelet_reads() {
        let waiting = |r: &str| {
            pod(
                json!({"name": "user-container", "restartCount": 0, "state": {"waiting": {"reason": r}}}),
            )
        };
        let msg = |p: &Value, prev| run_of(p, "user-container", prev).unwrap_err().message;
        assert_eq!(
            msg(&waiting("ContainerCreating"), false),
            "container \"user-container\" in pod \"p\" is waiting to start: ContainerCreating"
        );
        assert_eq!(
            msg(&waiting("ImagePullBackOff"), false),
            "container \"user-container\" in pod \"p\" is waiting to start: trying and failing to pull image"
        );
        assert_eq!(
            msg(&waiting("ErrImagePull"), false),
            "container \"user-container\" in pod \"p\" is waiting to start: image can't be pulled"
        );
        assert_eq!(
            msg(&json!({"metadata": {"name": "p"}, "status": {}}), false),
            "container \"user-container\" in pod \"p\" is waiting to start: ContainerCreating"
        );
        let crashing = pod(json!({"name": "user-container", "restartCount": 4,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"exitCode": 1}}}));
        assert_eq!(run_of(&crashing, "user-container", false), Ok((4, false)));
        assert_eq!(run_of(&crashing, "user-container", true), Ok((4, false)));
        let recovered = pod(json!({"name": "user-container", "restartCount": 4,
            "state": {"running": {}}, "lastState": {"terminated": {"exitCode": 1}}}));
        assert_eq!(run_of(&recovered, "user-container", false), Ok((4, true)));
        assert_eq!(run_of(&recovered, "user-container", true), Ok((3, false)));
    }

    #[test]
    fn options_are_validated_like_pod_log_options() {
        let q = |s: &str| options(&Query::parse(Some(s)), 10_000_000_000);
        assert_eq!(q("sinceSeconds=3").unwrap().since_ns, Some(7_000_000_000));
        assert_eq!(
            q("sinceTime=1970-01-01T00:00:02Z").unwrap().since_ns,
            Some(2_000_000_000)
        );
        assert_eq!(
            q("sinceSeconds=1&sinceTime=1970-01-01T00:00:02Z")
                .unwrap_err()
                .code,
            422
        );
        assert_eq!(q("tailLines=x").unwrap_err().code, 400);
        assert_eq!(
            q("tailLines=2&follow=true&timestamps=true").unwrap().tail,
            Some(2)
        );
        assert_eq!(parse("/api/v1/namespaces/n/pods/p/log"), Some(("n", "p")));
        assert_eq!(parse("/api/v1/namespaces/n/pods/p/logs"), None);
    }
}

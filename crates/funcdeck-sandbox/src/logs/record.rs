//! What the simulated containers write: queue-proxy's request log (Knative's default
//! `logging.request-log-template`), the user container's chatter, start-up lines and crash
//! output. Which extra lines appear is drawn from the seeded generator, so a seed gives the
//! same mix in every run (when they appear follows the load).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Logs, PodMeta, QUEUE, USER, docs};
use crate::obj;
use crate::rng::{Rng, fnv64};

/// One request queue-proxy answered, as the metrics counted it.
pub struct Request<'a> {
    pub ns: &'a str,
    pub pod: &'a str,
    pub revision: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub code: u16,
    pub latency_ms: f64,
    /// When queue-proxy received it (µs since the epoch).
    pub start_us: i64,
    /// The trace the traces recorder made for it; `None` when not sampled.
    pub trace_id: Option<u128>,
}

/// A line with escapes a terminal would act on, a bell, a carriage return and bytes that are
/// not UTF-8: a client must show all of it inert.
pub const HOSTILE: &[u8] = b"\x1b[31mERROR\x1b[0m payment \x1b]0;owned-title\x07failed \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 bell\x07 cr\rOVERWRITTEN bytes \xff\xfe\xc3( end";

const MULTI: &str = "ERROR unhandled exception in handler\nTraceback (most recent call last):\n  File \"/app/main.py\", line 42, in handle\n    total = price / quantity\nZeroDivisionError: division by zero";

/// The request log line (keys as Knative's default template orders them).
pub fn request_line(r: &Request<'_>, trace: u128, pod_ip: &str, remote_port: u64) -> Vec<u8> {
    let v = json!({
        "httpRequest": {
            "requestMethod": r.method,
            "requestUrl": r.path,
            "requestSize": "0",
            "status": r.code,
            "responseSize": if r.code >= 500 { "21" } else { "13" },
            "userAgent": "Go-http-client/1.1",
            "remoteIp": format!("10.244.0.1:{remote_port}"),
            "serverIp": pod_ip,
            "referer": "",
            "latency": format!("{:.6}s", r.latency_ms / 1000.0),
            "protocol": "HTTP/1.1",
        },
        "traceId": crate::traces::hex_id(trace),
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

/// A user-container line for a request: (stderr, text).
fn user_line(rng: &mut Rng, r: &Request<'_>) -> (bool, Vec<u8>) {
    if r.code >= 500 {
        return match rng.below(3) {
            0 => (true, MULTI.as_bytes().to_vec()),
            1 => (true, format!("{{\"level\":\"error\",\"msg\":\"request failed\",\"path\":{:?},\"error\":\"upstream returned 503\",\"attempt\":3}}", r.path).into_bytes()),
            _ => (true, format!("ERROR {} {} failed: connection reset by peer", r.method, r.path).into_bytes()),
        };
    }
    let ms = r.latency_ms.round() as u64;
    let text = match rng.below(100) {
        0 => return (true, HOSTILE.to_vec()),
        1 => {
            let body: String = (0..18_000)
                .map(|i| (b'a' + (i % 26) as u8) as char)
                .collect();
            format!("DEBUG request body={body}")
        }
        2..30 => format!(
            "{{\"level\":\"info\",\"msg\":\"request handled\",\"path\":{:?},\"duration_ms\":{ms}}}",
            r.path
        ),
        30..45 => format!("WARN slow call to inventory took {ms}ms"),
        45..50 => format!(
            "{{\"level\":\"warn\",\"msg\":\"cache miss\",\"key\":\"item-{}\"}}",
            rng.below(1000)
        ),
        _ => format!("INFO handled {} {} in {ms}ms", r.method, r.path),
    };
    (false, text.into_bytes())
}

type Out = Vec<super::Pending>;

impl Logs {
    /// Writes the request log of each request and, sometimes, what the app said meanwhile.
    pub fn requests(&self, reqs: &[Request<'_>]) {
        let mut out: Out = Vec::new();
        {
            let Some(mut rng) = self.rng() else { return };
            for r in reqs {
                let pod = self.meta_of(r.ns, r.pod, r.revision);
                let trace = r.trace_id.unwrap_or_else(|| {
                    (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())
                });
                let end_ns = (r.start_us + (r.latency_ms * 1000.0) as i64) * 1000;
                if r.code >= 500 || rng.below(10) == 0 {
                    let (stderr, text) = user_line(&mut rng, r);
                    out.push((end_ns - 1_000_000, pod.clone(), USER, stderr, text));
                }
                let port = 30_000 + rng.below(30_000);
                let line = request_line(r, trace, &pod.ip, port);
                out.push((end_ns, pod, QUEUE, false, line));
            }
        }
        self.write(out);
    }

    /// The pod's metadata; a pod never registered (no start seen) is described from its name.
    fn meta_of(&self, ns: &str, pod: &str, revision: &str) -> Arc<PodMeta> {
        if let Some(m) = self.known(ns, pod) {
            return m;
        }
        self.pod(&json!({"metadata": {"name": pod, "namespace": ns,
            "uid": uid_of(ns, pod), "labels": {"app": revision, "serving.knative.dev/revision": revision}},
            "spec": {"containers": [{"image": ""}, {"image": ""}]}}))
    }

    /// A pod's containers have started: their start-up lines (the user container's run is its
    /// restart count from now on).
    pub fn started(&self, pod: &Value) {
        let meta = self.pod(pod);
        if let Some(mut s) = self.store() {
            s.set_run(&meta.uid, restarts(pod));
        }
        // Written as the pod turns Running: its containers started a moment ago.
        let now = crate::traces::now_us() * 1000 - 100_000_000;
        let key = format!(
            "{}/{}",
            meta.ns,
            obj::label(pod, crate::knative::L_REVISION).unwrap_or("")
        );
        let zap = |caller: &str, msg: &str| {
            let v = json!({"severity": "INFO", "timestamp": docs::rfc3339_nano(now),
                "logger": "queueproxy", "caller": caller, "message": msg,
                "commit": "4f1c2a9", "knative.dev/key": key, "knative.dev/pod": meta.name});
            serde_json::to_vec(&v).unwrap_or_default()
        };
        let mut out: Out = vec![
            (
                now,
                meta.clone(),
                QUEUE,
                false,
                zap("sharedmain/main.go:282", "Starting queue-proxy"),
            ),
            (
                now + 1_000,
                meta.clone(),
                QUEUE,
                false,
                zap(
                    "sharedmain/main.go:298",
                    "Starting http server metrics:9091",
                ),
            ),
            (
                now + 2_000,
                meta.clone(),
                QUEUE,
                false,
                zap("sharedmain/main.go:298", "Starting http server main:8012"),
            ),
        ];
        out.push((
            now + 50_000_000,
            meta.clone(),
            USER,
            false,
            b"INFO starting server".to_vec(),
        ));
        out.push((
            now + 60_000_000,
            meta.clone(),
            USER,
            false,
            b"INFO Listening on port 8080".to_vec(),
        ));
        // Now and then a pod greets the terminal in its own way (the seed decides which).
        if fnv64(&format!("{}/{}", meta.name, self.seed_mark())).is_multiple_of(7) {
            out.push((now + 61_000_000, meta.clone(), USER, true, HOSTILE.to_vec()));
        }
        self.write(out);
    }

    /// The user container's run `restarts` started and crashed with `output`.
    pub fn crashed(&self, pod: &Value, output: &str, restarts: u64) {
        let meta = self.pod(pod);
        if let Some(mut s) = self.store() {
            s.set_run(&meta.uid, restarts);
        }
        let now = crate::traces::now_us() * 1000;
        let mut out: Out = vec![(
            now - 900_000_000,
            meta.clone(),
            USER,
            false,
            b"INFO starting server".to_vec(),
        )];
        out.push((now, meta, USER, true, output.as_bytes().to_vec()));
        self.write(out);
    }

    /// Writes one line as container `container` of a known pod (tests, demos).
    pub fn line(&self, ns: &str, pod: &str, container: &str, stderr: bool, text: &[u8]) -> bool {
        let Some(meta) = self.known(ns, pod) else {
            return false;
        };
        let c = if container == QUEUE { QUEUE } else { USER };
        let now = crate::traces::now_us() * 1000;
        self.write(vec![(now, meta, c, stderr, text.to_vec())]);
        true
    }

    fn seed_mark(&self) -> u64 {
        self.seed
    }
}

fn restarts(pod: &Value) -> u64 {
    obj::at(pod, &["status", "containerStatuses"])
        .and_then(|a| a.get(0))
        .and_then(|c| c.get("restartCount"))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

fn uid_of(ns: &str, pod: &str) -> String {
    let h = fnv64(&format!("{ns}/{pod}"));
    let g = fnv64(&format!("{pod}/{ns}"));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        g >> 52,
        g & 0xffff_ffff_ffff
    )
}

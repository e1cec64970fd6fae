//! Shared helpers for the integration tests: start an in-process sandbox, run the real kubectl
//! against it (own kubeconfig and discovery cache per test: trap 8), and a tiny HTTP/1.1 client
//! that can read chunked watch streams line by line.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub mod conformance;
pub mod stack;

pub struct Env {
    pub sandbox: Sandbox,
    pub dir: tempfile::TempDir,
}

pub async fn start(functions: usize, ready_delay_ms: u64) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("nested/kubeconfig")),
        functions,
        ready_delay: Duration::from_millis(ready_delay_ms),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Env { sandbox, dir }
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Env {
    pub fn addr(&self) -> SocketAddr {
        self.sandbox.addr()
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Runs the real kubectl with this sandbox's kubeconfig and a private discovery cache.
    pub async fn kubectl(&self, args: &[&str]) -> Out {
        self.kubectl_env(args, &[]).await
    }

    /// `kubectl` with extra environment variables (e.g. `KUBE_EDITOR` for `kubectl edit`).
    pub async fn kubectl_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Out {
        let kubeconfig = self.sandbox.kubeconfig_path().unwrap().to_path_buf();
        let cache = self.dir.path().join("kube-cache");
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let envs: Vec<(String, String)> = envs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        tokio::task::spawn_blocking(move || {
            let out = Command::new("kubectl")
                .envs(envs)
                .env("KUBECONFIG", &kubeconfig)
                .env_remove("KUBECTL_EXTERNAL_DIFF")
                .arg("--cache-dir")
                .arg(&cache)
                .args(&args)
                .output()
                .expect("kubectl must be installed (see README: the sandbox is tested against the real kubectl)");
            Out {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        })
        .await
        .unwrap()
    }
}

impl Env {
    /// A long-running kubectl (e.g. `get -w`) with piped stdout, for the test to read and kill.
    pub fn kubectl_spawn(&self, args: &[&str]) -> std::process::Child {
        let kubeconfig = self.sandbox.kubeconfig_path().unwrap().to_path_buf();
        Command::new("kubectl")
            .env("KUBECONFIG", &kubeconfig)
            .arg("--cache-dir")
            .arg(self.dir.path().join("kube-cache"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// An executable `KUBE_EDITOR` script that runs `sed -i <expr>` on the file to edit.
    pub fn sed_editor(&self, name: &str, expr: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = self.dir.path().join(name);
        std::fs::write(&p, format!("#!/bin/sh\nexec sed -i '{expr}' \"$@\"\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH") {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    BufReader::new(s)
}

async fn read_head(r: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    r.read_line(&mut line).await.unwrap();
    let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).await.unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    (status, headers)
}

fn is_chunked(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
}

/// Reads one chunk; `None` at the terminating zero-size chunk or EOF.
async fn read_chunk(r: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut size = String::new();
    if r.read_line(&mut size).await.ok()? == 0 {
        return None;
    }
    let n = usize::from_str_radix(size.trim(), 16).ok()?;
    if n == 0 {
        return None;
    }
    let mut buf = vec![0; n + 2];
    r.read_exact(&mut buf).await.ok()?;
    buf.truncate(n);
    Some(buf)
}

pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut r = send(addr, method, path, headers, body).await;
    let (status, headers) = read_head(&mut r).await;
    let mut body = Vec::new();
    if is_chunked(&headers) {
        while let Some(c) = read_chunk(&mut r).await {
            body.extend(c);
        }
    } else {
        r.read_to_end(&mut body).await.unwrap();
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// A write with an explicit content type, for bodies the test builds byte by byte.
pub async fn raw(a: SocketAddr, method: &str, path: &str, ct: &str, body: &[u8]) -> Resp {
    request(a, method, path, &[("Content-Type", ct)], body).await
}

/// A JSON request made as `user` through the impersonation header.
pub async fn as_user(env: &Env, method: &str, path: &str, user: &str, body: &[u8]) -> Resp {
    request(
        env.addr(),
        method,
        path,
        &[
            ("Impersonate-User", user),
            ("Content-Type", "application/json"),
        ],
        body,
    )
    .await
}

/// The `message` of a Status error body ("" when there is none).
pub fn message(r: &Resp) -> String {
    r.json()["message"].as_str().unwrap_or("").to_string()
}

/// A minimal Knative Service in `default` running `image`.
pub fn svc(name: &str, image: &str) -> Value {
    serde_json::json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}})
}

pub async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"").await
}

/// Like [`get_json`], but an object that does not exist (yet) is `None`, not a failure: for
/// polling objects the controllers create asynchronously.
#[allow(dead_code)]
pub async fn try_get_json(addr: SocketAddr, path: &str) -> Option<Value> {
    let r = get(addr, path).await;
    if r.status == 404 {
        return None;
    }
    assert_eq!(
        r.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&r.body)
    );
    Some(r.json())
}

pub async fn get_json(addr: SocketAddr, path: &str) -> Value {
    let r = get(addr, path).await;
    assert_eq!(
        r.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

pub async fn send_json(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: &str,
    body: &Value,
) -> Resp {
    let bytes = serde_json::to_vec(body).unwrap();
    request(
        addr,
        method,
        path,
        &[("Content-Type", content_type)],
        &bytes,
    )
    .await
}

/// An open watch stream, read line by line.
pub struct Stream {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    r: BufReader<TcpStream>,
    buf: Vec<u8>,
    done: bool,
}

impl Stream {
    /// The next event line as JSON; `None` when the stream ended (or `wait` passed).
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        loop {
            if let Some(pos) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=pos).collect();
                return Some(serde_json::from_slice(&line).unwrap());
            }
            if self.done {
                return None;
            }
            match tokio::time::timeout(wait, read_chunk(&mut self.r)).await {
                Ok(Some(c)) => self.buf.extend(c),
                Ok(None) => self.done = true,
                Err(_) => return None,
            }
        }
    }

    /// Every remaining event until the server closes the stream (bounded by `wait` per line).
    pub async fn rest(&mut self, wait: Duration) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(v) = self.next(wait).await {
            out.push(v);
        }
        out
    }

    pub fn ended(&self) -> bool {
        self.done && self.buf.is_empty()
    }
}

pub async fn watch(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Stream {
    let mut r = send(addr, "GET", path, headers, b"").await;
    let (status, headers) = read_head(&mut r).await;
    let chunked = is_chunked(&headers);
    let mut s = Stream {
        status,
        headers,
        r,
        buf: Vec::new(),
        done: false,
    };
    if !chunked {
        let mut body = Vec::new();
        s.r.read_to_end(&mut body).await.unwrap();
        s.buf = body;
        s.done = true;
    }
    s
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {secs}s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The column names of a kubectl table's header line.
pub fn columns(out: &str) -> Vec<&str> {
    out.lines().next().unwrap().split_whitespace().collect()
}

pub fn ready(o: &Value) -> Option<(String, String)> {
    o["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
        .map(|c| {
            (
                c["status"].as_str().unwrap_or("").to_string(),
                c["reason"].as_str().unwrap_or("").to_string(),
            )
        })
}

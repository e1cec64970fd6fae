//! Seeding and listing at demo-cluster scale: `SandboxConfig { functions: 10_000 }` must start
//! in well under 3 s (release), and a 10,000-object list must be served quickly over HTTP, paged
//! (kube's watcher: `limit=500`) and unpaged (`kubectl get -A`).
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const FUNCTIONS: usize = 10_000;

fn config() -> SandboxConfig {
    SandboxConfig {
        functions: FUNCTIONS,
        ..SandboxConfig::default()
    }
}

/// One HTTP/1.1 GET with `Connection: close`; returns the raw response bytes.
async fn get(addr: SocketAddr, path: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    assert!(out.starts_with(b"HTTP/1.1 200"), "{path}");
    out
}

/// Follows `continue` tokens until the list is complete; returns the number of pages.
async fn list_paged(addr: SocketAddr, base: &str) -> usize {
    let mut pages = 0;
    let mut cont = String::new();
    loop {
        let path = if cont.is_empty() {
            format!("{base}?limit=500")
        } else {
            format!("{base}?limit=500&continue={cont}")
        };
        let raw = get(addr, &path).await;
        pages += 1;
        let body = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| &raw[i + 4..])
            .unwrap();
        let text = String::from_utf8_lossy(body);
        // Bodies may be chunked: find the token textually.
        match text.split("\"continue\":\"").nth(1) {
            Some(rest) => cont = rest.split('"').next().unwrap().to_string(),
            None => return pages,
        }
        if cont.is_empty() {
            return pages;
        }
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("sandbox");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    // Startup only: the shutdown (dropping 70,000 objects) is not part of what users wait for.
    g.bench_function("seed_10k_functions", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = std::time::Instant::now();
                let sandbox = rt.block_on(Sandbox::start(config())).unwrap();
                total += t.elapsed();
                rt.block_on(sandbox.shutdown());
            }
            total
        })
    });
    let sandbox = rt.block_on(Sandbox::start(config())).unwrap();
    let addr = sandbox.addr();
    g.bench_function("list_10k_ksvc_unpaged", |b| {
        b.iter(|| rt.block_on(get(addr, "/apis/serving.knative.dev/v1/services")))
    });
    g.bench_function("list_10k_ksvc_paged_500", |b| {
        b.iter(|| rt.block_on(list_paged(addr, "/apis/serving.knative.dev/v1/services")))
    });
    g.bench_function("list_10k_ksvc_table", |b| {
        b.iter(|| {
            rt.block_on(async {
                let mut s = TcpStream::connect(addr).await.unwrap();
                let req = format!(
                    "GET /apis/serving.knative.dev/v1/services HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json;as=Table;v=v1;g=meta.k8s.io\r\nConnection: close\r\n\r\n"
                );
                s.write_all(req.as_bytes()).await.unwrap();
                let mut out = Vec::new();
                s.read_to_end(&mut out).await.unwrap();
                out
            })
        })
    });
    g.finish();
    // Dropping signals the server and controllers to stop; the process exits right after.
    drop(sandbox);
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! DESIGN.md §9: `funcdeck fn list -A -o json` with 5,000 functions on the sandbox must be faster
//! than `kubectl get ksvc -A -o json` on the same sandbox. Both are run as the user runs them:
//! a fresh process each time, output to a pipe that is drained and discarded.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use funcdeck_sandbox::{Sandbox, SandboxConfig};

const FUNCTIONS: usize = 5_000;

fn run_to_null(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("command runs");
    assert!(status.success(), "{command:?} failed");
}

fn fn_list_vs_kubectl(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxConfig {
            kubeconfig_out: Some(kubeconfig.clone()),
            functions: FUNCTIONS,
            ..SandboxConfig::default()
        }))
        .expect("sandbox starts");
    let cache = dir.path().join("kube-cache");
    let funcdeck = |kubeconfig: &Path| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_funcdeck"));
        command
            .args(["fn", "list", "-A", "-o", "json", "--kubeconfig"])
            .arg(kubeconfig)
            .env("FUNCDECK_STATE_DIR", dir.path().join("state"));
        command
    };
    let kubectl = |kubeconfig: &Path| {
        let mut command = Command::new("kubectl");
        command
            .args(["get", "ksvc", "-A", "-o", "json", "--kubeconfig"])
            .arg(kubeconfig)
            .arg("--cache-dir")
            .arg(&cache);
        command
    };
    let mut group = c.benchmark_group("list 5,000 functions as JSON");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("funcdeck fn list -A -o json", |b| {
        b.iter(|| run_to_null(&mut funcdeck(&kubeconfig)))
    });
    group.bench_function("kubectl get ksvc -A -o json", |b| {
        b.iter(|| run_to_null(&mut kubectl(&kubeconfig)))
    });
    group.finish();
    runtime.block_on(sandbox.shutdown());
}

criterion_group!(benches, fn_list_vs_kubectl);
criterion_main!(benches);

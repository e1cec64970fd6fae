//! Shared helpers for integration tests that run the real `funcdeck` binary.
#![allow(dead_code)]

pub mod cluster;
pub mod logs;
pub mod metered;
pub mod runner;
pub mod tmux;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: `FUNCDECK_BIN` (the release build, as CI sets it) or Cargo's build.
pub fn funcdeck_bin() -> PathBuf {
    std::env::var_os("FUNCDECK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_funcdeck")))
}

/// A `funcdeck` command with private config and state dirs, so tests never touch the user's.
pub fn funcdeck(home: &Path) -> Command {
    let mut command = Command::new(funcdeck_bin());
    command
        .env("FUNCDECK_CONFIG_DIR", home.join("config"))
        .env("FUNCDECK_STATE_DIR", home.join("state"))
        .env_remove("KUBECONFIG");
    command
}

/// `funcdeck sandbox` running in the background; killed on drop.
pub struct SandboxProcess {
    pub child: Child,
    pub kubeconfig: PathBuf,
}

impl SandboxProcess {
    pub fn start(home: &Path, functions: usize, seed: u64) -> SandboxProcess {
        let (functions, seed) = (functions.to_string(), seed.to_string());
        Self::start_with(home, &["--functions", &functions, "--seed", &seed])
    }

    /// `funcdeck sandbox ARGS…` (`--bare`, `--scenario …`).
    pub fn start_with(home: &Path, args: &[&str]) -> SandboxProcess {
        let mut child = funcdeck(home)
            .arg("sandbox")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn funcdeck sandbox");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().expect("a first line").expect("readable");
        let kubeconfig = PathBuf::from(
            first
                .strip_prefix("kubeconfig: ")
                .unwrap_or_else(|| panic!("expected `kubeconfig: PATH`, got {first:?}")),
        );
        let second = lines.next().expect("a second line").expect("readable");
        assert_eq!(second, "ready");
        SandboxProcess { child, kubeconfig }
    }

    pub fn kubectl(&self, cache: &Path) -> Command {
        let mut command = Command::new("kubectl");
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(cache);
        command
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run command");
    Output {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Polls `check` until it returns `Some`, or panics with `what` after `timeout`.
pub fn wait_for<T>(timeout: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

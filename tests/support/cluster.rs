//! A `funcdeck sandbox` to run the CLI against, with kubectl pointed at the same cluster to
//! check what it did. funcdeck runs without a terminal (as in a script), so a question it
//! would ask is refused.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use super::{Output, SandboxProcess, funcdeck, run, wait_for};

pub struct Cluster {
    pub home: tempfile::TempDir,
    pub sandbox: SandboxProcess,
    pub kubeconfig: String,
}

impl Cluster {
    pub fn start(functions: usize, seed: u64) -> Cluster {
        let (functions, seed) = (functions.to_string(), seed.to_string());
        Self::start_with(&["--functions", &functions, "--seed", &seed])
    }

    /// A sandbox started with `funcdeck sandbox ARGS…`.
    pub fn start_with(args: &[&str]) -> Cluster {
        let home = tempfile::tempdir().expect("tempdir");
        let sandbox = SandboxProcess::start_with(home.path(), args);
        let kubeconfig = sandbox.kubeconfig.to_str().expect("utf8 path").to_owned();
        Cluster {
            home,
            sandbox,
            kubeconfig,
        }
    }

    pub fn funcdeck(&self, args: &[&str]) -> Output {
        run(funcdeck(self.home.path())
            .args(args)
            .args(["--kubeconfig", &self.kubeconfig])
            .stdin(Stdio::null()))
    }

    pub fn kubectl(&self, args: &[&str]) -> Output {
        run(self
            .sandbox
            .kubectl(&self.home.path().join("kube-cache"))
            .args(args))
    }

    pub fn kubectl_json(&self, args: &[&str]) -> Value {
        let out = self.kubectl(&[args, &["-o", "json"]].concat());
        assert_eq!(out.status, 0, "kubectl {args:?}: {}", out.stderr);
        serde_json::from_str(&out.stdout).expect("kubectl prints JSON")
    }

    /// `kubectl apply` (client-side, as people do) of a manifest given as JSON.
    pub fn apply(&self, manifest: &Value) {
        let path = self.home.path().join("manifest.json");
        std::fs::write(&path, manifest.to_string()).expect("write manifest");
        let out = self.kubectl(&["apply", "-f", path.to_str().expect("utf8 path")]);
        assert_eq!(out.status, 0, "kubectl apply: {}", out.stderr);
    }

    /// Applies a function's manifest, then waits for `revision` (in `default`) to be ready.
    pub fn apply_and_wait(&self, manifest: &Value, revision: &str) {
        self.apply(manifest);
        wait_for(Duration::from_secs(20), "the revision to be ready", || {
            let ready = self.kubectl(&[
                "get",
                "revision",
                revision,
                "-n",
                "default",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}",
            ]);
            (ready.stdout == "True").then_some(())
        });
    }
}

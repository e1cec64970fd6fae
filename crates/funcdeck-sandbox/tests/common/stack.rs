//! Helpers for the stack tests: a small sandbox (bare or not, with scenarios, a short workload
//! delay), server-side apply of a YAML text, and a CRD with two served versions.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use funcdeck_sandbox::{Sandbox, SandboxConfig, Scenario};

use super::{Env, Out};

pub async fn start(bare: bool, scenarios: Vec<Scenario>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 1,
        ready_delay: Duration::from_millis(50),
        workload_delay: Duration::from_millis(100),
        bare,
        scenarios,
        ..SandboxConfig::default()
    };
    Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    }
}

pub const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.dev
spec:
  group: example.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1alpha1
    served: true
    storage: false
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  - name: v1beta1
    served: true
    storage: true
    subresources: {status: {}}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
";

pub const WIDGET: &str = "apiVersion: example.dev/v1beta1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {size: 3}
";

pub async fn apply(env: &Env, name: &str, yaml: &str) -> Out {
    let f = env.file(name, yaml);
    env.kubectl(&["apply", "--server-side", "-f", f.to_str().unwrap()])
        .await
}

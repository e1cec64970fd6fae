//! The stack installer against the in-process simulated cluster: a bare (or seeded) sandbox
//! whose workloads come up fast, third-party releases written to a directory (air-gapped) and
//! pinned by their digests, and helpers that run an install or uninstall to its end.

use std::time::Duration;

use funcdeck_core::cluster::{ClusterTarget, connect};
use funcdeck_core::stack::cluster::StackCluster;
use funcdeck_core::stack::session::{self, Prepared};
use funcdeck_core::stack::upstream::sha256_hex;
use funcdeck_core::stack::{Bundle, Component, Options, Pin, Plan, Run, Timing};
use funcdeck_sandbox::{PrometheusMode, Sandbox, SandboxConfig, Scenario};

pub struct StackEnv {
    pub sandbox: Sandbox,
    pub kubeconfig: std::path::PathBuf,
    pub cluster: StackCluster,
    pub bundle: Bundle,
    /// Where the third-party releases lie, as on an air-gapped machine.
    pub from: tempfile::TempDir,
    _dir: tempfile::TempDir,
}

/// A stand-in for cert-manager's release: its namespace, a CRD and the webhook's workload.
pub const CERT_MANAGER: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: cert-manager}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: certificates.cert-manager.io}
spec:
  group: cert-manager.io
  scope: Namespaced
  names: {kind: Certificate, listKind: CertificateList, plural: certificates, singular: certificate}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cert-manager-webhook, namespace: cert-manager}
spec:
  replicas: 1
  selector: {matchLabels: {app: webhook}}
  template:
    metadata: {labels: {app: webhook}}
    spec: {containers: [{name: webhook, image: quay.io/jetstack/cert-manager-webhook:v1.16.2}]}
"#;

/// A stand-in for the OpenTelemetry operator's release: the collector CRD and the manager.
pub const OTEL_OPERATOR: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: opentelemetry-operator-system}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: opentelemetrycollectors.opentelemetry.io}
spec:
  group: opentelemetry.io
  scope: Namespaced
  names: {kind: OpenTelemetryCollector, listKind: OpenTelemetryCollectorList, plural: opentelemetrycollectors, singular: opentelemetrycollector, shortNames: [otelcol]}
  versions:
    - name: v1beta1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: opentelemetry-operator-controller-manager, namespace: opentelemetry-operator-system}
spec:
  replicas: 1
  selector: {matchLabels: {control-plane: controller-manager}}
  template:
    metadata: {labels: {control-plane: controller-manager}}
    spec: {containers: [{name: manager, image: ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.120.0}]}
"#;

/// Fast enough for tests, slow enough that waiting is exercised (workloads take 100 ms).
pub fn timing() -> Timing {
    Timing {
        step_timeout: Duration::from_secs(20),
        stall_grace: Duration::from_secs(1),
        poll: Duration::from_millis(100),
    }
}

pub async fn start(bare: bool, scenarios: Vec<Scenario>) -> StackEnv {
    start_config(SandboxConfig {
        bare,
        scenarios,
        ..SandboxConfig::default()
    })
    .await
}

/// A sandbox from `config`, with the kubeconfig, pace and Prometheus every stack test uses.
pub async fn start_config(config: SandboxConfig) -> StackEnv {
    funcdeck_core::tls::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        workload_delay: Duration::from_millis(100),
        // A real Prometheus behind monitoring/prometheus once the stack's workload is ready
        // (.ci/run installs Debian's package).
        prometheus: PrometheusMode::Auto,
        ..config
    })
    .await
    .expect("sandbox starts");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(dir.path().join("kubeconfig")),
        context: None,
    })
    .await
    .expect("connect");
    let from = tempfile::tempdir().expect("tempdir");
    let mut pins = Vec::new();
    for (name, file, text) in [
        ("cert-manager", "cert-manager.yaml", CERT_MANAGER),
        (
            "opentelemetry-operator",
            "opentelemetry-operator.yaml",
            OTEL_OPERATOR,
        ),
    ] {
        std::fs::write(from.path().join(file), text).expect("write release");
        pins.push((
            name.to_string(),
            Pin {
                version: "v0.0.0-test".into(),
                url: format!("http://127.0.0.1:9/{file}"),
                sha256: sha256_hex(text.as_bytes()),
                file: file.into(),
            },
        ));
    }
    let bundle = Bundle::embedded().expect("manifests").with_pins(pins);
    StackEnv {
        sandbox,
        kubeconfig: dir.path().join("kubeconfig"),
        cluster: StackCluster::new(&conn),
        bundle,
        from,
        _dir: dir,
    }
}

pub fn options(components: &[Component]) -> Options {
    Options {
        components: components.to_vec(),
        ..Options::default()
    }
}

impl StackEnv {
    pub async fn prepare(&self, options: &Options) -> Prepared {
        session::prepare(&self.cluster, &self.bundle, options, Some(self.from.path()))
            .await
            .expect("prepared")
    }

    pub async fn plan(&self, prepared: &Prepared) -> Plan {
        session::plan_for(&self.cluster, prepared)
            .await
            .expect("planned")
    }

    /// Plans and installs `options`' components, and returns the finished run.
    pub async fn install(&self, options: &Options) -> Run {
        self.install_with(options, timing()).await
    }

    pub async fn install_with(&self, options: &Options, timing: Timing) -> Run {
        let prepared = self.prepare(options).await;
        let plan = self.plan(&prepared).await;
        let mut run = Run::install(&plan, prepared.verifies.clone(), timing).expect("no refusal");
        session::drive(&mut run, &self.cluster, |_| {}).await;
        run
    }

    /// The same cluster as another of the kubeconfig's users (`sandbox-developer`, …).
    pub async fn as_context(&self, context: &str) -> StackCluster {
        let conn = connect(&ClusterTarget {
            kubeconfig: Some(self.kubeconfig.clone()),
            context: Some(context.into()),
        })
        .await
        .expect("connect");
        StackCluster::new(&conn)
    }

    pub async fn uninstall(&self, options: &Options) -> Run {
        let prepared = session::prepare_own(&self.cluster, &self.bundle, options)
            .await
            .expect("prepared");
        let found =
            session::found_for_uninstall(&self.cluster, &prepared.desired, &prepared.components)
                .await
                .expect("found");
        let mut run = Run::uninstall(found, timing());
        session::drive(&mut run, &self.cluster, |_| {}).await;
        run
    }
}

//! The command line (DESIGN.md §7 is the contract): the TUI by default, subcommands for scripts.

mod fn_create;
mod fn_delete;
mod fn_get;
mod fn_invoke;
mod fn_list;
mod fn_online;
mod fn_prune;
mod fn_revisions;
mod fn_rollback;
mod fn_templates;
mod fn_traffic;
mod fn_update;
mod follow;
pub(crate) mod gate;
mod logs;
mod logs_follow;
mod metrics;
pub(crate) mod output;
mod quota;
mod rbac_args;
mod rbac_grant;
mod rbac_roles;
mod rbac_who_can;
mod read;
mod sandbox;
mod sandbox_args;
mod spec_args;
mod stack;
mod stack_args;
mod stack_report;
mod tenant;
mod trace;
mod traces;
mod usage;

pub use spec_args::{FnCreateArgs, FnTemplatesArgs, FnUpdateArgs};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_core::functions::NamespaceScope;

pub use fn_create::fn_create;
pub use fn_delete::fn_delete;
pub use fn_get::fn_get;
pub use fn_invoke::{FnInvokeArgs, fn_invoke};
pub use fn_list::fn_list;
pub use fn_online::{FnVisibilityArgs, fn_visibility};
pub use fn_prune::fn_prune;
pub use fn_revisions::fn_revisions;
pub use fn_rollback::fn_rollback;
pub use fn_templates::fn_templates;
pub use fn_traffic::{FnTrafficArgs, fn_traffic};
pub use fn_update::fn_update;
pub use gate::Gate;
pub use logs::{LogsArgs, logs};
pub use metrics::{MetricsArgs, metrics};
pub use quota::{QuotaCommand, quota_get, quota_set};
pub use rbac_args::{RbacCommand, RolesAction};
pub use rbac_grant::rbac_grant;
pub use rbac_roles::{rbac_roles, rbac_roles_install};
pub use rbac_who_can::rbac_who_can;
pub use sandbox::{EmbeddedSandbox, serve_sandbox, start_embedded_sandbox};
pub use sandbox_args::{SandboxArgs, Switch};
pub use stack::{stack_install, stack_plan, stack_status, stack_uninstall};
pub use stack_args::{StackArgs, StackCommand};
pub use tenant::{TenantCommand, tenant_create, tenant_list};
pub use trace::{TraceArgs, trace};
pub use traces::{TracesArgs, traces};
pub use usage::{UsageArgs, usage};

#[derive(Debug, Parser)]
#[command(
    name = "funcdeck",
    version,
    about = "A keyboard-driven console for Knative serverless platforms",
    long_about = "A keyboard-driven console for Knative serverless platforms.\n\n\
        Without a subcommand, opens the TUI on the current kube context (KUBECONFIG is honoured as \
        kubectl does). `funcdeck --sandbox` opens it on a built-in simulated cluster."
)]
pub struct Cli {
    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Run on a built-in simulated cluster (no Kubernetes needed); --context picks one of its
    /// personas: sandbox-admin, sandbox-developer (namespace shop only), sandbox-viewer
    #[arg(long, conflicts_with = "kubeconfig")]
    pub sandbox: bool,

    /// Functions seeded into the built-in sandbox
    #[arg(long, default_value_t = 24, hide = true)]
    pub sandbox_functions: usize,

    /// Seed for the built-in sandbox's demo content
    #[arg(long, default_value_t = 1, hide = true)]
    pub sandbox_seed: u64,

    /// With --sandbox: the Knative metric names it exports, 1.18 (OpenCensus) or 1.19
    /// (OpenTelemetry)
    #[arg(
        long = "metrics-era",
        default_value = "1.19",
        value_name = "1.18|1.19",
        requires = "sandbox"
    )]
    pub sandbox_metrics_era: funcdeck_sandbox::MetricsEra,

    /// With --sandbox: its Prometheus, auto (start the `prometheus` on PATH), off, or the
    /// http:// URL of one to serve as monitoring/prometheus:9090
    #[arg(
        long = "prometheus",
        default_value = "auto",
        value_name = "auto|off|URL",
        requires = "sandbox"
    )]
    pub sandbox_prometheus: funcdeck_sandbox::PrometheusMode,

    /// With --sandbox: serve its logs as logging/elasticsearch:9200 (on), or not (off: the
    /// logs pane reads the pods' logs instead)
    #[arg(
        long = "elasticsearch",
        default_value = "on",
        value_name = "on|off",
        requires = "sandbox"
    )]
    pub sandbox_elasticsearch: Switch,
    /// With --sandbox: start it without the observability stack (no Prometheus, Jaeger or
    /// Elasticsearch objects; their panes stay dark until the stack is installed)
    #[arg(long = "bare", requires = "sandbox")]
    pub sandbox_bare: bool,

    /// Disable every action that changes the cluster (the CLI refuses them with exit code 1)
    #[arg(long, global = true)]
    pub readonly: bool,

    /// Theme name: shipped (default, light) or <config dir>/themes/NAME.toml
    #[arg(long, default_value = "default", value_name = "T")]
    pub theme: String,

    /// Keymap name: <config dir>/keymaps/NAME.toml laid over the default keymap
    #[arg(long, default_value = "default", value_name = "K")]
    pub keymap: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to reach the cluster; accepted before or after any subcommand.
#[derive(Debug, Clone, Args)]
pub struct ClusterArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use (default: its current-context)
    #[arg(long, global = true, value_name = "C")]
    pub context: Option<String>,

    /// Namespace to show (default: the context's namespace)
    #[arg(short = 'n', long, global = true, value_name = "NS", value_parser = parse_namespace)]
    pub namespace: Option<String>,

    /// Show all namespaces
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    pub all_namespaces: bool,
}

impl ClusterArgs {
    pub fn target(&self) -> ClusterTarget {
        ClusterTarget {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
        }
    }

    /// The scope asked for, if any; `None` means the context's default namespace.
    pub fn scope(&self) -> Option<NamespaceScope> {
        if self.all_namespaces {
            Some(NamespaceScope::All)
        } else {
            self.namespace.clone().map(NamespaceScope::One)
        }
    }
}

// Parsed once per run: the variants' sizes do not matter, and boxing would only make every
// dispatch arm harder to read.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with functions (Knative Services)
    #[command(name = "fn", subcommand)]
    Function(FnCommand),
    /// funcdeck's roles, grants and who can do what
    #[command(subcommand)]
    Rbac(RbacCommand),
    /// A namespace's ResourceQuotas and LimitRanges: show them, set its quota
    #[command(subcommand)]
    Quota(QuotaCommand),
    /// Namespaces that host functions: list them with usage and roles, create one from a preset
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// A function's metrics from Prometheus: requests/s, latency p50/p95/p99, 5xx ratio,
    /// concurrency, pods and cold starts, in total and per revision
    Metrics(MetricsArgs),
    /// Metering from Prometheus: invocations, pod-seconds, GB-seconds and CPU-seconds per
    /// function and tenant over a period
    Usage(UsageArgs),
    /// A function's recent traces from Jaeger: duration, spans, errors, revision, cold start,
    /// and the cold starts over the window
    Traces(TracesArgs),
    /// One trace from Jaeger: its waterfall as text, or every span as JSON
    Trace(TraceArgs),
    /// A function's logs: from Elasticsearch when there is one, else from its pods; -f
    /// follows them
    Logs(LogsArgs),
    /// The observability stack (metrics, tracing, logging, Knative's wiring): plan, install,
    /// status and uninstall, online or from a directory (air-gapped)
    #[command(subcommand)]
    Stack(StackCommand),
    /// Run the simulated cluster in the foreground, for kubectl and funcdeck to use
    Sandbox(SandboxArgs),
}

#[derive(Debug, Subcommand)]
pub enum FnCommand {
    /// List functions
    #[command(visible_alias = "ls")]
    List(FnListArgs),
    /// Show one function: conditions, traffic, revisions (and why one is not ready), pods, events
    Get(FnGetArgs),
    /// List one function's revisions, newest first, with their traffic and ready pods
    Revisions(FnGetArgs),
    /// Delete a function with its revisions, routes and pods (asks you to type its name)
    #[command(visible_alias = "rm")]
    Delete(FnDeleteArgs),
    /// Delete a function's revisions that carry no traffic and no tag (not the latest ones)
    Prune(FnPruneArgs),
    /// Send all traffic back to the previous ready revision, or to --to REV (tags are kept)
    Rollback(FnRollbackArgs),
    /// Create a function from an image or a language template (see `fn templates`)
    Create(FnCreateArgs),
    /// Change a function's image or settings: a new revision, which takes over once ready
    Update(FnUpdateArgs),
    /// List the language x OS templates `fn create --template` can start from
    Templates(FnTemplatesArgs),
    /// Split traffic across revisions and @latest, tag and untag revisions (previewed first)
    Traffic(FnTrafficArgs),
    /// Take a function off the external ingress (cluster-local): no external traffic, so it
    /// scales to zero; config, revisions and the split are kept
    Offline(FnVisibilityArgs),
    /// Undo `fn offline`: the function's visibility as it was before
    Online(FnVisibilityArgs),
    /// Send one HTTP request to a function (or one of its tags) through the cluster's ingress
    /// gateway; prints the status, headers, body and latency
    Invoke(FnInvokeArgs),
}

#[derive(Debug, Args)]
pub struct FnRollbackArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    /// The revision to send all traffic to (default: the previous ready one)
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,

    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnPruneArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    /// Keep this many of the newest prunable revisions
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub keep: usize,

    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnDeleteArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnGetArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnListArgs {
    /// Label selector, e.g. app=shop,tier!=batch
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
}

/// Namespaces are DNS-1123 labels; reject anything else before it reaches a URL.
fn parse_namespace(value: &str) -> Result<String, String> {
    if funcdeck_core::names::is_namespace_name(value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "\"{value}\" is not a valid namespace name (lower-case letters, digits and '-', at most 63)"
        ))
    }
}

/// Function (Knative Service) names are DNS labels too; reject anything else before it reaches
/// a URL.
pub(crate) fn parse_function_name(value: &str) -> Result<String, String> {
    if funcdeck_core::names::is_namespace_name(value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "\"{value}\" is not a valid function name (lower-case letters, digits and '-', at most 63)"
        ))
    }
}

#[cfg(test)]
mod tests;

//! `funcdeck stack`'s subcommands and the options every one of them takes (the same choices
//! the wizard offers).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use funcdeck_core::stack::{Component, LogStore, Options, Timing};

use super::OutputFormat;

#[derive(Debug, Subcommand)]
pub enum StackCommand {
    /// What installing would do, object by object: create, change (with the diff) or unchanged
    Plan(StackArgs),
    /// Install (or finish installing) the components: apply in order, wait until ready, verify
    Install(StackArgs),
    /// Each component: ready, not-installed, progressing or failed, with the reason
    Status(StackArgs),
    /// Delete everything funcdeck installed for the components, in reverse order
    Uninstall(StackArgs),
}

#[derive(Debug, Args, Clone)]
pub struct StackArgs {
    /// Which components, comma-separated: metrics, tracing, logging, wiring
    #[arg(long, value_name = "LIST", default_value = "metrics,tracing,logging,wiring", value_parser = parse_components)]
    pub components: Components,
    /// Read third-party release manifests from this directory instead of downloading them
    /// (air-gapped clusters); each must match its pinned SHA-256
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// The log store: elasticsearch or opensearch
    #[arg(long, value_name = "STORE", default_value = "elasticsearch", value_parser = LogStore::parse)]
    pub log_store: LogStore,
    #[arg(long, value_name = "NS", default_value = "monitoring")]
    pub metrics_namespace: String,
    #[arg(long, value_name = "NS", default_value = "observability")]
    pub tracing_namespace: String,
    #[arg(long, value_name = "NS", default_value = "logging")]
    pub logging_namespace: String,
    /// Prometheus's volume size
    #[arg(long, value_name = "SIZE", default_value = "10Gi")]
    pub metrics_storage: String,
    /// How long Prometheus keeps samples
    #[arg(long, value_name = "DURATION", default_value = "15d")]
    pub metrics_retention: String,
    /// The log store's volume size
    #[arg(long, value_name = "SIZE", default_value = "30Gi")]
    pub log_storage: String,
    /// The share of requests Knative traces, 0 to 1
    #[arg(long, value_name = "RATE", default_value = "0.1")]
    pub sample_rate: String,
    /// How long each step may take to become ready (e.g. 5m, 90s)
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = funcdeck_core::duration::parse)]
    pub timeout: std::time::Duration,
    /// How long a pod may stay stuck (image pull, unbound volume, crash loop) before the step fails
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = funcdeck_core::duration::parse)]
    pub stall_grace: std::time::Duration,
    /// Install or uninstall without asking
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// The components named on the command line, in install order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components(pub Vec<Component>);

fn parse_components(text: &str) -> Result<Components, String> {
    Component::parse_list(text).map(Components)
}

impl StackArgs {
    pub fn options(&self) -> Options {
        Options {
            components: self.components.0.clone(),
            metrics_namespace: self.metrics_namespace.clone(),
            tracing_namespace: self.tracing_namespace.clone(),
            logging_namespace: self.logging_namespace.clone(),
            metrics_storage: self.metrics_storage.clone(),
            metrics_retention: self.metrics_retention.clone(),
            log_storage: self.log_storage.clone(),
            log_store: self.log_store,
            sample_rate: self.sample_rate.clone(),
        }
    }

    pub fn timing(&self) -> Timing {
        Timing {
            step_timeout: self.timeout,
            stall_grace: self.stall_grace,
            ..Timing::default()
        }
    }
}

//! The arguments of `fn create`, `fn update` and `fn templates`; the flags the first two share
//! become a `SpecChange`, every problem reported at the flag that caused it before anything is
//! sent.

use std::time::Duration;

use clap::Args;

use super::{OutputFormat, parse_function_name};
use funcdeck_core::function::spec_parse::{parse_key_value, parse_resources, parse_scale};
use funcdeck_core::function::{Field, SpecChange};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).multiple(true).args(["template", "image"])))]
pub struct FnCreateArgs {
    /// The function's name
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Start from a language template, e.g. go or python:alpine (its image unless --image)
    #[arg(long, value_name = "LANG[:OS]")]
    pub template: Option<String>,

    #[command(flatten)]
    pub spec: SpecArgs,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnUpdateArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    #[command(flatten)]
    pub spec: SpecArgs,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct FnTemplatesArgs {
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Args, Default)]
pub struct SpecArgs {
    /// The container image to run
    #[arg(long, value_name = "IMG")]
    pub image: Option<String>,

    /// Set an environment variable (KEY=VALUE), or remove one (KEY-); repeatable
    #[arg(long = "env", short = 'e', value_name = "K=V")]
    pub env: Vec<String>,

    /// Resource requests, e.g. cpu=250m,memory=256Mi (RESOURCE- removes one)
    #[arg(long, value_name = "cpu=Q,memory=Q")]
    pub request: Option<String>,

    /// Resource limits, e.g. cpu=1,memory=512Mi,gpu=1 (gpu is nvidia.com/gpu)
    #[arg(long, value_name = "cpu=Q,memory=Q,gpu=N")]
    pub limit: Option<String>,

    /// Requests one pod handles at once (containerConcurrency; 0 = unlimited)
    #[arg(long, value_name = "N")]
    pub concurrency: Option<u32>,

    /// Pods to run: MIN..MAX, MIN.., ..MAX, or N for exactly N
    #[arg(long, value_name = "MIN..MAX")]
    pub scale: Option<String>,

    /// Pods to start a new revision with (autoscaling.knative.dev/initial-scale)
    #[arg(long, value_name = "N")]
    pub scale_init: Option<u32>,

    /// Concurrent requests per pod the autoscaler aims for (autoscaling.knative.dev/target)
    #[arg(long, value_name = "N")]
    pub scale_target: Option<u32>,

    /// Request timeout of the function, in seconds (timeoutSeconds)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u32>,

    /// The port the container listens on
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// A label on the function and its revisions (KEY=VALUE, or KEY- to remove); repeatable
    #[arg(long = "label", short = 'l', value_name = "K=V")]
    pub labels: Vec<String>,

    /// An annotation on the function and its revisions (KEY=VALUE, or KEY-); repeatable
    #[arg(long = "annotation", short = 'a', value_name = "K=V")]
    pub annotations: Vec<String>,

    /// Name the new revision (NAME- is prefixed when missing); default: Knative's next number
    #[arg(long, value_name = "NAME")]
    pub revision_name: Option<String>,

    /// Wait until the new revision is ready (or has failed) and report it
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits, e.g. 90s, 5m
    #[arg(long, value_name = "D", default_value = "5m", value_parser = parse_wait)]
    pub wait_timeout: Duration,
}

/// The flag a field comes from, to point at it.
pub fn flag_of(field: Field) -> &'static str {
    match field {
        Field::Name => "NAME",
        Field::Image => "--image",
        Field::Env => "--env",
        Field::Requests => "--request",
        Field::Limits => "--limit",
        Field::Concurrency => "--concurrency",
        Field::MinScale | Field::MaxScale => "--scale",
        Field::InitialScale => "--scale-init",
        Field::Target => "--scale-target",
        Field::Timeout => "--timeout",
        Field::Port => "--port",
        Field::Labels => "--label",
        Field::Annotations => "--annotation",
        Field::RevisionName => "--revision-name",
    }
}

impl SpecArgs {
    /// The change these flags ask for, laid over `base` (a template's settings, or nothing).
    pub fn change(&self, mut base: SpecChange) -> anyhow::Result<SpecChange> {
        let at = |flag: &'static str| move |why: String| anyhow::anyhow!("{flag}: {why}");
        if let Some(image) = &self.image {
            base.image = Some(image.clone());
        }
        for item in &self.env {
            let pair = parse_key_value(item).map_err(at("--env"))?;
            lay_over(&mut base.env, vec![pair]);
        }
        if let Some(text) = &self.request {
            let pairs = parse_resources(text).map_err(at("--request"))?;
            lay_over(&mut base.requests, pairs);
        }
        if let Some(text) = &self.limit {
            let pairs = parse_resources(text).map_err(at("--limit"))?;
            lay_over(&mut base.limits, pairs);
        }
        if let Some(text) = &self.scale {
            let (min, max) = parse_scale(text).map_err(at("--scale"))?;
            base.min_scale = min.or(base.min_scale);
            base.max_scale = max.or(base.max_scale);
        }
        for item in &self.labels {
            let pair = parse_key_value(item).map_err(at("--label"))?;
            lay_over(&mut base.labels, vec![pair]);
        }
        for item in &self.annotations {
            let pair = parse_key_value(item).map_err(at("--annotation"))?;
            lay_over(&mut base.annotations, vec![pair]);
        }
        base.concurrency = self.concurrency.or(base.concurrency);
        base.initial_scale = self.scale_init.or(base.initial_scale);
        base.target = self.scale_target.or(base.target);
        base.timeout_seconds = self.timeout.or(base.timeout_seconds);
        base.port = self.port.or(base.port);
        base.revision_name = self.revision_name.clone().or(base.revision_name);
        let errors: Vec<String> = base
            .check()
            .iter()
            .map(|e| format!("{}: {}", flag_of(e.field), e.message))
            .collect();
        if !errors.is_empty() {
            anyhow::bail!("{}", errors.join("\n"));
        }
        Ok(base)
    }
}

/// A flag's keys replace the same keys of the template's (in place), others are added.
fn lay_over(base: &mut Vec<(String, Option<String>)>, flags: Vec<(String, Option<String>)>) {
    for (key, value) in flags {
        match base.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => base.push((key, value)),
        }
    }
}

/// `90s`, `5m`, `1h`, `2m30s` (the forms every duration flag takes).
fn parse_wait(text: &str) -> Result<Duration, String> {
    funcdeck_core::duration::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_a_change_and_problems_name_their_flag() {
        let args = SpecArgs {
            image: Some("ghcr.io/acme/x:1".into()),
            env: vec!["A=1".into(), "B-".into()],
            request: Some("cpu=250m,memory=256Mi".into()),
            scale: Some("1..3".into()),
            ..SpecArgs::default()
        };
        let change = args.change(SpecChange::default()).expect("valid");
        assert_eq!(
            change.env,
            [("A".into(), Some("1".into())), ("B".into(), None)]
        );
        assert_eq!((change.min_scale, change.max_scale), (Some(1), Some(3)));

        let bad = SpecArgs {
            limit: Some("cpu=lots".into()),
            ..SpecArgs::default()
        };
        assert_eq!(
            bad.change(SpecChange::default()).map_err(|e| e.to_string()).err(),
            Some("--limit: cpu: \"lots\" is not a quantity: it must start with a number, e.g. 250m, 1, 512Mi".into())
        );
        let bad = SpecArgs {
            env: vec!["oops".into()],
            ..SpecArgs::default()
        };
        assert!(
            bad.change(SpecChange::default())
                .is_err_and(|e| e.to_string().starts_with("--env: "))
        );
    }

    #[test]
    fn flags_replace_the_templates_keys() {
        let template = SpecChange {
            requests: vec![
                ("cpu".into(), Some("100m".into())),
                ("memory".into(), Some("64Mi".into())),
            ],
            ..SpecChange::default()
        };
        let args = SpecArgs {
            request: Some("cpu=250m".into()),
            ..SpecArgs::default()
        };
        let change = args.change(template).expect("valid");
        assert_eq!(
            change.requests,
            [
                ("cpu".into(), Some("250m".into())),
                ("memory".into(), Some("64Mi".into()))
            ]
        );
    }

    #[test]
    fn wait_durations() {
        assert_eq!(parse_wait("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_wait("2m30s"), Ok(Duration::from_secs(150)));
        assert!(parse_wait("5").is_err());
        assert!(parse_wait("soon").is_err());
    }
}

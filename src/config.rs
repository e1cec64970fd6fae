//! Where funcdeck keeps its files, and loading the user's keymap and theme with safe fallbacks.
//!
//! `FUNCDECK_CONFIG_DIR` and `FUNCDECK_STATE_DIR` override the platform directories (tests use
//! them to stay hermetic; users can use them to keep funcdeck's files elsewhere).

use std::path::{Path, PathBuf};

use funcdeck_core::backend::EndpointConfig;

mod elasticsearch;
pub use elasticsearch::ElasticsearchConfig;

use crate::keymap::Keymap;
use crate::theme::{Theme, ThemeSource};

#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub state_dir: PathBuf,
}

impl Paths {
    pub fn discover() -> Self {
        let dirs = directories::ProjectDirs::from("dev", "funcdeck", "funcdeck");
        let fallback = std::env::temp_dir().join("funcdeck");
        let config_dir = std::env::var_os("FUNCDECK_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().to_path_buf()))
            .unwrap_or_else(|| fallback.join("config"));
        let state_dir = std::env::var_os("FUNCDECK_STATE_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                dirs.as_ref().map(|d| {
                    d.state_dir()
                        .unwrap_or_else(|| d.data_local_dir())
                        .to_path_buf()
                })
            })
            .unwrap_or_else(|| fallback.join("state"));
        Paths {
            config_dir,
            state_dir,
        }
    }

    pub fn themes_dir(&self) -> PathBuf {
        self.config_dir.join("themes")
    }

    pub fn keymaps_dir(&self) -> PathBuf {
        self.config_dir.join("keymaps")
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
}

/// `<config dir>/config.toml`: settings per kube context, and backend endpoints for every
/// context that does not name its own.
///
/// ```toml
/// [prometheus]                 # any context without its own
/// url = "http://prometheus.example:9090"
///
/// [contexts.prod]
/// readonly = true   # every change refused on this context, as with --readonly
///
/// [contexts.prod.prometheus]
/// service = "metrics/prometheus-k8s:9090"
///
/// [jaeger]                     # traces; the same keys
/// service = "tracing/jaeger-query:16686"
///
/// [elasticsearch]              # logs; the same keys, and which indices
/// url = "https://logs.example:9200"
/// indices = "logstash-*,fluent-bit*"
///
/// [logs]
/// buffer_lines = 100000        # lines a logs pane keeps (the oldest go first)
///
/// [stack.upstream.cert-manager] # the stack installer's pin of a third-party release
/// version = "v1.16.2"
/// url = "https://mirror.example/cert-manager.yaml"
/// sha256 = "…"                 # lowercase hex; the file is used only when it matches
/// file = "cert-manager.yaml"   # its name in `funcdeck stack install --from DIR`
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub contexts: std::collections::BTreeMap<String, ContextConfig>,
    pub prometheus: Option<EndpointConfig>,
    pub jaeger: Option<EndpointConfig>,
    pub elasticsearch: Option<ElasticsearchConfig>,
    /// Which Knative metrics the clusters export (`1.18` or `1.19`); unset: read off the
    /// metric names Prometheus has.
    pub metrics_era: Option<String>,
    #[serde(default)]
    pub logs: LogsConfig,
    #[serde(default)]
    pub stack: StackConfig,
}

/// `[stack]`: the stack installer's third-party releases, when a platform team pins other
/// versions (or its own mirror) than the ones funcdeck ships: `[stack.upstream.cert-manager]`
/// with `version`, `url`, `sha256` and `file`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackConfig {
    #[serde(default)]
    pub upstream: std::collections::BTreeMap<String, funcdeck_core::stack::Pin>,
}

/// `[logs]`: how the logs pane keeps its lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsConfig {
    /// Lines a logs pane keeps at most; a long tail lets the oldest go, so memory stays flat.
    #[serde(default = "default_buffer_lines")]
    pub buffer_lines: usize,
}

impl Default for LogsConfig {
    fn default() -> Self {
        LogsConfig {
            buffer_lines: default_buffer_lines(),
        }
    }
}

fn default_buffer_lines() -> usize {
    funcdeck_core::elastic::DEFAULT_CAPACITY
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextConfig {
    #[serde(default)]
    pub readonly: bool,
    pub prometheus: Option<EndpointConfig>,
    pub jaeger: Option<EndpointConfig>,
    pub elasticsearch: Option<ElasticsearchConfig>,
    /// As the top-level `metrics_era`, for this context.
    pub metrics_era: Option<String>,
}

impl Config {
    /// The config file, or the defaults with a warning when it cannot be read or parsed.
    pub fn load(paths: &Paths, warnings: &mut Vec<String>) -> Config {
        let path = paths.config_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Config::default(),
            Err(error) => {
                warnings.push(format!(
                    "cannot read {}: {error}; using defaults",
                    path.display()
                ));
                return Config::default();
            }
        };
        let config = toml::from_str(&text).unwrap_or_else(|error: toml::de::Error| {
            warnings.push(format!(
                "{}: {}; using defaults",
                path.display(),
                error.message()
            ));
            Config::default()
        });
        let eras = std::iter::once(("", config.metrics_era.as_deref())).chain(
            config
                .contexts
                .iter()
                .map(|(name, c)| (name.as_str(), c.metrics_era.as_deref())),
        );
        for (context, era) in eras {
            if let Some(Err(why)) = era.map(funcdeck_core::prometheus::dialect::Era::parse) {
                let at = if context.is_empty() {
                    String::new()
                } else {
                    format!(" for context {context}")
                };
                warnings.push(format!(
                    "{}: {why}{at}; reading it off the metric names instead",
                    path.display()
                ));
            }
        }
        config
    }

    /// The Prometheus endpoint configured for `context` (its own table wins over the global
    /// one, whole); `None` means: find it through the cluster.
    pub fn prometheus_for(&self, context: &str) -> Option<&EndpointConfig> {
        self.endpoint(context, |c| c.prometheus.as_ref(), self.prometheus.as_ref())
    }

    /// The Jaeger query endpoint configured for `context`, as [`Config::prometheus_for`].
    pub fn jaeger_for(&self, context: &str) -> Option<&EndpointConfig> {
        self.endpoint(context, |c| c.jaeger.as_ref(), self.jaeger.as_ref())
    }

    /// The Elasticsearch / OpenSearch endpoint configured for `context`, as
    /// [`Config::prometheus_for`].
    pub fn elasticsearch_for(&self, context: &str) -> Option<&EndpointConfig> {
        self.elasticsearch_table(context).map(|e| &e.endpoint)
    }

    /// The indices to search on `context`: from the same table as
    /// [`Config::elasticsearch_for`], else [`funcdeck_core::elastic::DEFAULT_INDICES`].
    pub fn elasticsearch_indices_for(&self, context: &str) -> &str {
        self.elasticsearch_table(context)
            .map_or(funcdeck_core::elastic::DEFAULT_INDICES, |e| e.indices())
    }

    fn elasticsearch_table(&self, context: &str) -> Option<&ElasticsearchConfig> {
        self.contexts
            .get(context)
            .and_then(|c| c.elasticsearch.as_ref())
            .or(self.elasticsearch.as_ref())
    }

    fn endpoint<'a>(
        &'a self,
        context: &str,
        own: impl Fn(&'a ContextConfig) -> Option<&'a EndpointConfig>,
        global: Option<&'a EndpointConfig>,
    ) -> Option<&'a EndpointConfig> {
        self.contexts.get(context).and_then(own).or(global)
    }

    /// The Knative metrics era pinned for `context` (its own setting wins), `None` when the
    /// config leaves it to detection; an unknown era is an error naming it.
    pub fn metrics_era_for(
        &self,
        context: &str,
    ) -> Result<Option<funcdeck_core::prometheus::dialect::Era>, String> {
        self.contexts
            .get(context)
            .and_then(|c| c.metrics_era.as_deref())
            .or(self.metrics_era.as_deref())
            .map(funcdeck_core::prometheus::dialect::Era::parse)
            .transpose()
    }

    /// The contexts marked `readonly = true`.
    pub fn readonly_contexts(&self) -> std::collections::BTreeSet<String> {
        self.contexts
            .iter()
            .filter(|(_, c)| c.readonly)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// What the UI needs from configuration, plus the warnings to show for anything that fell back.
pub struct UiSettings {
    pub keymap: Keymap,
    pub theme: Theme,
    pub warnings: Vec<String>,
}

pub fn load_ui_settings(paths: &Paths, theme_name: &str, keymap_name: &str) -> UiSettings {
    let mut warnings = Vec::new();
    let keymap = load_keymap(&paths.keymaps_dir(), keymap_name, &mut warnings);
    let themes_dir = paths.themes_dir();
    let theme = match Theme::load(
        theme_name,
        &ThemeSource {
            user_dir: Some(&themes_dir),
        },
    ) {
        Ok(theme) => theme,
        Err(error) => {
            warnings.push(format!("{error}; using the default theme"));
            Theme::builtin()
        }
    };
    UiSettings {
        keymap,
        theme,
        warnings,
    }
}

fn load_keymap(dir: &Path, name: &str, warnings: &mut Vec<String>) -> Keymap {
    let defaults = Keymap::defaults();
    let path = dir.join(format!("{name}.toml"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if name != "default" {
                warnings.push(format!(
                    "keymap \"{name}\" not found at {}; using the default keymap",
                    path.display()
                ));
            }
            return defaults;
        }
        Err(error) => {
            warnings.push(format!(
                "cannot read keymap {}: {error}; using the default keymap",
                path.display()
            ));
            return defaults;
        }
    };
    match Keymap::parse(&text) {
        Ok(user) => defaults.merged_with(user),
        Err(error) => {
            warnings.push(format!(
                "keymap {}: {error}; using the default keymap",
                path.display()
            ));
            defaults
        }
    }
}

#[cfg(test)]
mod tests;

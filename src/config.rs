//! Where funcdeck keeps its files, and loading the user's keymap and theme with safe fallbacks.
//!
//! `FUNCDECK_CONFIG_DIR` and `FUNCDECK_STATE_DIR` override the platform directories (tests use
//! them to stay hermetic; users can use them to keep funcdeck's files elsewhere).

use std::path::{Path, PathBuf};

use funcdeck_core::backend::EndpointConfig;

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
/// [elasticsearch]              # logs; the same keys
/// url = "https://logs.example:9200"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub contexts: std::collections::BTreeMap<String, ContextConfig>,
    pub prometheus: Option<EndpointConfig>,
    pub jaeger: Option<EndpointConfig>,
    pub elasticsearch: Option<EndpointConfig>,
    /// Which Knative metrics the clusters export (`1.18` or `1.19`); unset: read off the
    /// metric names Prometheus has.
    pub metrics_era: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextConfig {
    #[serde(default)]
    pub readonly: bool,
    pub prometheus: Option<EndpointConfig>,
    pub jaeger: Option<EndpointConfig>,
    pub elasticsearch: Option<EndpointConfig>,
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
        self.endpoint(
            context,
            |c| c.elasticsearch.as_ref(),
            self.elasticsearch.as_ref(),
        )
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
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::keymap::{Key, KeyContext};

    fn paths_in(dir: &Path) -> Paths {
        Paths {
            config_dir: dir.to_path_buf(),
            state_dir: dir.join("state"),
        }
    }

    #[test]
    fn config_marks_contexts_read_only_and_a_broken_file_warns() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = paths_in(dir.path());
        let mut warnings = Vec::new();
        assert_eq!(Config::load(&paths, &mut warnings), Config::default());
        std::fs::write(
            paths.config_file(),
            "[contexts.prod]\nreadonly = true\n[contexts.dev]\nreadonly = false\n",
        )
        .expect("write");
        let config = Config::load(&paths, &mut warnings);
        assert_eq!(
            config.readonly_contexts().into_iter().collect::<Vec<_>>(),
            ["prod"]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        std::fs::write(paths.config_file(), "[contexts.prod]\nread_only = true\n").expect("write");
        assert_eq!(Config::load(&paths, &mut warnings), Config::default());
        assert!(
            warnings[0].contains("unknown field `read_only`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn prometheus_comes_from_the_context_then_the_global_table() {
        let config: Config = toml::from_str(
            r#"
            [prometheus]
            url = "http://global:9090"
            timeout = "5s"

            [contexts.prod]
            readonly = true

            [contexts.prod.prometheus]
            service = "metrics/prometheus-k8s:9090"
            auth = { type = "bearer", token_file = "/run/token" }

            [contexts.dev]
            readonly = false
            "#,
        )
        .expect("parses");
        let prod = config.prometheus_for("prod").expect("prod's own");
        assert_eq!(prod.service.as_deref(), Some("metrics/prometheus-k8s:9090"));
        assert_eq!(
            prod.timeout, None,
            "the context's table replaces the global one whole"
        );
        let dev = config.prometheus_for("dev").expect("the global one");
        assert_eq!(dev.url.as_deref(), Some("http://global:9090"));
        assert_eq!(
            config
                .prometheus_for("unlisted")
                .and_then(|p| p.url.as_deref()),
            Some("http://global:9090")
        );
        assert_eq!(Config::default().prometheus_for("prod"), None);
        let bad = toml::from_str::<Config>("[contexts.prod.prometheus]\nuri = \"http://x\"\n");
        assert!(
            bad.expect_err("unknown key")
                .message()
                .contains("unknown field `uri`")
        );
    }

    #[test]
    fn jaeger_and_elasticsearch_are_configured_like_prometheus() {
        let config: Config = toml::from_str(
            r#"
            [jaeger]
            service = "tracing/jaeger-query:16686"
            [elasticsearch]
            url = "https://logs:9200"
            [contexts.prod.jaeger]
            url = "http://jaeger.prod:16686"
            "#,
        )
        .expect("parses");
        assert_eq!(
            config.jaeger_for("prod").and_then(|j| j.url.as_deref()),
            Some("http://jaeger.prod:16686")
        );
        assert_eq!(
            config.jaeger_for("dev").and_then(|j| j.service.as_deref()),
            Some("tracing/jaeger-query:16686")
        );
        assert_eq!(
            config
                .elasticsearch_for("prod")
                .and_then(|e| e.url.as_deref()),
            Some("https://logs:9200")
        );
        assert_eq!(config.prometheus_for("prod"), None);
    }

    #[test]
    fn no_user_files_means_defaults_and_no_warnings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = load_ui_settings(&paths_in(dir.path()), "default", "default");
        assert!(settings.warnings.is_empty(), "{:?}", settings.warnings);
        assert_eq!(
            settings
                .keymap
                .lookup(&[KeyContext::Functions, KeyContext::List], Key::plain('q')),
            Some(Command::Quit)
        );
    }

    #[test]
    fn broken_user_files_fall_back_with_a_warning_each() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("keymaps")).expect("mkdir");
        std::fs::write(dir.path().join("keymaps/default.toml"), "[global\n").expect("write");
        let settings = load_ui_settings(&paths_in(dir.path()), "neon", "default");
        assert_eq!(settings.warnings.len(), 2, "{:?}", settings.warnings);
        assert!(settings.warnings[0].contains("not valid TOML"));
        assert!(settings.warnings[1].contains("theme \"neon\" not found"));
        assert_eq!(
            settings
                .keymap
                .lookup(&[KeyContext::Functions, KeyContext::List], Key::plain('j')),
            Some(Command::Down)
        );
    }
}

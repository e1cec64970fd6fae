//! The manifests as the binary carries them (`manifests/`, embedded at build time): which files
//! and third-party releases make each component, and how to check its backend answers.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::component::Component;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/manifests.rs"));
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub upstream: Vec<String>,
    #[serde(default)]
    pub files: Vec<FileSpec>,
    pub verify: Option<Verify>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub path: String,
    /// `var=value`: the file is part of the component only when the option has that value.
    pub when: Option<String>,
}

/// The backend that must answer through the API server's service proxy once installed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    pub namespace: String,
    pub service: String,
    pub port: u16,
    pub path: String,
}

/// A third-party release manifest, pinned by URL and SHA-256.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub version: String,
    pub url: String,
    /// Lowercase hex; empty when no verified digest is known (then only `--from DIR` is used).
    #[serde(default)]
    pub sha256: String,
    /// The name looked for in `--from DIR`.
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentsFile {
    component: Vec<ComponentSpec>,
}

#[derive(Debug, Clone)]
pub struct Bundle {
    pub components: Vec<ComponentSpec>,
    pub upstream: BTreeMap<String, Pin>,
    files: BTreeMap<String, String>,
}

impl Bundle {
    /// The manifests built into this binary.
    pub fn embedded() -> Result<Self, String> {
        Self::from_files(
            embedded::FILES
                .iter()
                .map(|(path, text)| ((*path).to_string(), (*text).to_string())),
        )
    }

    /// A bundle from (relative path, text) pairs, as laid out in `manifests/`.
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>) -> Result<Self, String> {
        let files: BTreeMap<String, String> = files.into_iter().collect();
        let components_toml = files
            .get("components.toml")
            .ok_or("the manifests have no components.toml")?;
        let parsed: ComponentsFile = toml::from_str(components_toml)
            .map_err(|e| format!("manifests/components.toml: {}", e.message()))?;
        let upstream: BTreeMap<String, Pin> = match files.get("upstream.toml") {
            Some(text) => toml::from_str(text)
                .map_err(|e| format!("manifests/upstream.toml: {}", e.message()))?,
            None => BTreeMap::new(),
        };
        for spec in &parsed.component {
            Component::parse(&spec.name).map_err(|e| format!("manifests/components.toml: {e}"))?;
            for name in &spec.upstream {
                if !upstream.contains_key(name) {
                    return Err(format!(
                        "manifests/components.toml: {} names upstream {name:?}, which upstream.toml does not pin",
                        spec.name
                    ));
                }
            }
            for file in &spec.files {
                if !files.contains_key(&file.path) {
                    return Err(format!(
                        "manifests/components.toml: {} lists {}, which is not in manifests/",
                        spec.name, file.path
                    ));
                }
            }
        }
        Ok(Bundle {
            components: parsed.component,
            upstream,
            files,
        })
    }

    pub fn spec(&self, component: Component) -> Option<&ComponentSpec> {
        self.components.iter().find(|c| c.name == component.name())
    }

    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Replaces the pins of named releases (a platform team pinning other versions in its config).
    pub fn with_pins(mut self, pins: impl IntoIterator<Item = (String, Pin)>) -> Self {
        self.upstream.extend(pins);
        self
    }
}

impl FileSpec {
    /// Whether this file belongs to the component under these option values.
    pub fn applies(&self, vars: &BTreeMap<&'static str, String>) -> bool {
        let Some(condition) = &self.when else {
            return true;
        };
        let (var, value) = condition.split_once('=').unwrap_or((condition, ""));
        vars.get(var.trim()).is_some_and(|v| v == value.trim())
    }
}

//! Finding, reading and merging kubeconfig files, and picking a context.
//!
//! The environment is passed in as parameters (not read here) so the rules can be tested
//! without mutating process-global state from parallel tests.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use kube::config::Kubeconfig;

use crate::CoreError;

/// The merged kubeconfig and the files it came from (first file first).
#[derive(Debug, Clone)]
pub struct LoadedKubeconfig {
    pub config: Kubeconfig,
    pub paths: Vec<PathBuf>,
}

/// The context funcdeck will use, with the facts the UI shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedContext {
    pub context: String,
    pub cluster_name: String,
    pub server: String,
    pub namespace: String,
}

/// The candidate kubeconfig files, in precedence order, as kubectl would pick them:
/// the explicit path alone; else every non-empty entry of `KUBECONFIG`; else `~/.kube/config`.
pub fn kubeconfig_paths(
    explicit: Option<&Path>,
    kubeconfig_env: Option<&OsStr>,
    home: Option<&Path>,
) -> Vec<PathBuf> {
    if let Some(path) = explicit {
        return vec![path.to_path_buf()];
    }
    if let Some(value) = kubeconfig_env {
        let paths: Vec<PathBuf> = std::env::split_paths(value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !paths.is_empty() {
            return paths;
        }
    }
    home.map(|h| vec![h.join(".kube").join("config")])
        .unwrap_or_default()
}

/// Reads and merges the kubeconfig files that apply.
///
/// Missing files in a `KUBECONFIG` list are skipped (like kubectl); if none exists, or an
/// explicit file is missing, the result is [`CoreError::KubeconfigMissing`]. A file that
/// exists but cannot be read or parsed is [`CoreError::KubeconfigInvalid`] naming that file.
pub fn load_kubeconfig(
    explicit: Option<&Path>,
    kubeconfig_env: Option<&OsStr>,
    home: Option<&Path>,
) -> Result<LoadedKubeconfig, CoreError> {
    let searched = kubeconfig_paths(explicit, kubeconfig_env, home);
    let mut merged: Option<Kubeconfig> = None;
    let mut used = Vec::new();
    for path in &searched {
        if !path.exists() {
            continue;
        }
        let next = Kubeconfig::read_from(path).map_err(|e| CoreError::KubeconfigInvalid {
            path: path.clone(),
            reason: describe(&e),
        })?;
        merged = Some(match merged {
            None => next,
            Some(first) => first
                .merge(next)
                .map_err(|e| CoreError::KubeconfigInvalid {
                    path: path.clone(),
                    reason: describe(&e),
                })?,
        });
        used.push(path.clone());
    }
    match merged {
        Some(config) => Ok(LoadedKubeconfig {
            config,
            paths: used,
        }),
        None => Err(CoreError::KubeconfigMissing { searched }),
    }
}

impl LoadedKubeconfig {
    /// The file named in errors about the merged result.
    pub fn primary_path(&self) -> PathBuf {
        self.paths.first().cloned().unwrap_or_default()
    }

    /// Context names in file order.
    pub fn context_names(&self) -> Vec<String> {
        self.config
            .contexts
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// Picks the requested context, else `current-context`, and checks it leads to a server.
    pub fn resolve(&self, context: Option<&str>) -> Result<ResolvedContext, CoreError> {
        let invalid = |reason: String| CoreError::KubeconfigInvalid {
            path: self.primary_path(),
            reason,
        };
        let name = match context.or(self.config.current_context.as_deref()) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => {
                return Err(invalid(format!(
                    "no current-context is set; choose one with --context ({})",
                    listing(&self.context_names())
                )));
            }
        };
        let named = self
            .config
            .contexts
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| CoreError::UnknownContext {
                context: name.clone(),
                available: self.context_names(),
            })?;
        let ctx = named
            .context
            .as_ref()
            .ok_or_else(|| invalid(format!("context {name:?} is empty")))?;
        let cluster = self
            .config
            .clusters
            .iter()
            .find(|c| c.name == ctx.cluster)
            .and_then(|c| c.cluster.as_ref())
            .ok_or_else(|| {
                invalid(format!(
                    "context {name:?} refers to cluster {:?}, which is not defined",
                    ctx.cluster
                ))
            })?;
        let server = cluster
            .server
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid(format!("cluster {:?} has no server URL", ctx.cluster)))?;
        Ok(ResolvedContext {
            context: name,
            cluster_name: ctx.cluster.clone(),
            server: server.trim_end_matches('/').to_owned(),
            namespace: ctx
                .namespace
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "default".to_owned()),
        })
    }
}

fn listing(names: &[String]) -> String {
    if names.is_empty() {
        "the file defines no contexts".to_owned()
    } else {
        format!("available: {}", names.join(", "))
    }
}

/// kube's parse errors start with "failed to parse kubeconfig YAML: …"; keep the useful part.
fn describe(err: &kube::config::KubeconfigError) -> String {
    use kube::config::KubeconfigError as K;
    match err {
        // YAML errors come with a multi-line source excerpt; the first line names the problem
        // and its position, which is what fits a banner or a CLI error line.
        K::Parse(e) => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default().trim();
            format!("not a valid kubeconfig: {first}")
        }
        K::ReadConfig(e, _) => format!("cannot read it: {e}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;

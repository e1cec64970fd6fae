//! Each component's state on a cluster: ready (its backend answers), not installed,
//! progressing (objects missing or not ready yet, as after an interrupted install) or failed,
//! with the reason.

use serde::Serialize;

use super::cluster::StackCluster;
use super::component::Component;
use super::object::{COMPONENT_LABEL, ObjectRef, is_ours, owner_of};
use super::plan::{Action, plan};
use super::readiness::{Readiness, readiness};
use super::session::{Prepared, found_for_uninstall, observe};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Ready,
    NotInstalled,
    Progressing,
    Failed,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Ready => "ready",
            State::NotInstalled => "not-installed",
            State::Progressing => "progressing",
            State::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentStatus {
    pub component: Component,
    pub state: State,
    pub reason: String,
    /// funcdeck's objects found for it (its own manifests' and its third-party releases').
    pub objects: usize,
}

/// The state of every component `prepared` was rendered for (own manifests only is enough).
pub async fn status(
    cluster: &StackCluster,
    prepared: &Prepared,
) -> Result<Vec<ComponentStatus>, String> {
    let observed = observe(cluster, &prepared.desired).await?;
    let labelled = found_for_uninstall(cluster, &prepared.desired, &prepared.components).await?;
    let planned = plan(&prepared.desired, &observed);
    let mut out = Vec::new();
    for &component in &prepared.components {
        let mine: Vec<_> = planned
            .objects
            .iter()
            .filter(|p| p.desired.component == component)
            .collect();
        let found: Vec<&ObjectRef> = labelled
            .iter()
            .filter(|(_, c, shared)| *c == component && !shared)
            .map(|(r, _, _)| r)
            .collect();
        let (state, reason) = if component == Component::Wiring {
            wiring_state(&mine)
        } else {
            let foreign: Vec<String> = mine
                .iter()
                .filter_map(|p| match &p.action {
                    Action::Foreign { owner } => {
                        Some(format!("{} belongs to {owner}", p.desired.reference))
                    }
                    _ => None,
                })
                .collect();
            let missing: Vec<String> = mine
                .iter()
                .filter(|p| p.action == Action::Create)
                .map(|p| p.desired.reference.to_string())
                .collect();
            if found.is_empty() && !foreign.is_empty() {
                (
                    State::NotInstalled,
                    format!("not installed by funcdeck: {}", foreign.join("; ")),
                )
            } else if found.is_empty() {
                (State::NotInstalled, "not installed".to_string())
            } else if !missing.is_empty() {
                (
                    State::Progressing,
                    format!(
                        "{} of {} objects missing ({}); `funcdeck stack install` finishes it, `funcdeck stack uninstall` removes it",
                        missing.len(),
                        mine.len(),
                        abbreviate(&missing)
                    ),
                )
            } else {
                workloads_state(cluster, &found, &observed, prepared, component).await
            }
        };
        out.push(ComponentStatus {
            component,
            state,
            reason,
            objects: found.len(),
        });
    }
    Ok(out)
}

fn wiring_state(mine: &[&super::plan::Planned]) -> (State, String) {
    let missing = mine.iter().filter(|p| p.action == Action::Create).count();
    let changed: Vec<String> = mine
        .iter()
        .filter(|p| matches!(p.action, Action::Change { .. }))
        .map(|p| p.desired.reference.to_string())
        .collect();
    if mine.is_empty() || missing == mine.len() {
        return (State::NotInstalled, "Knative's ConfigMap not found".into());
    }
    if changed.is_empty() {
        let names: Vec<String> = mine
            .iter()
            .map(|p| p.desired.reference.to_string())
            .collect();
        return (
            State::Ready,
            format!("{} points at the collector", names.join(", ")),
        );
    }
    (
        State::NotInstalled,
        format!("{} does not point at the collector", changed.join(", ")),
    )
}

async fn workloads_state(
    cluster: &StackCluster,
    found: &[&ObjectRef],
    observed: &std::collections::BTreeMap<ObjectRef, serde_json::Value>,
    prepared: &Prepared,
    component: Component,
) -> (State, String) {
    for reference in found.iter().filter(|r| r.is_waitable()) {
        let object = match observed.get(*reference) {
            Some(o) => Some(o.clone()),
            None => cluster.get(reference).await.ok().flatten(),
        };
        let Some(object) = object else { continue };
        if !is_ours(&object)
            || object
                .pointer("/metadata/labels")
                .and_then(|l| l.get(COMPONENT_LABEL))
                .is_none()
        {
            return (
                State::Failed,
                format!("{reference} is managed by {}", owner_of(&object)),
            );
        }
        let pods = cluster.pods_of(&object).await;
        match readiness(&object, &pods) {
            Readiness::Ready => {}
            Readiness::Progressing(r) => return (State::Progressing, format!("{reference}: {r}")),
            Readiness::Stalled(r) | Readiness::Failed(r) => {
                return (State::Failed, format!("{reference}: {r}"));
            }
        }
    }
    let Some((_, verify)) = prepared.verifies.iter().find(|(c, _)| *c == component) else {
        return (State::Ready, "every object ready".into());
    };
    let at = format!("{}/{}:{}", verify.namespace, verify.service, verify.port);
    match cluster.verify(verify).await {
        Ok(()) => (State::Ready, format!("{at} answers")),
        Err(e) => (State::Progressing, format!("{at} does not answer yet: {e}")),
    }
}

fn abbreviate(names: &[String]) -> String {
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, and {} more", names[..3].join(", "), n - 3),
    }
}

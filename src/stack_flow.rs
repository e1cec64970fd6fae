//! The stack's steps that `funcdeck stack` and the wizard share, so both refuse, plan and speak
//! alike: the bundle with the config's pins, the plan checked before any write (objects someone
//! else owns, then the permission preflight), and the words for a plan, a step and an
//! uninstall.

use std::collections::BTreeMap;
use std::path::Path;

use funcdeck_core::stack::cluster::StackCluster;
use funcdeck_core::stack::session::{self, Prepared};
use funcdeck_core::stack::{Action, Bundle, Component, Options, Pin, Plan, StepState};

/// The manifests built in, with the config's pins of third-party releases over them.
pub fn bundle(pins: &BTreeMap<String, Pin>) -> Result<Bundle, String> {
    Ok(Bundle::embedded()?.with_pins(pins.clone()))
}

/// An install's plan and everything that stops it before a write.
#[derive(Debug, Clone)]
pub struct Checked {
    pub prepared: Prepared,
    pub plan: Plan,
    /// Objects that exist and belong to someone else.
    pub refusals: Vec<String>,
    /// Writes the user may not make.
    pub denied: Vec<String>,
}

/// Prepares the chosen components, plans them against the cluster and checks the plan; the
/// preflight runs only when nothing is refused already (its answer would not matter).
pub async fn checked_plan(
    cluster: &StackCluster,
    bundle: &Bundle,
    options: &Options,
    from: Option<&Path>,
) -> Result<Checked, String> {
    let prepared = session::prepare(cluster, bundle, options, from).await?;
    let plan = session::plan_for(cluster, &prepared).await?;
    let refusals = plan.refusals();
    let denied = if refusals.is_empty() {
        session::preflight(cluster, &plan).await
    } else {
        Vec::new()
    };
    Ok(Checked {
        prepared,
        plan,
        refusals,
        denied,
    })
}

impl Checked {
    /// Why the install may not start (nothing was written), with what to do about it.
    pub fn blocked(&self) -> Option<String> {
        blocked(&self.refusals, &self.denied)
    }
}

/// The refusal of an install, in the same words on the command line and in the wizard.
pub fn blocked(refusals: &[String], denied: &[String]) -> Option<String> {
    if !refusals.is_empty() {
        return Some(format!(
            "refusing to install; nothing was written:\n  {}\nchoose other namespaces or remove those objects",
            refusals.join("\n  ")
        ));
    }
    if !denied.is_empty() {
        return Some(format!(
            "refusing to install; nothing was written:\n  {}\nask a cluster admin for these permissions, or to run the install",
            denied.join("\n  ")
        ));
    }
    None
}

pub fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Change { .. } => "change",
        Action::Unchanged => "unchanged",
        Action::Foreign { .. } => "foreign",
        Action::Kept => "kept",
    }
}

/// "12 to create, 1 to change, 3 unchanged" and the refusals, for the confirmation.
pub fn plan_lines(plan: &Plan) -> Vec<String> {
    let mut lines = vec![counts(plan.objects.iter().map(|p| &p.action))];
    lines.extend(plan.refusals());
    lines
}

/// "12 to create, 1 to change, 3 unchanged" of some planned actions.
pub fn counts<'a>(actions: impl Iterator<Item = &'a Action>) -> String {
    let (mut create, mut change, mut same) = (0, 0, 0);
    for action in actions {
        match action {
            Action::Create => create += 1,
            Action::Change { .. } => change += 1,
            Action::Unchanged | Action::Kept => same += 1,
            Action::Foreign { .. } => {}
        }
    }
    format!("{create} to create, {change} to change, {same} unchanged")
}

/// A step's state in a word, and its reason when it has one.
pub fn state_name(state: &StepState) -> (&'static str, Option<&str>) {
    match state {
        StepState::Pending => ("pending", None),
        StepState::Retrying(r) => ("retrying", Some(r)),
        StepState::Applied => ("applied", None),
        StepState::Unchanged => ("unchanged", None),
        StepState::Waiting(r) => ("waiting", Some(r)),
        StepState::Ready => ("ready", None),
        StepState::Kept => ("kept", None),
        StepState::Deleting => ("deleting", None),
        StepState::Gone => ("gone", None),
        StepState::Released => ("released", None),
        StepState::Failed(r) => ("failed", Some(r)),
    }
}

/// `metrics,tracing`, as `--components` takes them.
pub fn component_list(components: &[Component]) -> String {
    components
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The confirmation's words for an uninstall of `count` objects.
pub fn uninstall_lines(count: usize, components: &[Component]) -> Vec<String> {
    vec![format!(
        "Deletes {count} object{} funcdeck installed for {} (and takes its keys out of Knative's ConfigMaps).",
        if count == 1 { "" } else { "s" },
        components
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(", ")
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_outranks_a_denial_and_nothing_blocks_a_clean_plan() {
        assert_eq!(blocked(&[], &[]), None);
        let both = blocked(&["a".into()], &["b".into()]).expect("blocked");
        assert!(both.contains("\n  a\nchoose other namespaces"), "{both}");
        let denied = blocked(&[], &["b".into()]).expect("blocked");
        assert!(denied.contains("ask a cluster admin"), "{denied}");
    }

    #[test]
    fn counts_put_kept_namespaces_with_the_unchanged() {
        let actions = [
            Action::Create,
            Action::Kept,
            Action::Change {
                diff: String::new(),
            },
            Action::Unchanged,
        ];
        assert_eq!(
            counts(actions.iter()),
            "1 to create, 1 to change, 2 unchanged"
        );
        assert_eq!(
            uninstall_lines(1, &[Component::Metrics])[0],
            "Deletes 1 object funcdeck installed for metrics (and takes its keys out of Knative's ConfigMaps)."
        );
    }
}

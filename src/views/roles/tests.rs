//! The roles view's model and input without a terminal: bound subjects per role, a grant
//! planned from the read (created, added to, already held), revokes of funcdeck's own
//! bindings only, and the typed subject with its scope.

use funcdeck_core::key::ObjectKey;
use funcdeck_core::rbac::{BindingScope, Grant, RbacSnapshot, SubjectRef, shipped_roles};
use serde_json::json;

use super::model::{plan, revoke_grant};
use super::*;
use crate::keymap::Key;

fn rbac() -> RbacSnapshot {
    let subject = |kind: &str, name: &str| json!({"kind": kind, "name": name, "namespace": "ci"});
    RbacSnapshot {
        roles: Vec::new(),
        cluster_roles: shipped_roles(),
        role_bindings: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "funcdeck:funcdeck-viewer:user:ann", "namespace": "shop",
                             "resourceVersion": "41"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                            "name": "funcdeck-viewer"},
                "subjects": [subject("User", "ann")]}))
            .expect("a binding"),
            serde_json::from_value(json!({
                "metadata": {"name": "by-hand", "namespace": "shop"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                            "name": "funcdeck-viewer"},
                "subjects": [subject("ServiceAccount", "bot"), subject("Robot", "r2")]}))
            .expect("a binding"),
        ],
        cluster_role_bindings: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "funcdeck:funcdeck-admin:group:ops"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                            "name": "funcdeck-admin"},
                "subjects": [subject("Group", "ops")]}))
            .expect("a binding"),
        ],
    }
}

fn grant(role: &str, subject: &str, scope: BindingScope) -> Grant {
    Grant {
        role: role.into(),
        subject: SubjectRef::parse(subject).expect("a subject"),
        scope,
    }
}

fn shop() -> BindingScope {
    BindingScope::Namespace("shop".into())
}

#[test]
fn each_role_counts_its_subjects_in_the_namespace_and_cluster_wide() {
    let entries = entries(&rbac());
    let counts: Vec<(&str, usize, usize)> = entries
        .iter()
        .map(|e| (e.role.name.as_str(), e.in_namespace(), e.cluster_wide()))
        .collect();
    assert_eq!(
        counts,
        [
            ("funcdeck-viewer", 3, 0),
            ("funcdeck-developer", 0, 0),
            ("funcdeck-admin", 0, 1)
        ]
    );
    let names: Vec<String> = entries[0].bound.iter().map(Bound::name).collect();
    assert_eq!(names, ["r2", "ci/bot", "ann"], "by binding, then kind");
}

#[test]
fn a_grant_creates_the_binding_or_adds_to_it_at_its_version() {
    let rbac = rbac();
    let (subjects, version) = plan(
        &rbac,
        &grant("funcdeck-developer", "user:bob", shop()),
        false,
    )
    .expect("a change");
    assert_eq!((subjects.len(), version), (1, None), "a new binding");
    let held = plan(&rbac, &grant("funcdeck-viewer", "user:ann", shop()), false)
        .expect_err("ann holds it");
    assert_eq!(
        held,
        "user ann already holds funcdeck-viewer in namespace shop through RoleBinding \
         funcdeck:funcdeck-viewer:user:ann; nothing to change"
    );
    let (subjects, version) =
        plan(&rbac, &grant("funcdeck-viewer", "user:ann", shop()), true).expect("a revoke");
    assert_eq!((subjects.len(), version.as_deref()), (0, Some("41")));
    let cluster = grant("funcdeck-admin", "group:ops", BindingScope::Cluster);
    assert!(plan(&rbac, &cluster, false).is_err(), "held cluster-wide");
}

#[test]
fn only_funcdecks_own_bindings_are_revoked_from_here() {
    let entries = entries(&rbac());
    let viewer = &entries[0];
    let by_hand = revoke_grant("funcdeck-viewer", &viewer.bound[1], "shop").expect_err("by hand");
    assert!(
        by_hand.contains("`kubectl edit rolebinding by-hand -n shop`"),
        "{by_hand}"
    );
    let robot = revoke_grant("funcdeck-viewer", &viewer.bound[0], "shop").expect_err("a robot");
    assert_eq!(robot, "cannot revoke from a Robot subject");
    let ann = revoke_grant("funcdeck-viewer", &viewer.bound[2], "shop").expect("ann's");
    assert_eq!(ann.binding_name(), "funcdeck:funcdeck-viewer:user:ann");
    let ops = revoke_grant("funcdeck-admin", &entries[2].bound[0], "shop").expect("cluster");
    assert_eq!(ops.scope, BindingScope::Cluster);
}

fn loaded() -> RolesView {
    let mut view = RolesView {
        namespace: "shop".into(),
        ..RolesView::default()
    };
    let snapshot = rbac();
    view.entries = entries(&snapshot);
    view.rbac.succeed(snapshot);
    view
}

#[test]
fn the_typed_subject_is_checked_and_the_scope_toggles() {
    let mut view = loaded();
    view.selected = 1;
    view.input = Some(GrantInput::default());
    for c in "sa:bot".chars() {
        view.on_key(Key::plain(c));
    }
    assert_eq!(
        view.on_input_command(Command::Confirm).map(|a| a.len()),
        Some(0)
    );
    let error = view.input.as_ref().and_then(|i| i.error.clone());
    assert_eq!(
        error.as_deref(),
        Some("\"bot\" is not a service account: write it as NAMESPACE/NAME")
    );
    view.on_key(Key::plain('x'));
    assert_eq!(view.input.as_ref().map(|i| i.error.is_none()), Some(true));
    view.on_input_command(Command::DeleteChar);
    view.on_key(Key::plain('/'));
    view.on_input_command(Command::ToggleScope);
    assert_eq!(
        view.input.as_ref().map(|i| i.text.as_str()),
        Some("sa:bot/")
    );
    if let Some(input) = view.input.as_mut() {
        input.text = "sa:ci/bot".into();
    }
    let actions = view.on_input_command(Command::Confirm).unwrap_or_default();
    let [Action::Request(Mutation::SetBinding { key, grant, .. })] = &actions[..] else {
        panic!("a grant: {actions:?}");
    };
    assert_eq!(grant.scope, BindingScope::Cluster, "toggled cluster-wide");
    assert_eq!(
        key,
        &ObjectKey::new("", "funcdeck:funcdeck-developer:sa:ci:bot")
    );
    assert!(view.input.is_none(), "typing ends with the request");
}

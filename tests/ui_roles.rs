//! `:roles` and who-can on ratatui's TestBackend: the roles with their bound counts, the
//! selected role's matrix and subjects, a shipped role not installed, a grant typed and shown
//! as the binding it writes, bad input, a persona refused up front; who-can for a query, a
//! function and a tenant's namespace.

mod screens;

use funcdeck::app::{App, Effect, Msg, Mutation, Reply, Ticket, ViewId};
use funcdeck::keymap::Key;
use funcdeck::views::View;
use funcdeck_core::access::AccessRules;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::rbac::{RbacSnapshot, shipped_roles};
use k8s_openapi::api::authorization::v1::ResourceRule;
use screens::{WIDTH, app, press, render_sized, reply};
use serde_json::{Value, json};

const HEIGHT: u16 = 40;

fn binding(kind: &str, name: &str, role: &str, subjects: Value) -> Value {
    let mut metadata = json!({"name": name, "resourceVersion": "7"});
    if kind == "RoleBinding" {
        metadata["namespace"] = json!("shop");
    }
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": metadata,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

fn user(name: &str) -> Value {
    json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name})
}

/// Viewer and developer installed (admin not), a custom funcdeck role; carol is a developer
/// in shop through funcdeck's binding, the group devs through a hand-made one, auditors view
/// everything cluster-wide.
fn snapshot() -> RbacSnapshot {
    let mut cluster_roles = shipped_roles();
    cluster_roles.truncate(2);
    cluster_roles.push(
        serde_json::from_value(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "release-bot", "labels": {"funcdeck.dev/role": "true"}},
            "rules": [{"apiGroups": ["serving.knative.dev"], "resources": ["services"],
                       "resourceNames": ["cart"], "verbs": ["get", "patch", "escalate"]}]}))
        .expect("a role"),
    );
    RbacSnapshot {
        roles: Vec::new(),
        cluster_roles,
        role_bindings: vec![
            serde_json::from_value(binding(
                "RoleBinding",
                "funcdeck:funcdeck-developer:user:carol",
                "funcdeck-developer",
                json!([user("carol")]),
            ))
            .expect("a binding"),
            serde_json::from_value(binding(
                "RoleBinding",
                "shop-devs",
                "funcdeck-developer",
                json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"},
                       {"kind": "ServiceAccount", "namespace": "ci", "name": "deployer"}]),
            ))
            .expect("a binding"),
        ],
        cluster_role_bindings: vec![
            serde_json::from_value(binding(
                "ClusterRoleBinding",
                "funcdeck:funcdeck-viewer:group:auditors",
                "funcdeck-viewer",
                json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "auditors"}]),
            ))
            .expect("a binding"),
        ],
    }
}

fn key(app: &mut App, name: &str) -> Vec<Effect> {
    let effects = app.update(Msg::Key(name.parse::<Key>().expect("a key")));
    app.settle();
    effects
}

fn command(app: &mut App, line: &str) {
    press(app, ":");
    press(app, line);
    key(app, "<Enter>");
}

/// The first key bound to `command` in the top view's chain.
fn key_for(app: &App, command: &str) -> String {
    let command = command.parse().expect("a command");
    app.shell
        .keymap
        .keys_for(app.top().view.key_chain(), command)
        .first()
        .expect("bound")
        .to_string()
}

fn roles_in_shop() -> App {
    let mut app = app(NamespaceScope::One("shop".into()));
    command(&mut app, "roles");
    assert!(matches!(app.top().view, View::Roles(_)), "roles opened");
    reply(&mut app, 1, Reply::Rbac(Ok(snapshot())));
    app
}

fn screen(app: &mut App) -> String {
    render_sized(app, WIDTH, HEIGHT)
}

#[test]
fn roles_show_bound_counts_the_matrix_and_the_subjects() {
    let mut app = roles_in_shop();
    press(&mut app, "j");
    let tab = key_for(&app, "next_section");
    key(&mut app, &tab);
    press(&mut app, "j");
    insta::assert_snapshot!("roles_developer_matrix_and_subjects", screen(&mut app));
    // A custom role: limited to some names, with a verb that has no column of its own.
    key(&mut app, &tab);
    press(&mut app, "G");
    let text = screen(&mut app);
    let row = text
        .lines()
        .find(|l| l.contains("services.serving.knative.dev [cart]"))
        .unwrap_or_else(|| panic!("release-bot's rule: {text}"));
    assert!(row.contains("escalate"), "{row}");
    assert_eq!(row.matches('✓').count(), 2, "get and patch: {row}");
}

#[test]
fn a_shipped_role_not_installed_shows_its_rules_and_grant_says_install_first() {
    let mut app = roles_in_shop();
    press(&mut app, "jj");
    let grant = key_for(&app, "grant");
    key(&mut app, &grant);
    let install = key_for(&app, "install_roles");
    let text = screen(&mut app);
    assert!(
        text.contains(&format!(
            "role funcdeck-admin is not installed: press {install} to install funcdeck's roles first"
        )),
        "{text}"
    );
    insta::assert_snapshot!("roles_admin_not_installed", text);
    // Installing plans only what is missing, as `rbac roles install` does.
    let effects = key(&mut app, &install);
    assert!(effects.is_empty(), "{effects:?}");
    let text = screen(&mut app);
    assert!(text.contains("create ClusterRole funcdeck-admin"), "{text}");
    assert!(!text.contains("funcdeck-viewer\n"), "{text}");
}

#[test]
fn a_typed_grant_is_previewed_as_the_binding_it_creates() {
    let mut app = roles_in_shop();
    press(&mut app, "j");
    let grant = key_for(&app, "grant");
    key(&mut app, &grant);
    press(&mut app, "robot:x");
    key(&mut app, "<Enter>");
    let text = screen(&mut app);
    assert!(
        text.contains(
            "\"robot\" is not a kind of subject: write user:NAME, group:NAME or sa:NS/NAME"
        ),
        "{text}"
    );
    for _ in 0.."robot:x".len() {
        key(&mut app, "<Backspace>");
    }
    press(&mut app, "user:dave");
    insta::assert_snapshot!("roles_typing_a_grant", screen(&mut app));
    key(&mut app, "<Enter>");
    insta::assert_snapshot!("roles_grant_confirmation", screen(&mut app));
    let effects = key(&mut app, "<Enter>");
    let Some(Effect::Mutate {
        mutation:
            Mutation::SetBinding {
                key: binding,
                subjects,
                resource_version,
                revoke: false,
                ..
            },
        ..
    }) = effects.last()
    else {
        panic!("a grant: {effects:?}");
    };
    assert_eq!(
        binding,
        &ObjectKey::new("shop", "funcdeck:funcdeck-developer:user:dave")
    );
    assert_eq!((subjects.len(), resource_version), (1, &None));
}

#[test]
fn granting_what_is_held_changes_nothing_and_revoking_a_hand_made_binding_is_not_offered() {
    let mut app = roles_in_shop();
    press(&mut app, "j");
    let grant = key_for(&app, "grant");
    key(&mut app, &grant);
    press(&mut app, "user:carol");
    key(&mut app, "<Enter>");
    let banner = app
        .banner()
        .map(|b| b.text().to_owned())
        .unwrap_or_default();
    assert!(
        banner.contains("user carol already holds funcdeck-developer"),
        "{banner}"
    );
    assert!(app.overlay.is_none());

    let tab = key_for(&app, "next_section");
    key(&mut app, &tab);
    press(&mut app, "jj");
    let revoke = key_for(&app, "revoke");
    key(&mut app, &revoke);
    let banner = app
        .banner()
        .map(|b| b.text().to_owned())
        .unwrap_or_default();
    assert!(
        banner.contains("RoleBinding shop-devs was not written by a funcdeck grant"),
        "{banner}"
    );
    // carol's (funcdeck's own binding): the revoke deletes it, nobody being left.
    press(&mut app, "gk");
    key(&mut app, &revoke);
    let text = screen(&mut app);
    assert!(
        text.contains("Confirm: revoke role funcdeck-developer from user carol in namespace shop"),
        "{text}"
    );
    assert!(
        text.contains("Deletes RoleBinding shop/funcdeck:funcdeck-developer:user:carol."),
        "{text}"
    );
}

#[test]
fn a_persona_without_the_permission_is_refused_before_typing() {
    let mut app = roles_in_shop();
    let viewer = AccessRules {
        rules: vec![ResourceRule {
            verbs: vec!["get".into(), "list".into(), "watch".into()],
            api_groups: Some(vec!["*".into()]),
            resources: Some(vec!["*".into()]),
            resource_names: None,
        }],
        incomplete: false,
    };
    app.update(Msg::Access {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        namespace: "shop".into(),
        result: Ok(viewer),
    });
    press(&mut app, "j");
    let grant = key_for(&app, "grant");
    key(&mut app, &grant);
    let text = screen(&mut app);
    assert!(
        text.contains(
            "cannot grant role funcdeck-developer: context funcdeck-sandbox may not update \
             rolebindings.rbac.authorization.k8s.io in namespace shop"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Grant funcdeck-developer"),
        "no typing: {text}"
    );
    insta::assert_snapshot!("roles_refused_for_a_viewer", text);
}

#[test]
fn a_forbidden_read_says_so_in_the_pane() {
    let mut app = app(NamespaceScope::All);
    command(&mut app, "roles");
    reply(
        &mut app,
        1,
        Reply::Rbac(Err(funcdeck_core::error::CoreError::Forbidden {
            message: "clusterroles.rbac.authorization.k8s.io is forbidden: User \"eve\u{1b}[2J\" cannot list"
                .into(),
        })),
    );
    let text = screen(&mut app);
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!("roles_forbidden_read_all_namespaces", text);
}

#[test]
fn who_can_answers_a_query_per_subject() {
    let mut app = app(NamespaceScope::One("shop".into()));
    command(&mut app, "can get ksvc cart");
    assert!(matches!(app.top().view, View::WhoCan(_)), "who-can opened");
    reply(&mut app, 1, Reply::Rbac(Ok(snapshot())));
    insta::assert_snapshot!("who_can_get_cart", screen(&mut app));
}

#[test]
fn who_can_for_a_function_and_for_a_tenant() {
    let mut app = app(NamespaceScope::All);
    screens::open_function(&mut app, "shop", "cart");
    let who_can = key_for(&app, "who_can");
    key(&mut app, &who_can);
    let View::WhoCan(view) = &app.top().view else {
        panic!("who-can opened from the function's detail");
    };
    assert_eq!(view.about, "function shop/cart");
    // An answer to an older read (another namespace, say) is dropped.
    reply(&mut app, 0, Reply::Rbac(Ok(RbacSnapshot::default())));
    assert!(screen(&mut app).contains("Reading roles and bindings…"));
    reply(&mut app, 1, Reply::Rbac(Ok(snapshot())));
    insta::assert_snapshot!("who_can_function_cart", screen(&mut app));

    app.push(View::WhoCan(Box::new(
        funcdeck::views::WhoCanView::for_namespace("shop"),
    )));
    reply(&mut app, 1, Reply::Rbac(Ok(snapshot())));
    let text = screen(&mut app);
    assert!(
        text.contains("cluster-scoped: only cluster-wide bindings count"),
        "{text}"
    );
    // The shipped roles read namespaces: bound cluster-wide, the viewer role reads this one;
    // nobody bound cluster-wide may change or delete it.
    let auditors = text
        .lines()
        .find(|l| l.contains("auditors"))
        .unwrap_or_else(|| panic!("the auditors group listed: {text}"));
    assert!(
        auditors.contains("✓    ·       ·") && auditors.contains("funcdeck-viewer"),
        "{auditors}"
    );
}

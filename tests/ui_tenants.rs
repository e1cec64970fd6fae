//! Screens of the Tenants view (`:tenants`): the table with usage and roles, what a persona may
//! not read, a refused listing, and a tenant typed in the view up to the gate's preview.
//!
//! Rendered on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use std::collections::BTreeMap;

use funcdeck::app::{App, Mutation, Overlay, Reply, Tenants};
use funcdeck::views::View;
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::tenant::TenantSummary;
use screens::{all, press, press_named, render_sized, reply};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 16;

fn tenant(
    name: &str,
    owner: Option<&str>,
    functions: usize,
    quota: &[(&str, &str)],
    roles: &[&str],
) -> TenantSummary {
    TenantSummary {
        name: name.into(),
        owner: owner.map(Into::into),
        functions,
        quota: Some(
            quota
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        ),
        roles: Some(roles.iter().map(|r| (*r).to_owned()).collect()),
    }
}

fn tenants() -> Vec<TenantSummary> {
    vec![
        tenant(
            "ml-inference",
            Some("alice"),
            2,
            &[
                ("cpu requests", "3/8"),
                ("memory requests", "6Gi/16Gi"),
                ("functions", "2/30"),
            ],
            &["funcdeck-admin (1 subject)"],
        ),
        tenant(
            "shop",
            None,
            10,
            &[("cpu requests", "1500m/2"), ("functions", "10/10")],
            &["funcdeck-developer (1 subject)"],
        ),
        tenant("team-a\u{1b}]0;pwned\u{7}", None, 0, &[], &[]),
    ]
}

/// `:tenants`, answered with `read`.
fn tenants_view(read: Result<Tenants, CoreError>) -> App {
    let mut app = all();
    press(&mut app, ":tenants");
    press_named(&mut app, "<Enter>");
    assert!(
        matches!(app.top().view, View::Tenants(_)),
        ":tenants opens the view"
    );
    reply(&mut app, 1, Reply::Tenants(read));
    app
}

fn confirmation(app: &App) -> Option<&Mutation> {
    match &app.overlay {
        Some(Overlay::Confirm(confirm)) => Some(&confirm.mutation),
        _ => None,
    }
}

#[test]
fn tenants_with_usage_owner_and_roles() {
    let mut app = tenants_view(Ok(Tenants {
        tenants: tenants(),
        missing: Vec::new(),
    }));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn what_a_persona_may_not_read_is_said_and_the_rest_shown() {
    let forbidden = CoreError::Forbidden {
        message: "rolebindings.rbac.authorization.k8s.io is forbidden: User \"viewer\" cannot list \
                  resource \"rolebindings\" in API group \"rbac.authorization.k8s.io\" at the cluster scope"
            .into(),
    };
    let unread = tenants()
        .into_iter()
        .map(|t| TenantSummary { roles: None, ..t })
        .collect();
    let mut app = tenants_view(Ok(Tenants {
        tenants: unread,
        missing: vec![("role bindings", forbidden)],
    }));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_refused_listing_says_who_may_not_and_what_helps() {
    let mut app = tenants_view(Err(CoreError::Forbidden {
        message:
            "namespaces is forbidden: User \"dev\" cannot list resource \"namespaces\" in API \
                  group \"\" at the cluster scope"
                .into(),
    }));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_tenant_is_typed_checked_and_previewed() {
    let mut app = tenants_view(Ok(Tenants {
        tenants: tenants(),
        missing: Vec::new(),
    }));
    press(&mut app, "c");
    press(&mut app, "Team-A huge");
    press_named(&mut app, "<Enter>");
    assert!(confirmation(&app).is_none(), "a bad line goes nowhere");
    insta::assert_snapshot!(
        "typed_with_a_problem",
        render_sized(&mut app, WIDTH, HEIGHT)
    );

    for _ in 0.."Team-A huge".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "team-b medium owner=carol");
    press_named(&mut app, "<Enter>");
    let Some(Mutation::CreateTenant {
        key,
        preset,
        objects,
        ..
    }) = confirmation(&app)
    else {
        panic!("Enter asks the gate: {:?}", app.overlay);
    };
    assert_eq!((key.name.as_str(), preset.as_str()), ("team-b", "medium"));
    assert_eq!(
        objects.len(),
        4,
        "namespace, quota, limit range, the owner's binding"
    );
    insta::assert_snapshot!("preview", render_sized(&mut app, WIDTH, 24));
}

#[test]
fn enter_shows_the_tenants_functions() {
    let mut app = tenants_view(Ok(Tenants {
        tenants: tenants(),
        missing: Vec::new(),
    }));
    press_named(&mut app, "<Down>");
    press_named(&mut app, "<Enter>");
    assert!(matches!(app.top().view, View::Functions(_)));
    assert_eq!(app.shell.scope, NamespaceScope::One("shop".into()));
    press_named(&mut app, "<Esc>");
    assert!(
        matches!(app.top().view, View::Tenants(_)),
        "Esc goes back to the tenants"
    );
}

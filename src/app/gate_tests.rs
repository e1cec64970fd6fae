//! The mutation gate: read-only refuses, a change waits for its target's name to be typed, the
//! server's answer (a refusal verbatim) comes back as a notice.

use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;

use super::test_support::{loaded_app, press, press_named, ticket, without_reviews};
use super::*;
use crate::keymap::Keymap;

fn cart() -> Mutation {
    Mutation::DeleteFunction {
        key: ObjectKey::new("shop", "cart"),
    }
}

#[test]
fn read_only_refuses_before_asking() {
    let mut app = loaded_app(Keymap::defaults());
    app.shell.readonly = true;
    press(&mut app, "j");
    let effects = press_named(&mut app, "<C-d>");
    assert!(effects.is_empty());
    assert!(app.overlay.is_none(), "nothing to confirm");
    assert_eq!(
        app.banner().map(|b| b.text().to_owned()).as_deref(),
        Some("cannot delete function shop/cart: funcdeck runs read-only (--readonly)")
    );
}

#[test]
fn a_context_marked_read_only_in_config_refuses_too_and_only_that_context() {
    let mut app = loaded_app(Keymap::defaults());
    let context = app
        .shell
        .context
        .as_ref()
        .map(|c| c.context.clone())
        .expect("connected");
    app.shell.readonly_contexts.insert(context.clone());
    press(&mut app, "j");
    assert!(press_named(&mut app, "<C-d>").is_empty());
    assert!(app.overlay.is_none(), "nothing to confirm");
    assert_eq!(
        app.banner().map(|b| b.text().to_owned()),
        Some(format!(
            "cannot delete function shop/cart: context {context} is read-only (readonly = true in config.toml)"
        ))
    );
    app.shell.readonly_contexts.clear();
    app.shell.readonly_contexts.insert("prod".into());
    press_named(&mut app, "<C-d>");
    assert!(
        app.overlay.is_some(),
        "another context's setting does not apply"
    );
}

#[test]
fn rules_that_do_not_allow_a_change_refuse_it_up_front_and_name_the_permission() {
    use funcdeck_core::access::AccessRules;
    use k8s_openapi::api::authorization::v1::ResourceRule;
    let mut app = loaded_app(Keymap::defaults());
    press(&mut app, "j");
    // Not known yet: asked for (once), and the server decides this time.
    let effects = press_named(&mut app, "<C-d>");
    assert!(
        matches!(&effects[..], [Effect::ReviewAccess { namespace, .. }] if namespace == "shop"),
        "{effects:?}"
    );
    assert!(app.overlay.is_some());
    press_named(&mut app, "<Esc>");
    let viewer = AccessRules {
        rules: vec![ResourceRule {
            verbs: vec!["get".into(), "list".into(), "watch".into()],
            api_groups: Some(vec!["serving.knative.dev".into()]),
            resources: Some(vec!["*".into()]),
            resource_names: None,
        }],
        incomplete: false,
    };
    app.update(Msg::Access {
        ticket: ticket(ViewId::SHELL, 1),
        namespace: "shop".into(),
        result: Ok(viewer),
    });
    assert!(press_named(&mut app, "<C-d>").is_empty(), "not asked again");
    assert!(app.overlay.is_none(), "nothing to confirm");
    assert_eq!(
        app.banner().map(|b| b.text().to_owned()).as_deref(),
        Some(
            "cannot delete function shop/cart: context funcdeck-sandbox may not delete \
             services.serving.knative.dev in namespace shop"
        )
    );
}

#[test]
fn a_key_that_opens_a_form_for_a_refused_change_says_why_and_opens_nothing() {
    use funcdeck_core::access::AccessRules;
    use k8s_openapi::api::authorization::v1::ResourceRule;
    let mut app = loaded_app(Keymap::defaults());
    app.update(Msg::Resize {
        width: 120,
        height: 30,
    });
    crate::app::test_support::prompt(&mut app, "ns shop");
    app.update(Msg::Access {
        ticket: ticket(ViewId::SHELL, 1),
        namespace: "shop".into(),
        result: Ok(AccessRules {
            rules: vec![ResourceRule {
                verbs: vec!["get".into(), "list".into()],
                api_groups: Some(vec!["serving.knative.dev".into()]),
                resources: Some(vec!["services".into()]),
                resource_names: None,
            }],
            incomplete: false,
        }),
    });
    let before = app.stack.len();
    assert!(press(&mut app, "c").is_empty());
    assert_eq!(app.stack.len(), before, "no form opens");
    assert_eq!(
        app.banner().map(|b| b.text().to_owned()).as_deref(),
        Some(
            "cannot create: context funcdeck-sandbox may not create \
             services.serving.knative.dev in namespace shop"
        )
    );
}

#[test]
fn a_delete_waits_for_the_exact_name_and_then_goes_through() {
    let mut app = loaded_app(Keymap::defaults());
    // Sorted by namespace, then name: payments/refund, then shop/cart.
    press(&mut app, "j");
    assert!(without_reviews(press_named(&mut app, "<C-d>")).is_empty());
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation");
    };
    assert_eq!(confirm.mutation, cart());

    // `q` types (it does not quit) and a wrong name changes nothing.
    assert!(press(&mut app, "carq").is_empty());
    assert!(!app.shell.should_quit);
    assert!(press_named(&mut app, "<Enter>").is_empty());
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("still confirming");
    };
    assert!(confirm.mismatch);

    press_named(&mut app, "<Backspace>");
    press(&mut app, "t");
    let effects = press_named(&mut app, "<Enter>");
    assert_eq!(
        effects,
        vec![Effect::Mutate {
            ticket: ticket(ViewId::SHELL, 1),
            mutation: cart()
        }]
    );
    assert!(app.overlay.is_none());

    app.update(Msg::Mutated {
        ticket: ticket(ViewId::SHELL, 1),
        mutation: cart(),
        result: Ok(()),
    });
    assert_eq!(
        app.banner(),
        Some(Banner::Notice("deleted function shop/cart".into()))
    );
}

#[test]
fn esc_cancels_and_a_refusal_is_shown_verbatim() {
    let mut app = loaded_app(Keymap::defaults());
    press(&mut app, "j");
    press_named(&mut app, "<C-d>");
    assert!(press_named(&mut app, "<Esc>").is_empty());
    assert!(app.overlay.is_none());

    let forbidden = "services.serving.knative.dev \"cart\" is forbidden: User \"viewer\" cannot delete resource \"services\" in API group \"serving.knative.dev\" in the namespace \"shop\"";
    app.update(Msg::Mutated {
        ticket: ticket(ViewId::SHELL, 1),
        mutation: cart(),
        result: Err(CoreError::Forbidden {
            message: forbidden.into(),
        }),
    });
    assert_eq!(
        app.banner(),
        Some(Banner::Notice(format!(
            "cannot delete function shop/cart: context funcdeck-sandbox may not delete \
             services.serving.knative.dev in namespace shop (forbidden: {forbidden})"
        ))),
        "the server's refusal explained as a refusal up front would be, then in its own words"
    );
}

#[test]
fn only_functions_can_be_deleted_from_their_lists() {
    let mut app = loaded_app(Keymap::defaults());
    press(&mut app, ":");
    press(&mut app, "rev");
    press_named(&mut app, "<Enter>");
    assert!(press_named(&mut app, "<C-d>").is_empty());
    assert!(app.overlay.is_none(), "revisions are not deleted this way");
}

#[test]
fn a_cluster_scoped_change_is_refused_without_naming_a_namespace() {
    use funcdeck_core::access::AccessRules;
    let mut app = loaded_app(Keymap::defaults());
    crate::app::test_support::prompt(&mut app, "ns shop");
    crate::app::test_support::prompt(&mut app, "tenants");
    app.update(Msg::Access {
        ticket: ticket(ViewId::SHELL, 1),
        namespace: "shop".into(),
        result: Ok(AccessRules {
            rules: Vec::new(),
            incomplete: false,
        }),
    });
    assert!(press(&mut app, "c").is_empty());
    assert_eq!(
        app.banner().map(|b| b.text().to_owned()).as_deref(),
        Some(
            "cannot create tenant: context funcdeck-sandbox may not patch namespaces (cluster-wide)"
        )
    );
}

//! The quota view's transitions, through the app as keys and answers reach it.

use funcdeck_core::access::AccessRules;
use k8s_openapi::api::authorization::v1::ResourceRule;
use serde_json::json;

use crate::app::test_support::{loaded_app, press, press_named, prompt, ticket};
use crate::app::{App, Effect, Msg, Mutation, Overlay, Polled, Quotas, Reply, Watch};
use crate::keymap::Keymap;
use crate::views::View;

fn quotas(namespace: &str) -> Quotas {
    Quotas {
        namespace: namespace.into(),
        quotas: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "team", "namespace": namespace},
                "spec": {"hard": {"requests.cpu": "4", "pods": "10"}},
                "status": {"used": {"requests.cpu": "1", "pods": "6"}},
            }))
            .expect("a quota"),
        ],
        limit_ranges: Vec::new(),
    }
}

fn view(app: &App) -> &super::QuotaView {
    match &app.top().view {
        View::Quota(view) => view,
        other => panic!("not the quota view: {}", other.title()),
    }
}

fn polled(effects: &[Effect]) -> Vec<(u64, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Watch {
                ticket,
                watch: Watch::Polled(Polled::Quota { namespace }),
            } => Some((ticket.generation, namespace.clone())),
            _ => None,
        })
        .collect()
}

/// `:quota` with all namespaces in scope, answered for `shop`.
fn quota_app() -> App {
    let mut app = loaded_app(Keymap::defaults());
    let effects = prompt(&mut app, "quota");
    assert_eq!(polled(&effects), [(1, "shop".to_owned())], "{effects:?}");
    let id = app.top().id;
    app.update(Msg::Reply {
        ticket: ticket(id, 1),
        reply: Box::new(Reply::Quota(Ok(quotas("shop")))),
    });
    app
}

#[test]
fn all_namespaces_show_the_default_one_and_a_namespace_switch_polls_the_new_one() {
    let mut app = quota_app();
    assert!(view(&app).defaulted && view(&app).has_data());
    let effects = prompt(&mut app, "ns payments");
    assert_eq!(polled(&effects), [(2, "payments".to_owned())]);
    assert!(!view(&app).defaulted);
    assert!(
        !view(&app).has_data(),
        "another namespace's data is dropped"
    );
    let id = app.top().id;
    // An answer cut before the switch is not shown.
    app.update(Msg::Reply {
        ticket: ticket(id, 1),
        reply: Box::new(Reply::Quota(Ok(quotas("shop")))),
    });
    assert!(!view(&app).has_data());
    app.update(Msg::Reply {
        ticket: ticket(id, 2),
        reply: Box::new(Reply::Quota(Err(
            funcdeck_core::error::CoreError::NotConnected,
        ))),
    });
    assert!(view(&app).data.error().is_some());
}

#[test]
fn the_line_opens_with_the_values_in_force_and_keeps_a_bad_quantity_under_it() {
    let mut app = quota_app();
    press(&mut app, "e");
    let line = view(&app).line.clone().expect("the line is open");
    assert_eq!(line.text, "cpu=4 pods=10 ");
    press(&mut app, "memory=lots");
    press_named(&mut app, "<Enter>");
    let line = view(&app).line.clone().expect("still typing");
    assert!(
        line.problem
            .as_deref()
            .is_some_and(|p| p.starts_with("memory: \"lots\"")),
        "{line:?}"
    );
    assert!(app.overlay.is_none(), "nothing goes to the gate");
    for _ in 0.."lots".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "2Gi");
    press_named(&mut app, "<Enter>");
    assert!(view(&app).line.is_none());
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("the gate previews: {:?}", app.overlay);
    };
    let Mutation::SetQuota {
        key, lines, body, ..
    } = &confirm.mutation
    else {
        panic!("{:?}", confirm.mutation);
    };
    assert_eq!(key.to_string(), "shop/funcdeck");
    assert_eq!(
        lines[0], "cpu requests (requests.cpu): none → 4 (used 1)",
        "{lines:?}"
    );
    assert_eq!(body["spec"]["hard"]["requests.memory"], "2Gi");
    assert!(!confirm.mutation.needs_name(), "nothing below usage");
}

#[test]
fn a_value_below_usage_needs_the_namespace_typed() {
    let mut app = quota_app();
    press(&mut app, "e");
    // A word given twice is refused, as a flag given twice is: take the old pods out first.
    press(&mut app, "pods=3");
    press_named(&mut app, "<Enter>");
    assert_eq!(
        view(&app).line.as_ref().and_then(|l| l.problem.as_deref()),
        Some("pods is given twice")
    );
    for _ in 0.."pods=10 pods=3".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "pods=3");
    press_named(&mut app, "<Enter>");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("the gate previews: {:?}", app.overlay);
    };
    assert!(confirm.mutation.needs_name());
    assert_eq!(confirm.mutation.target(), "shop");
    assert!(
        confirm
            .mutation
            .consequence()
            .contains("Warning: pods: 3 is below")
    );
}

#[test]
fn without_the_permission_the_key_says_which_and_opens_nothing() {
    let mut app = quota_app();
    app.update(Msg::Access {
        ticket: ticket(crate::app::ViewId::SHELL, 1),
        namespace: "shop".into(),
        result: Ok(AccessRules {
            rules: vec![ResourceRule {
                verbs: vec!["get".into(), "list".into()],
                api_groups: Some(vec![String::new()]),
                resources: Some(vec!["resourcequotas".into()]),
                resource_names: None,
            }],
            incomplete: false,
        }),
    });
    assert!(app.disabled(crate::command::Command::SetQuota).is_some());
    press(&mut app, "e");
    assert!(view(&app).line.is_none());
    assert_eq!(
        app.shell.notice.as_deref(),
        Some(
            "cannot set the quota of namespace shop: context funcdeck-sandbox may not patch \
             resourcequotas in namespace shop"
        )
    );
}

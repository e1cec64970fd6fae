//! The function form warns, as the user types, when the change would not fit the namespace's
//! quota: the form polls the quotas of the namespace it deploys into (following the namespace
//! field), and a warning never blocks submit — the server decides.
//!
//! Rendered at 120x44 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Effect, Msg, Overlay, Polled, Quotas, Reply, Watch};
use funcdeck::views::View;
use screens::{all, press, press_named, render_sized, reply};
use serde_json::json;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 44;

/// A quota with one function and 300m of cpu requests left.
fn tight(namespace: &str) -> Quotas {
    Quotas {
        namespace: namespace.into(),
        quotas: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "team", "namespace": namespace},
                "spec": {"hard": {"requests.cpu": "2", "pods": "10",
                    "count/services.serving.knative.dev": "4"}},
                "status": {"used": {"requests.cpu": "1700m", "pods": "4",
                    "count/services.serving.knative.dev": "3"}},
            }))
            .expect("a quota"),
        ],
        limit_ranges: Vec::new(),
    }
}

fn form_shortfalls(app: &App) -> Vec<String> {
    let View::Form(form) = &app.top().view else {
        panic!("not the form");
    };
    form.quota_shortfalls()
        .iter()
        .map(|s| format!("{} {} of {}", s.key, s.need, s.left))
        .collect()
}

/// `c`, a name, and the quota of `default` answered.
fn create_form() -> App {
    let mut app = all();
    press(&mut app, "c");
    press(&mut app, "hello");
    reply(&mut app, 1, Reply::Quota(Ok(tight("default"))));
    app
}

#[test]
fn a_create_that_would_exceed_the_quota_is_warned_about_as_it_is_typed() {
    let mut app = create_form();
    // The go template asks 100m per pod; one pod and one more function fit.
    assert_eq!(form_shortfalls(&app), Vec::<String>::new());
    // Scale (Tab × 7 from the name): at least 4 pods, 400m of cpu requests.
    for _ in 0..7 {
        press_named(&mut app, "<Tab>");
    }
    press(&mut app, "4..8");
    assert_eq!(form_shortfalls(&app), ["requests.cpu 400m of 300m"]);
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    // Only a warning: submit still goes to the gate.
    press_named(&mut app, "<C-s>");
    assert!(
        matches!(app.overlay, Some(Overlay::Confirm(_))),
        "{:?}",
        app.overlay
    );
}

#[test]
fn the_form_follows_the_namespace_field_to_the_quota_it_polls() {
    let mut app = create_form();
    // Back to the namespace field; type another one.
    press_named(&mut app, "<BackTab>");
    for _ in 0.."default".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "ml");
    let effects = app.update(Msg::Tick(screens::testing::fixed_now()));
    let polled: Vec<(u64, &str)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Watch {
                ticket,
                watch: Watch::Polled(Polled::Quota { namespace }),
            } => Some((ticket.generation, namespace.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(polled, [(2, "ml")]);
    assert_eq!(
        form_shortfalls(&app),
        Vec::<String>::new(),
        "default's quota does not apply to ml"
    );
    // A full quota in ml: one function too many.
    let mut full = tight("ml");
    full.quotas[0]
        .status
        .as_mut()
        .and_then(|s| s.used.as_mut())
        .map(|u| {
            u.insert(
                "count/services.serving.knative.dev".into(),
                k8s_openapi::apimachinery::pkg::api::resource::Quantity("4".into()),
            )
        });
    reply(&mut app, 2, Reply::Quota(Ok(full)));
    assert_eq!(
        form_shortfalls(&app),
        ["count/services.serving.knative.dev 1 of 0"]
    );
}

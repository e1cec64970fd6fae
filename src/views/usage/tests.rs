//! The Usage view's transitions, through the app as keys and answers reach it: what it asks
//! for, a new period or scope asking again and dropping the old answers, a failure keeping the
//! tables, Tab between the tables, Enter on a function or a tenant.

use std::time::Duration;

use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::metering::{FunctionUsage, TenantUsage};
use funcdeck_core::prometheus::usage::Usage;

use super::*;
use crate::app::test_support::{loaded_app, press, press_named, prompt, ticket};
use crate::app::{App, Effect, Msg};
use crate::keymap::Keymap;

pub fn metered(source: &str) -> Metered {
    let function = |ns: &str, name: &str, invocations: f64| FunctionUsage {
        namespace: ns.into(),
        function: name.into(),
        invocations,
        pod_seconds: 600.0,
        gb_seconds: Some(75.0),
        cpu_seconds: None,
    };
    let tenant = |ns: &str, functions| TenantUsage {
        namespace: ns.into(),
        functions,
        invocations: 10.0,
        pod_seconds: 600.0,
        gb_seconds: Some(75.0),
        cpu_seconds: None,
    };
    Metered {
        source: source.into(),
        era: Era::OpenTelemetry,
        usage: Usage {
            functions: vec![
                function("payments", "refund", 3.0),
                function("shop", "cart", 7.0),
            ],
            tenants: vec![tenant("payments", 1), tenant("shop", 1)],
        },
    }
}

fn view(app: &App) -> &UsageView {
    match &app.top().view {
        View::Usage(view) => view,
        other => panic!("not the usage view: {}", other.title()),
    }
}

fn polled(effects: &[Effect]) -> Vec<(u64, NamespaceScope, Duration)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Watch {
                ticket,
                watch: Watch::Polled(Polled::Usage { scope, since }),
            } => Some((ticket.generation, scope.clone(), *since)),
            _ => None,
        })
        .collect()
}

fn answer(app: &mut App, generation: u64, reply: Reply) {
    let id = app.top().id;
    app.update(Msg::Reply {
        ticket: ticket(id, generation),
        reply: Box::new(reply),
    });
    app.settle();
}

const DAY: Duration = Duration::from_secs(86_400);

#[test]
fn usage_reads_30_days_and_a_new_period_asks_again_dropping_the_old_answer() {
    let mut app = loaded_app(Keymap::defaults());
    let effects = prompt(&mut app, "usage");
    assert_eq!(polled(&effects), [(1, NamespaceScope::All, 30 * DAY)]);
    answer(&mut app, 1, Reply::Usage(Ok(metered("a"))));
    assert_eq!(view(&app).functions.row_count(), 2);

    // `]` at the longest period changes nothing and asks nothing.
    assert!(polled(&press(&mut app, "]")).is_empty());
    let effects = press(&mut app, "[");
    assert_eq!(polled(&effects), [(2, NamespaceScope::All, 7 * DAY)]);
    assert!(
        view(&app).read.data().is_none() && view(&app).functions.row_count() == 0,
        "a month's figures are not shown as a week's"
    );
    answer(&mut app, 1, Reply::Usage(Ok(metered("late"))));
    assert!(
        view(&app).read.data().is_none(),
        "the old period's answer is dropped"
    );
    assert_eq!(
        polled(&press(&mut app, "[")),
        [(3, NamespaceScope::All, DAY)]
    );
    assert!(
        polled(&press(&mut app, "[")).is_empty(),
        "a day is the shortest"
    );
    // The metrics pane's zoom keys move the period too.
    assert_eq!(
        polled(&press(&mut app, "-")),
        [(4, NamespaceScope::All, 7 * DAY)]
    );
}

#[test]
fn a_failed_refresh_keeps_the_tables_marked_stale() {
    let mut app = loaded_app(Keymap::defaults());
    prompt(&mut app, "metering");
    answer(&mut app, 1, Reply::Usage(Ok(metered("a"))));
    answer(&mut app, 1, Reply::Usage(Err(CoreError::NotConnected)));
    let view = view(&app);
    assert!(view.read.is_stale());
    assert_eq!(view.functions.row_count(), 2, "the rows stay");
    assert_eq!(view.tenants.row_count(), 2);
}

#[test]
fn tab_moves_between_tables_and_enter_opens_the_function_or_narrows_to_the_tenant() {
    let mut app = loaded_app(Keymap::defaults());
    prompt(&mut app, "usage");
    answer(&mut app, 1, Reply::Usage(Ok(metered("a"))));
    press(&mut app, "j");
    assert_eq!(
        view(&app).functions.selected().map(|r| r.key.to_string()),
        Some("shop/cart".into())
    );
    press_named(&mut app, "<Tab>");
    assert_eq!(view(&app).focus, Focus::Tenants);
    assert_eq!(
        view(&app).position(),
        Some((1, 2)),
        "keys move in the tenants now"
    );
    press(&mut app, "j");
    let effects = press_named(&mut app, "<Enter>");
    assert_eq!(
        polled(&effects),
        [(2, NamespaceScope::One("shop".into()), 30 * DAY)],
        "the tenant becomes the scope and the view reads it"
    );
    assert_eq!(view(&app).focus, Focus::Functions);
    answer(&mut app, 2, Reply::Usage(Ok(metered("b"))));
    press_named(&mut app, "<Enter>");
    match &app.top().view {
        View::Function(function) => assert_eq!(function.key.to_string(), "payments/refund"),
        other => panic!("Enter opened {}", other.title()),
    }
}

//! Transition tests for moving between views: Enter pushes a function's detail, Esc pops it,
//! `:rev`, `:po` and `:ev` start a new trail, and every list view opens the right function.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;

use super::test_support::{press, press_named, prompt, ticket};
use super::*;
use crate::keymap::Keymap;
use crate::testing::{fixed_now, summary};
use crate::views::View;

// The same objects as the screen snapshots; the other view tests include them too.
#[allow(clippy::duplicate_mod)]
#[path = "../../tests/screens/objects.rs"]
mod objects;

use objects::{
    crash_looping, event, healthy, pod, revision, revision_failed, revision_ready, running,
    summary_of,
};

/// The Functions view the app starts with.
const LIST: ViewId = ViewId(1);

fn info() -> ContextInfo {
    ContextInfo {
        context: "funcdeck-sandbox".into(),
        server: "http://127.0.0.1:1".into(),
        default_namespace: "default".into(),
        contexts: Vec::new(),
    }
}

/// Connected in all namespaces with three functions listed: payments/refund, shop/cart and
/// shop/checkout, in that order.
fn listed() -> App {
    let mut app = App::new(Keymap::defaults(), Some(NamespaceScope::All), fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: ticket(ViewId::SHELL, 1),
        result: Ok(info()),
    });
    send(
        &mut app,
        LIST,
        1,
        Reply::Functions(FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ])),
    );
    app.settle();
    app
}

fn send(app: &mut App, view: ViewId, generation: u64, reply: Reply) -> Vec<Effect> {
    app.update(Msg::Reply {
        ticket: ticket(view, generation),
        reply: Box::new(reply),
    })
}

/// An answer for the top view's first watches, then a frame's settling.
fn reply_top(app: &mut App, reply: Reply) {
    let view = app.top().id;
    send(app, view, 1, reply);
    app.settle();
}

/// The four watches a function's detail starts, in order.
fn detail_watches(view: ViewId, generation: u64, namespace: &str, name: &str) -> Vec<Effect> {
    let key = ObjectKey::new(namespace, name);
    let scope = NamespaceScope::One(namespace.into());
    [
        Watch::Function { key: key.clone() },
        Watch::FunctionRevisions { key },
        Watch::Pods {
            scope: scope.clone(),
            selector: Some(format!("serving.knative.dev/service={name}")),
        },
        Watch::Events { scope },
    ]
    .into_iter()
    .map(|watch| Effect::Watch {
        ticket: ticket(view, generation),
        watch,
    })
    .collect()
}

fn detail(app: &App) -> &crate::views::FunctionView {
    match &app.top().view {
        View::Function(view) => view,
        other => panic!("expected a function's detail, got {}", other.title()),
    }
}

/// The top list view's rows, as `namespace/name`.
fn rows(app: &App) -> Vec<String> {
    fn names<T: crate::views::Listed>(view: &crate::views::ListView<T>) -> Vec<String> {
        let list = view.list.items.data().expect("loaded");
        list.rows(0, 100).map(|row| row.key().to_string()).collect()
    }
    match &app.top().view {
        View::Revisions(view) => names(view),
        View::Pods(view) => names(view),
        View::Events(view) => names(view),
        other => panic!("expected a list view, got {}", other.title()),
    }
}

#[test]
fn enter_on_a_function_opens_its_detail_with_four_watches() {
    let mut app = listed();
    press(&mut app, "j"); // shop/cart
    let effects = press_named(&mut app, "<Enter>");
    let id = app.top().id;
    assert_eq!(id, ViewId(2));
    assert_eq!(effects, detail_watches(id, 1, "shop", "cart"));
    assert_eq!(app.breadcrumbs(), ["Functions", "shop/cart"]);
    assert_eq!(detail(&app).key, ObjectKey::new("shop", "cart"));
    assert!(
        detail(&app).service.is_loading(),
        "loading until the Service comes"
    );
}

#[test]
fn esc_pops_the_detail_stops_its_watches_and_drops_its_late_answers() {
    let mut app = listed();
    press(&mut app, "j");
    press_named(&mut app, "<Enter>");
    let popped = app.top().id;
    let effects = press_named(&mut app, "<Esc>");
    assert_eq!(effects, vec![Effect::Unsubscribe { view: popped }]);
    assert_eq!(app.breadcrumbs(), ["Functions"]);

    app.shell.dirty = false;
    let h = healthy();
    for late in [
        Reply::Function(WatchEvent::Synced(vec![h.service])),
        Reply::Pods(WatchEvent::Failed(CoreError::NotConnected)),
        Reply::Functions(FunctionEvent::Synced(Vec::new())),
    ] {
        assert!(send(&mut app, popped, 1, late).is_empty());
    }
    app.settle();
    assert!(!app.shell.dirty, "nothing on screen changed");
    assert!(matches!(app.shell.health, Health::Live));
    assert_eq!(app.stack.len(), 1);
    let View::Functions(list) = &app.top().view else {
        panic!("the Functions view");
    };
    assert_eq!(
        list.list.row_count(),
        3,
        "not emptied by the popped view's answer"
    );

    // Opened again, it is a new view with a new id: the old answers still go nowhere.
    press_named(&mut app, "<Enter>");
    assert_ne!(app.top().id, popped);
    send(
        &mut app,
        popped,
        1,
        Reply::Function(WatchEvent::Synced(vec![healthy().service])),
    );
    app.settle();
    assert!(detail(&app).detail.is_none());
}

#[test]
fn answers_from_an_older_generation_of_a_live_view_are_dropped() {
    let mut app = listed();
    press(&mut app, "j");
    press_named(&mut app, "<Enter>");
    let id = app.top().id;
    let h = healthy();
    send(
        &mut app,
        id,
        1,
        Reply::Function(WatchEvent::Synced(vec![h.service.clone()])),
    );
    assert_eq!(
        press(&mut app, "r"),
        vec![Effect::Connect {
            ticket: ticket(ViewId::SHELL, 2),
            context: None
        }]
    );
    let effects = app.update(Msg::Connected {
        ticket: ticket(ViewId::SHELL, 2),
        result: Ok(info()),
    });
    let mut expected = vec![Effect::Watch {
        ticket: ticket(LIST, 2),
        watch: Watch::Functions {
            scope: NamespaceScope::All,
        },
    }];
    expected.extend(detail_watches(id, 2, "shop", "cart"));
    assert_eq!(effects, expected, "every view in the stack watches again");

    // The first watches' answers, arriving late, are dropped.
    send(
        &mut app,
        id,
        1,
        Reply::Function(WatchEvent::Deleted(ObjectKey::new("shop", "cart"))),
    );
    send(
        &mut app,
        id,
        1,
        Reply::Events(WatchEvent::Failed(objects::events_forbidden("shop"))),
    );
    send(
        &mut app,
        id,
        1,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions.clone())),
    );
    app.settle();
    let view = detail(&app);
    assert!(!view.gone);
    assert!(view.events.error().is_none());
    assert!(view.revisions.data().is_none());
    // The new ones are taken.
    send(
        &mut app,
        id,
        2,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions)),
    );
    app.settle();
    assert!(detail(&app).revisions.data().is_some());
}

#[test]
fn the_prompt_jumps_to_revisions_pods_and_events_on_a_fresh_trail() {
    let mut app = listed();
    press(&mut app, "j");
    press_named(&mut app, "<Enter>");
    let cases = [
        (
            "rev",
            "Revisions",
            Watch::Revisions {
                scope: NamespaceScope::All,
            },
        ),
        (
            "po",
            "Pods",
            Watch::Pods {
                scope: NamespaceScope::All,
                selector: Some("serving.knative.dev/service".into()),
            },
        ),
        (
            "ev",
            "Events",
            Watch::Events {
                scope: NamespaceScope::All,
            },
        ),
    ];
    let mut previous = vec![LIST, ViewId(2)];
    for (line, title, watch) in cases {
        let effects = prompt(&mut app, line);
        let id = app.top().id;
        let mut expected: Vec<Effect> = previous
            .iter()
            .map(|&view| Effect::Unsubscribe { view })
            .collect();
        expected.push(Effect::Watch {
            ticket: ticket(id, 1),
            watch,
        });
        assert_eq!(effects, expected, ":{line}");
        assert_eq!(app.breadcrumbs(), [title], ":{line}");
        previous = vec![id];
    }
}

#[test]
fn a_jump_watches_the_current_namespace() {
    let mut app = listed();
    prompt(&mut app, "ns shop");
    for (line, watch) in [
        (
            "rev",
            Watch::Revisions {
                scope: NamespaceScope::One("shop".into()),
            },
        ),
        (
            "po",
            Watch::Pods {
                scope: NamespaceScope::One("shop".into()),
                selector: Some("serving.knative.dev/service".into()),
            },
        ),
        (
            "ev",
            Watch::Events {
                scope: NamespaceScope::One("shop".into()),
            },
        ),
    ] {
        let effects = prompt(&mut app, line);
        assert_eq!(
            effects.last(),
            Some(&Effect::Watch {
                ticket: ticket(app.top().id, 1),
                watch
            }),
            ":{line}"
        );
    }
    // And a namespace switch there starts that view over in the new scope.
    let effects = prompt(&mut app, "ns payments");
    assert_eq!(
        effects,
        vec![Effect::Watch {
            ticket: ticket(app.top().id, 2),
            watch: Watch::Events {
                scope: NamespaceScope::One("payments".into())
            }
        }]
    );
}

#[test]
fn enter_on_a_revision_opens_its_function() {
    let mut app = listed();
    prompt(&mut app, "rev");
    reply_top(
        &mut app,
        Reply::Revisions(WatchEvent::Synced(vec![
            summary_of(&revision(
                "shop",
                "cart",
                2,
                30,
                "ghcr.io/acme/cart:2",
                revision_ready(),
            )),
            summary_of(&revision(
                "payments",
                "refund",
                7,
                90,
                "ghcr.io/acme/refund:7",
                revision_failed("ExitCode1", "Container failed with: panic"),
            )),
        ])),
    );
    assert_eq!(rows(&app), ["payments/refund-00007", "shop/cart-00002"]);
    press(&mut app, "j");
    let effects = press_named(&mut app, "<Enter>");
    let id = app.top().id;
    assert_eq!(effects, detail_watches(id, 1, "shop", "cart"));
    assert_eq!(app.breadcrumbs(), ["Revisions", "shop/cart"]);
}

#[test]
fn enter_on_a_pod_opens_its_function() {
    let mut app = listed();
    prompt(&mut app, "po");
    reply_top(
        &mut app,
        Reply::Pods(WatchEvent::Synced(vec![
            pod("shop", "cart", "cart-00002", "abcde", 30, running()),
            pod(
                "payments",
                "refund",
                "refund-00007",
                "vwxyz",
                10,
                crash_looping(1, 7),
            ),
        ])),
    );
    assert_eq!(
        rows(&app),
        [
            "payments/refund-00007-deployment-7f9c8d6b5-vwxyz",
            "shop/cart-00002-deployment-7f9c8d6b5-abcde"
        ]
    );
    let effects = press_named(&mut app, "<Enter>");
    let id = app.top().id;
    assert_eq!(effects, detail_watches(id, 1, "payments", "refund"));
    assert_eq!(app.breadcrumbs(), ["Pods", "payments/refund"]);
}

#[test]
fn enter_on_an_event_opens_the_function_its_object_belongs_to() {
    let mut app = listed();
    prompt(&mut app, "ev");
    reply_top(
        &mut app,
        Reply::Events(WatchEvent::Synced(vec![
            event(
                "shop",
                "Pod",
                "x-00002-deployment-abc-def",
                "Warning",
                "BackOff",
                "Back-off restarting failed container",
                2,
            ),
            event(
                "default",
                "Node",
                "worker-1",
                "Warning",
                "NodeNotReady",
                "Node worker-1 status is now: NodeNotReady",
                5,
            ),
        ])),
    );
    assert_eq!(
        rows(&app),
        [
            "shop/x-00002-deployment-abc-def.BackOff.2",
            "default/worker-1.NodeNotReady.5"
        ],
        "newest first"
    );
    let effects = press_named(&mut app, "<Enter>");
    assert_eq!(effects, detail_watches(app.top().id, 1, "shop", "x"));
    assert_eq!(app.breadcrumbs(), ["Events", "shop/x"]);

    press_named(&mut app, "<Esc>");
    press(&mut app, "j");
    let effects = press_named(&mut app, "<Enter>");
    assert!(effects.is_empty());
    assert_eq!(app.breadcrumbs(), ["Events"], "nothing to open");
    let Some(Banner::Notice(text)) = app.banner() else {
        panic!("expected a notice, got {:?}", app.banner());
    };
    assert!(text.starts_with("cannot tell which function"), "{text}");
}

#[test]
fn filtering_narrows_the_pods_and_esc_clears_it_before_going_anywhere() {
    let mut app = listed();
    prompt(&mut app, "po");
    reply_top(
        &mut app,
        Reply::Pods(WatchEvent::Synced(vec![
            pod("shop", "cart", "cart-00002", "abcde", 30, running()),
            pod("shop", "cart", "cart-00002", "fghij", 20, running()),
            pod(
                "payments",
                "refund",
                "refund-00007",
                "vwxyz",
                10,
                crash_looping(1, 7),
            ),
        ])),
    );
    press(&mut app, "/crash");
    assert_eq!(
        rows(&app),
        ["payments/refund-00007-deployment-7f9c8d6b5-vwxyz"],
        "the status is searched"
    );
    press_named(&mut app, "<Enter>");
    assert_eq!(app.top().view.typing(), None, "Enter keeps the filter");
    assert_eq!(app.top().view.position(), Some((1, 1)));
    assert!(press_named(&mut app, "<Esc>").is_empty());
    assert_eq!(rows(&app).len(), 3, "Esc clears the filter first");
    assert!(press_named(&mut app, "<Esc>").is_empty());
    assert_eq!(app.breadcrumbs(), ["Pods"], "a jump's trail stays");
}

#[test]
fn filtering_revisions_matches_the_function_and_image() {
    let mut app = listed();
    prompt(&mut app, "rev");
    reply_top(
        &mut app,
        Reply::Revisions(WatchEvent::Synced(vec![
            summary_of(&revision(
                "shop",
                "cart",
                1,
                90,
                "ghcr.io/acme/cart:1",
                revision_ready(),
            )),
            summary_of(&revision(
                "shop",
                "cart",
                2,
                30,
                "ghcr.io/acme/cart:2",
                revision_ready(),
            )),
            summary_of(&revision(
                "payments",
                "refund",
                7,
                60,
                "ghcr.io/other/refund:7",
                revision_ready(),
            )),
        ])),
    );
    press(&mut app, "/acme/cart:2");
    assert_eq!(rows(&app), ["shop/cart-00002"]);
    press_named(&mut app, "<Esc>");
    press(&mut app, "/REFUND");
    assert_eq!(
        rows(&app),
        ["payments/refund-00007"],
        "case does not matter"
    );
}

#[test]
fn sorting_revisions_cycles_columns_and_reverses() {
    let mut app = listed();
    prompt(&mut app, "rev");
    reply_top(
        &mut app,
        Reply::Revisions(WatchEvent::Synced(vec![
            summary_of(&revision("b", "zeta", 1, 10, "i", revision_ready())),
            summary_of(&revision("a", "omega", 1, 30, "i", revision_ready())),
            summary_of(&revision("c", "alpha", 1, 20, "i", revision_ready())),
        ])),
    );
    assert_eq!(
        rows(&app),
        ["a/omega-00001", "b/zeta-00001", "c/alpha-00001"],
        "by namespace"
    );
    press(&mut app, "s");
    assert_eq!(
        rows(&app),
        ["c/alpha-00001", "a/omega-00001", "b/zeta-00001"],
        "by name"
    );
    press(&mut app, "S");
    assert_eq!(
        rows(&app),
        ["b/zeta-00001", "a/omega-00001", "c/alpha-00001"],
        "reversed"
    );
}

#[test]
fn sorting_events_by_type_puts_warnings_first() {
    let mut app = listed();
    prompt(&mut app, "ev");
    reply_top(
        &mut app,
        Reply::Events(WatchEvent::Synced(vec![
            event("shop", "Service", "cart", "Normal", "Updated", "u", 1),
            event(
                "shop",
                "Revision",
                "cart-00002",
                "Warning",
                "Failed",
                "f",
                9,
            ),
            event("shop", "Service", "cart", "Normal", "Created", "c", 30),
        ])),
    );
    assert_eq!(
        rows(&app),
        [
            "shop/cart.Updated.1",
            "shop/cart-00002.Failed.9",
            "shop/cart.Created.30"
        ],
        "newest first"
    );
    press(&mut app, "s");
    assert_eq!(rows(&app)[0], "shop/cart-00002.Failed.9", "warnings first");
    press(&mut app, "/created");
    assert_eq!(rows(&app), ["shop/cart.Created.30"]);
}

#[test]
fn a_list_views_failure_degrades_and_its_recovery_is_live() {
    let mut app = listed();
    prompt(&mut app, "po");
    reply_top(
        &mut app,
        Reply::Pods(WatchEvent::Failed(CoreError::Forbidden {
            message: "pods is forbidden".into(),
        })),
    );
    assert!(matches!(app.shell.health, Health::Degraded { .. }));
    reply_top(&mut app, Reply::Pods(WatchEvent::Synced(Vec::new())));
    assert!(matches!(app.shell.health, Health::Live));
    assert_eq!(app.top().view.position(), Some((0, 0)));
}

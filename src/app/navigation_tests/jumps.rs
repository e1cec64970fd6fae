//! Jumps to the Revisions, Pods and Events lists, and Enter from their rows.

use super::*;

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
        without_reviews(effects),
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
    assert_eq!(
        without_reviews(effects),
        detail_watches(id, 1, "shop", "cart")
    );
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
    assert_eq!(
        without_reviews(effects),
        detail_watches(id, 1, "payments", "refund")
    );
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
    assert_eq!(
        without_reviews(effects),
        detail_watches(app.top().id, 1, "shop", "x")
    );
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
fn l_and_the_prompt_open_a_functions_logs_with_the_configured_buffer() {
    let mut app = listed();
    app.shell.log_buffer_lines = 2_000;
    press(&mut app, "j");
    let effects = press(&mut app, "L");
    let id = app.top().id;
    assert_eq!(
        effects,
        [Effect::Watch {
            ticket: ticket(id, 1),
            watch: Watch::Polled(Polled::Logs {
                target: LogTarget::function(ObjectKey::new("shop", "cart")),
                text: String::new(),
                since: std::time::Duration::from_secs(15 * 60),
            }),
        }]
    );
    let View::Logs(view) = &app.top().view else {
        panic!("not the logs: {:?}", app.breadcrumbs());
    };
    assert_eq!(view.lines.capacity(), 2_000);
    press_named(&mut app, "<Esc>");
    prompt(&mut app, "logs refund");
    // All namespaces in scope: a name alone is looked for in the default one, as `:traces` does.
    assert_eq!(app.breadcrumbs(), ["Functions", "Logs default/refund"]);
}

//! Opening and closing a function's detail, and the answers it then may and may not get.

use super::*;

#[test]
fn enter_on_a_function_opens_its_detail_with_its_watches() {
    let mut app = listed();
    press(&mut app, "j"); // shop/cart
    let effects = press_named(&mut app, "<Enter>");
    let id = app.top().id;
    assert_eq!(id, ViewId(2));
    assert_eq!(
        without_reviews(effects),
        detail_watches(id, 1, "shop", "cart")
    );
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
    let mut expected = vec![
        Effect::Watch {
            ticket: ticket(LIST, 2),
            watch: Watch::Functions {
                scope: NamespaceScope::All,
            },
        },
        Effect::Watch {
            ticket: ticket(LIST, 2),
            watch: Watch::Polled(crate::app::Polled::Pulse {
                scope: funcdeck_core::prometheus::dialect::Scope::functions(None),
            }),
        },
    ];
    expected.extend(detail_watches(id, 2, "shop", "cart"));
    assert_eq!(
        without_reviews(effects),
        expected,
        "every view in the stack watches again"
    );

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
fn l_in_the_detail_opens_the_functions_logs_and_in_the_pods_section_the_pods() {
    let mut app = listed();
    press(&mut app, "j"); // shop/cart
    press_named(&mut app, "<Enter>");
    let h = healthy();
    reply_top(
        &mut app,
        Reply::Function(WatchEvent::Synced(vec![h.service])),
    );
    reply_top(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions)),
    );
    reply_top(&mut app, Reply::Pods(WatchEvent::Synced(h.pods)));
    let target = |app: &App| match &app.top().view {
        View::Logs(view) => view.target.clone(),
        _ => panic!("not the logs: {:?}", app.breadcrumbs()),
    };
    press(&mut app, "L");
    assert_eq!(
        target(&app),
        LogTarget::function(ObjectKey::new("shop", "cart")),
        "the revisions section: the whole function"
    );
    press_named(&mut app, "<Esc>");
    press_named(&mut app, "<Tab>");
    press(&mut app, "jL");
    let pod = target(&app).pod.expect("a pod");
    assert!(
        pod.starts_with("cart-0000") && pod.contains("-deployment-"),
        "{pod}"
    );
}

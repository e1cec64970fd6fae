//! A function that disappears, cannot be read in part, or whose watch fails.

use super::*;

#[test]
fn a_deleted_function_keeps_its_last_state_and_is_marked_gone() {
    let mut app = loaded();
    reply(
        &mut app,
        Reply::Function(WatchEvent::Deleted(ObjectKey::new("shop", "cart"))),
    );
    app.settle();
    let view = detail_view(&app);
    assert!(view.gone);
    assert!(view.service.data().is_some(), "the last Service stays");
    assert_eq!(
        revision_names(&app),
        ["cart-00002", "cart-00001"],
        "and the detail built from it"
    );
    // Coming back (re-created under the same name) clears it.
    reply(
        &mut app,
        Reply::Function(WatchEvent::Applied(healthy().service)),
    );
    assert!(!detail_view(&app).gone);
}

#[test]
fn an_empty_first_sync_is_a_not_found_naming_the_function() {
    let mut app = opened();
    reply(&mut app, Reply::Function(WatchEvent::Synced(Vec::new())));
    app.settle();
    let view = detail_view(&app);
    assert!(view.detail.is_none());
    assert!(view.gone);
    match view.service.error() {
        Some(CoreError::NotFound { message }) => {
            assert_eq!(message, "function \"cart\" not found in namespace \"shop\"");
        }
        other => panic!("expected not found, got {other:?}"),
    }
}

#[test]
fn forbidden_events_leave_revisions_and_pods_working() {
    let mut app = opened();
    let h = healthy();
    reply(
        &mut app,
        Reply::Function(WatchEvent::Synced(vec![h.service])),
    );
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions)),
    );
    reply(&mut app, Reply::Pods(WatchEvent::Synced(h.pods)));
    reply(
        &mut app,
        Reply::Events(WatchEvent::Failed(objects::events_forbidden("shop"))),
    );
    app.settle();
    let view = detail_view(&app);
    assert!(matches!(
        view.events.error(),
        Some(CoreError::Forbidden { .. })
    ));
    assert!(view.revisions.error().is_none() && view.pods.error().is_none());
    let detail = view.detail.as_ref().expect("the rest still builds");
    assert_eq!(detail.revisions.len(), 2);
    assert_eq!(detail.pods.len(), 3);
    assert!(detail.events.is_empty());
    assert!(
        matches!(app.shell.health, Health::Live),
        "a part failing is not the connection failing: {:?}",
        app.shell.health
    );
}

#[test]
fn a_failed_service_watch_keeps_the_detail_and_degrades_the_connection() {
    let mut app = loaded();
    let error = CoreError::Unreachable {
        server: "http://127.0.0.1:1".into(),
        reason: "connection refused".into(),
    };
    reply(&mut app, Reply::Function(WatchEvent::Failed(error)));
    app.settle();
    assert!(matches!(app.shell.health, Health::Degraded { .. }));
    assert!(detail_view(&app).service.is_stale());
    assert_eq!(revision_names(&app).len(), 2);
    let banner = app
        .banner()
        .map(|b| b.text().to_owned())
        .unwrap_or_default();
    assert!(banner.contains("showing last known data"), "{banner}");
}

#[test]
fn other_replies_do_not_disturb_the_detail() {
    let mut app = loaded();
    reply(&mut app, Reply::Revisions(WatchEvent::Synced(Vec::new())));
    app.settle();
    assert_eq!(revision_names(&app).len(), 2);
    // Before the Service arrives, a change to revisions never seen is ignored.
    let mut app = opened();
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Applied(
            serde_json::from_value(json!({
                "metadata": {"namespace": "shop", "name": "cart-00009"}
            }))
            .expect("revision"),
        )),
    );
    app.settle();
    assert!(detail_view(&app).revisions.data().is_none());
}

//! Filtering, sorting and failures in the Revisions, Pods and Events lists.

use super::*;

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

//! Changes asked from the detail: prune and rollback, previewed by the gate.

use super::*;

#[test]
fn prune_asks_to_delete_only_what_nothing_routes_to() {
    let mut app = loaded();
    press(&mut app, "P");
    assert_eq!(
        app.banner(),
        Some(Banner::Notice(
            "nothing to prune: every revision carries traffic or a tag, or is the latest".into()
        )),
        "both revisions are routed"
    );
    // An older revision nothing routes to arrives.
    let old = revision(
        "shop",
        "cart",
        0,
        5 * 24 * 60,
        "ghcr.io/acme/cart:1.3.0",
        revision_ready(),
    );
    reply(&mut app, Reply::FunctionRevisions(WatchEvent::Applied(old)));
    app.settle();
    press(&mut app, "P");
    let Some(crate::app::Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation, got {:?}", app.banner());
    };
    assert_eq!(
        confirm.mutation,
        crate::app::Mutation::PruneRevisions {
            key: ObjectKey::new("shop", "cart"),
            revisions: vec![revision_name("cart", 0)],
        }
    );
    assert!(
        confirm.mutation.consequence().contains("cart-00000"),
        "{}",
        confirm.mutation.consequence()
    );
}

#[test]
fn rollback_previews_the_split_and_goes_on_enter_without_typing() {
    let mut app = loaded();
    // The healthy function: 00002 90% (@latest), 00001 10% #canary.
    press(&mut app, "R");
    let Some(crate::app::Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a preview, got {:?}", app.banner());
    };
    let crate::app::Mutation::Rollback {
        to, before, after, ..
    } = &confirm.mutation
    else {
        panic!("a rollback");
    };
    assert_eq!(to, &revision_name("cart", 1));
    assert_eq!(before, "00002 90% · 00001 10% #canary");
    // The test function's spec routes @latest only (its tag lives in status), so no tag is
    // carried over; tags written in the spec are (see core's rollback tests).
    assert_eq!(after, "00001 100%");
    assert!(!confirm.mutation.needs_name());
    let effects = app.update(Msg::Key("<Enter>".parse().expect("a key")));
    assert!(
        matches!(effects.as_slice(), [crate::app::Effect::Mutate { .. }]),
        "{effects:?}"
    );
    assert!(app.overlay.is_none());
}

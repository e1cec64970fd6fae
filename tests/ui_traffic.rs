//! Screens of the traffic editor (`t` in a function's detail) with a valid and an invalid split,
//! the gate's preview of the change, and offline: the confirmation naming what it writes and
//! the detail saying the function is offline.
//!
//! Rendered at 150x40 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Mutation, Overlay};
use funcdeck::views::View;
use screens::objects::{healthy, revision_name};
use screens::{all, feed_detail, open_function, press, press_named, render_tall};
use serde_json::json;

/// The healthy `shop/cart` as its owner wrote it: 90% to @latest (00002), 10% to 00001 tagged
/// `canary`.
fn canary(labels: serde_json::Value, annotations: serde_json::Value) -> App {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let mut h = healthy();
    h.service.spec.traffic = Some(
        serde_json::from_value(json!([
            {"latestRevision": true, "percent": 90},
            {"revisionName": revision_name("cart", 1), "latestRevision": false, "percent": 10, "tag": "canary"},
        ]))
        .expect("traffic"),
    );
    h.service.metadata.resource_version = Some("41".into());
    h.service.metadata.labels = serde_json::from_value(labels).expect("labels");
    h.service.metadata.annotations = serde_json::from_value(annotations).expect("annotations");
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    app.settle();
    app
}

fn healthy_canary() -> App {
    canary(json!({}), json!({}))
}

/// `t`, then 00001 (the last row) raised to 50% and @latest lowered to 50%.
fn fifty_fifty() -> App {
    let mut app = healthy_canary();
    press(&mut app, "t");
    press(&mut app, "G");
    press(&mut app, "++++++++");
    press(&mut app, "g");
    press(&mut app, "50");
    press_named(&mut app, "<Enter>");
    app.settle();
    app
}

#[test]
fn traffic_editor_with_a_valid_split() {
    let mut app = fifty_fifty();
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn traffic_editor_with_an_invalid_split_says_why() {
    let mut app = healthy_canary();
    press(&mut app, "t");
    press(&mut app, "+");
    app.settle();
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("the percentages sum to 105, not 100"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn traffic_editor_typing_a_tag() {
    let mut app = healthy_canary();
    press(&mut app, "tjtblue");
    app.settle();
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn the_gate_previews_the_split_before_and_after() {
    let mut app = fifty_fifty();
    press_named(&mut app, "<Enter>");
    app.settle();
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation");
    };
    let Mutation::SetTraffic {
        before,
        after,
        resource_version,
        ..
    } = &confirm.mutation
    else {
        panic!("a traffic change, got {:?}", confirm.mutation);
    };
    assert_eq!(before, "@latest 90% · 00001 10% #canary");
    assert_eq!(after, "@latest 50% · 00001 50% #canary");
    assert_eq!(resource_version.as_deref(), Some("41"));
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn offline_names_what_it_writes_and_the_detail_shows_it() {
    let mut app = healthy_canary();
    press(&mut app, "O");
    app.settle();
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation");
    };
    assert!(matches!(
        confirm.mutation,
        Mutation::SetVisibility { online: false, .. }
    ));
    insta::assert_snapshot!("offline_confirmation", render_tall(&mut app));

    let mut app = canary(
        json!({"networking.knative.dev/visibility": "cluster-local"}),
        json!({"funcdeck.dev/offline": "{\"since\":\"2026-11-29T12:00:00Z\"}"}),
    );
    assert!(matches!(app.top().view, View::Function(_)));
    insta::assert_snapshot!("offline_detail", render_tall(&mut app));
    press(&mut app, "O");
    app.settle();
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation");
    };
    assert!(matches!(
        confirm.mutation,
        Mutation::SetVisibility { online: true, .. }
    ));
}

#[test]
fn a_hostile_tag_from_the_cluster_is_shown_inert() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let mut h = healthy();
    h.service.spec.traffic = Some(
        serde_json::from_value(json!([
            {"latestRevision": true, "percent": 100, "tag": "\u{1b}]52;c;aGk=\u{7}x"},
        ]))
        .expect("traffic"),
    );
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    app.settle();
    press(&mut app, "t");
    app.settle();
    let screen = render_tall(&mut app);
    assert!(screen.contains("Traffic of shop/cart"), "{screen}");
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "{screen}"
    );
}

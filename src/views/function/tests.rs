//! Transition tests for a function's detail: answers from its four watches in, the detail and
//! the cursor, marks and pushed views out. Driven through the app as the runner would.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;
use serde_json::json;

use super::{FunctionView, Section};
use crate::app::{App, Banner, ContextInfo, Health, Msg, Reply, Ticket, ViewId};
use crate::keymap::{Key, Keymap};
use crate::testing::{fixed_now, summary};
use crate::views::{TextView, View};

// The same objects as the screen snapshots; the other view tests include them too.
#[allow(clippy::duplicate_mod)]
#[path = "../../../tests/screens/objects.rs"]
mod objects;

use objects::{healthy, pod, revision, revision_name, revision_ready, running};

/// The app with the Functions view loaded and `shop/cart`'s detail opened from it.
fn opened() -> App {
    let mut app = App::new(Keymap::defaults(), Some(NamespaceScope::All), fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(ContextInfo {
            context: "funcdeck-sandbox".into(),
            server: "http://127.0.0.1:1".into(),
            default_namespace: "default".into(),
            contexts: Vec::new(),
        }),
    });
    reply(
        &mut app,
        Reply::Functions(FunctionEvent::Synced(vec![summary(
            "shop",
            "cart",
            Readiness::Ready,
        )])),
    );
    app.settle();
    press_named(&mut app, "<Enter>");
    assert!(matches!(app.top().view, View::Function(_)), "detail open");
    app
}

/// `opened()` fed the healthy function: two revisions, three pods, three events.
fn loaded() -> App {
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
    reply(&mut app, Reply::Events(WatchEvent::Synced(h.events)));
    app.settle();
    app
}

/// An answer for the top view's first watches.
fn reply(app: &mut App, reply: Reply) {
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket {
            view,
            generation: 1,
        },
        reply: Box::new(reply),
    });
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Msg::Key(Key::plain(c)));
    }
    app.settle();
}

fn press_named(app: &mut App, key: &str) {
    app.update(Msg::Key(key.parse().expect("valid key")));
    app.settle();
}

fn detail_view(app: &App) -> &FunctionView {
    match &app.top().view {
        View::Function(view) => view,
        other => panic!("expected a function's detail, got {}", other.title()),
    }
}

fn text_view(app: &App) -> &TextView {
    match &app.top().view {
        View::Text(view) => view,
        other => panic!("expected a text view, got {}", other.title()),
    }
}

fn lines(view: &TextView) -> Vec<&str> {
    view.lines.iter().map(|(line, _)| line.as_str()).collect()
}

fn revision_names(app: &App) -> Vec<String> {
    let detail = detail_view(app).detail.as_ref().expect("detail built");
    detail
        .revisions
        .iter()
        .map(|r| r.revision.key.name.clone())
        .collect()
}

fn notice(app: &App) -> String {
    match app.banner() {
        Some(Banner::Notice(text)) => text,
        other => panic!("expected a notice, got {other:?}"),
    }
}

#[test]
fn fed_its_four_parts_the_view_builds_the_detail_and_goes_live() {
    let mut app = opened();
    assert!(
        detail_view(&app).detail.is_none(),
        "nothing before the Service"
    );
    let h = healthy();
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions)),
    );
    app.settle();
    assert!(
        detail_view(&app).detail.is_none(),
        "revisions alone make no detail"
    );
    reply(
        &mut app,
        Reply::Function(WatchEvent::Synced(vec![h.service])),
    );
    reply(&mut app, Reply::Pods(WatchEvent::Synced(h.pods)));
    reply(&mut app, Reply::Events(WatchEvent::Synced(h.events)));
    app.settle();
    let view = detail_view(&app);
    let detail = view.detail.as_ref().expect("detail built");
    assert_eq!(detail.key, ObjectKey::new("shop", "cart"));
    assert_eq!(revision_names(&app), ["cart-00002", "cart-00001"]);
    let traffic: Vec<u32> = detail.revisions.iter().map(|r| r.traffic_percent).collect();
    assert_eq!(traffic, [90, 10]);
    assert_eq!(detail.revisions[0].pods_text(), "2/2");
    assert_eq!(detail.pods.len(), 3);
    assert_eq!(detail.events.len(), 3);
    assert_eq!(
        detail.events[0].reason.as_deref(),
        Some("Started"),
        "newest event first"
    );
    assert!(!view.gone);
    assert!(matches!(app.shell.health, Health::Live));
    assert_eq!(app.top().view.position(), Some((1, 2)), "revision 1 of 2");
}

#[test]
fn a_live_change_rebuilds_the_detail() {
    let mut app = loaded();
    let new = revision_name("cart", 2);
    reply(
        &mut app,
        Reply::Pods(WatchEvent::Applied(pod(
            "shop",
            "cart",
            &new,
            "zzzzz",
            1,
            running(),
        ))),
    );
    reply(
        &mut app,
        Reply::Pods(WatchEvent::Deleted(ObjectKey::new(
            "shop",
            format!("{}-deployment-7f9c8d6b5-klmno", revision_name("cart", 1)),
        ))),
    );
    app.settle();
    let detail = detail_view(&app).detail.as_ref().expect("detail");
    assert_eq!(detail.pods.len(), 3);
    assert_eq!(detail.revisions[0].pods_text(), "3/3");
    assert_eq!(detail.revisions[1].pods_text(), "0/0");
}

#[test]
fn tab_cycles_the_sections_and_backtab_goes_the_other_way() {
    let mut app = loaded();
    let section = |app: &App| detail_view(app).section;
    assert_eq!(section(&app), Section::Revisions);
    let mut seen = Vec::new();
    for _ in 0..3 {
        press_named(&mut app, "<Tab>");
        seen.push(section(&app));
    }
    assert_eq!(
        seen,
        [Section::Pods, Section::Events, Section::Revisions],
        "Tab wraps around"
    );
    press_named(&mut app, "<BackTab>");
    assert_eq!(section(&app), Section::Events);
}

#[test]
fn up_and_down_move_within_the_focused_section_and_stop_at_its_ends() {
    let mut app = loaded();
    let cursors = |app: &App| detail_view(app).cursors;
    press(&mut app, "jjjj");
    assert_eq!(
        cursors(&app),
        [1, 0, 0],
        "two revisions: stops at the second"
    );
    press_named(&mut app, "<Tab>");
    press(&mut app, "j");
    press_named(&mut app, "<Down>");
    press(&mut app, "j");
    assert_eq!(cursors(&app), [1, 2, 0], "three pods: stops at the third");
    assert_eq!(app.top().view.position(), Some((3, 3)));
    press(&mut app, "kkkkk");
    assert_eq!(cursors(&app), [1, 0, 0], "and at the first going up");
    press_named(&mut app, "<Tab>");
    press(&mut app, "G");
    assert_eq!(cursors(&app), [1, 0, 2]);
    press(&mut app, "g");
    assert_eq!(cursors(&app), [1, 0, 0]);
}

#[test]
fn a_cursor_past_the_rows_left_is_pulled_back() {
    let mut app = loaded();
    press_named(&mut app, "<Tab>");
    press(&mut app, "G");
    reply(&mut app, Reply::Pods(WatchEvent::Synced(Vec::new())));
    app.settle();
    assert_eq!(detail_view(&app).cursors[1], 0);
    assert_eq!(app.top().view.position(), None, "no rows, no position");
}

#[test]
fn enter_on_a_revision_opens_its_whole_object_as_yaml() {
    let mut app = loaded();
    press(&mut app, "j"); // the older revision
    press_named(&mut app, "<Enter>");
    assert_eq!(
        app.breadcrumbs(),
        ["Functions", "shop/cart", "Revision cart-00001"]
    );
    let text = lines(text_view(&app));
    assert!(text.contains(&"kind: Revision"), "{text:#?}");
    assert!(text.contains(&"  name: cart-00001"), "{text:#?}");
    assert!(
        text.iter()
            .any(|l| l.trim_start() == "- image: ghcr.io/acme/cart:1.4.0"
                || l.trim_start() == "image: ghcr.io/acme/cart:1.4.0"),
        "{text:#?}"
    );
    assert!(
        !text.iter().any(|l| l.contains("managedFields")),
        "managedFields are left out: {text:#?}"
    );
    // Esc goes back to the detail, cursor where it was.
    press_named(&mut app, "<Esc>");
    assert_eq!(detail_view(&app).cursors, [1, 0, 0]);
}

#[test]
fn enter_outside_the_revisions_opens_nothing() {
    let mut app = loaded();
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<Enter>");
    assert_eq!(app.stack.len(), 2);
    assert!(matches!(app.top().view, View::Function(_)));
}

#[test]
fn two_marked_revisions_diff_with_the_older_on_the_minus_side() {
    let mut app = loaded();
    // Newest first on screen: mark the newer one first, then the older.
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    assert_eq!(detail_view(&app).marked, ["cart-00002", "cart-00001"]);
    press(&mut app, "d");
    assert_eq!(app.stack.len(), 3);
    let diff = text_view(&app);
    assert_eq!(diff.title, "Diff cart-00001 → cart-00002");
    let text = lines(diff);
    assert_eq!(text[..2], ["--- cart-00001", "+++ cart-00002"]);
    let removed: Vec<&&str> = text.iter().filter(|l| l.starts_with("- ")).collect();
    let added: Vec<&&str> = text.iter().filter(|l| l.starts_with("+ ")).collect();
    assert!(
        removed
            .iter()
            .any(|l| l.contains("ghcr.io/acme/cart:1.4.0")),
        "{text:#?}"
    );
    assert!(
        added.iter().any(|l| l.contains("ghcr.io/acme/cart:1.5.0")),
        "{text:#?}"
    );
    assert!(!text.iter().any(|l| l.contains("identical")), "{text:#?}");
    assert!(
        text.iter()
            .any(|l| l.starts_with("  ") && l.contains("containerPort: 8080")),
        "unchanged lines are kept as context: {text:#?}"
    );
}

#[test]
fn diff_needs_two_marks_and_says_so() {
    let mut app = loaded();
    press(&mut app, "d");
    assert_eq!(app.stack.len(), 2, "nothing pushed");
    assert_eq!(
        notice(&app),
        "mark two revisions to compare their specs (0 marked)"
    );
    press_named(&mut app, "<Space>");
    press(&mut app, "d");
    assert_eq!(
        notice(&app),
        "mark two revisions to compare their specs (1 marked)"
    );
    press_named(&mut app, "<Space>");
    assert!(detail_view(&app).marked.is_empty(), "Space again unmarks");
}

#[test]
fn a_third_mark_replaces_the_oldest_mark() {
    let mut app = loaded();
    let third = revision(
        "shop",
        "cart",
        3,
        5,
        "ghcr.io/acme/cart:1.6.0",
        revision_ready(),
    );
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Applied(third)),
    );
    app.settle();
    assert_eq!(
        revision_names(&app),
        ["cart-00003", "cart-00002", "cart-00001"]
    );
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    assert_eq!(detail_view(&app).marked, ["cart-00002", "cart-00001"]);
}

#[test]
fn a_mark_on_a_deleted_revision_goes_with_it() {
    let mut app = loaded();
    press_named(&mut app, "<Space>");
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Deleted(ObjectKey::new("shop", "cart-00002"))),
    );
    app.settle();
    assert!(detail_view(&app).marked.is_empty());
    assert_eq!(revision_names(&app), ["cart-00001"]);
}

#[test]
fn marks_only_take_revisions() {
    let mut app = loaded();
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<Space>");
    assert!(detail_view(&app).marked.is_empty());
}

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

//! The detail built from its four watches, and moving between and within its sections.

use super::*;

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

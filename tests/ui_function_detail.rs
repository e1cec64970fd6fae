//! Screens of a function's detail in the states that matter (healthy, crashing, unpullable,
//! scaled to zero, deleted, partly forbidden, hostile text), and what opens from it: a
//! revision's spec, a diff, marks, scrolling.
//!
//! Rendered at 150x40 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Msg, Reply};
use funcdeck::theme::{StyleName, Theme};
use funcdeck_core::events::EventSummary;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::pods::PodSummary;
use funcdeck_core::watch::WatchEvent;
use ratatui::style::Modifier;
use screens::objects::{
    all_to, crash_looping, event, events_forbidden, healthy, image_pull_backoff, pod, revision,
    revision_failed, revision_idle, revision_name, revision_ready, running, service,
    service_failing, service_ready,
};
use screens::{
    TALL, WIDTH, all, draw, feed_detail, open_function, press, press_named, render_tall, reply,
    row_style,
};

/// `shop/cart` failing in its newest revision (cart-00002) while cart-00001 keeps serving.
fn failing(reason: &str, message: &str, pods: Vec<PodSummary>, events: Vec<EventSummary>) -> App {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let (old, new) = (revision_name("cart", 1), revision_name("cart", 2));
    let mut revisions = vec![revision(
        "shop",
        "cart",
        1,
        3 * 24 * 60,
        "ghcr.io/acme/cart:1.4.0",
        revision_ready(),
    )];
    revisions.push(revision(
        "shop",
        "cart",
        2,
        20,
        "ghcr.io/acme/cart:1.5.0",
        revision_failed(reason, message),
    ));
    let mut pods = pods;
    pods.push(pod("shop", "cart", &old, "klmno", 3 * 24 * 60, running()));
    feed_detail(
        &mut app,
        service(
            "shop",
            "cart",
            &new,
            Some(&old),
            service_failing(&new, reason, message),
            all_to(&old),
        ),
        revisions,
        pods,
        events,
    );
    app
}

#[test]
fn function_detail_of_a_healthy_function() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let h = healthy();
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn function_detail_of_a_crash_looping_revision() {
    let new = revision_name("cart", 2);
    let crashing = pod("shop", "cart", &new, "abcde", 18, crash_looping(1, 7));
    let back_off = event(
        "shop",
        "Pod",
        &crashing.key.name,
        "Warning",
        "BackOff",
        "Back-off restarting failed container user-container in pod cart-00002-deployment-7f9c8d6b5-abcde_shop",
        1,
    );
    let mut app = failing(
        "ExitCode1",
        "Container failed with: panic: cannot reach the database",
        vec![crashing],
        vec![back_off],
    );
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("user-container keeps crashing: exit code 1, restarted 7 times"),
        "{screen}"
    );
    assert!(
        screen.contains("CrashLoopBackOff  7         Error (exit 1)"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn function_detail_of_an_unpullable_image() {
    let new = revision_name("cart", 2);
    let image = "ghcr.io/acme/cart:1.5.0";
    let pulling = pod("shop", "cart", &new, "abcde", 18, image_pull_backoff(image));
    let failed = event(
        "shop",
        "Pod",
        &pulling.key.name,
        "Warning",
        "Failed",
        &format!(
            "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"
        ),
        2,
    );
    let mut app = failing(
        "ContainerMissing",
        &format!(
            "Unable to fetch image \"{image}\": failed to resolve image to digest: GET https://ghcr.io/v2/acme/cart/manifests/1.5.0: MANIFEST_UNKNOWN"
        ),
        vec![pulling],
        vec![failed],
    );
    let screen = render_tall(&mut app);
    assert!(screen.contains("cannot be pulled"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn function_detail_of_a_function_scaled_to_zero() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let only = revision_name("cart", 1);
    feed_detail(
        &mut app,
        service(
            "shop",
            "cart",
            &only,
            Some(&only),
            service_ready(),
            all_to(&only),
        ),
        vec![revision(
            "shop",
            "cart",
            1,
            5 * 60,
            "ghcr.io/acme/cart:1.4.0",
            revision_idle(),
        )],
        Vec::new(),
        Vec::new(),
    );
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("No pods: the function has scaled to zero"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn function_detail_of_a_deleted_function_keeps_its_last_state() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let h = healthy();
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    reply(
        &mut app,
        1,
        Reply::Function(WatchEvent::Deleted(ObjectKey::new("shop", "cart"))),
    );
    let screen = render_tall(&mut app);
    assert!(screen.contains("This function was deleted"), "{screen}");
    assert!(
        screen.contains("cart-00002"),
        "the last state stays: {screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn function_detail_that_does_not_exist() {
    let mut app = all();
    open_function(&mut app, "shop", "nope");
    reply(&mut app, 1, Reply::Function(WatchEvent::Synced(Vec::new())));
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn function_detail_with_forbidden_events() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let h = healthy();
    feed_detail(&mut app, h.service, h.revisions, h.pods, Vec::new());
    reply(
        &mut app,
        1,
        Reply::Events(WatchEvent::Failed(events_forbidden("shop"))),
    );
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("permission missing") && screen.contains("cannot list resource"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn function_detail_renders_hostile_text_inert() {
    let mut app = all();
    // Names are validated by the API server, but a hostile or broken one may send anything.
    let name = "cart\u{1b}[2J\u{1b}]52;c;cHdubmVk\u{7}";
    open_function(&mut app, "shop", name);
    let only = revision_name(name, 1);
    let hostile = "\u{1b}[31mred\u{1b}[0m \u{1b}]52;c;ZWNobyBwd25lZA==\u{7}copied \u{1b}[2Jcleared";
    let mut conditions = service_ready();
    conditions[1]["status"] = "False".into();
    conditions[1]["reason"] = "RevisionFailed".into();
    conditions[1]["message"] = hostile.into();
    let svc = service("shop", name, &only, Some(&only), conditions, all_to(&only));
    feed_detail(
        &mut app,
        svc,
        vec![revision(
            "shop",
            name,
            1,
            60,
            "ghcr.io/acme/cart:1.4.0",
            revision_ready(),
        )],
        vec![pod("shop", name, &only, "abcde", 59, running())],
        vec![event(
            "shop",
            "Revision",
            &only,
            "Warning",
            "InternalError",
            hostile,
            1,
        )],
    );
    let screen = render_tall(&mut app);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "no escape or bell reaches the terminal"
    );
    assert!(
        screen.contains("Revisions[1]") && screen.contains("Events[1]"),
        "the parts still find their function: {screen}"
    );
    insta::assert_snapshot!(screen);
}

/// The healthy function's detail, loaded and settled.
fn healthy_detail() -> App {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let h = healthy();
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    app.settle();
    app
}

#[test]
fn revision_spec_view() {
    let mut app = healthy_detail();
    press_named(&mut app, "<Enter>");
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("kind: Revision") && screen.contains("ghcr.io/acme/cart:1.5.0"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn revision_diff_view() {
    let mut app = healthy_detail();
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    app.settle();
    press_named(&mut app, "<Space>");
    press(&mut app, "d");
    let screen = render_tall(&mut app);
    assert!(
        screen.contains("--- cart-00001") && screen.contains("+++ cart-00002"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn marked_revisions_stand_out_from_the_rest() {
    let marked = Theme::builtin().style(StyleName::TableMarked);
    let mut app = healthy_detail();
    press_named(&mut app, "<Space>"); // cart-00002
    press(&mut app, "j"); // the cursor moves on to cart-00001, not marked
    app.settle();
    let backend = draw(&mut app, WIDTH, TALL);
    let style = row_style(&backend, "cart-00002 ");
    assert_eq!(style.fg, marked.fg, "the marked revision: {style:?}");
    assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
    let unmarked = row_style(&backend, "cart-00001 ");
    assert_ne!(unmarked.fg, marked.fg, "an unmarked revision: {unmarked:?}");
    let pod = row_style(&backend, "cart-00002-deployment");
    assert_ne!(pod.fg, marked.fg, "pods are never marked: {pod:?}");
}

#[test]
fn scrolling_a_spec_to_the_end_puts_its_last_line_on_the_last_row() {
    let mut app = healthy_detail();
    app.update(Msg::Resize {
        width: WIDTH,
        height: TALL,
    });
    app.settle();
    press_named(&mut app, "<Enter>");
    press(&mut app, "G");
    let screen = render_tall(&mut app);
    assert_eq!(last_text_row(&screen), "observedGeneration: 1", "{screen}");
}

#[test]
fn a_spec_scrolled_to_the_end_fills_a_taller_terminal() {
    let mut app = healthy_detail();
    press_named(&mut app, "<Enter>");
    press(&mut app, "G"); // at 150x16
    let screen = render_tall(&mut app);
    assert_eq!(last_text_row(&screen), "observedGeneration: 1", "{screen}");
}

/// The text on the box's last row (above its bottom border and the footer).
fn last_text_row(screen: &str) -> String {
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - 3]
        .trim_matches(|c: char| c == '"' || c == '│' || c == ' ')
        .to_owned()
}

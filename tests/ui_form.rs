//! Screens of the function form: a create form filled from a template with problems pointed
//! at their fields as they are typed, the update form of a live function, and the preview the
//! gate shows before anything is written.
//!
//! Rendered at 120x44 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Mutation, Overlay};
use funcdeck::views::View;
use screens::{all, feed_detail, objects, open_function, press, press_named, render_sized};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 44;

/// `c` on the functions list, then a name typed.
fn create_form(name: &str) -> App {
    let mut app = all();
    press(&mut app, "c");
    assert!(matches!(app.top().view, View::Form(_)), "c opens the form");
    press(&mut app, name);
    app
}

fn confirmation(app: &App) -> Option<&Mutation> {
    match &app.overlay {
        Some(Overlay::Confirm(confirm)) => Some(&confirm.mutation),
        _ => None,
    }
}

#[test]
fn create_form_from_a_template() {
    let mut app = create_form("hello");
    // Tab to the template, Right twice: go:distroless.
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<Right>");
    press_named(&mut app, "<Right>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn create_form_points_at_each_problem_and_refuses_to_submit() {
    let mut app = create_form("Hello");
    // Down to the limits (name → template → image → env → requests → limits).
    for _ in 0..4 {
        press_named(&mut app, "<Tab>");
    }
    press_named(&mut app, "<Tab>");
    press(&mut app, ",cpu=lots");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    press_named(&mut app, "<C-s>");
    assert!(confirmation(&app).is_none(), "nothing goes to the gate");
    let View::Form(form) = &app.top().view else {
        panic!("still the form");
    };
    assert_eq!(
        form.focused(),
        funcdeck::views::form::slots::Slot::Name,
        "back to the first problem"
    );
}

#[test]
fn create_submits_the_whole_function_for_confirmation() {
    let mut app = create_form("hello");
    press_named(&mut app, "<C-s>");
    let Some(Mutation::CreateFunction { key, service, .. }) = confirmation(&app) else {
        panic!("the gate asks first: {:?}", app.overlay);
    };
    assert_eq!(key.to_string(), "default/hello");
    assert_eq!(
        service["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/funcdeck/runtime-go:1.23-bookworm"
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn update_form_sends_only_what_was_changed() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let mut service = objects::service(
        "shop",
        "cart",
        "cart-00002",
        Some("cart-00002"),
        objects::service_ready(),
        objects::all_to("cart-00002"),
    );
    // What a team's function carries: variables (one from a secret), resources, scale.
    service.spec.template = serde_json::from_value(serde_json::json!({
        "metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "1",
                                     "autoscaling.knative.dev/max-scale": "5"}},
        "spec": {"containerConcurrency": 20, "containers": [{"image": "ghcr.io/acme/cart:2",
            "env": [{"name": "LOG", "value": "info"},
                    {"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}],
            "resources": {"requests": {"cpu": "250m"}}, "ports": [{"containerPort": 8080}]}]}
    }))
    .expect("a template");
    feed_detail(&mut app, service, Vec::new(), Vec::new(), Vec::new());
    press(&mut app, "u");
    assert!(
        matches!(app.top().view, View::Form(_)),
        "u opens the update form"
    );
    insta::assert_snapshot!(
        "update_form_of_a_live_function",
        render_sized(&mut app, WIDTH, HEIGHT)
    );
    // Image: append a tag change; Env (next field): a new variable.
    press_named(&mut app, "<Backspace>");
    press(&mut app, "9");
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<End>");
    press_named(&mut app, "<Enter>");
    press(&mut app, "MODE=fast");
    press_named(&mut app, "<C-s>");
    let Some(Mutation::UpdateFunction { change, .. }) = confirmation(&app) else {
        panic!("the gate asks first: {:?}", app.overlay);
    };
    assert!(
        change.image.as_deref().is_some_and(|i| i.ends_with('9')),
        "{change:?}"
    );
    assert_eq!(change.env, [("MODE".to_owned(), Some("fast".to_owned()))]);
    assert_eq!(change.requests, [], "untouched fields are not sent");
    insta::assert_snapshot!("update_form_preview", render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn the_detail_follows_the_revision_a_change_deployed() {
    use funcdeck::app::{Msg, Reply};
    use funcdeck_core::watch::WatchEvent;
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let service = |observed: i64, latest: &str| {
        let mut s = objects::service(
            "shop",
            "cart",
            latest,
            Some("cart-00002"),
            objects::service_ready(),
            objects::all_to("cart-00002"),
        );
        s.metadata.generation = Some(3);
        if let Some(status) = s.status.as_mut() {
            status.observed_generation = Some(observed);
        }
        s
    };
    feed_detail(
        &mut app,
        service(2, "cart-00002"),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    app.update(Msg::Written {
        key: funcdeck_core::key::ObjectKey::new("shop", "cart"),
        generation: 3,
        previous: Some("cart-00002".into()),
    });
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("Rollout    ◐ waiting for Knative to see the change"),
        "{screen}"
    );
    screens::reply(
        &mut app,
        1,
        Reply::Function(WatchEvent::Applied(service(3, "cart-00003"))),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("Rollout    ◐ cart-00003: deploying, pods 0/0"),
        "{screen}"
    );
}

/// The foreground of the footer's `c` key (the create hint), as drawn.
fn create_key_colour(app: &mut App) -> Option<ratatui::style::Color> {
    let backend = screens::draw(app, WIDTH, HEIGHT);
    let buffer = backend.buffer();
    let row = HEIGHT - 1;
    let line: String = (0..WIDTH)
        .map(|x| buffer[(x, row)].symbol().to_owned())
        .collect();
    let at = line.find(" c create").expect("the create hint") + 1;
    Some(buffer[(u16::try_from(at).expect("column"), row)].fg)
}

#[test]
fn the_footer_dims_a_change_the_user_may_not_make() {
    use funcdeck::theme::{StyleName, Theme};
    let theme = Theme::builtin();
    let mut app = all();
    assert_eq!(
        create_key_colour(&mut app),
        theme.style(StyleName::FooterKey).fg
    );
    app.shell.readonly = true;
    assert_eq!(
        create_key_colour(&mut app),
        theme.style(StyleName::Muted).fg
    );
    assert_eq!(
        app.disabled(funcdeck::command::Command::Create).as_deref(),
        Some("funcdeck runs read-only (--readonly)")
    );
}

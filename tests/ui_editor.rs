//! Screens of the YAML editor: a syntax error pointed at its line, the review diff before
//! applying, the conflict after a 409, a draft offered again, and a refusal in the server's words.
//!
//! Rendered at 110x30 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Msg, Mutation, Reply, Ticket, ViewId};
use funcdeck::drafts::{Draft, DraftId};
use funcdeck::keymap::Key;
use funcdeck::theme::{StyleName, Theme};
use funcdeck::views::{EditorView, View};
use funcdeck_core::edit::Editable;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use screens::{all, draw, press, press_named, render_sized, testing};

const WIDTH: u16 = 110;
const HEIGHT: u16 = 30;

fn live(image: &str, version: &str, labels: serde_json::Value) -> Editable {
    Editable::from_object(
        ObjectKey::new("shop", "cart"),
        serde_json::json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": version,
                         "labels": labels, "uid": "0d5a", "generation": 3},
            "spec": {"template": {"spec": {"containerConcurrency": 0,
                     "containers": [{"image": image, "env": [{"name": "MODE", "value": "fast"}]}]}},
                     "traffic": [{"latestRevision": true, "percent": 100}]},
            "status": {"observedGeneration": 3}
        }),
    )
}

fn open(draft: Option<Draft>) -> (App, Ticket) {
    let mut app = all();
    let id = DraftId {
        context: "funcdeck-sandbox".into(),
        key: ObjectKey::new("shop", "cart"),
    };
    app.push(View::Editor(Box::new(EditorView::new(id))));
    let ticket = Ticket {
        view: app.top().id,
        generation: 1,
    };
    app.update(Msg::Reply {
        ticket,
        reply: Box::new(Reply::EditLoaded {
            object: Ok(live(
                "ghcr.io/acme/cart:1.4.0",
                "4711",
                serde_json::json!({"team": "shop"}),
            )),
            draft: Ok(draft),
        }),
    });
    (app, ticket)
}

/// Down to the image line and to its end.
fn to_image(app: &mut App) {
    for _ in 0..15 {
        press_named(app, "<Down>");
    }
    press_named(app, "<End>");
}

fn rest(app: &mut App) {
    app.update(Msg::Tick(
        testing::fixed_now() + chrono::Duration::seconds(5),
    ));
}

#[test]
fn editor_with_a_syntax_error_points_at_its_line() {
    let (mut app, _) = open(None);
    to_image(&mut app);
    press(&mut app, ": x");
    rest(&mut app);
    let backend = draw(&mut app, WIDTH, HEIGHT);
    let screen = backend.to_string();
    insta::assert_snapshot!(screen);
    // The broken line is marked in the theme's removed-line style.
    let row = screen
        .lines()
        .position(|l| l.contains("cart:1.4.0: x"))
        .expect("the edited line is on screen");
    let marked = Theme::builtin().style(StyleName::DiffRemoved);
    let cell = &backend.buffer()[(20, u16::try_from(row).expect("row"))];
    assert_eq!(
        Some(cell.fg),
        marked.fg,
        "the line with the problem is marked"
    );
}

#[test]
fn editor_review_shows_the_change_against_the_live_object() {
    let (mut app, _) = open(None);
    to_image(&mut app);
    for _ in 0.."1.4.0".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "1.5.0");
    press_named(&mut app, "<C-s>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    press_named(&mut app, "<Enter>");
    insta::assert_snapshot!(
        "editor_review_asks_the_gate",
        render_sized(&mut app, WIDTH, HEIGHT)
    );
}

fn applied(app: &mut App) -> Mutation {
    to_image(app);
    press(app, "-rc");
    press_named(app, "<C-s>");
    press_named(app, "<Enter>");
    let Some(funcdeck::app::Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("the gate asks");
    };
    let mutation = confirm.mutation.clone();
    press_named(app, "<Enter>");
    mutation
}

#[test]
fn editor_conflict_shows_yours_against_the_servers() {
    let (mut app, ticket) = open(None);
    let mutation = applied(&mut app);
    app.update(Msg::Mutated {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        mutation,
        result: Err(CoreError::Conflict {
            message: "Operation cannot be fulfilled on services.serving.knative.dev \"cart\": the object has been modified; please apply your changes to the latest version and try again".into(),
        }),
    });
    app.update(Msg::Reply {
        ticket: Ticket {
            generation: ticket.generation + 1,
            ..ticket
        },
        reply: Box::new(Reply::Theirs(Ok(live(
            "ghcr.io/acme/cart:1.4.0",
            "4720",
            serde_json::json!({"team": "shop", "tier": "gold"}),
        )))),
    });
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    press(&mut app, "b");
    insta::assert_snapshot!(
        "editor_after_a_rebase",
        render_sized(&mut app, WIDTH, HEIGHT)
    );
}

#[test]
fn editor_shows_a_webhook_refusal_verbatim_and_keeps_the_buffer() {
    let (mut app, _) = open(None);
    let mutation = applied(&mut app);
    app.update(Msg::Mutated {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        mutation,
        result: Err(CoreError::Api {
            code: 400,
            reason: "BadRequest".into(),
            message: "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Traffic targets sum to 110, want 100: spec.traffic\nexpected 0 <= 110 <= 100: spec.traffic[0].percent\x1b[31m".into(),
        }),
    });
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(!screen.contains('\x1b'), "escape sequences are shown inert");
    insta::assert_snapshot!(screen);
}

#[test]
fn editor_offers_a_draft_left_by_an_earlier_session() {
    let base = live(
        "ghcr.io/acme/cart:1.4.0",
        "4700",
        serde_json::json!({"team": "shop"}),
    );
    let draft = Draft {
        context: "funcdeck-sandbox".into(),
        namespace: "shop".into(),
        name: "cart".into(),
        text: base.text.replace("cart:1.4.0", "cart:1.6.0"),
        base: base.text,
        resource_version: "4700".into(),
        saved_at: testing::fixed_now() - chrono::Duration::minutes(12),
    };
    let (mut app, _) = open(Some(draft));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    app.update(Msg::Key("r".parse::<Key>().expect("key")));
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("cart:1.6.0"), "{screen}");
}

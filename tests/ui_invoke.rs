//! The Invoke view: opened with its key from a function's detail and from the functions list,
//! the request form as it is edited, a request in flight, the answer (status, latency, where it
//! went, headers, pretty JSON), a failure, a stale answer dropped, and tags cycled.
//!
//! Rendered at 150x30 on ratatui's TestBackend.

mod screens;

use std::time::Duration;

use funcdeck::app::{App, Effect, Msg, Reply, Ticket};
use funcdeck::keymap::Key;
use funcdeck::views::View;
use funcdeck_core::invoke::{Destination, InvokeError, InvokeResponse};
use funcdeck_core::watch::WatchEvent;
use screens::objects::{revision_name, service, service_ready};
use screens::{WIDTH, all, open_function, press, press_named, render_sized, reply};
use serde_json::json;

const HEIGHT: u16 = 30;

/// `shop/cart` with all traffic on cart-00002 and cart-00001 tagged `stable`.
fn cart() -> funcdeck_core::knative::Service {
    let (old, new) = (revision_name("cart", 1), revision_name("cart", 2));
    service(
        "shop",
        "cart",
        &new,
        Some(&new),
        service_ready(),
        json!([
            {"revisionName": new, "latestRevision": true, "percent": 100},
            {"revisionName": old, "latestRevision": false, "percent": 0, "tag": "stable",
             "url": "http://stable-cart.shop.example.com"}
        ]),
    )
}

/// The function's detail, then its key for Invoke, and the Service for the new view's watch.
fn invoking() -> App {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let invoke = key_for(&app, "invoke");
    press(&mut app, &invoke);
    assert!(matches!(app.top().view, View::Invoke(_)), "invoke opened");
    reply(
        &mut app,
        1,
        Reply::Function(WatchEvent::Synced(vec![cart()])),
    );
    app
}

/// The first key bound to `command` in the top view's chain (keys come from the keymap).
fn key_for(app: &App, command: &str) -> String {
    let command = command.parse().expect("a command");
    app.shell
        .keymap
        .keys_for(app.top().view.key_chain(), command)
        .first()
        .expect("bound")
        .to_string()
}

fn key(app: &mut App, name: &str) -> Vec<Effect> {
    let effects = app.update(Msg::Key(name.parse::<Key>().expect("a key")));
    app.settle();
    effects
}

fn answer(status: u16, reason: &str, content_type: &str, body: &str) -> InvokeResponse {
    InvokeResponse {
        status,
        reason: reason.into(),
        headers: vec![
            ("server".into(), "envoy".into()),
            ("content-type".into(), content_type.into()),
            (
                "x-request-id".into(),
                "5b1c0e0a-7f1d-4c5e-9a51-2f3c4d5e6f70".into(),
            ),
        ],
        body: body.as_bytes().to_vec(),
        latency: Duration::from_micros(12_345),
        sent_to: Destination {
            url: "http://cart.shop.example.com".into(),
            scheme: "http".into(),
            host: "cart.shop.example.com".into(),
            address: "127.0.0.1:31080".into(),
            gateway: Some("kourier-system/kourier".into()),
        },
    }
}

fn invoked(app: &mut App, generation: u64, result: Result<InvokeResponse, InvokeError>) {
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket { view, generation },
        reply: Box::new(Reply::Invoked(result)),
    });
}

/// Focuses `field` (Tab from the method), edits it, types `text` (`\n` as Enter), leaves it.
fn fill(app: &mut App, tabs: usize, text: &str) {
    for _ in 0..tabs {
        key(app, "<Tab>");
    }
    key(app, "<Enter>");
    for c in text.chars() {
        match c {
            '\n' => key(app, "<Enter>"),
            c => {
                app.update(Msg::Key(Key::plain(c)));
                Vec::new()
            }
        };
    }
    key(app, "<Esc>");
    for _ in 0..tabs {
        key(app, "<BackTab>");
    }
}

#[test]
fn the_request_form_as_it_is_filled_in() {
    let mut app = invoking();
    fill(&mut app, 3, "X-Env: staging\nAccept: application/json");
    fill(&mut app, 4, "{\"order\": 42}");
    // Editing the path: the field says so, and `q` is text, not quit.
    key(&mut app, "<Tab>");
    key(&mut app, "<Enter>");
    press(&mut app, "orders?q=1");
    assert!(!app.shell.should_quit);
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn sending_shows_the_request_in_flight_then_the_answer() {
    let mut app = invoking();
    fill(&mut app, 3, "X-Env: staging");
    fill(&mut app, 4, "{\"order\": 42}");
    let effects = key(&mut app, "<C-s>");
    let Some(Effect::Invoke {
        key: k, request, ..
    }) = effects.first()
    else {
        panic!("an invocation: {effects:?}");
    };
    assert_eq!((k.namespace.as_str(), k.name.as_str()), ("shop", "cart"));
    assert_eq!(request.method, "POST");
    assert_eq!(request.headers, vec![("X-Env".into(), "staging".into())]);
    assert_eq!(request.body, br#"{"order": 42}"#.to_vec());
    let in_flight = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        in_flight.contains("Sending POST http://cart.shop.example.com/ …"),
        "{in_flight}"
    );

    invoked(
        &mut app,
        1,
        Ok(answer(
            200,
            "OK",
            "application/json",
            r#"{"revision":"cart-00002","method":"POST","body":{"order":42}}"#,
        )),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_stale_answer_is_dropped_and_a_failure_says_why() {
    let mut app = invoking();
    key(&mut app, "<C-s>");
    key(&mut app, "<C-s>");
    // The first request's answer arrives after the second was sent: dropped.
    invoked(
        &mut app,
        1,
        Ok(answer(
            503,
            "Service Unavailable",
            "text/plain",
            "no healthy upstream",
        )),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("Sending GET"), "{screen}");
    invoked(
        &mut app,
        2,
        Err(InvokeError::Timeout {
            to: "http://cart.shop.example.com".into(),
            after: Duration::from_secs(60),
        }),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("no answer from http://cart.shop.example.com within 60s"),
        "{screen}"
    );
}

#[test]
fn a_server_error_and_a_bad_header_line() {
    let mut app = invoking();
    fill(&mut app, 3, "not a header");
    key(&mut app, "<C-s>");
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("not sent: headers, line 1: \"not a header\" is not a header"),
        "{screen}"
    );
    let mut app = invoking();
    key(&mut app, "<C-s>");
    invoked(
        &mut app,
        1,
        Ok(answer(
            502,
            "Bad Gateway",
            "text/plain",
            "dial tcp 127.0.0.1:8080: connect: connection refused\u{1b}[2J",
        )),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn tags_cycle_and_are_sent() {
    let mut app = invoking();
    let next_tag = key_for(&app, "next_tag");
    press(&mut app, &next_tag);
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("stable → http://stable-cart.shop.example.com"),
        "{screen}"
    );
    let effects = key(&mut app, "<C-s>");
    let Some(Effect::Invoke { request, .. }) = effects.first() else {
        panic!("an invocation");
    };
    assert_eq!(request.tag.as_deref(), Some("stable"));
    press(&mut app, &next_tag);
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("none → http://cart.shop.example.com"),
        "{screen}"
    );
}

#[test]
fn invoke_opens_from_the_functions_list() {
    let mut app = all();
    screens::deliver(
        &mut app,
        funcdeck_core::functions::FunctionEvent::Synced(vec![screens::testing::summary(
            "shop",
            "cart",
            funcdeck_core::function::Readiness::Ready,
        )]),
    );
    app.settle();
    let invoke = key_for(&app, "invoke");
    press(&mut app, &invoke);
    let View::Invoke(view) = &app.top().view else {
        panic!("invoke opened");
    };
    assert_eq!(view.key.name, "cart");
    let _ = press_named;
}

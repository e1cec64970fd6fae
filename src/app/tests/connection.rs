//! Connecting, failing to, reconnecting, and answers to old questions.

use super::*;

#[test]
fn connecting_watches_the_contexts_namespace_unless_one_was_chosen() {
    let cases = [
        (None, NamespaceScope::One("team-a".into())),
        (Some(NamespaceScope::All), NamespaceScope::All),
    ];
    for (chosen, watched) in cases {
        let mut app = App::new(Keymap::defaults(), chosen, fixed_now());
        app.start();
        let effects = app.update(Msg::Connected {
            ticket: ticket(SHELL, 1),
            result: Ok(info("team-a")),
        });
        assert_eq!(without_reviews(effects), watches(LIST, 1, watched));
    }
}

#[test]
fn a_broken_kubeconfig_fails_with_a_retryable_banner() {
    let mut app = App::new(Keymap::defaults(), None, fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: ticket(SHELL, 1),
        result: Err(CoreError::KubeconfigInvalid {
            path: "/tmp/kc".into(),
            reason: "not YAML".into(),
        }),
    });
    assert!(matches!(app.shell.health, Health::Failed { .. }));
    assert!(list(&app).list.items.error().is_some());
    let Some(Banner::Error(text)) = app.banner() else {
        panic!("expected an error banner");
    };
    // The key is the one the keymap binds to retry here (`r` by default).
    let retry = app
        .shell
        .keymap
        .hint(app.top().view.key_chain(), crate::command::Command::Retry);
    assert!(
        text.contains("/tmp/kc") && text.contains(&format!("press {retry} to retry")),
        "{text}"
    );
    assert_eq!(
        press(&mut app, "r"),
        vec![Effect::Connect {
            ticket: ticket(SHELL, 2),
            context: None
        }]
    );
}

#[test]
fn banners_name_the_keys_the_user_bound() {
    let user = Keymap::parse(
        "[global]\nkeys = [{ on = \"R\", run = \"retry\" }, { on = \"r\", run = \"quit\" }]",
    )
    .expect("parses");
    let mut app = App::new(Keymap::defaults().merged_with(user), None, fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: ticket(SHELL, 1),
        result: Err(CoreError::NotConnected),
    });
    let text = app
        .banner()
        .map(|b| b.text().to_owned())
        .unwrap_or_default();
    assert!(text.contains("press <C-r> to retry"), "r quits now: {text}");
}

#[test]
fn a_dropped_watch_keeps_the_data_and_says_so() {
    let mut app = loaded_app();
    assert!(matches!(app.shell.health, Health::Live));
    functions(&mut app, LIST, 1, FunctionEvent::Failed(unreachable()));
    assert!(matches!(app.shell.health, Health::Degraded { .. }));
    assert_eq!(visible_names(&app).len(), 3);
    let Some(Banner::Error(text)) = app.banner() else {
        panic!("expected an error banner");
    };
    assert!(text.contains("showing last known data"), "{text}");

    // While down for a retryable reason, ticks probe; a good probe shows live again.
    let effects = app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(5)));
    assert_eq!(
        effects,
        vec![Effect::Probe {
            ticket: ticket(SHELL, 1)
        }]
    );
    let again = app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(6)));
    assert!(again.is_empty(), "probes are spaced out");
    app.update(Msg::Probed {
        ticket: ticket(SHELL, 1),
        result: Ok("v1.32.4".into()),
    });
    assert!(matches!(app.shell.health, Health::Live));
}

#[test]
fn answers_for_an_older_generation_are_dropped() {
    let mut app = loaded_app();
    press(&mut app, "0"); // already all namespaces: no new watch
    let effects = press_named(&mut app, "<C-r>");
    assert_eq!(
        effects,
        vec![Effect::Connect {
            ticket: ticket(SHELL, 2),
            context: None
        }]
    );
    app.update(Msg::Connected {
        ticket: ticket(SHELL, 2),
        result: Ok(info("shop")),
    });
    app.shell.dirty = false;
    functions(
        &mut app,
        LIST,
        1,
        FunctionEvent::Deleted(FunctionKey {
            namespace: "shop".into(),
            name: "cart".into(),
        }),
    );
    app.settle();
    assert_eq!(
        visible_names(&app).len(),
        3,
        "the old watch's answer is dropped"
    );
    assert!(!app.shell.dirty, "an old answer does not even redraw");
    // A stale connect answer is dropped too.
    let effects = app.update(Msg::Connected {
        ticket: ticket(SHELL, 1),
        result: Err(unreachable()),
    });
    assert!(effects.is_empty());
    assert!(!matches!(app.shell.health, Health::Failed { .. }));
}

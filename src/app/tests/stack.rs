//! The view stack and the `:` prompt: push, pop, jumps, namespaces, contexts, history.

use super::*;

#[test]
fn pushing_a_view_watches_for_it_and_popping_stops_its_watches_and_drops_its_answers() {
    let mut app = loaded_app();
    let effects = app.push(View::Functions(FunctionsView::default()));
    let pushed = app.top().id;
    assert_ne!(pushed, LIST);
    assert_eq!(effects, watches(pushed, 1, NamespaceScope::All));
    assert_eq!(app.breadcrumbs(), ["Functions", "Functions"]);
    let effects = press_named(&mut app, "<Esc>");
    assert_eq!(effects, vec![Effect::Unsubscribe { view: pushed }]);
    assert_eq!(app.stack.len(), 1);
    // A late answer for the popped view goes nowhere and changes nothing.
    app.shell.dirty = false;
    functions(&mut app, pushed, 1, FunctionEvent::Synced(Vec::new()));
    assert!(!app.shell.dirty);
    assert_eq!(visible_names(&app).len(), 3);
    // Esc on the last view does not pop it.
    assert!(press_named(&mut app, "<Esc>").is_empty());
    assert_eq!(app.stack.len(), 1);
}

#[test]
fn the_prompt_jumps_to_a_fresh_trail() {
    let mut app = loaded_app();
    app.push(View::Functions(FunctionsView::default()));
    let effects = prompt(&mut app, "fn");
    let id = app.top().id;
    let mut expected = vec![
        Effect::Unsubscribe { view: LIST },
        Effect::Unsubscribe { view: ViewId(2) },
    ];
    expected.extend(watches(id, 1, NamespaceScope::All));
    assert_eq!(effects, expected);
    assert_eq!(app.stack.len(), 1);
    assert_eq!(app.history, ["fn"]);
}

#[test]
fn the_prompt_switches_namespace_and_context_and_quits() {
    let mut app = loaded_app();
    let effects = prompt(&mut app, "ns payments");
    assert_eq!(
        without_reviews(effects),
        watches(LIST, 2, NamespaceScope::One("payments".into()))
    );
    let effects = prompt(&mut app, "ctx sandbox-viewer");
    assert_eq!(
        effects,
        vec![Effect::Connect {
            ticket: ticket(SHELL, 2),
            context: Some("sandbox-viewer".into())
        }]
    );
    // The new context's namespace applies, and the list starts over.
    let effects = app.update(Msg::Connected {
        ticket: ticket(SHELL, 2),
        result: Ok(info("shop")),
    });
    let mut expected = watches(LIST, 3, NamespaceScope::One("shop".into()));
    // The new connection's rules where changes may be made next.
    expected.push(Effect::ReviewAccess {
        ticket: ticket(SHELL, 2),
        namespace: "shop".into(),
    });
    assert_eq!(effects, expected);
    assert!(list(&app).list.items.data().is_none());
    let effects = prompt(&mut app, "ctx nowhere");
    assert!(effects.is_empty());
    assert!(
        app.banner()
            .is_some_and(|b| b.text().contains("no context \"nowhere\"")),
        "{:?}",
        app.banner()
    );
    prompt(&mut app, "q");
    assert!(app.shell.should_quit);
}

#[test]
fn an_unknown_command_suggests_the_closest_and_esc_dismisses_it() {
    let mut app = loaded_app();
    let effects = prompt(&mut app, "fnn");
    assert!(effects.is_empty());
    assert_eq!(
        app.banner(),
        Some(Banner::Notice(
            "unknown command :fnn; did you mean :fn?".into()
        ))
    );
    press_named(&mut app, "<Esc>");
    assert_eq!(app.banner(), None);
}

#[test]
fn the_prompt_completes_and_recalls_history() {
    let mut app = loaded_app();
    app.update(Msg::Namespaces {
        ticket: ticket(SHELL, 1),
        result: Ok(vec!["payments".into(), "shop".into()]),
    });
    press(&mut app, ":ns s");
    press_named(&mut app, "<Tab>");
    let line = |app: &App| match &app.overlay {
        Some(Overlay::Prompt(p)) => p.line.clone(),
        _ => panic!("prompt open"),
    };
    assert_eq!(line(&app), "ns shop");
    press_named(&mut app, "<Enter>");
    press(&mut app, ":");
    press_named(&mut app, "<Up>");
    assert_eq!(line(&app), "ns shop");
    press(&mut app, "q");
    assert!(!app.shell.should_quit, "q types into the prompt");
    press_named(&mut app, "<Esc>");
    assert!(app.overlay.is_none());
}

//! Transition tests: messages in, state and effects out. No terminal, no cluster, no tokio.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::{FunctionKey, Readiness};
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};

use super::test_support::{press, press_named, prompt, ticket};
use super::*;
use crate::keymap::Keymap;
use crate::testing::{fixed_now, summary};
use crate::views::{FunctionsView, View};

const SHELL: ViewId = ViewId::SHELL;
/// The Functions view the app starts with.
const LIST: ViewId = ViewId(1);

fn info(default_namespace: &str) -> ContextInfo {
    ContextInfo {
        context: "funcdeck-sandbox".into(),
        server: "http://127.0.0.1:1".into(),
        default_namespace: default_namespace.into(),
        contexts: vec!["funcdeck-sandbox".into(), "sandbox-viewer".into()],
    }
}

fn connected_app(scope: Option<NamespaceScope>) -> App {
    let mut app = App::new(Keymap::defaults(), scope, fixed_now());
    assert_eq!(
        app.start(),
        vec![Effect::Connect {
            ticket: ticket(SHELL, 1),
            context: None
        }]
    );
    app.update(Msg::Connected {
        ticket: ticket(SHELL, 1),
        result: Ok(info("shop")),
    });
    app
}

fn functions(app: &mut App, view: ViewId, generation: u64, event: FunctionEvent) {
    app.update(Msg::Reply {
        ticket: ticket(view, generation),
        reply: Box::new(Reply::Functions(event)),
    });
}

fn loaded_app() -> App {
    let mut app = connected_app(Some(NamespaceScope::All));
    functions(
        &mut app,
        LIST,
        1,
        FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ]),
    );
    app.settle();
    app
}

fn list(app: &App) -> &FunctionsView {
    match &app.top().view {
        View::Functions(view) => view,
        #[allow(unreachable_patterns)]
        other => panic!("expected the Functions view, got {}", other.title()),
    }
}

fn visible_names(app: &App) -> Vec<String> {
    let data = list(app).list.items.data().expect("loaded");
    data.rows(0, 100).map(|s| s.key.name.clone()).collect()
}

fn watch(view: ViewId, generation: u64, scope: NamespaceScope) -> Effect {
    Effect::Watch {
        ticket: ticket(view, generation),
        watch: Watch::Functions { scope },
    }
}

fn unreachable() -> CoreError {
    CoreError::Unreachable {
        server: "http://127.0.0.1:1".into(),
        reason: "connection refused".into(),
    }
}

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
        assert_eq!(effects, vec![watch(LIST, 1, watched)]);
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
    assert!(
        text.contains("/tmp/kc") && text.contains("press r to retry"),
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

#[test]
fn live_events_add_change_and_remove_rows() {
    let mut app = loaded_app();
    functions(
        &mut app,
        LIST,
        1,
        FunctionEvent::Applied(summary("analytics", "etl", Readiness::Ready)),
    );
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
    assert_eq!(visible_names(&app), ["etl", "refund", "checkout"]);
}

#[test]
fn filtering_narrows_as_you_type_and_typed_q_does_not_quit() {
    let mut app = loaded_app();
    press(&mut app, "/shq");
    assert!(!app.shell.should_quit);
    assert_eq!(list(&app).list.filter, "shq");
    assert!(visible_names(&app).is_empty());
    press_named(&mut app, "<Backspace>");
    assert_eq!(visible_names(&app), ["cart", "checkout"]);
    press_named(&mut app, "<Enter>");
    assert!(!list(&app).list.filtering);
    assert_eq!(list(&app).list.filter, "sh", "Enter keeps the filter");
    press_named(&mut app, "<Esc>");
    assert_eq!(visible_names(&app).len(), 3, "Esc clears the filter first");
    press(&mut app, "q");
    assert!(app.shell.should_quit);
}

#[test]
fn the_selection_follows_its_function_when_rows_move() {
    let mut app = loaded_app();
    press(&mut app, "jj");
    let selected = |app: &App| list(app).list.selected().map(|s| s.key.name.clone());
    assert_eq!(selected(&app).as_deref(), Some("checkout"));
    press(&mut app, "S"); // reverse the sort: checkout moves to the top, the cursor follows it
    assert_eq!(list(&app).list.cursor, 0);
    assert_eq!(selected(&app).as_deref(), Some("checkout"));
    press(&mut app, "G");
    assert_eq!(list(&app).list.cursor, 2);
    press(&mut app, "jjj");
    assert_eq!(
        list(&app).list.cursor,
        2,
        "the cursor stops at the last row"
    );
}

#[test]
fn sorting_cycles_columns_and_skips_namespace_in_one_namespace() {
    let title = |app: &App| crate::columns::FUNCTION_COLUMNS[list(app).list.sort.column].title;
    let mut app = connected_app(Some(NamespaceScope::One("shop".into())));
    assert_eq!(title(&app), "NAMESPACE");
    press(&mut app, "s");
    assert_eq!(title(&app), "NAME");
    press_named(&mut app, "<BackTab>");
    assert_eq!(title(&app), "AGE", "namespace is skipped");
    press_named(&mut app, "<BackTab>");
    assert_eq!(title(&app), "LATEST", "unsortable columns are skipped");
}

#[test]
fn the_namespace_picker_loads_filters_and_switches_scope() {
    let mut app = loaded_app();
    let effects = press(&mut app, "n");
    assert_eq!(
        effects,
        vec![Effect::LoadNamespaces {
            ticket: ticket(SHELL, 1)
        }]
    );
    app.update(Msg::Namespaces {
        ticket: ticket(SHELL, 1),
        result: Ok(vec!["default".into(), "payments".into(), "shop".into()]),
    });
    press(&mut app, "pay");
    let Some(Overlay::NamespacePicker(picker)) = &app.overlay else {
        panic!("picker open");
    };
    assert_eq!(
        picker.choices(),
        vec![NamespaceScope::One("payments".into())]
    );
    let effects = press_named(&mut app, "<Enter>");
    assert_eq!(
        effects,
        vec![watch(LIST, 2, NamespaceScope::One("payments".into()))]
    );
    assert!(
        list(&app).list.items.data().is_none(),
        "another namespace starts over"
    );
    assert_eq!(
        press(&mut app, "0"),
        vec![watch(LIST, 3, NamespaceScope::All)]
    );
}

#[test]
fn help_opens_and_closes() {
    let mut app = loaded_app();
    press(&mut app, "?");
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    press(&mut app, "j");
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 1 })));
    press_named(&mut app, "<Esc>");
    assert!(app.overlay.is_none());
}

#[test]
fn idle_ticks_do_not_redraw() {
    let mut app = loaded_app();
    app.shell.dirty = false;
    app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(1)));
    assert!(
        !app.shell.dirty,
        "every row is a day old: nothing on screen changed"
    );
}

#[test]
fn pushing_a_view_watches_for_it_and_popping_stops_its_watches_and_drops_its_answers() {
    let mut app = loaded_app();
    let effects = app.push(View::Functions(FunctionsView::default()));
    let pushed = app.top().id;
    assert_ne!(pushed, LIST);
    assert_eq!(effects, vec![watch(pushed, 1, NamespaceScope::All)]);
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
    assert_eq!(
        effects,
        vec![
            Effect::Unsubscribe { view: LIST },
            Effect::Unsubscribe { view: ViewId(2) },
            watch(id, 1, NamespaceScope::All),
        ]
    );
    assert_eq!(app.stack.len(), 1);
    assert_eq!(app.history, ["fn"]);
}

#[test]
fn the_prompt_switches_namespace_and_context_and_quits() {
    let mut app = loaded_app();
    let effects = prompt(&mut app, "ns payments");
    assert_eq!(
        effects,
        vec![watch(LIST, 2, NamespaceScope::One("payments".into()))]
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
    assert_eq!(
        effects,
        vec![watch(LIST, 3, NamespaceScope::One("shop".into()))]
    );
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

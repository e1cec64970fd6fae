//! Transition tests: messages in, state and effects out. No terminal, no cluster, no tokio.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::{FunctionKey, Readiness};
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};

use super::*;
use crate::keymap::{Key, Keymap};
use crate::testing::{fixed_now, summary};

fn connected_app(scope: Option<NamespaceScope>) -> App {
    let mut app = App::new(Keymap::defaults(), scope, fixed_now());
    assert_eq!(app.start(), vec![Effect::Connect { generation: 1 }]);
    app.update(Msg::Connected {
        generation: 1,
        result: Ok(ContextInfo {
            context: "funcdeck-sandbox".into(),
            server: "http://127.0.0.1:1".into(),
            default_namespace: "shop".into(),
        }),
    });
    app
}

fn loaded_app() -> App {
    let mut app = connected_app(Some(NamespaceScope::All));
    app.update(Msg::Functions {
        generation: 1,
        event: FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ]),
    });
    app.settle();
    app
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        effects.extend(app.update(Msg::Key(Key::plain(c))));
    }
    app.settle();
    effects
}

fn press_named(app: &mut App, key: &str) -> Vec<Effect> {
    let effects = app.update(Msg::Key(key.parse().expect("valid key")));
    app.settle();
    effects
}

fn visible_names(app: &App) -> Vec<String> {
    let list = app.functions.loaded().expect("loaded");
    list.rows(0, 100).map(|s| s.key.name.clone()).collect()
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
            generation: 1,
            result: Ok(ContextInfo {
                context: "c".into(),
                server: "s".into(),
                default_namespace: "team-a".into(),
            }),
        });
        assert_eq!(
            effects,
            vec![Effect::WatchFunctions {
                generation: 1,
                scope: watched
            }]
        );
    }
}

#[test]
fn a_broken_kubeconfig_fails_with_a_retryable_banner() {
    let mut app = App::new(Keymap::defaults(), None, fixed_now());
    app.start();
    app.update(Msg::Connected {
        generation: 1,
        result: Err(CoreError::KubeconfigInvalid {
            path: "/tmp/kc".into(),
            reason: "not YAML".into(),
        }),
    });
    assert!(matches!(app.health, Health::Failed { .. }));
    assert!(matches!(app.functions, Loadable::Failed(_)));
    let Some(Banner::Error(text)) = app.banner() else {
        panic!("expected an error banner");
    };
    assert!(
        text.contains("/tmp/kc") && text.contains("press r to retry"),
        "{text}"
    );
    assert_eq!(
        press(&mut app, "r"),
        vec![Effect::Connect { generation: 2 }]
    );
}

#[test]
fn a_dropped_watch_keeps_the_data_and_says_so() {
    let mut app = loaded_app();
    assert!(matches!(app.health, Health::Live));
    app.update(Msg::Functions {
        generation: 1,
        event: FunctionEvent::Failed(unreachable()),
    });
    assert!(matches!(app.health, Health::Degraded { .. }));
    assert_eq!(visible_names(&app).len(), 3);
    let Some(Banner::Error(text)) = app.banner() else {
        panic!("expected an error banner");
    };
    assert!(text.contains("showing last known data"), "{text}");

    // While down for a retryable reason, ticks probe; a good probe shows live again.
    let effects = app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(5)));
    assert_eq!(effects, vec![Effect::Probe { generation: 1 }]);
    let again = app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(6)));
    assert!(again.is_empty(), "probes are spaced out");
    app.update(Msg::Probed {
        generation: 1,
        result: Ok("v1.32.4".into()),
    });
    assert!(matches!(app.health, Health::Live));
}

#[test]
fn answers_for_an_older_generation_are_dropped() {
    let mut app = loaded_app();
    press(&mut app, "0"); // already all namespaces: no new watch
    press_named(&mut app, "<C-r>");
    app.update(Msg::Functions {
        generation: 1,
        event: FunctionEvent::Deleted(FunctionKey {
            namespace: "shop".into(),
            name: "cart".into(),
        }),
    });
    app.settle();
    assert_eq!(visible_names(&app).len(), 3);
}

#[test]
fn live_events_add_change_and_remove_rows() {
    let mut app = loaded_app();
    app.update(Msg::Functions {
        generation: 1,
        event: FunctionEvent::Applied(summary("analytics", "etl", Readiness::Ready)),
    });
    app.update(Msg::Functions {
        generation: 1,
        event: FunctionEvent::Deleted(FunctionKey {
            namespace: "shop".into(),
            name: "cart".into(),
        }),
    });
    app.settle();
    assert_eq!(visible_names(&app), ["etl", "refund", "checkout"]);
}

#[test]
fn filtering_narrows_as_you_type_and_typed_q_does_not_quit() {
    let mut app = loaded_app();
    press(&mut app, "/shq");
    assert!(!app.should_quit);
    assert_eq!(app.view.filter, "shq");
    assert!(visible_names(&app).is_empty());
    press_named(&mut app, "<Backspace>");
    assert_eq!(visible_names(&app), ["cart", "checkout"]);
    press_named(&mut app, "<Enter>");
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.view.filter, "sh", "Enter keeps the filter");
    press_named(&mut app, "<Esc>");
    assert_eq!(visible_names(&app).len(), 3);
    press(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn the_selection_follows_its_function_when_rows_move() {
    let mut app = loaded_app();
    press(&mut app, "jj");
    let selected = |app: &App| {
        app.functions
            .loaded()
            .and_then(|l| l.row(app.view.cursor))
            .map(|s| s.key.name.clone())
    };
    assert_eq!(selected(&app).as_deref(), Some("checkout"));
    press(&mut app, "S"); // reverse the sort: checkout moves to the top, the cursor follows it
    assert_eq!(app.view.cursor, 0);
    assert_eq!(selected(&app).as_deref(), Some("checkout"));
    press(&mut app, "G");
    assert_eq!(app.view.cursor, 2);
    press(&mut app, "jjj");
    assert_eq!(app.view.cursor, 2, "the cursor stops at the last row");
}

#[test]
fn sorting_cycles_columns_and_skips_namespace_in_one_namespace() {
    let mut app = connected_app(Some(NamespaceScope::One("shop".into())));
    assert_eq!(app.view.sort.column, SortColumn::Namespace);
    press(&mut app, "s");
    assert_eq!(app.view.sort.column, SortColumn::Name);
    press_named(&mut app, "<BackTab>");
    assert_eq!(
        app.view.sort.column,
        SortColumn::Age,
        "namespace is skipped"
    );
}

#[test]
fn the_namespace_picker_loads_filters_and_switches_scope() {
    let mut app = loaded_app();
    let effects = press(&mut app, "n");
    assert_eq!(effects, vec![Effect::LoadNamespaces { generation: 1 }]);
    app.update(Msg::Namespaces {
        generation: 1,
        result: Ok(vec!["default".into(), "payments".into(), "shop".into()]),
    });
    press(&mut app, "pay");
    let Mode::NamespacePicker(picker) = &app.mode else {
        panic!("picker open");
    };
    assert_eq!(
        picker.choices(),
        vec![NamespaceScope::One("payments".into())]
    );
    let effects = press_named(&mut app, "<Enter>");
    assert_eq!(
        effects,
        vec![Effect::WatchFunctions {
            generation: 2,
            scope: NamespaceScope::One("payments".into())
        }]
    );
    assert!(matches!(app.functions, Loadable::Loading));
    assert_eq!(
        press(&mut app, "0"),
        vec![Effect::WatchFunctions {
            generation: 3,
            scope: NamespaceScope::All
        }]
    );
}

#[test]
fn help_opens_and_closes() {
    let mut app = loaded_app();
    press(&mut app, "?");
    assert!(matches!(app.mode, Mode::Help { .. }));
    press(&mut app, "j");
    assert!(matches!(app.mode, Mode::Help { scroll: 1 }));
    press_named(&mut app, "<Esc>");
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn idle_ticks_do_not_redraw() {
    let mut app = loaded_app();
    app.dirty = false;
    app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(1)));
    assert!(
        !app.dirty,
        "every row is a day old: nothing on screen changed"
    );
}

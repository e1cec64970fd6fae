//! The Functions list: live rows, filter, selection, sort, the namespace picker, help, ticks.

use super::*;

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
        without_reviews(effects),
        watches(LIST, 2, NamespaceScope::One("payments".into()))
    );
    assert!(
        list(&app).list.items.data().is_none(),
        "another namespace starts over"
    );
    assert_eq!(press(&mut app, "0"), watches(LIST, 3, NamespaceScope::All));
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

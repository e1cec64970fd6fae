//! A revision's YAML, marks and the diff of two revisions' specs.

use super::*;

#[test]
fn enter_on_a_revision_opens_its_whole_object_as_yaml() {
    let mut app = loaded();
    press(&mut app, "j"); // the older revision
    press_named(&mut app, "<Enter>");
    assert_eq!(
        app.breadcrumbs(),
        ["Functions", "shop/cart", "Revision cart-00001"]
    );
    let text = lines(text_view(&app));
    assert!(text.contains(&"kind: Revision"), "{text:#?}");
    assert!(text.contains(&"  name: cart-00001"), "{text:#?}");
    assert!(
        text.iter()
            .any(|l| l.trim_start() == "- image: ghcr.io/acme/cart:1.4.0"
                || l.trim_start() == "image: ghcr.io/acme/cart:1.4.0"),
        "{text:#?}"
    );
    assert!(
        !text.iter().any(|l| l.contains("managedFields")),
        "managedFields are left out: {text:#?}"
    );
    // Esc goes back to the detail, cursor where it was.
    press_named(&mut app, "<Esc>");
    assert_eq!(detail_view(&app).cursors, [1, 0, 0]);
}

#[test]
fn enter_outside_the_revisions_opens_nothing() {
    let mut app = loaded();
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<Enter>");
    assert_eq!(app.stack.len(), 2);
    assert!(matches!(app.top().view, View::Function(_)));
}

#[test]
fn two_marked_revisions_diff_with_the_older_on_the_minus_side() {
    let mut app = loaded();
    // Newest first on screen: mark the newer one first, then the older.
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    assert_eq!(detail_view(&app).marked, ["cart-00002", "cart-00001"]);
    press(&mut app, "d");
    assert_eq!(app.stack.len(), 3);
    let diff = text_view(&app);
    assert_eq!(diff.title, "Diff cart-00001 → cart-00002");
    let text = lines(diff);
    assert_eq!(text[..2], ["--- cart-00001", "+++ cart-00002"]);
    let removed: Vec<&&str> = text.iter().filter(|l| l.starts_with("- ")).collect();
    let added: Vec<&&str> = text.iter().filter(|l| l.starts_with("+ ")).collect();
    assert!(
        removed
            .iter()
            .any(|l| l.contains("ghcr.io/acme/cart:1.4.0")),
        "{text:#?}"
    );
    assert!(
        added.iter().any(|l| l.contains("ghcr.io/acme/cart:1.5.0")),
        "{text:#?}"
    );
    assert!(!text.iter().any(|l| l.contains("identical")), "{text:#?}");
    assert!(
        text.iter()
            .any(|l| l.starts_with("  ") && l.contains("containerPort: 8080")),
        "unchanged lines are kept as context: {text:#?}"
    );
}

#[test]
fn diff_needs_two_marks_and_says_so() {
    let mut app = loaded();
    press(&mut app, "d");
    assert_eq!(app.stack.len(), 2, "nothing pushed");
    assert_eq!(
        notice(&app),
        "mark two revisions to compare their specs (0 marked)"
    );
    press_named(&mut app, "<Space>");
    press(&mut app, "d");
    assert_eq!(
        notice(&app),
        "mark two revisions to compare their specs (1 marked)"
    );
    press_named(&mut app, "<Space>");
    assert!(detail_view(&app).marked.is_empty(), "Space again unmarks");
}

#[test]
fn a_third_mark_replaces_the_oldest_mark() {
    let mut app = loaded();
    let third = revision(
        "shop",
        "cart",
        3,
        5,
        "ghcr.io/acme/cart:1.6.0",
        revision_ready(),
    );
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Applied(third)),
    );
    app.settle();
    assert_eq!(
        revision_names(&app),
        ["cart-00003", "cart-00002", "cart-00001"]
    );
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    assert_eq!(detail_view(&app).marked, ["cart-00002", "cart-00001"]);
}

#[test]
fn a_mark_on_a_deleted_revision_goes_with_it() {
    let mut app = loaded();
    press_named(&mut app, "<Space>");
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Deleted(ObjectKey::new("shop", "cart-00002"))),
    );
    app.settle();
    assert!(detail_view(&app).marked.is_empty());
    assert_eq!(revision_names(&app), ["cart-00001"]);
}

#[test]
fn marks_only_take_revisions() {
    let mut app = loaded();
    press_named(&mut app, "<Tab>");
    press_named(&mut app, "<Space>");
    assert!(detail_view(&app).marked.is_empty());
}

//! The traffic editor (`t`) and offline/online (`O`) from the detail, through the gate.

use super::*;
use crate::app::{Effect, Mutation, Overlay};

fn editor(app: &App) -> &super::super::TrafficEditor {
    detail_view(app)
        .traffic
        .as_ref()
        .expect("the traffic editor is open")
}

/// The healthy function's spec is all to @latest: rows @latest 100%, 00002 0%, 00001 0%.
fn open_editor() -> App {
    let mut app = loaded();
    press(&mut app, "t");
    assert_eq!(editor(&app).sum(), 100);
    app
}

#[test]
fn shares_move_by_five_or_by_a_typed_number_and_the_plan_follows() {
    let mut app = open_editor();
    press(&mut app, "-");
    assert_eq!(editor(&app).rows[0].percent, 95);
    assert_eq!(
        editor(&app)
            .plan
            .as_ref()
            .map_err(ToString::to_string)
            .err(),
        Some("the percentages sum to 95, not 100 (@latest=95)".into())
    );
    press(&mut app, "G");
    press(&mut app, "5");
    assert_eq!(
        detail_view(&app).key_chain(),
        &[crate::keymap::KeyContext::Input],
        "typing: q and t are text now"
    );
    press_named(&mut app, "<Enter>");
    let plan = editor(&app).plan.clone().expect("a valid split");
    assert_eq!(
        funcdeck_core::function::rollback::describe_split("cart", &plan.after),
        "@latest 95% · 00001 5%"
    );
    // A number out of range is refused where it was typed; the share stays.
    press(&mut app, "150");
    press_named(&mut app, "<Enter>");
    assert_eq!(
        editor(&app).error.as_deref(),
        Some("the percentage for cart-00001 is 150, outside 0..100")
    );
    assert_eq!(editor(&app).rows[2].percent, 5);
}

#[test]
fn an_invalid_split_is_not_sent_and_esc_closes_only_the_editor() {
    let mut app = open_editor();
    press(&mut app, "-");
    press_named(&mut app, "<Enter>");
    assert!(app.overlay.is_none(), "nothing to confirm");
    assert!(notice(&app).starts_with("cannot apply: the percentages sum to 95"));
    press_named(&mut app, "<Esc>");
    assert!(detail_view(&app).traffic.is_none());
    assert!(
        matches!(app.top().view, View::Function(_)),
        "still the detail"
    );
}

#[test]
fn a_tag_is_typed_and_a_valid_split_goes_to_the_gate_then_closes_when_applied() {
    let mut app = open_editor();
    press(&mut app, "jtblue");
    press_named(&mut app, "<Enter>");
    assert_eq!(editor(&app).rows[1].tags, vec!["blue".to_owned()]);
    press_named(&mut app, "<Enter>");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a preview, got {:?}", app.banner());
    };
    let Mutation::SetTraffic { after, traffic, .. } = confirm.mutation.clone() else {
        panic!("a traffic change");
    };
    assert_eq!(after, "@latest 100% · 00002 0% #blue");
    let effects = app.update(Msg::Key("<Enter>".parse().expect("a key")));
    assert!(
        matches!(effects.as_slice(), [Effect::Mutate { .. }]),
        "{effects:?}"
    );
    assert!(detail_view(&app).traffic.is_some(), "open until it lands");
    // The watch shows the new spec: the editor's job is done.
    let mut service = healthy().service;
    service.spec.traffic = Some(traffic);
    reply(&mut app, Reply::Function(WatchEvent::Applied(service)));
    app.settle();
    assert!(detail_view(&app).traffic.is_none());
}

#[test]
fn a_conflict_says_nothing_was_written() {
    let mut app = loaded();
    let mutation = Mutation::SetTraffic {
        key: ObjectKey::new("shop", "cart"),
        before: String::new(),
        after: String::new(),
        traffic: Vec::new(),
        resource_version: Some("1".into()),
        generation: Some(1),
    };
    app.update(Msg::Mutated {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        mutation,
        result: Err(CoreError::Conflict {
            message: "the object has been modified".into(),
        }),
    });
    assert_eq!(
        notice(&app),
        "cannot change the traffic of function shop/cart: the function changed since it was \
         read; nothing was written"
    );
}

#[test]
fn offline_and_online_go_through_the_gate() {
    let mut app = loaded();
    press(&mut app, "O");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirmation, got {:?}", app.banner());
    };
    let Mutation::SetVisibility { online, patch, .. } = &confirm.mutation else {
        panic!("offline");
    };
    assert!(!online);
    assert_eq!(
        patch["metadata"]["labels"],
        json!({"networking.knative.dev/visibility": "cluster-local"})
    );
    assert!(!confirm.mutation.needs_name());
    press_named(&mut app, "<Esc>");
    assert!(app.overlay.is_none());

    let mut app = loaded();
    app.shell.readonly = true;
    press(&mut app, "O");
    assert!(app.overlay.is_none());
    assert!(notice(&app).contains("funcdeck runs read-only"));
}

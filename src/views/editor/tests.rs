//! The editor's transitions, driven through the app as the runner would answer: load (with or
//! without a draft), type, the debounced check and draft, review and the gate, and each answer
//! the server can give (applied, refused, conflict, gone).

use funcdeck_core::edit::Editable;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use serde_json::json;

use super::{EditorView, Mode};
use crate::app::{App, Effect, Msg, Overlay, Reply, Ticket};
use crate::drafts::{Draft, DraftId};
use crate::keymap::{Key, Keymap};
use crate::testing::fixed_now;
use crate::views::View;

pub(crate) fn live(image: &str, version: &str) -> Editable {
    Editable::from_object(
        ObjectKey::new("shop", "cart"),
        json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": version,
                         "uid": "u-1", "generation": 2},
            "spec": {"template": {"spec": {"containers": [{"image": image}]}}},
            "status": {"observedGeneration": 2}
        }),
    )
}

fn id() -> DraftId {
    DraftId {
        context: "funcdeck-sandbox".into(),
        key: ObjectKey::new("shop", "cart"),
    }
}

/// The app with the editor open on shop/cart and its load answered.
fn editing(draft: Option<Draft>) -> App {
    let mut app = crate::app::test_support::loaded_app(Keymap::defaults());
    let effects = app.push(View::Editor(Box::new(EditorView::new(id()))));
    let Some(Effect::LoadEdit { ticket, id: asked }) = effects.first() else {
        panic!("the editor loads first: {effects:?}");
    };
    assert_eq!(asked, &id());
    let ticket = *ticket;
    app.update(Msg::Reply {
        ticket,
        reply: Box::new(Reply::EditLoaded {
            object: Ok(live("ghcr.io/acme/cart:1", "10")),
            draft: Ok(draft),
        }),
    });
    app.settle();
    app
}

fn editor(app: &App) -> &EditorView {
    match &app.top().view {
        View::Editor(view) => view,
        other => panic!("expected the editor on top, got {}", other.title()),
    }
}

fn key(app: &mut App, key: &str) -> Vec<Effect> {
    app.update(Msg::Key(key.parse::<Key>().expect("valid key")))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Msg::Key(Key::plain(c)));
    }
}

fn tick(app: &mut App, seconds: i64) -> Vec<Effect> {
    app.update(Msg::Tick(fixed_now() + chrono::Duration::seconds(seconds)))
}

/// Moves to the end of the image line (the last line of the buffer).
fn end_of_image(app: &mut App) {
    for _ in 0..20 {
        key(app, "<Down>");
    }
    key(app, "<End>");
}

#[test]
fn typing_is_checked_and_saved_once_the_buffer_rests() {
    let mut app = editing(None);
    assert!(editor(&app).text().contains("image: ghcr.io/acme/cart:1"));
    assert!(!editor(&app).text().contains("resourceVersion"));
    end_of_image(&mut app);
    // `q` is text here, not quit.
    type_text(&mut app, "q: [");
    assert!(!app.shell.should_quit);
    assert!(editor(&app).problem.is_none(), "not checked while typing");
    let effects = tick(&mut app, 2);
    let problem = editor(&app).problem.clone().expect("checked after resting");
    assert!(problem.to_string().starts_with("line "), "{problem}");
    let saved: Vec<&Draft> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveDraft { draft } => Some(draft),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1, "{effects:?}");
    assert_eq!(saved[0].resource_version, "10");
    assert!(saved[0].text.contains("cart:1q: ["));
    assert!(tick(&mut app, 3).is_empty(), "saved once per change");
    // Review with a broken buffer stays in the editor.
    key(&mut app, "<C-s>");
    assert!(matches!(editor(&app).mode, Mode::Editing));
}

#[test]
fn review_then_enter_asks_the_gate_and_success_closes_and_drops_the_draft() {
    let mut app = editing(None);
    end_of_image(&mut app);
    type_text(&mut app, ".1");
    key(&mut app, "<C-s>");
    let Mode::Review { lines, .. } = &editor(&app).mode else {
        panic!("expected the review");
    };
    assert!(lines.iter().any(|(_, l)| l.contains("cart:1.1")));
    key(&mut app, "<Enter>");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("the gate asks first");
    };
    let mutation = confirm.mutation.clone();
    assert!(
        mutation
            .consequence()
            .starts_with("+1 −1 lines in spec.template")
    );
    let effects = key(&mut app, "<Enter>");
    assert!(matches!(effects.as_slice(), [Effect::Mutate { .. }]));
    let effects = app.update(Msg::Mutated {
        ticket: Ticket {
            view: crate::app::ViewId::SHELL,
            generation: 1,
        },
        mutation,
        result: Ok(()),
    });
    assert!(effects.contains(&Effect::DeleteDraft { id: id() }));
    assert!(!matches!(app.top().view, View::Editor(_)), "closed");
    assert_eq!(
        app.shell.notice.as_deref(),
        Some("applied your edit to function shop/cart")
    );
}

#[test]
fn a_refusal_is_shown_verbatim_and_a_conflict_offers_a_rebase() {
    let mut app = editing(None);
    end_of_image(&mut app);
    type_text(&mut app, ".1");
    key(&mut app, "<C-s>");
    key(&mut app, "<Enter>");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("the gate asks first");
    };
    let mutation = confirm.mutation.clone();
    key(&mut app, "<Enter>");
    let refusal = "admission webhook \"validation.webhook.serving.knative.dev\" denied the request";
    app.update(Msg::Mutated {
        ticket: Ticket {
            view: crate::app::ViewId::SHELL,
            generation: 1,
        },
        mutation: mutation.clone(),
        result: Err(CoreError::Api {
            code: 400,
            reason: "BadRequest".into(),
            message: refusal.into(),
        }),
    });
    let view = editor(&app);
    assert!(matches!(view.mode, Mode::Editing));
    assert!(view.text().contains("cart:1.1"), "buffer kept");
    let (message, _) = view.message.clone().expect("said");
    assert!(message.contains(refusal), "{message}");

    let forbidden = "services.serving.knative.dev \"cart\" is forbidden: User \"viewer\" cannot patch resource \"services\"";
    app.update(Msg::Mutated {
        ticket: Ticket {
            view: crate::app::ViewId::SHELL,
            generation: 1,
        },
        mutation: mutation.clone(),
        result: Err(CoreError::Forbidden {
            message: forbidden.into(),
        }),
    });
    let (message, _) = editor(&app).message.clone().expect("said");
    assert_eq!(message, format!("not applied: forbidden: {forbidden}"));

    let effects = app.update(Msg::Mutated {
        ticket: Ticket {
            view: crate::app::ViewId::SHELL,
            generation: 1,
        },
        mutation,
        result: Err(CoreError::Conflict {
            message: "the object has been modified".into(),
        }),
    });
    let Some(Effect::LoadTheirs { ticket, .. }) = effects
        .iter()
        .find(|e| matches!(e, Effect::LoadTheirs { .. }))
    else {
        panic!("the server's version is read: {effects:?}");
    };
    let ticket = *ticket;
    let mut theirs = live("ghcr.io/acme/cart:1", "11");
    theirs.text = theirs.text.replace(
        "  namespace: shop\n",
        "  namespace: shop\n  labels:\n    tier: gold\n",
    );
    app.update(Msg::Reply {
        ticket,
        reply: Box::new(Reply::Theirs(Ok(theirs))),
    });
    assert!(matches!(editor(&app).mode, Mode::Conflict { .. }));
    key(&mut app, "b");
    let view = editor(&app);
    assert!(matches!(view.mode, Mode::Editing));
    assert!(view.text().contains("tier: gold") && view.text().contains("cart:1.1"));
    assert_eq!(
        view.base.as_ref().map(|b| b.resource_version.as_str()),
        Some("11")
    );
}

#[test]
fn a_draft_is_offered_again_and_leaving_with_changes_asks() {
    let draft = Draft {
        context: "funcdeck-sandbox".into(),
        namespace: "shop".into(),
        name: "cart".into(),
        base: live("ghcr.io/acme/cart:1", "9").text,
        resource_version: "9".into(),
        text: live("ghcr.io/acme/cart:7", "9").text,
        saved_at: fixed_now() - chrono::Duration::minutes(12),
    };
    let mut app = editing(Some(draft));
    assert!(matches!(editor(&app).mode, Mode::Offer(_)));
    key(&mut app, "r");
    let view = editor(&app);
    assert!(view.text().contains("cart:7"));
    assert_eq!(
        view.base.as_ref().map(|b| b.resource_version.as_str()),
        Some("9"),
        "the draft's change is against what it was made from"
    );
    key(&mut app, "<Esc>");
    assert!(matches!(editor(&app).mode, Mode::Leaving));
    key(&mut app, "<Esc>");
    assert!(matches!(editor(&app).mode, Mode::Editing), "stayed");
    key(&mut app, "<Esc>");
    let effects = key(&mut app, "s");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveDraft { draft } if draft.text.contains("cart:7")))
    );
    assert!(!matches!(app.top().view, View::Editor(_)));
}

#[test]
fn quitting_saves_the_unapplied_buffer_and_a_deleted_function_keeps_it() {
    let mut app = editing(None);
    end_of_image(&mut app);
    type_text(&mut app, "-rc");
    let effects = key(&mut app, "<C-c>");
    assert!(app.shell.should_quit);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveDraft { draft } if draft.text.contains("cart:1-rc")))
    );

    let mut app = crate::app::test_support::loaded_app(Keymap::defaults());
    let effects = app.push(View::Editor(Box::new(EditorView::new(id()))));
    let Some(Effect::LoadEdit { ticket, .. }) = effects.first() else {
        panic!("loads");
    };
    let ticket = *ticket;
    app.update(Msg::Reply {
        ticket,
        reply: Box::new(Reply::EditLoaded {
            object: Err(CoreError::NotFound {
                message: "services.serving.knative.dev \"cart\" not found".into(),
            }),
            draft: Ok(None),
        }),
    });
    let Mode::Failed(why) = &editor(&app).mode else {
        panic!("nothing to edit");
    };
    assert_eq!(why, "function shop/cart no longer exists");
}

#[test]
fn an_edit_is_not_applied_to_another_cluster_after_a_context_switch() {
    let mut app = editing(None);
    end_of_image(&mut app);
    type_text(&mut app, ".1");
    key(&mut app, "<C-s>");
    if let Some(info) = &mut app.shell.context {
        info.context = "sandbox-viewer".into();
    }
    key(&mut app, "<Enter>");
    assert!(app.overlay.is_none(), "the gate is not even asked");
    let notice = app.shell.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("belongs to context funcdeck-sandbox"),
        "{notice}"
    );
}

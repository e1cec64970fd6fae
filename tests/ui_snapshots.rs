//! Screens rendered on ratatui's TestBackend and compared with reviewed snapshots.
//!
//! Time is pinned (`fixed_now`), so ages never make a snapshot flaky.

mod screens;

use funcdeck::app::{App, Msg, Ticket, ViewId};
use funcdeck::keymap::Keymap;
use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use screens::testing::{fixed_now, summary, synthetic};
use screens::{HEIGHT, WIDTH, app, deliver, press, render, render_sized};

fn with_functions(mut app: App) -> App {
    let mut split = summary("shop", "checkout-api", Readiness::Ready);
    split.traffic = vec![
        funcdeck_core::function::TrafficShare {
            revision: "checkout-api-00003".into(),
            percent: 90,
            tag: None,
            latest: true,
        },
        funcdeck_core::function::TrafficShare {
            revision: "checkout-api-00002".into(),
            percent: 10,
            tag: Some("canary".into()),
            latest: false,
        },
    ];
    split.latest_created = Some("checkout-api-00003".into());
    let mut hostile = summary("shop", "evil-fn", Readiness::Failed);
    hostile.reason = Some("\u{1b}[31mExitCode1\u{1b}]0;pwned\u{7}".into());
    deliver(
        &mut app,
        FunctionEvent::Synced(vec![
            split,
            summary("shop", "cart-sync", Readiness::Ready),
            summary("payments", "fraud-score", Readiness::Failed),
            summary("payments", "invoice-render", Readiness::Deploying),
            summary("analytics", "report-export", Readiness::Ready),
            hostile,
        ]),
    );
    app
}

#[test]
fn loading() {
    insta::assert_snapshot!(render(&mut app(NamespaceScope::One("shop".into()))));
}

#[test]
fn loaded_all_namespaces() {
    insta::assert_snapshot!(render(&mut with_functions(app(NamespaceScope::All))));
}

#[test]
fn filtered_while_typing() {
    let mut app = with_functions(app(NamespaceScope::All));
    press(&mut app, "/shop");
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn sorted_by_readiness_with_the_cursor_moved() {
    let mut app = with_functions(app(NamespaceScope::All));
    press(&mut app, "ssjj");
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn unreachable_before_the_first_list() {
    let mut app = app(NamespaceScope::All);
    deliver(
        &mut app,
        FunctionEvent::Failed(CoreError::Unreachable {
            server: "http://127.0.0.1:6443".into(),
            reason: "connection refused".into(),
        }),
    );
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn watch_dropped_after_loading_keeps_rows() {
    let mut app = with_functions(app(NamespaceScope::All));
    deliver(&mut app, FunctionEvent::Failed(CoreError::Forbidden {
            message: "services.serving.knative.dev is forbidden: User \"dev\" cannot list resource \"services\" in API group \"serving.knative.dev\" at the cluster scope".into(),
        }));
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn broken_kubeconfig() {
    let mut app = App::new(Keymap::defaults(), None, fixed_now());
    app.update(Msg::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app.start();
    app.update(Msg::Connected {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Err(CoreError::KubeconfigInvalid {
            path: "/home/me/.kube/config".into(),
            reason: "expected a mapping at line 3".into(),
        }),
    });
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn namespace_picker() {
    let mut app = with_functions(app(NamespaceScope::All));
    press(&mut app, "n");
    app.update(Msg::Namespaces {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(vec!["analytics".into(), "payments".into(), "shop".into()]),
    });
    press(&mut app, "p");
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut app = with_functions(app(NamespaceScope::All));
    press(&mut app, "?");
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn ten_thousand_functions_scrolled_to_the_end() {
    let mut app = app(NamespaceScope::All);
    deliver(&mut app, FunctionEvent::Synced(synthetic(10_000)));
    press(&mut app, "G");
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn readonly_is_shown_in_the_header() {
    let mut app = with_functions(app(NamespaceScope::All));
    app.shell.readonly = true;
    let screen = render(&mut app);
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains("[readonly]"), "{header}");
}

#[test]
fn one_namespace_hides_the_namespace_column_and_sorts_by_name() {
    let mut app = app(NamespaceScope::One("shop".into()));
    deliver(
        &mut app,
        FunctionEvent::Synced(vec![
            summary("shop", "checkout-api", Readiness::Ready),
            summary("shop", "cart-sync", Readiness::Deploying),
        ]),
    );
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_narrow_terminal_still_shows_names_and_status() {
    let mut app = with_functions(app(NamespaceScope::All));
    insta::assert_snapshot!(render_sized(&mut app, 80, 12));
}

#[test]
fn a_forbidden_first_list_suggests_another_namespace() {
    let mut app = app(NamespaceScope::All);
    deliver(&mut app, FunctionEvent::Failed(CoreError::Forbidden {
            message: "services.serving.knative.dev is forbidden: User \"dev\" cannot list resource \"services\" in API group \"serving.knative.dev\" at the cluster scope".into(),
        }));
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn deleting_asks_for_the_name_and_says_when_it_does_not_match() {
    let mut app = with_functions(app(NamespaceScope::All));
    screens::press_named(&mut app, "<C-d>");
    press(&mut app, "report");
    screens::press_named(&mut app, "<Enter>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, 20));
}

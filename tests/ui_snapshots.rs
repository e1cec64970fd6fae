//! Screens rendered on ratatui's TestBackend and compared with reviewed snapshots.
//!
//! Time is pinned (`fixed_now`), so ages never make a snapshot flaky.

use funcdeck::app::{App, ContextInfo, Msg};
use funcdeck::keymap::{Key, Keymap};
use funcdeck::testing::{fixed_now, summary, synthetic};
use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 150;
const HEIGHT: u16 = 16;

fn app(scope: NamespaceScope) -> App {
    let mut app = App::new(Keymap::defaults(), Some(scope), fixed_now());
    app.update(Msg::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app.start();
    app.update(Msg::Connected {
        generation: 1,
        result: Ok(ContextInfo {
            context: "funcdeck-sandbox".into(),
            server: "http://127.0.0.1:6443".into(),
            default_namespace: "default".into(),
        }),
    });
    app
}

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

/// A watch event for the current generation, as the runner would deliver it.
fn deliver(app: &mut App, event: FunctionEvent) {
    app.update(Msg::Functions {
        generation: 1,
        event,
    });
}

fn render(app: &mut App) -> String {
    render_sized(app, WIDTH, HEIGHT)
}

fn render_sized(app: &mut App, width: u16, height: u16) -> String {
    app.update(Msg::Resize { width, height });
    app.settle();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let theme = Theme::builtin();
    terminal
        .draw(|frame| ui::draw(frame, app, &theme))
        .expect("draw");
    terminal.backend().to_string()
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Msg::Key(Key::plain(c)));
    }
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
        generation: 1,
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
        generation: 1,
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
    app.readonly = true;
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

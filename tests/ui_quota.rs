//! Screens of the quota view (`:quota`): usage bars coloured by level and the limit ranges;
//! the last good data marked stale after a failed read; a forbidden read naming the missing
//! permission; a namespace with nothing set; the quota line with a malformed quantity.
//!
//! Rendered at 120x24 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Quotas, Reply};
use funcdeck::theme::{StyleName, Theme};
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;
use screens::{app, draw, press, press_named, render_sized, reply};
use serde_json::json;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 24;

fn quotas() -> Quotas {
    Quotas {
        namespace: "ml-inference".into(),
        quotas: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "gpu-and-functions", "namespace": "ml-inference"},
                "spec": {"hard": {"requests.cpu": "8", "limits.cpu": "16", "requests.memory": "16Gi",
                    "requests.nvidia.com/gpu": "4", "pods": "20",
                    "count/services.serving.knative.dev": "12"}},
                "status": {"used": {"requests.cpu": "1200m", "limits.cpu": "13", "requests.memory": "15Gi",
                    "requests.nvidia.com/gpu": "4", "pods": "6",
                    "count/services.serving.knative.dev": "6"}},
            }))
            .expect("a quota"),
        ],
        limit_ranges: vec![
            serde_json::from_value(json!({
                "metadata": {"name": "container-defaults", "namespace": "ml-inference"},
                "spec": {"limits": [{"type": "Container",
                    "default": {"cpu": "1", "memory": "512Mi"},
                    "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                    "max": {"cpu": "4", "memory": "8Gi"}}]},
            }))
            .expect("a limit range"),
        ],
    }
}

/// `:quota` in ml-inference, answered with `answer`.
fn quota_view(answer: Result<Quotas, CoreError>) -> App {
    let mut app = app(NamespaceScope::One("ml-inference".into()));
    press(&mut app, ":quota");
    press_named(&mut app, "<Enter>");
    reply(&mut app, 1, Reply::Quota(answer));
    app
}

#[test]
fn usage_bars_and_limit_ranges() {
    let mut app = quota_view(Ok(quotas()));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    // Bars are coloured by level: 15%, 81% (high), 100% (full).
    let backend = draw(&mut app, WIDTH, HEIGHT);
    let theme = Theme::builtin();
    let buffer = backend.buffer();
    let style_at = |needle: &str| {
        let row = (0..HEIGHT)
            .find(|&y| {
                let line: String = (0..WIDTH).map(|x| buffer[(x, y)].symbol()).collect();
                line.contains(needle)
            })
            .unwrap_or_else(|| panic!("no row with {needle}"));
        let line: String = (0..WIDTH).map(|x| buffer[(x, row)].symbol()).collect();
        let col = line.find('█').expect("a bar") as u16;
        // Columns are counted in cells; the row is ASCII up to the bar.
        buffer[(col, row)].fg
    };
    let fg = |name: StyleName| theme.style(name).fg.expect("a colour");
    assert_eq!(style_at("cpu requests"), fg(StyleName::QuotaOk));
    assert_eq!(style_at("cpu limits"), fg(StyleName::QuotaHigh));
    assert_eq!(style_at("gpus"), fg(StyleName::QuotaFull));
}

#[test]
fn a_failed_read_keeps_the_last_data_marked_stale() {
    let mut app = quota_view(Ok(quotas()));
    reply(
        &mut app,
        1,
        Reply::Quota(Err(CoreError::Unreachable {
            server: "https://127.0.0.1:6443".into(),
            reason: "connection refused".into(),
        })),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_forbidden_read_names_the_missing_permission() {
    let mut app = quota_view(Err(CoreError::Forbidden {
        message: "resourcequotas is forbidden: User \"viewer\" cannot list resource \
                  \"resourcequotas\" in API group \"\" in the namespace \"ml-inference\""
            .into(),
    }));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn nothing_set_says_what_is_missing_and_the_key_to_set_it() {
    let mut app = quota_view(Ok(Quotas {
        namespace: "ml-inference".into(),
        ..Quotas::default()
    }));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn the_quota_line_shows_a_malformed_quantity_under_it() {
    let mut app = quota_view(Ok(quotas()));
    press(&mut app, "e");
    // Clear the prefilled values (each word may be given once, as each flag may).
    for _ in 0..60 {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "memory=16GB pods=30");
    press_named(&mut app, "<Enter>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn all_namespaces_show_the_contexts_default_and_say_so() {
    let mut app = app(NamespaceScope::All);
    press(&mut app, ":quota");
    press_named(&mut app, "<Enter>");
    let mut data = quotas();
    data.namespace = "default".into();
    reply(&mut app, 1, Reply::Quota(Ok(data)));
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains(
            "Quota · namespace default (the context's default: all namespaces are in scope)"
        ),
        "{screen}"
    );
    assert!(screen.contains("gpu-and-functions  gpus"), "{screen}");
}

//! The Usage view in a real terminal on `--sandbox` (its Prometheus started from PATH, as
//! `.ci/run` installs it): `:usage` meters the last 30 days with the source named, the busy
//! function's invocations are counted once its load is scraped, `[` moves to a shorter
//! period, Tab moves to the tenants' totals.

mod support;

use support::tmux::Tmux;

/// The INVOCATIONS cell of the row whose first cell is `name` (one namespace: NAME comes first).
fn invocations(screen: &str, name: &str) -> Option<f64> {
    screen
        .lines()
        .map(|l| l.trim_matches('│').split_whitespace().collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&name))?
        .get(1)?
        .parse()
        .ok()
}

#[test]
fn usage_counts_a_busy_function_and_periods_move() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n default");
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("greeter")
    });
    tmux.send(&[":", "usage", "Enter"]);
    let screen = tmux.wait_for_screen("greeter's invocations", |s| {
        s.contains("Usage · last 30d · namespace default")
            && invocations(s, "greeter").is_some_and(|n| n > 0.0)
    });
    assert!(screen.contains("via the API server"), "{screen}");
    assert!(screen.contains("Knative ≥1.19 (OpenTelemetry)"), "{screen}");
    for column in [
        "INVOCATIONS",
        "POD-SECONDS",
        "GB-SECONDS",
        "CPU-SECONDS",
        "TENANT",
    ] {
        assert!(screen.contains(column), "{column}:\n{screen}");
    }
    tmux.send(&["["]);
    tmux.wait_for_screen("the shorter period", |s| {
        s.contains("Usage · last 7d") && invocations(s, "greeter").is_some_and(|n| n > 0.0)
    });
    // Tab: the footer's position counts the tenants' rows (one namespace: one tenant).
    tmux.send(&["Tab"]);
    tmux.wait_for_screen("the tenants' table", |s| s.contains(" 1/1 "));
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the list", |s| s.contains("Functions(default)"));
}

//! The Usage view in a real terminal on `--sandbox` (its Prometheus started from PATH, as
//! `.ci/run` installs it): `:usage` meters the last 30 days with the source named, the busy
//! function's invocations are counted once its load is scraped, `[` moves to a shorter
//! period, `0` meters every namespace, and Enter on a tenant's totals narrows the view to it.

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
    tmux.wait_for_screen("the usage view", |s| {
        s.contains("Usage · last 30d · namespace default")
    });
    // Prometheus may not have scraped the load yet when the view first reads, and a good read
    // is refreshed only once a minute: `r` reads again, as someone looking would.
    let counted = |s: &str| invocations(s, "greeter").is_some_and(|n| n > 0.0);
    let mut screen = tmux.screen();
    for _ in 0..20 {
        if counted(&screen) {
            break;
        }
        tmux.send(&["r"]);
        std::thread::sleep(std::time::Duration::from_secs(3));
        screen = tmux.screen();
    }
    assert!(
        counted(&screen),
        "greeter's invocations never counted:\n{screen}"
    );
    let screen = tmux.wait_for_screen("a whole frame", counted);
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
    // All namespaces: every tenant's functions, then the tenants' table (Tab), its second row
    // (j), and Enter narrows the view to that tenant.
    tmux.send(&["0"]);
    tmux.wait_for_screen("all namespaces", |s| {
        s.contains("Usage · last 7d · all namespaces") && s.contains("recommend-model")
    });
    tmux.send(&["Tab", "j", "Enter"]);
    tmux.wait_for_screen("the second tenant's usage", |s| {
        s.contains("Usage · last 7d · namespace ml-inference") && s.contains("recommend-model")
    });
    // `:usage` is a view of its own, as `:tenants`: `:fn` goes to the list, in the tenant.
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("the list, in the tenant", |s| {
        s.contains("Functions(ml-inference)")
    });
}

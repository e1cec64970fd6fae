//! The metrics pane in a real terminal on `--sandbox` (its Prometheus started from PATH, as
//! `.ci/run` installs it): a busy function's `m` shows its charts with the source and era in the
//! title and the revision in the legend; `]` moves to the next range, Tab to one revision. The list and the
//! function's detail show its pulse (a req/s figure and p99 beside the row).

mod support;

use support::tmux::Tmux;

#[test]
fn m_on_a_busy_function_charts_it_and_ranges_move() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n default");
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("greeter")
    });
    tmux.send(&["/", "greeter", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/greeter█"));
    let row = |s: &str| {
        s.lines()
            .find(|l| l.contains("greeter") && l.contains("Ready"))
            .unwrap_or_default()
            .to_owned()
    };
    // The pulse: a busy function has a rate and a p99 (the sandbox's load is a few req/s).
    let screen = tmux.wait_for_screen("the pulse columns", |s| {
        s.contains("REQ/S") && row(s).contains("ms")
    });
    assert!(
        row(&screen).chars().any(|c| ('▁'..='█').contains(&c)),
        "a sparkline:\n{screen}"
    );
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the detail's requests line", |s| {
        s.contains("Requests") && s.contains("/s  · m for charts")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the list", |s| s.contains("Functions(default)"));
    tmux.send(&["m"]);
    let screen = tmux.wait_for_screen("the charts", |s| {
        s.contains("Metrics default/greeter · last 15m")
            && s.contains("via the API server")
            && s.contains("greeter-0")
            && s.contains("/s")
    });
    for part in [
        "Requests/s",
        "Latency",
        "5xx",
        "Concurrency",
        "Pods",
        "Cold starts",
    ] {
        assert!(screen.contains(part), "{part}:\n{screen}");
    }
    assert!(screen.contains("Knative ≥1.19 (OpenTelemetry)"), "{screen}");
    tmux.send(&["]"]);
    tmux.wait_for_screen("the next range", |s| {
        s.contains("Metrics default/greeter · last 1h") && s.contains("greeter-0")
    });
    // Tab narrows every chart to one revision (the newest that served), named in the title.
    tmux.send(&["Tab"]);
    tmux.wait_for_screen("one revision's charts", |s| {
        s.contains("Metrics default/greeter · revision greeter-0") && s.contains("p99")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the list", |s| s.contains("Functions(default)"));
}

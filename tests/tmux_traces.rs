//! The traces pane in a real terminal on `--sandbox` (its Jaeger served through the service
//! proxy): `T` on a busy function lists its traces with their spans and the window's cold
//! starts, `Enter` opens a trace's waterfall with Knative's activator and `throttler_try`
//! spans and the span detail, `Esc` goes back to the list; `o` shows the function's charts
//! beside its traces and its logs under both, and `:trace ID` opens a trace `funcdeck traces`
//! named, by its id.

mod support;

use support::tmux::{Tmux, embedded_kubeconfig};
use support::{funcdeck, run};

#[test]
fn t_on_a_busy_function_lists_its_traces_and_enter_opens_the_waterfall() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n default");
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("greeter")
    });
    tmux.send(&["/", "greeter", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/greeter█"));
    tmux.send(&["T"]);
    let screen = tmux.wait_for_screen("the traces", |s| {
        s.contains("Traces default/greeter · last 15m")
            && s.contains("jaeger-query")
            && s.contains("cold starts")
            && s.contains("Duration over time")
            && s.lines()
                .any(|l| l.contains("greeter-0") && l.contains("ms"))
    });
    assert!(screen.contains("SPANS"), "{screen}");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the waterfall", |s| {
        s.contains("Trace ") && s.contains("throttler_try") && s.contains("operation")
    });
    assert!(screen.contains("activator"), "{screen}");
    assert!(
        screen.contains("spans ·"),
        "the trace's size in the title:\n{screen}"
    );
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the list", |s| {
        s.contains("Traces default/greeter") && s.contains("Duration over time")
    });

    // Observed: the charts beside the traces, one window; Tab gives the traces the keys.
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the functions", |s| {
        s.contains("Functions") && !s.contains("Traces default")
    });
    tmux.send(&["o"]);
    tmux.wait_for_screen("charts beside traces", |s| {
        s.contains("Metrics default/greeter · last 15m")
            && s.contains("Traces default/greeter · last 15m")
            && s.contains("Requests/s")
            && s.contains("Duration over time")
            && s.contains("Logs default/greeter · last 15m")
            && s.contains("elasticsearch")
    });
    tmux.send(&["]"]);
    tmux.wait_for_screen("the three panes over 1h", |s| {
        s.contains("Metrics default/greeter · last 1h")
            && s.contains("Traces default/greeter · last 1h")
            && s.contains("Logs default/greeter · last 1h")
    });
    tmux.send(&["Tab", "Enter"]);
    tmux.wait_for_screen("a waterfall from the observed traces", |s| {
        s.contains("throttler_try")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the observed function", |s| {
        s.contains("Requests/s")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the functions", |s| !s.contains("Requests/s"));

    // A trace named by its id, as the CLI prints it.
    let kubeconfig = embedded_kubeconfig(home.path());
    let listed = run(funcdeck(home.path())
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args([
            "traces", "greeter", "-n", "default", "--limit", "1", "-o", "json",
        ]));
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let json: serde_json::Value = serde_json::from_str(&listed.stdout).expect("json");
    let id = json["traces"][0]["trace_id"]
        .as_str()
        .expect("a trace id")
        .to_owned();
    tmux.send(&[":", &format!("trace {id}"), "Enter"]);
    tmux.wait_for_screen("the trace by its id", |s| {
        s.contains(&format!("Trace {}", &id[..16]))
            && s.contains("operation")
            && s.contains("jaeger-query")
    });
    tmux.send(&["Escape"]);
    // Typed at once after Escape, `:` would arrive as Alt-`:`.
    tmux.wait_for_screen("back to the functions", |s| !s.contains("Trace "));
    tmux.send(&[":", "trace 0123456789abcdef", "Enter"]);
    tmux.wait_for_screen("an id Jaeger does not know", |s| {
        s.contains("Cannot show trace 0123456789abcdef (not-found)")
    });
}

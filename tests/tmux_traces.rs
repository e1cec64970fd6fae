//! The traces pane in a real terminal on `--sandbox` (its Jaeger served through the service
//! proxy): `T` on a busy function lists its traces with their spans and the window's cold
//! starts, `Enter` opens a trace's waterfall with Knative's activator and `throttler_try`
//! spans and the span detail, `Esc` goes back to the list.

mod support;

use support::tmux::Tmux;

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
}

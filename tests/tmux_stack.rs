//! The stack wizard in a real terminal against a bare sandbox (no stack installed): `:stack`
//! shows every component not installed; metrics alone is chosen, its plan previewed, the
//! install confirmed through the gate; the run's progress ends installed, and back at the
//! first step metrics reads ready — the same state `funcdeck stack status` reports; the
//! metrics pane finds its Prometheus; uninstalling (the name typed) turns it off again.

mod support;

use std::time::Duration;

use support::tmux::{Tmux, embedded_kubeconfig};

#[test]
fn the_wizard_installs_metrics_into_a_bare_sandbox() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox --bare");
    tmux.wait_for_screen("the function list", |s| s.contains("● live"));

    tmux.send(&[":", "stack", "Enter"]);
    let screen = tmux.wait_for_screen("the components with their status", |s| {
        s.contains("Stack · 1 choose components and options") && s.contains("not-installed")
    });
    assert!(screen.contains("[x] metrics"), "{screen}");
    assert!(screen.contains("p previews the plan"), "{screen}");

    // Metrics only: leave out tracing, logging and wiring.
    tmux.send(&["j", "Space", "j", "Space", "j", "Space"]);
    tmux.wait_for_screen("metrics alone chosen", |s| {
        s.contains("[x] metrics") && s.contains("[ ] tracing") && s.contains("[ ] wiring")
    });

    tmux.send(&["p"]);
    let screen = tmux.wait_for_screen("the plan", |s| {
        s.contains("Stack · 2 plan")
            && s.contains("to create")
            && s.contains("(Namespace knative-serving label")
    });
    assert!(screen.contains("metrics —"), "{screen}");
    assert!(!screen.contains("refusing to install"), "{screen}");

    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the gate's confirmation", |s| {
        s.contains("install the stack's metrics")
    });
    tmux.send(&["Enter"]);

    let screen = support::wait_for(Duration::from_secs(180), "the install's result", || {
        let screen = tmux.screen();
        (screen.contains("installed: every object is ready") || screen.contains("install failed"))
            .then_some(screen)
    });
    assert!(
        screen.contains("installed: every object is ready"),
        "{screen}"
    );
    assert!(screen.contains("objects installed"), "the gauge: {screen}");
    tmux.wait_for_screen("metrics ready in the result", |s| {
        s.contains("metrics: ready")
    });

    // Back at the first step, the status read again says ready.
    tmux.send(&["Escape"]);
    let screen = tmux.wait_for_screen("metrics ready in the status", |s| {
        s.contains("Stack · 1 choose")
            && s.lines()
                .any(|l| l.contains("[x] metrics") && l.contains("ready"))
    });
    assert!(!screen.contains("[x] metrics    not-installed"), "{screen}");

    // The command line agrees.
    let kubeconfig = embedded_kubeconfig(home.path());
    let out = support::run(
        support::funcdeck(home.path())
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .args(["stack", "status", "--components", "metrics", "-o", "json"]),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\"state\": \"ready\""),
        "{}",
        out.stdout
    );

    // The metrics pane lights up: Prometheus is found through the service proxy.
    tmux.send(&[":", "metrics greeter", "Enter"]);
    let screen = tmux.wait_for_screen("the metrics pane with its Prometheus", |s| {
        s.contains("monitoring/prometheus:9090")
    });
    assert!(!screen.contains("not found"), "{screen}");

    // Uninstalled from the wizard: the name typed, everything of metrics gone.
    tmux.send(&[":", "stack", "Enter"]);
    tmux.wait_for_screen("the first step again", |s| {
        s.lines()
            .any(|l| l.contains("[x] metrics") && l.contains("ready"))
    });
    tmux.send(&["U"]);
    tmux.wait_for_screen("the uninstall's confirmation", |s| {
        s.contains("uninstall the stack's metrics")
    });
    tmux.send(&["stack"]);
    tmux.send(&["Enter"]);
    support::wait_for(Duration::from_secs(120), "the uninstall's result", || {
        tmux.screen()
            .contains("uninstalled: every object")
            .then_some(())
    });
    let out = support::run(
        support::funcdeck(home.path())
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .args(["stack", "status", "--components", "metrics", "-o", "json"]),
    );
    assert!(
        out.stdout.contains("\"state\": \"not-installed\""),
        "{}",
        out.stdout
    );
}

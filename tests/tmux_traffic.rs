//! Traffic from a function's detail in a real terminal against the sandbox: the editor splits
//! the seeded canary 50/50 between two revisions, the gate previews it, and the detail shows the
//! new split live; then offline and back online.

mod support;

use support::tmux::Tmux;

#[test]
fn splitting_fifty_fifty_then_offline_and_online_from_the_detail() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]")
    });
    // The seeded payments/fraud-score: 80% to 00001, 20% to @latest (00002) tagged canary.
    tmux.send(&["/", "fraud-score", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/fraud-score█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the detail with its canary", |s| {
        s.contains("Function payments/fraud-score") && s.contains("#canary")
    });
    tmux.send(&["t"]);
    tmux.wait_for_screen("the editor", |s| {
        s.contains("Traffic of payments/fraud-score") && s.contains("@latest (00002)")
    });
    // Rows: @latest, 00002, 00001. Pin half on 00002, none on @latest, half on 00001.
    tmux.send(&["j", "50", "Enter"]);
    tmux.wait_for_screen("the sum over 100", |s| s.contains("Total 150%"));
    tmux.send(&["k", "0", "Enter", "G", "50", "Enter"]);
    tmux.wait_for_screen("a valid split", |s| {
        s.contains("Total 100%") && s.contains("After: 00002 50% · 00001 50% · @latest 0% #canary")
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the preview", |s| {
        s.contains("Confirm: change the traffic of function payments/fraud-score")
    });
    assert!(
        screen.contains("Traffic now: 00001 80% · @latest 20% #canary"),
        "{screen}"
    );
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the split live in the detail", |s| {
        s.contains("function payments/fraud-score traffic: 00002 50%")
            && s.contains(" 50%  fraud-score-00002")
            && s.contains(" 50%  fraud-score-00001")
            && !s.contains("Traffic of payments")
    });
    assert!(!screen.contains("Confirm:"), "{screen}");

    tmux.send(&["O"]);
    tmux.wait_for_screen("the offline confirmation", |s| {
        s.contains("Confirm: take function payments/fraud-score offline")
            && s.contains("networking.knative.dev/visibility=cluster-local")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the detail offline", |s| {
        s.contains("function payments/fraud-score is offline") && s.contains("Offline    since")
    });
    tmux.send(&["O"]);
    tmux.wait_for_screen("the online confirmation", |s| {
        s.contains("Confirm: take function payments/fraud-score online")
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the detail online", |s| {
        s.contains("function payments/fraud-score is online")
    });
    assert!(!screen.contains("Offline    since"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

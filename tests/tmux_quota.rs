//! `:quota` in a real terminal against the sandbox: the seeded quota of `ml-inference` with
//! its usage bars and limit range; a value set through the quota line — below what is in use,
//! so the namespace is typed to confirm — shows on screen and in kubectl's YAML; then, through
//! the viewer persona's context, the quota reads the same and the key is refused naming the
//! missing permission.

mod support;

use std::process::Command;

use support::run;
use support::tmux::{Tmux, embedded_kubeconfig};

const NS: &str = "ml-inference";

#[test]
fn quota_view_sets_a_value_and_the_viewer_is_refused() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), &format!("--sandbox -n {NS}"));
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("recommend-model")
    });

    tmux.send(&[":", "quota", "Enter"]);
    let screen = tmux.wait_for_screen("the quota view", |s| {
        s.contains("Quota · namespace ml-inference") && s.contains("container-defaults")
    });
    for expected in [
        "gpu-and-functions  cpu requests",
        "gpu-and-functions  functions",
        "%",
        "█",
        "Container  cpu",
        "e set quota",
    ] {
        assert!(screen.contains(expected), "{expected}:\n{screen}");
    }

    // The line opens with the values in force; replace them with fewer functions than exist.
    tmux.send(&["e"]);
    tmux.wait_for_screen("the quota line", |s| s.contains("set › cpu="));
    for _ in 0..80 {
        tmux.send(&["BSpace"]);
    }
    tmux.send(&["functions=3q"]);
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the malformed number under the line", |s| {
        s.contains("✗ functions: \"3q\" is not a whole number")
    });
    tmux.send(&["BSpace", "Enter"]);
    let screen = tmux.wait_for_screen("the preview", |s| {
        s.contains("Confirm: set the quota of namespace ml-inference")
    });
    assert!(
        screen.contains("functions (count/services.serving.knative.dev): none → 3"),
        "{screen}"
    );
    assert!(
        screen.contains("Warning: functions: 3 is below the"),
        "{screen}"
    );
    tmux.send(&[NS, "Enter"]);
    let screen = tmux.wait_for_screen("the new quota on screen", |s| {
        s.contains("quota ml-inference/funcdeck set") && s.contains("funcdeck           functions")
    });
    // More functions exist than the new hard limit: the bar is over 100%.
    let row = screen
        .lines()
        .find(|l| l.contains("funcdeck           functions"))
        .expect("the funcdeck row");
    let percent: u64 = row
        .split_whitespace()
        .find_map(|w| w.strip_suffix('%')?.parse().ok())
        .expect("a percentage");
    assert!(row.contains(" 3 ") && percent > 100, "{row}");

    let kubeconfig = embedded_kubeconfig(home.path());
    let yaml = run(Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .arg("--cache-dir")
        .arg(home.path().join("kube-cache"))
        .args(["get", "resourcequota", "funcdeck", "-n", NS, "-o", "yaml"]));
    assert_eq!(yaml.status, 0, "{}", yaml.stderr);
    assert!(
        yaml.stdout
            .contains("count/services.serving.knative.dev: \"3\""),
        "{}",
        yaml.stdout
    );

    // The viewer persona (funcdeck-viewer, cluster-wide): reads the quota, may not set it.
    tmux.send(&[":", "ctx sandbox-viewer", "Enter"]);
    tmux.wait_for_screen("the viewer's context", |s| s.contains("ctx sandbox-viewer"));
    tmux.send(&[":", "ns ml-inference", "Enter"]);
    tmux.wait_for_screen("the viewer reads the quota", |s| {
        s.contains("ctx sandbox-viewer")
            && s.contains("Quota · namespace ml-inference")
            && s.contains("gpu-and-functions  functions")
    });
    let refused = "cannot set the quota of namespace ml-inference: context sandbox-viewer may not \
                   patch resourcequotas in namespace ml-inference";
    let screen = support::wait_for(
        std::time::Duration::from_secs(20),
        "the set key refused",
        || {
            tmux.send(&["e"]);
            let screen = tmux.wait_for_screen("an answer to e", |s| {
                s.contains(refused) || s.contains("set › ") || s.contains("not read yet")
            });
            if screen.contains(refused) {
                return Some(screen);
            }
            // The rules were still on their way: close whatever opened and press again.
            tmux.send(&["Escape"]);
            None
        },
    );
    assert!(!screen.contains("set › "), "{screen}");
}

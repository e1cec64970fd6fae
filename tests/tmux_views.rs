//! Moving between views in a real terminal against the sandbox: the list, a function's detail,
//! a revision's spec, back, and the `:` prompt's jumps — each screen asserted as a person would
//! read it.

mod support;

use std::process::Command;

use support::run;
use support::tmux::{Tmux, embedded_kubeconfig};

#[test]
fn list_detail_revision_back_and_prompt_jumps() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]")
    });

    // The seeded `default/echo` crash-loops: Enter shows why, in words.
    tmux.send(&["/", "echo"]);
    tmux.wait_for_screen("the filter", |s| s.contains("</echo>"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/echo█"));
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("echo's detail", |s| {
        s.contains("Function default/echo") && s.contains("Revisions[2]") && s.contains("Pods[")
    });
    assert!(screen.contains("Functions › default/echo"), "{screen}");
    assert!(
        screen.contains("http://echo.default.svc.cluster.local"),
        "{screen}"
    );
    assert!(
        screen.contains("echo-00002: user-container keeps crashing: exit code 1"),
        "the failing revision says why:\n{screen}"
    );
    assert!(screen.contains("CrashLoopBackOff"), "{screen}");
    assert!(
        screen.contains("100%  echo-00001"),
        "traffic stays on the good one:\n{screen}"
    );

    // Enter on the selected (newest) revision shows its whole object.
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the revision's YAML", |s| {
        s.contains("Revision echo-00002") && s.contains("kind: Revision")
    });
    assert!(
        screen.contains("image: ghcr.io/acme/echo:crashloop"),
        "{screen}"
    );
    assert!(
        screen.contains("› Revision echo-00002"),
        "breadcrumbs:\n{screen}"
    );

    // Back to the detail, mark both revisions, diff them.
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the detail again", |s| s.contains("Revisions[2]"));
    tmux.send(&["Space", "j", "Space", "d"]);
    let screen = tmux.wait_for_screen("the diff", |s| s.contains("Diff echo-00001 → echo-00002"));
    assert!(
        screen.contains("-     image: ghcr.io/acme/echo:1.1.7"),
        "{screen}"
    );
    assert!(
        screen.contains("+     image: ghcr.io/acme/echo:crashloop"),
        "{screen}"
    );
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the detail after the diff", |s| s.contains("Revisions[2]"));
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the list again, still filtered", |s| {
        s.contains("Functions(all)[1/24]") && !s.contains("Revisions[")
    });

    // The prompt: a typo is caught, then :rev, :po, :fn.
    tmux.send(&[":", "revz", "Enter"]);
    tmux.wait_for_screen("the suggestion", |s| {
        s.contains("unknown command :revz; did you mean :rev?")
    });
    tmux.send(&[":", "rev", "Enter"]);
    let screen = tmux.wait_for_screen("the revisions", |s| s.contains("Revisions(all)["));
    assert!(screen.contains("FUNCTION"), "{screen}");
    assert!(screen.contains("echo-00002"), "{screen}");
    tmux.send(&[":", "po", "Enter"]);
    let screen = tmux.wait_for_screen("the pods", |s| s.contains("Pods(all)["));
    assert!(screen.contains("CrashLoopBackOff"), "{screen}");
    assert!(screen.contains("Error (exit 1)"), "{screen}");
    tmux.send(&[":", "ev", "Enter"]);
    tmux.wait_for_screen("the events", |s| {
        s.contains("Events(all)[") && s.contains("LAST SEEN")
    });
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("the functions again", |s| {
        s.contains("Functions(all)[24]") && !s.contains("Events(")
    });

    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn a_function_deleted_while_open_keeps_its_last_state() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n shop");
    tmux.wait_for_screen("the shop list", |s| {
        s.contains("● live") && s.contains("Functions(shop)[")
    });
    tmux.send(&["/", "cart-sync", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/cart-sync█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("cart-sync's detail", |s| {
        s.contains("Function shop/cart-sync") && s.contains("Revisions[")
    });

    let kubeconfig = embedded_kubeconfig(home.path());
    let deleted = run(Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .arg("--cache-dir")
        .arg(home.path().join("kube-cache"))
        .args(["delete", "ksvc", "cart-sync", "-n", "shop"]));
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    let screen = tmux.wait_for_screen("the deleted notice", |s| {
        s.contains("This function was deleted; showing its last known state")
    });
    assert!(
        screen.contains("http://cart-sync.shop.svc.cluster.local"),
        "{screen}"
    );
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the list without it", |s| {
        s.contains("Functions(shop)[0/") && !s.contains("Function shop/cart-sync")
    });
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn a_pod_refused_by_quota_is_explained_in_the_detail() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| s.contains("● live"));
    // A tenant allowed one pod, and a function that wants two (min-scale 2).
    let namespace = home.path().join("tight.json");
    std::fs::write(
        &namespace,
        r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tight"}}"#,
    )
    .expect("write manifest");
    let quota = home.path().join("quota.json");
    std::fs::write(
        &quota,
        r#"{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "one-pod", "namespace": "tight"},
            "spec": {"hard": {"pods": "1"}}}"#,
    )
    .expect("write manifest");
    let function = home.path().join("wide.json");
    std::fs::write(
        &function,
        r#"{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "wide", "namespace": "tight"},
            "spec": {"template": {"metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "2"}},
                     "spec": {"containers": [{"image": "ghcr.io/acme/wide:1"}]}}}}"#,
    )
    .expect("write manifest");
    let kubeconfig = embedded_kubeconfig(home.path());
    let kubectl = |args: &[&str]| {
        run(Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--cache-dir")
            .arg(home.path().join("kube-cache"))
            .args(args))
    };
    for file in [&namespace, &quota, &function] {
        let created = kubectl(&["create", "-f", file.to_str().expect("utf8")]);
        assert_eq!(created.status, 0, "{}", created.stderr);
    }

    tmux.send(&[":", "ns tight", "Enter"]);
    tmux.wait_for_screen("the tenant's list", |s| {
        s.contains("Functions(tight)[1]") && s.contains("wide")
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the quota refusal explained", |s| {
        s.contains("Function tight/wide") && s.contains("a pod was refused by quota")
    });
    assert!(screen.contains("exceeded quota: one-pod"), "{screen}");
    assert!(screen.contains("FailedCreate"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn deleting_a_function_asks_for_its_name_then_it_is_gone() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]")
    });
    tmux.send(&["/", "cart-sync", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| {
        !s.contains("/cart-sync█") && s.contains("[1/24]")
    });
    tmux.send(&["C-d"]);
    tmux.wait_for_screen("the confirmation", |s| {
        s.contains("Confirm: delete function shop/cart-sync")
            && s.contains("Type cart-sync to confirm")
    });
    // A slip of the finger deletes nothing.
    tmux.send(&["cart", "Enter"]);
    tmux.wait_for_screen("the mismatch", |s| {
        s.contains("That is not \"cart-sync\"; nothing was changed.")
    });
    tmux.send(&["--", "-sync", "Enter"]);
    let screen = tmux.wait_for_screen("the function gone", |s| {
        s.contains("deleted function shop/cart-sync") && s.contains("Functions(all)[0/23]")
    });
    assert!(!screen.contains("Confirm:"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn rolling_back_a_canary_from_the_detail_is_previewed_then_live() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]")
    });
    // The seeded payments/fraud-score sends 20% to a canary.
    tmux.send(&["/", "fraud-score", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/fraud-score█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the detail with its canary", |s| {
        s.contains("Function payments/fraud-score") && s.contains("#canary")
    });
    tmux.send(&["R"]);
    let screen = tmux.wait_for_screen("the preview", |s| {
        s.contains("Confirm: roll function payments/fraud-score back to fraud-score-00001")
    });
    assert!(
        screen.contains("Traffic now: 00001 80% · 00002 20% #canary"),
        "{screen}"
    );
    assert!(
        screen.contains("After:       00001 100% · 00002 0% #canary"),
        "{screen}"
    );
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the rollback live in the detail", |s| {
        s.contains("rolled function payments/fraud-score back to fraud-score-00001")
            && s.contains(" 100%  fraud-score-00001")
    });
    assert!(!screen.contains("Confirm:"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

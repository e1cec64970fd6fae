//! The release binary in a real terminal (tmux): keys sent, screen read, like a person would.
//!
//! While the TUI runs, the real kubectl changes the same in-process sandbox and the screen must
//! follow live.

mod support;

use std::process::Command;

use support::run;
use support::tmux::{Tmux, embedded_kubeconfig, table_rows};

#[test]
fn browse_filter_switch_namespace_and_follow_live_changes() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    let screen = tmux.wait_for_screen("the function list to be live", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]") && table_rows(s).len() == 24
    });
    assert!(screen.contains("functions 24"), "{screen}");

    // Filter as you type.
    tmux.send(&["/", "shop"]);
    let screen = tmux.wait_for_screen("the shop filter", |s| {
        s.contains("</shop>") && s.contains("/shop█")
    });
    let rows = table_rows(&screen);
    assert!(!rows.is_empty(), "{screen}");
    assert!(
        rows.iter().all(|r| r.to_lowercase().contains("shop")),
        "{screen}"
    );
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the filter prompt to close", |s| !s.contains("/shop█"));

    // Help is generated from the keymap. (Escape is sent on its own and waited for: an Escape
    // followed at once by a letter reads as Alt+letter, in tmux as in any terminal.)
    tmux.send(&["?"]);
    let screen = tmux.wait_for_screen("help", |s| s.contains("Help — ? or <Esc> to close"));
    assert!(screen.contains("Choose the namespace to show"), "{screen}");
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("help to close", |s| !s.contains("Help — ?"));
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the filter to clear", |s| {
        s.contains("Functions(all)[24]") && !s.contains("</shop>")
    });

    // Switch namespace through the picker.
    tmux.send(&["n"]);
    tmux.wait_for_screen("the namespace list", |s| {
        s.contains("all namespaces") && s.contains("  payments")
    });
    tmux.send(&["payments"]);
    tmux.wait_for_screen("the picker filter", |s| s.contains("> payments█"));
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the payments namespace", |s| {
        s.contains("Functions(payments)[") && s.contains("● live")
    });
    assert!(
        !screen.contains("NAMESPACE"),
        "one namespace: no namespace column\n{screen}"
    );
    assert!(screen.contains("ns payments"), "{screen}");

    // Back to all namespaces; then change the cluster with kubectl and watch the screen follow.
    tmux.send(&["0"]);
    tmux.wait_for_screen("all namespaces again", |s| s.contains("Functions(all)[24]"));
    let kubeconfig = embedded_kubeconfig(home.path());
    let cache = home.path().join("kube-cache");
    let manifest = home.path().join("live.json");
    std::fs::write(
        &manifest,
        r#"{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"tmux-live","namespace":"shop"},
            "spec":{"template":{"spec":{"containers":[{"image":"ghcr.io/knative/helloworld-go:latest"}]}}}}"#,
    )
    .expect("write manifest");
    let kubectl = |args: &[&str]| {
        run(Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--cache-dir")
            .arg(&cache)
            .args(args))
    };
    let created = kubectl(&["create", "-f", manifest.to_str().expect("utf8")]);
    assert_eq!(created.status, 0, "{}", created.stderr);
    let screen = tmux.wait_for_screen("the new function to turn ready", |s| {
        s.lines().any(|l| {
            l.contains("tmux-live") && l.contains("● Ready") && l.contains("tmux-live-00001")
        })
    });
    assert!(screen.contains("Functions(all)[25]"), "{screen}");
    let deleted = kubectl(&["delete", "ksvc", "tmux-live", "-n", "shop"]);
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    tmux.wait_for_screen("the function to disappear", |s| {
        !s.contains("tmux-live") && s.contains("Functions(all)[24]")
    });

    // q quits with status 0 and leaves the alternate screen.
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(
        !screen.contains("Functions("),
        "the TUI screen is gone after exit:\n{screen}"
    );
}

#[test]
fn a_broken_kubeconfig_shows_a_banner_not_a_crash() {
    let home = tempfile::tempdir().expect("tempdir");
    let broken = home.path().join("broken.yaml");
    std::fs::write(&broken, "clusters: [ {{{\n").expect("write");
    let tmux = Tmux::start(home.path(), &format!("--kubeconfig {}", broken.display()));
    let screen = tmux.wait_for_screen("the error banner", |s| s.contains("press r to retry"));
    assert!(screen.contains("broken.yaml"), "{screen}");
    assert!(screen.contains("✗ not connected"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(
        !screen.contains("not connected"),
        "the TUI screen is gone after exit:\n{screen}"
    );
}

#[test]
fn a_developer_persona_sees_forbidden_scopes_explained_and_can_move_back() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox --context sandbox-developer");
    // The persona's context namespace is shop, where it may list.
    tmux.wait_for_screen("the developer's namespace", |s| {
        s.contains("ctx sandbox-developer")
            && s.contains("Functions(shop)[")
            && s.contains("● live")
    });
    // All namespaces is forbidden: the banner names the missing permission.
    tmux.send(&["0"]);
    let screen = tmux.wait_for_screen("the forbidden banner", |s| {
        s.contains("cannot list resource \"services\"")
    });
    assert!(screen.contains("User \"dev\""), "{screen}");
    assert!(
        screen.contains("Press n to pick a namespace you may list"),
        "{screen}"
    );
    // The developer cannot list namespaces either, but can type the one it may use.
    tmux.send(&["n"]);
    tmux.wait_for_screen("the picker to say why it has no list", |s| {
        s.contains("cannot list namespaces")
    });
    tmux.send(&["shop"]);
    tmux.wait_for_screen("the typed namespace as a choice", |s| s.contains("> shop█"));
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("shop again, live", |s| {
        s.contains("Functions(shop)[") && s.contains("● live")
    });
    assert!(!screen.contains("forbidden"), "{screen}");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

//! Editing a function as YAML in a real terminal against the sandbox: change the image tag in
//! the built-in editor, review, apply, and watch the new revision arrive in the detail; and the
//! `$EDITOR` round trip (a failing editor first), with the buffer kept as a draft over a quit
//! and offered again in the next session.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::SandboxProcess;
use support::tmux::Tmux;

/// The number the editor shows in front of the first line containing `text`.
fn line_number(screen: &str, text: &str) -> usize {
    let line = screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?} on screen:\n{screen}"));
    line.trim_start_matches(['│', ' '])
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line number in {line:?}"))
}

fn open_cart_sync(tmux: &Tmux) {
    tmux.wait_for_screen("the shop list", |s| {
        s.contains("● live") && s.contains("Functions(shop)[")
    });
    tmux.send(&["/", "cart-sync", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/cart-sync█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("cart-sync's detail", |s| {
        s.contains("Function shop/cart-sync") && s.contains("Revisions[")
    });
}

/// How many revisions the detail's section title says there are.
fn revisions(screen: &str) -> usize {
    screen
        .split("Revisions[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no revision count:\n{screen}"))
}

#[test]
fn an_image_tag_changed_in_the_editor_becomes_a_new_revision() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n shop");
    open_cart_sync(&tmux);
    let before = revisions(&tmux.screen());

    tmux.send(&["e"]);
    let screen = tmux.wait_for_screen("the editor", |s| {
        s.contains("Edit shop/cart-sync (resourceVersion") && s.contains("kind: Service")
    });
    assert!(!screen.contains("managedFields"), "{screen}");
    let image = line_number(&screen, "image: ");
    for _ in 1..image {
        tmux.send(&["Down"]);
    }
    tmux.send(&["End", "-edited"]);
    tmux.wait_for_screen("the typed tag", |s| s.contains("-edited"));
    tmux.send(&["C-s"]);
    let screen = tmux.wait_for_screen("the review", |s| {
        s.contains("Your change to shop/cart-sync")
    });
    assert!(screen.contains("+1 −1 lines"), "{screen}");
    let added = screen
        .lines()
        .find(|l| l.starts_with("│+"))
        .unwrap_or_else(|| panic!("an added line:\n{screen}"));
    assert!(
        added.contains("image: ") && added.contains("-edited"),
        "{screen}"
    );
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the gate", |s| {
        s.contains("Confirm: apply your edit to function shop/cart-sync")
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the new revision in the detail", |s| {
        s.contains("applied your edit to function shop/cart-sync")
            && s.contains("Function shop/cart-sync")
            && s.contains(&format!("Revisions[{}]", before + 1))
    });
    assert!(
        screen.contains(&format!("cart-sync-{:05}", before + 1)),
        "{screen}"
    );
    let drafts = std::fs::read_dir(home.path().join("state/drafts"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(drafts, 0, "an applied edit leaves no draft");
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn editor_round_trip_through_editor_env_survives_a_quit_as_a_draft() {
    let home = tempfile::tempdir().expect("tempdir");
    let sandbox = SandboxProcess::start(home.path(), 24, 1);
    // The "editor" fails while a marker file exists, else bumps containerConcurrency.
    let marker = home.path().join("fail-editor");
    let script = home.path().join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -e {marker} ]; then exit 3; fi\n\
             sed -i 's/containerConcurrency: 0/containerConcurrency: 7/' \"$1\"\n",
            marker = marker.display()
        ),
    )
    .expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let env = format!("EDITOR={}", script.display());
    let args = format!("--kubeconfig {} -n shop", sandbox.kubeconfig.display());

    let tmux = Tmux::start_with_env(home.path(), &env, &args);
    open_cart_sync(&tmux);
    tmux.send(&["e"]);
    tmux.wait_for_screen("the editor", |s| s.contains("containerConcurrency: 0"));
    std::fs::write(&marker, "").expect("marker");
    tmux.send(&["C-o"]);
    let screen = tmux.wait_for_screen("the failure", |s| s.contains("failed (exit status: 3)"));
    assert!(screen.contains("the buffer is as it was"), "{screen}");
    assert!(screen.contains("containerConcurrency: 0"), "{screen}");
    std::fs::remove_file(&marker).expect("rm marker");
    tmux.send(&["C-o"]);
    tmux.wait_for_screen("the edited buffer back", |s| {
        s.contains("containerConcurrency: 7") && s.contains("loaded the buffer back from $EDITOR")
    });
    // Quit without applying: the buffer is kept.
    tmux.send(&["C-c"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    drop(tmux);

    let tmux = Tmux::start_with_env(home.path(), &env, &args);
    tmux.wait_for_screen("the drafts notice", |s| {
        s.contains("1 unsaved edit: shop/cart-sync — open the function and press e to restore")
    });
    open_cart_sync(&tmux);
    tmux.send(&["e"]);
    tmux.wait_for_screen("the draft offered", |s| {
        s.contains("An unapplied edit of shop/cart-sync was kept as a draft")
            && s.contains("+       containerConcurrency: 7")
    });
    tmux.send(&["r"]);
    tmux.wait_for_screen("the draft restored", |s| {
        s.contains("containerConcurrency: 7") && s.contains("Edit shop/cart-sync (resourceVersion")
    });
    tmux.send(&["C-s"]);
    tmux.wait_for_screen("the review", |s| {
        s.contains("Your change to shop/cart-sync")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the gate", |s| s.contains("Confirm: apply your edit"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("applied", |s| {
        s.contains("applied your edit to function shop/cart-sync")
    });
    let out = support::run(sandbox.kubectl(&home.path().join("kube-cache")).args([
        "get",
        "ksvc",
        "cart-sync",
        "-n",
        "shop",
        "-o",
        "jsonpath={.spec.template.spec.containerConcurrency}",
    ]));
    assert_eq!(out.stdout, "7", "{}", out.stderr);
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

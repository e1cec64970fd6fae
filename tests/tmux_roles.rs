//! `:roles` and who-can in a real terminal against `--sandbox`: funcdeck's roles installed
//! from the view, funcdeck-developer granted to user carol in shop (typed, previewed as its
//! RoleBinding, confirmed) and read back with kubectl; who-can from a function lists carol;
//! the revoke removes the binding; and the viewer persona's grant key is refused up front,
//! naming the missing permission.

mod support;

use std::process::Command;

use support::run;
use support::tmux::{Tmux, embedded_kubeconfig};

const BINDING: &str = "funcdeck:funcdeck-developer:user:carol";

/// The rows of the box whose header line contains `header`, up to its bottom border.
fn rows_under<'a>(screen: &'a str, header: &str) -> Vec<&'a str> {
    screen
        .lines()
        .skip_while(|l| !l.contains(header))
        .skip(1)
        .take_while(|l| !l.starts_with('└'))
        .collect()
}

/// Puts the roles cursor on funcdeck-developer (shipped roles come first, viewer first).
fn select_developer(tmux: &Tmux) {
    tmux.send(&["g", "j"]);
}

#[test]
fn grant_who_can_and_revoke_through_the_roles_view() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n shop");
    tmux.wait_for_screen("the list", |s| s.contains("● live") && s.contains("cart"));
    tmux.send(&[":", "roles", "Enter"]);
    tmux.wait_for_screen("the roles", |s| {
        s.contains("Roles · namespace shop") && s.contains("funcdeck-developer")
    });

    // Install the shipped roles (unless the sandbox has them already).
    tmux.send(&["I"]);
    let screen = tmux.wait_for_screen("the install plan or nothing to do", |s| {
        s.contains("Confirm: install funcdeck's roles") || s.contains("nothing to install")
    });
    if screen.contains("Confirm: install funcdeck's roles") {
        assert!(
            screen.contains("ClusterRole funcdeck-developer"),
            "{screen}"
        );
        tmux.send(&["Enter"]);
    }
    tmux.wait_for_screen("the roles installed", |s| {
        s.lines()
            .any(|l| l.contains("funcdeck-developer") && l.contains("installed, up to date"))
    });

    // Grant: typed, previewed as the RoleBinding, confirmed.
    select_developer(&tmux);
    tmux.send(&["a"]);
    tmux.wait_for_screen("the grant input", |s| {
        s.contains("Grant funcdeck-developer in namespace shop to")
    });
    tmux.send(&["-l", "user:carol"]);
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the confirmation", |s| {
        s.contains("Confirm: grant role funcdeck-developer to user carol in namespace shop")
    });
    for line in [
        "kind: RoleBinding",
        &format!("name: {BINDING}"),
        "name: carol",
    ] {
        assert!(screen.contains(line), "{line}\n{screen}");
    }
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the grant done and shown", |s| {
        s.contains("granted role funcdeck-developer to user carol")
            && rows_under(s, "BINDING").iter().any(|l| l.contains("carol"))
    });

    let kubeconfig = embedded_kubeconfig(home.path());
    let cache = home.path().join("kube-cache");
    let kubectl = |args: &[&str]| {
        run(Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .arg("--cache-dir")
            .arg(&cache)
            .args(args))
    };
    let got = kubectl(&["get", "rolebinding", BINDING, "-n", "shop", "-o", "yaml"]);
    assert_eq!(got.status, 0, "{}", got.stderr);
    for line in [
        "kind: RoleBinding",
        "name: funcdeck-developer",
        "name: carol",
    ] {
        assert!(got.stdout.contains(line), "{line}\n{}", got.stdout);
    }

    // Who can, from a function in the list: carol can get, update and delete it.
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("the functions", |s| s.contains("Functions(shop)"));
    tmux.send(&["/", "cart-sync", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/cart-sync█"));
    tmux.send(&["w"]);
    let screen = tmux.wait_for_screen("who can for the function", |s| {
        s.contains("Who can get/update/delete function shop/cart-sync")
            && s.contains(&format!("RoleBinding shop/{BINDING}"))
    });
    let carol = screen
        .lines()
        .find(|l| l.contains("User") && l.contains("carol"))
        .unwrap_or_else(|| panic!("carol's row\n{screen}"));
    assert_eq!(
        carol.matches('✓').count(),
        3,
        "get, update, delete: {carol}"
    );

    // Revoke carol: her row under the cursor in the developer's subjects.
    tmux.send(&[":", "roles", "Enter"]);
    tmux.wait_for_screen("the roles again", |s| {
        s.contains("Roles · namespace shop") && s.contains("funcdeck-developer")
    });
    select_developer(&tmux);
    let screen = tmux.wait_for_screen("carol among the subjects", |s| {
        s.contains("Bound to funcdeck-developer")
            && rows_under(s, "BINDING").iter().any(|l| l.contains("carol"))
    });
    let at = rows_under(&screen, "BINDING")
        .iter()
        .position(|l| l.contains(BINDING))
        .unwrap_or_else(|| panic!("carol's binding\n{screen}"));
    tmux.send(&["Tab", "g"]);
    for _ in 0..at {
        tmux.send(&["j"]);
    }
    tmux.send(&["x"]);
    tmux.wait_for_screen("the revoke's confirmation", |s| {
        s.contains("Confirm: revoke role funcdeck-developer from user carol in namespace shop")
            && s.contains(&format!("Deletes RoleBinding shop/{BINDING}."))
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the revoke done", |s| {
        s.contains("revoked role funcdeck-developer from user carol")
    });
    let gone = kubectl(&["get", "rolebinding", BINDING, "-n", "shop"]);
    assert_ne!(gone.status, 0, "{}", gone.stdout);
    assert!(gone.stderr.contains("NotFound"), "{}", gone.stderr);

    // The viewer persona: the grant key is refused, naming the missing permission.
    tmux.send(&[":", "ctx sandbox-viewer", "Enter"]);
    tmux.wait_for_screen("the viewer's context", |s| {
        s.contains("ctx sandbox-viewer") && s.contains("● live")
    });
    tmux.send(&[":", "ns shop", "Enter"]);
    tmux.wait_for_screen("shop as the viewer", |s| {
        s.contains("Roles · namespace shop") && s.contains("● live")
    });
    // "role funcdeck-viewer", or "a role" if this persona may not read the roles at all.
    let refusal = "context sandbox-viewer may not update \
                   rolebindings.rbac.authorization.k8s.io in namespace shop";
    let refused = |s: &str| {
        s.contains("may not update rolebindings") || s.contains("Grant funcdeck-viewer in")
    };
    tmux.send(&["g", "a"]);
    let mut screen = tmux.wait_for_screen("the refusal", refused);
    if !screen.contains("may not update rolebindings") {
        // The viewer's rules were still on their way: once more, as the user would.
        tmux.send(&["Escape", "a"]);
        screen = tmux.wait_for_screen("the refusal", |s| s.contains("may not update rolebindings"));
    }
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("cannot grant"), "{screen}");
    assert!(flat.contains(refusal), "{screen}");
    assert!(!screen.contains("Grant funcdeck-viewer in"), "{screen}");
}

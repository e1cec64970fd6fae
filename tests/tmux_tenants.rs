//! Platform control in a real terminal against a sandbox process, as the issue tells it: the
//! admin creates a tenant in `:tenants` (its owner bound as its admin), grants a developer in
//! `:roles` (kubectl reads the RoleBinding back), then switches to the developer persona's
//! context and sees the same screens change: no tenants list, functions may be created in the
//! new tenant but not elsewhere, and its quota is read but may not be set.

mod support;

use support::SandboxProcess;
use support::tmux::Tmux;

/// Presses `key` until the answer is `refusal` (the persona's rules may still be on their way
/// the first time, and then the key opens what it would open: closed again with Escape).
fn refused(tmux: &Tmux, key: &str, refusal: &str, opened: &str) -> String {
    support::wait_for(std::time::Duration::from_secs(20), "the refusal", || {
        tmux.send(&[key]);
        let screen =
            tmux.wait_for_screen("an answer", |s| s.contains(refusal) || s.contains(opened));
        if screen.contains(refusal) {
            return Some(screen);
        }
        tmux.send(&["Escape"]);
        None
    })
}

#[test]
fn a_tenant_created_and_granted_in_the_console_is_what_the_developer_persona_works_in() {
    let home = tempfile::tempdir().expect("tempdir");
    let sandbox = SandboxProcess::start(home.path(), 6, 1);
    let args = format!("--kubeconfig {}", sandbox.kubeconfig.display());
    let tmux = Tmux::start(home.path(), &args);
    tmux.wait_for_screen("the list", |s| s.contains("● live"));

    // The admin creates the tenant, owned by alice.
    tmux.send(&[":", "tenants", "Enter"]);
    tmux.wait_for_screen("the tenants", |s| {
        s.contains("Tenants(cluster)") && s.contains("shop ")
    });
    tmux.send(&["c"]);
    tmux.send(&["team-x owner=alice", "Enter"]);
    let screen = tmux.wait_for_screen("the preview", |s| {
        s.contains("Confirm: create tenant team-x (small)")
    });
    assert!(
        screen.contains("role binding funcdeck:funcdeck-admin:user:alice"),
        "{screen}"
    );
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for_screen("the new tenant listed", |s| {
        s.lines()
            .any(|l| l.starts_with("│team-x") && l.contains("funcdeck-admin (1 subject)"))
    });
    assert!(
        screen.contains("tenant team-x created (preset small)"),
        "{screen}"
    );

    // ...and grants dev the developer role in it.
    tmux.send(&[":", "ns team-x", "Enter"]);
    tmux.send(&[":", "roles", "Enter"]);
    tmux.wait_for_screen("the roles of team-x", |s| {
        s.contains("Roles · namespace team-x") && s.contains("funcdeck-developer")
    });
    tmux.send(&["j", "a"]);
    tmux.send(&["user:dev", "Enter"]);
    let screen = tmux.wait_for_screen("the grant's preview", |s| {
        s.contains("Confirm: grant role funcdeck-developer to user dev in namespace team-x")
    });
    assert!(screen.contains("kind: RoleBinding"), "{screen}");
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("granted", |s| {
        s.contains("granted role funcdeck-developer to user dev")
    });
    let out = support::run(sandbox.kubectl(&home.path().join("kube-cache")).args([
        "get",
        "rolebinding",
        "funcdeck:funcdeck-developer:user:dev",
        "-n",
        "team-x",
        "-o",
        "yaml",
    ]));
    assert!(
        out.stdout.contains("name: funcdeck-developer") && out.stdout.contains("name: dev"),
        "{}{}",
        out.stdout,
        out.stderr
    );

    // The developer persona: no tenants list (it may not list namespaces cluster-wide).
    tmux.send(&[":", "ctx sandbox-developer", "Enter"]);
    tmux.wait_for_screen("the developer's context", |s| {
        s.contains("ctx sandbox-developer")
    });
    tmux.send(&[":", "tenants", "Enter"]);
    tmux.wait_for_screen("the refusal", |s| {
        s.contains("Cannot list tenants (forbidden)")
            && s.contains("User \"dev\" cannot list resource \"namespaces\"")
    });

    // In the new tenant it may create a function...
    tmux.send(&[":", "ns team-x", "Enter"]);
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("team-x's functions", |s| {
        s.contains("Functions(team-x)") && s.contains("● live")
    });
    tmux.send(&["c"]);
    tmux.wait_for_screen("the form", |s| s.contains("New function"));
    tmux.send(&["Escape"]);

    // ...read its quota but not set it...
    tmux.send(&[":", "quota", "Enter"]);
    tmux.wait_for_screen("team-x's quota", |s| {
        s.contains("Quota · namespace team-x") && s.contains("functions")
    });
    refused(
        &tmux,
        "e",
        "cannot set the quota of namespace team-x: context sandbox-developer may not patch \
         resourcequotas in namespace team-x",
        "set › ",
    );

    // ...and elsewhere it may not create functions at all.
    tmux.send(&[":", "ns default", "Enter"]);
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("default's functions refused", |s| {
        s.contains("Functions(default)") && s.contains("Cannot list functions (forbidden)")
    });
    refused(
        &tmux,
        "c",
        "cannot create: context sandbox-developer may not create \
         services.serving.knative.dev in namespace default",
        "New function",
    );
}

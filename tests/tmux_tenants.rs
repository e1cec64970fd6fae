//! Platform control in a real terminal against a sandbox process: the admin creates a tenant
//! from `:tenants` with an owner (the kubectl-visible RoleBinding is the grant), then switches to
//! the developer persona's context: the tenants list is refused with the reason, and in the new
//! tenant the developer may create a function while in another namespace the key is refused.

mod support;

use support::SandboxProcess;
use support::tmux::Tmux;

#[test]
fn a_tenant_created_in_the_console_is_what_its_owner_persona_may_work_in() {
    let home = tempfile::tempdir().expect("tempdir");
    let sandbox = SandboxProcess::start(home.path(), 6, 1);
    let args = format!("--kubeconfig {}", sandbox.kubeconfig.display());
    let tmux = Tmux::start(home.path(), &args);
    tmux.wait_for_screen("the list", |s| s.contains("● live"));

    tmux.send(&[":", "tenants", "Enter"]);
    tmux.wait_for_screen("the tenants", |s| {
        s.contains("Tenants(cluster)") && s.contains("shop ")
    });
    tmux.send(&["c"]);
    tmux.send(&["team-x owner=dev", "Enter"]);
    let screen = tmux.wait_for_screen("the preview", |s| {
        s.contains("Confirm: create tenant team-x (small)")
    });
    assert!(
        screen.contains("role binding funcdeck:funcdeck-admin:user:dev"),
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
    let row = screen
        .lines()
        .find(|l| l.starts_with("│team-x"))
        .expect("a team-x row");
    assert!(row.contains(" dev "), "{row}");

    let out = support::run(sandbox.kubectl(&home.path().join("kube-cache")).args([
        "get",
        "rolebinding",
        "-n",
        "team-x",
        "-o",
        "yaml",
    ]));
    assert!(
        out.stdout.contains("name: funcdeck-admin") && out.stdout.contains("name: dev"),
        "{}",
        out.stdout
    );

    // The developer persona: no tenants list (it may not list namespaces cluster-wide).
    tmux.send(&[":", "ctx sandbox-developer", "Enter"]);
    tmux.wait_for_screen("the refusal", |s| {
        s.contains("ctx sandbox-developer")
            && s.contains("Cannot list tenants (forbidden)")
            && s.contains("User \"dev\" cannot list resource \"namespaces\"")
    });

    // In its new tenant it may create a function; elsewhere the key is refused, saying why.
    tmux.send(&[":", "ns team-x", "Enter"]);
    tmux.send(&[":", "fn", "Enter"]);
    tmux.wait_for_screen("team-x's functions", |s| {
        s.contains("Functions(team-x)") && s.contains("● live")
    });
    tmux.send(&["c"]);
    tmux.wait_for_screen("the form", |s| s.contains("New function"));
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("back to the list", |s| s.contains("Functions(team-x)"));

    tmux.send(&[":", "ns default", "Enter"]);
    // It may not even list them there; the key still says why it does nothing.
    tmux.wait_for_screen("default's functions refused", |s| {
        s.contains("Functions(default)") && s.contains("Cannot list functions (forbidden)")
    });
    let refusal = "context sandbox-developer may not create services.serving.knative.dev in namespace default";
    tmux.send(&["c"]);
    let screen = tmux.wait_for_screen("an answer", |s| {
        s.contains(refusal) || s.contains("New function")
    });
    if screen.contains("New function") {
        // The rules for default were still on their way: once more, as a person would.
        tmux.send(&["Escape", "c"]);
        tmux.wait_for_screen("the refusal", |s| s.contains(refusal));
    }
}

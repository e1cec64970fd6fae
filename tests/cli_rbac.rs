//! `funcdeck rbac` as each sandbox persona runs it, checked with the real kubectl: the admin
//! installs the shipped roles (a second install changes nothing), grants and revokes; the
//! developer and the viewer are refused in the API server's words; who-can finds the grant.

mod support;

use support::cluster::Cluster;

#[test]
fn roles_install_grant_who_can_and_revoke_per_persona() {
    let c = Cluster::start(2, 3);
    let fd = |args: &[&str]| c.funcdeck(args);

    // The sandbox comes with the shipped roles, as a platform that ran `roles install` would;
    // removed here so the install is tested from the start.
    let out = fd(&["rbac", "roles"]);
    assert!(
        out.stdout
            .contains("funcdeck-viewer (shipped; installed, up to date)"),
        "{}",
        out.stdout
    );
    let out = c.kubectl(&[
        "delete",
        "clusterrole",
        "funcdeck-viewer",
        "funcdeck-developer",
        "funcdeck-admin",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);

    // Before install: the shipped roles are listed as not installed.
    let out = fd(&["rbac", "roles"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("funcdeck-viewer (shipped; not installed)"),
        "{}",
        out.stdout
    );

    // No terminal, no --yes: refused, nothing written.
    let out = fd(&["rbac", "roles", "install"]);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("pass --yes"), "{}", out.stderr);
    assert_ne!(
        c.kubectl(&["get", "clusterrole", "funcdeck-viewer"]).status,
        0
    );

    // The viewer may not install them: the server's refusal.
    let out = fd(&[
        "rbac",
        "roles",
        "install",
        "--yes",
        "--context",
        "sandbox-viewer",
    ]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(out.stderr.contains("forbidden"), "{}", out.stderr);

    let out = fd(&["rbac", "roles", "install", "--yes"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("create ClusterRole funcdeck-developer"),
        "{}",
        out.stdout
    );
    let role = c.kubectl_json(&["get", "clusterrole", "funcdeck-developer"]);
    assert_eq!(role["metadata"]["labels"]["funcdeck.dev/role"], "true");
    let out = fd(&["rbac", "roles", "install"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("nothing changed"), "{}", out.stdout);
    let out = fd(&["rbac", "roles", "-o", "json"]);
    let roles: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(roles[2]["name"], "funcdeck-admin");
    assert_eq!(roles[2]["state"], "up-to-date");

    // An unknown role is named, with the roles there are.
    let out = fd(&[
        "rbac",
        "grant",
        "funcdeck-dev",
        "--user",
        "alice",
        "-n",
        "shop",
        "--yes",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("ClusterRole \"funcdeck-dev\" not found; funcdeck's roles here: funcdeck-admin, funcdeck-developer, funcdeck-viewer"),
        "{}",
        out.stderr
    );

    // The admin grants; the binding is printed first and kubectl reads it back.
    let grant = [
        "rbac",
        "grant",
        "funcdeck-developer",
        "--user",
        "alice",
        "-n",
        "shop",
        "--yes",
    ];
    let out = fd(&grant);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("kind: RoleBinding"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("granted role funcdeck-developer to user alice"),
        "{}",
        out.stdout
    );
    let name = "funcdeck:funcdeck-developer:user:alice";
    let out = c.kubectl(&["get", "rolebinding", name, "-n", "shop", "-o", "yaml"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("name: funcdeck-developer") && out.stdout.contains("name: alice"),
        "{}",
        out.stdout
    );
    let out = fd(&grant);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("already holds"), "{}", out.stdout);

    // who-can finds her, through that binding; not for a verb the role lacks.
    let out = fd(&[
        "rbac",
        "who-can",
        "delete",
        "functions",
        "cart",
        "-n",
        "shop",
        "-o",
        "json",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let holders: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("json");
    assert!(
        holders
            .iter()
            .any(|h| h["name"] == "alice" && h["binding"] == format!("RoleBinding shop/{name}")),
        "{holders:?}"
    );
    let out = fd(&[
        "rbac",
        "who-can",
        "create",
        "rolebindings.rbac.authorization.k8s.io",
        "-n",
        "shop",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("alice"), "{}", out.stdout);

    // The developer may not grant the admin role: the server's message, verbatim.
    let out = fd(&[
        "rbac",
        "grant",
        "funcdeck-admin",
        "--user",
        "mallory",
        "-n",
        "shop",
        "--yes",
        "--context",
        "sandbox-developer",
    ]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "rolebindings.rbac.authorization.k8s.io is forbidden: User \"dev\" cannot create resource \"rolebindings\" in API group \"rbac.authorization.k8s.io\" in the namespace \"shop\""
        ),
        "{}",
        out.stderr
    );
    assert_ne!(
        c.kubectl(&[
            "get",
            "rolebinding",
            "funcdeck:funcdeck-admin:user:mallory",
            "-n",
            "shop"
        ])
        .status,
        0
    );

    // Made an admin of shop, the developer may grant there, but not more than it holds: the
    // server's escalation refusal, verbatim.
    let make_admin = [
        "rbac",
        "grant",
        "funcdeck-admin",
        "--user",
        "dev",
        "-n",
        "shop",
        "--yes",
    ];
    assert_eq!(fd(&make_admin).status, 0);
    let out = fd(&[
        "rbac",
        "grant",
        "cluster-admin",
        "--user",
        "mallory",
        "-n",
        "shop",
        "--yes",
        "--context",
        "sandbox-developer",
    ]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("is attempting to grant RBAC permissions not currently held"),
        "{}",
        out.stderr
    );
    let out = fd(&[
        "rbac",
        "grant",
        "funcdeck-viewer",
        "--group",
        "auditors",
        "-n",
        "shop",
        "--yes",
        "--context",
        "sandbox-developer",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);

    // Read-only refuses a grant even with --yes.
    let out = fd(&[
        "--readonly",
        "rbac",
        "grant",
        "funcdeck-viewer",
        "--user",
        "eve",
        "--cluster",
        "--yes",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("funcdeck runs read-only"),
        "{}",
        out.stderr
    );

    // Cluster-wide and to a service account: a ClusterRoleBinding kubectl reads back.
    let out = fd(&[
        "rbac",
        "grant",
        "funcdeck-viewer",
        "--sa",
        "ci/bot",
        "--cluster",
        "--yes",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let crb = c.kubectl_json(&[
        "get",
        "clusterrolebinding",
        "funcdeck:funcdeck-viewer:sa:ci:bot",
    ]);
    assert_eq!(
        crb["subjects"][0],
        serde_json::json!({"kind": "ServiceAccount", "namespace": "ci", "name": "bot"})
    );
    let out = fd(&["rbac", "who-can", "get", "pods/log", "-n", "shop"]);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("ServiceAccount") && l.contains("ci/bot")),
        "{}",
        out.stdout
    );

    // Revoke: the last subject goes with its binding; revoking again changes nothing.
    let revoke = [
        "rbac",
        "revoke",
        "funcdeck-developer",
        "--user",
        "alice",
        "-n",
        "shop",
        "--yes",
    ];
    let out = fd(&revoke);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_ne!(
        c.kubectl(&["get", "rolebinding", name, "-n", "shop"])
            .status,
        0
    );
    let out = fd(&revoke);
    assert!(out.stdout.contains("does not hold"), "{}", out.stdout);

    // Hostile text in a subject: a valid binding name, and nothing live reaches the terminal.
    let out = fd(&[
        "rbac",
        "grant",
        "funcdeck-viewer",
        "--user",
        "eve\u{1b}[2J",
        "-n",
        "shop",
        "--yes",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    assert_eq!(
        c.kubectl(&[
            "get",
            "rolebinding",
            "funcdeck:funcdeck-viewer:user:eve--2J",
            "-n",
            "shop"
        ])
        .status,
        0
    );
}

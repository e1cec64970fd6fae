//! `funcdeck tenant create|list` against the sandbox, checked with the real kubectl: a tenant
//! is a labelled namespace with the preset's quota and limit range, created idempotently,
//! listed with its usage and roles; read-only mode and a persona without rights are refused.

mod support;

use serde_json::{Value, json};
use support::cluster::Cluster;

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("funcdeck prints JSON")
}

#[test]
fn tenant_create_then_list_shows_it() {
    let c = Cluster::start(6, 1);

    // Not confirmed (no terminal, no --yes), read-only, a developer: nothing is created.
    let out = c.funcdeck(&["tenant", "create", "team-a", "--preset", "medium"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("quota funcdeck: count/services.serving.knative.dev=30")
            && out.stderr.contains(
                "refusing to create tenant team-a (medium) without confirmation: pass --yes"
            ),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&["--readonly", "tenant", "create", "team-a", "--yes"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("funcdeck runs read-only"),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&[
        "tenant",
        "create",
        "team-a",
        "--yes",
        "--context",
        "sandbox-developer",
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("cannot create tenant team-a (small)")
            && out
                .stderr
                .contains("User \"dev\" cannot patch resource \"namespaces\""),
        "{}",
        out.stderr
    );
    assert_ne!(c.kubectl(&["get", "namespace", "team-a"]).status, 0);

    // Created, and created again: the same objects (server-side apply is idempotent).
    for _ in 0..2 {
        let out = c.funcdeck(&["tenant", "create", "team-a", "--preset", "medium", "--yes"]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert_eq!(out.stdout, "tenant \"team-a\" created with preset medium\n");
    }
    let ns = c.kubectl_json(&["get", "namespace", "team-a"]);
    assert_eq!(ns["metadata"]["labels"]["funcdeck.dev/tenant"], "true");
    let quota = c.kubectl_json(&["get", "resourcequota", "funcdeck", "-n", "team-a"]);
    assert_eq!(quota["spec"]["hard"]["requests.cpu"], "8");
    assert_eq!(quota["spec"]["hard"]["requests.nvidia.com/gpu"], "1");
    let limits = c.kubectl_json(&["get", "limitrange", "funcdeck", "-n", "team-a"]);
    assert_eq!(
        limits["spec"]["limits"][0]["max"],
        json!({"cpu": "4", "memory": "8Gi"})
    );

    // Listed with the quota's usage once the controller has counted; shop shows its binding.
    let out = c.funcdeck(&["tenant", "list", "-o", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let tenants = json_of(&out.stdout);
    let tenant = |name: &str| {
        tenants
            .as_array()
            .and_then(|all| all.iter().find(|t| t["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("{name} listed: {tenants}"))
    };
    let team = tenant("team-a");
    assert_eq!(team["functions"], 0);
    assert_eq!(team["quota"]["functions"], "0/30");
    let shop = tenant("shop");
    assert!(shop["functions"].as_u64() >= Some(1));
    let bindings = c.kubectl_json(&["get", "rolebinding", "-n", "shop"]);
    assert_eq!(
        shop["roles"].as_array().map(Vec::len),
        bindings["items"].as_array().map(Vec::len)
    );
    assert!(
        tenants
            .as_array()
            .is_some_and(|all| all.iter().all(|t| t["name"] != "kube-system")),
        "a namespace without functions or the label is no tenant"
    );

    let out = c.funcdeck(&["tenant", "list"]);
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("team-a "))
        .expect("a team-a row");
    assert!(row.contains("0/8") && row.contains("0/30"), "{row}");

    // A viewer may not read bindings cluster-wide: warned, the rest still listed.
    let out = c.funcdeck(&["tenant", "list", "--context", "sandbox-viewer"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: role bindings not shown")
            && out
                .stderr
                .contains("User \"viewer\" cannot list resource \"rolebindings\""),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("team-a "), "{}", out.stdout);

    let out = c.funcdeck(&["tenant", "create", "team-b", "--preset", "huge"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .contains("no preset \"huge\"; use one of large, medium, small"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_tenant_with_an_owner_binds_them_as_its_admin() {
    let c = Cluster::start(2, 1);
    let out = c.funcdeck(&["tenant", "create", "team-c", "--owner", "carol", "--yes"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "role binding funcdeck:funcdeck-admin:user:carol: funcdeck-admin to user carol in team-c"
        ),
        "the preview names the binding: {}",
        out.stderr
    );
    let binding = c.kubectl_json(&[
        "get",
        "rolebinding",
        "funcdeck:funcdeck-admin:user:carol",
        "-n",
        "team-c",
    ]);
    assert_eq!(binding["roleRef"]["name"], "funcdeck-admin");
    assert_eq!(binding["subjects"][0]["kind"], "User");
    assert_eq!(binding["subjects"][0]["name"], "carol");
    let can = |verb: &str, resource: &str| {
        c.kubectl(&[
            "auth", "can-i", verb, resource, "-n", "team-c", "--as", "carol",
        ])
        .stdout
        .trim()
        .to_owned()
    };
    assert_eq!(can("create", "services.serving.knative.dev"), "yes");
    assert_eq!(can("patch", "resourcequotas"), "yes");

    let out = c.funcdeck(&["tenant", "list", "-o", "json"]);
    let tenants = json_of(&out.stdout);
    let team = tenants
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == "team-c"))
        .cloned()
        .expect("team-c listed");
    assert_eq!(team["owner"], "carol");
    assert_eq!(team["roles"], json!(["funcdeck-admin (1 subject)"]));

    // The owner's binding is an ordinary grant: revoking it removes it.
    let out = c.funcdeck(&[
        "rbac",
        "revoke",
        "funcdeck-admin",
        "--user",
        "carol",
        "-n",
        "team-c",
        "--yes",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(can("create", "services.serving.knative.dev"), "no");

    let out = c.funcdeck(&["tenant", "create", "team-d", "--owner", " "]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("the owner is a user name"),
        "{}",
        out.stderr
    );
}

//! Platform administration through the real kubectl: the RBAC kinds in discovery and tables,
//! and a namespace admin granting shipped roles without being able to escalate (the
//! apiserver's "attempting to grant RBAC permissions not currently held").
#![allow(clippy::unwrap_used)]

mod common;

use common::{columns, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rbac_kinds_in_api_resources_and_tables() {
    let env = start(6, 50).await;
    let res = env
        .kubectl(&[
            "--context",
            "sandbox-viewer",
            "api-resources",
            "--api-group=rbac.authorization.k8s.io",
        ])
        .await;
    assert_eq!(res.code, 0, "{}", res.stderr);
    for kind in ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"] {
        assert!(
            res.stdout.lines().any(|l| l.ends_with(&format!(" {kind}"))),
            "{kind} in\n{}",
            res.stdout
        );
    }
    let authz = env
        .kubectl(&[
            "api-resources",
            "--api-group=authorization.k8s.io",
            "-o",
            "wide",
        ])
        .await;
    assert!(
        authz.stdout.contains("selfsubjectaccessreviews")
            && authz.stdout.contains("SelfSubjectAccessReview   create"),
        "{}",
        authz.stdout
    );
    let quota = env
        .kubectl(&["api-resources", "--namespaced=true", "--api-group="])
        .await;
    for n in ["resourcequotas", "limitranges", "serviceaccounts"] {
        assert!(quota.stdout.contains(n), "{n} in\n{}", quota.stdout);
    }
    let rb = env.kubectl(&["get", "rolebindings", "-n", "shop"]).await;
    assert_eq!(rb.code, 0, "{}", rb.stderr);
    let header = columns(&rb.stdout);
    assert_eq!(header, vec!["NAME", "ROLE", "AGE"]);
    assert!(
        rb.stdout
            .contains("dev-developer   ClusterRole/funcdeck-developer"),
        "{}",
        rb.stdout
    );
    let cr = env
        .kubectl(&[
            "get",
            "clusterroles",
            "funcdeck-viewer",
            "funcdeck-developer",
            "funcdeck-admin",
        ])
        .await;
    assert_eq!(cr.code, 0, "{}", cr.stderr);
    assert!(
        cr.stdout.starts_with("NAME") && cr.stdout.contains("CREATED AT"),
        "{}",
        cr.stdout
    );
    let sa = env.kubectl(&["get", "sa", "-n", "shop"]).await;
    assert!(sa.stdout.contains("default"), "{}", sa.stdout);
    let mine = env
        .kubectl(&["--context", "sandbox-developer", "get", "rolebindings"])
        .await;
    assert_eq!(mine.code, 1, "developers cannot read RBAC");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_admin_grants_roles_but_cannot_escalate() {
    let env = start(6, 50).await;
    let grant = env
        .kubectl(&[
            "create",
            "rolebinding",
            "tenant-admin",
            "--clusterrole=funcdeck-admin",
            "--user=nsadmin",
            "-n",
            "shop",
        ])
        .await;
    assert_eq!(grant.code, 0, "{}", grant.stderr);
    let as_admin = |args: &[&str]| {
        let mut v = vec!["--as", "nsadmin"];
        v.extend_from_slice(args);
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let ok = env
        .kubectl(
            &as_admin(&[
                "create",
                "rolebinding",
                "carol-dev",
                "--clusterrole=funcdeck-developer",
                "--user=carol",
                "-n",
                "shop",
            ])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let carol = env
        .kubectl(&[
            "--as", "carol", "auth", "can-i", "patch", "ksvc", "-n", "shop",
        ])
        .await;
    assert_eq!(carol.stdout.trim(), "yes");
    let esc = env
        .kubectl(
            &as_admin(&[
                "create",
                "rolebinding",
                "me-root",
                "--clusterrole=cluster-admin",
                "--user=nsadmin",
                "-n",
                "shop",
            ])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(esc.code, 1);
    assert!(
        esc.stderr.contains("rolebindings.rbac.authorization.k8s.io \"me-root\" is forbidden: user \"nsadmin\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}"),
        "{}",
        esc.stderr
    );
    let elsewhere = env
        .kubectl(
            &as_admin(&[
                "create",
                "rolebinding",
                "x",
                "--clusterrole=funcdeck-viewer",
                "--user=carol",
                "-n",
                "payments",
            ])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        )
        .await;
    assert!(
        elsewhere
            .stderr
            .contains("cannot create resource \"rolebindings\""),
        "{}",
        elsewhere.stderr
    );
}

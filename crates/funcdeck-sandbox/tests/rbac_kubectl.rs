//! The demo personas through the real kubectl 1.32: each context's allowed and denied actions
//! with the apiserver's exact Forbidden text, `--as` impersonation from the admin context, and
//! `auth can-i` (which sends protobuf SelfSubjectAccessReviews and RulesReviews).
#![allow(clippy::unwrap_used)]

mod common;

use common::start;

const DEV_PAYMENTS: &str = "Error from server (Forbidden): services.serving.knative.dev is forbidden: User \"dev\" cannot list resource \"services\" in API group \"serving.knative.dev\" in the namespace \"payments\"";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn developer_is_confined_to_shop() {
    let env = start(24, 200).await;
    let ok = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "get",
            "ksvc",
            "-n",
            "shop",
        ])
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("checkout-api"), "{}", ok.stdout);
    let default_ns = env
        .kubectl(&["--context", "sandbox-developer", "get", "ksvc"])
        .await;
    assert_eq!(
        default_ns.code, 0,
        "the context namespace is shop: {}",
        default_ns.stderr
    );
    let denied = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "get",
            "ksvc",
            "-n",
            "payments",
        ])
        .await;
    assert_eq!(denied.code, 1);
    assert_eq!(denied.stderr.trim(), DEV_PAYMENTS);
    let pods = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "get",
            "pods",
            "-n",
            "shop",
        ])
        .await;
    assert_eq!(pods.code, 0, "{}", pods.stderr);
    let ns = env
        .kubectl(&["--context", "sandbox-developer", "get", "ns"])
        .await;
    assert_eq!(ns.code, 1);
    assert!(
        ns.stderr.contains("namespaces is forbidden: User \"dev\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"),
        "{}",
        ns.stderr
    );
    let cm = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "create",
            "configmap",
            "x",
            "-n",
            "shop",
        ])
        .await;
    assert_eq!(cm.code, 1);
    assert!(
        cm.stderr.contains("configmaps is forbidden: User \"dev\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"shop\""),
        "{}",
        cm.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn developer_deploys_in_shop_but_not_elsewhere() {
    let env = start(6, 50).await;
    let svc = |ns: &str| {
        format!(
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: rbac-probe\n  namespace: {ns}\nspec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/acme/probe:1.0\n"
        )
    };
    let shop = env.file("shop.yaml", &svc("shop"));
    let out = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "create",
            "-f",
            shop.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let del = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "delete",
            "ksvc",
            "rbac-probe",
            "-n",
            "shop",
            "--wait=false",
        ])
        .await;
    assert_eq!(del.code, 0, "{}", del.stderr);
    let pay = env.file("pay.yaml", &svc("payments"));
    let out = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "create",
            "-f",
            pay.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("services.serving.knative.dev is forbidden: User \"dev\" cannot create resource \"services\" in API group \"serving.knative.dev\" in the namespace \"payments\""),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewer_reads_everywhere_but_cannot_delete_and_admin_can() {
    let env = start(12, 50).await;
    let list = env
        .kubectl(&["--context", "sandbox-viewer", "get", "ksvc", "-A"])
        .await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    let name = list
        .stdout
        .lines()
        .nth(1)
        .and_then(|l| {
            let mut cols = l.split_whitespace();
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .unwrap();
    let (ns, svc) = (name.0.as_str(), name.1.as_str());
    let del = env
        .kubectl(&[
            "--context",
            "sandbox-viewer",
            "delete",
            "ksvc",
            svc,
            "-n",
            ns,
        ])
        .await;
    assert_eq!(del.code, 1);
    assert_eq!(
        del.stderr.trim(),
        format!(
            "Error from server (Forbidden): services.serving.knative.dev \"{svc}\" is forbidden: User \"viewer\" cannot delete resource \"services\" in API group \"serving.knative.dev\" in the namespace \"{ns}\""
        )
    );
    let admin = env
        .kubectl(&[
            "--context",
            "sandbox-admin",
            "delete",
            "ksvc",
            svc,
            "-n",
            ns,
            "--wait=false",
        ])
        .await;
    assert_eq!(admin.code, 0, "{}", admin.stderr);
    assert!(admin.stdout.contains("deleted"), "{}", admin.stdout);
    let bindings = env
        .kubectl(&[
            "--context",
            "sandbox-admin",
            "get",
            "clusterrolebindings",
            "-o",
            "wide",
        ])
        .await;
    assert_eq!(bindings.code, 0, "{}", bindings.stderr);
    let row = bindings
        .stdout
        .lines()
        .find(|l| l.starts_with("funcdeck:platform-admins"))
        .unwrap_or_default()
        .to_string();
    assert!(
        row.contains("ClusterRole/cluster-admin") && row.contains("platform-admins"),
        "{}",
        bindings.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_impersonates_with_as_and_default_context_is_unchanged() {
    let env = start(6, 50).await;
    let denied = env
        .kubectl(&["--as", "dev", "get", "ksvc", "-n", "payments"])
        .await;
    assert_eq!(denied.code, 1);
    assert_eq!(denied.stderr.trim(), DEV_PAYMENTS);
    let ok = env
        .kubectl(&["--as", "dev", "get", "ksvc", "-n", "shop"])
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let grp = env
        .kubectl(&[
            "--as",
            "someone",
            "--as-group",
            "platform-admins",
            "get",
            "ns",
        ])
        .await;
    assert_eq!(grp.code, 0, "a group binding grants: {}", grp.stderr);
    let ctx = env.kubectl(&["config", "current-context"]).await;
    assert_eq!(ctx.stdout.trim(), "funcdeck-sandbox");
    let all = env.kubectl(&["get", "ksvc", "-A"]).await;
    assert_eq!(all.code, 0, "{}", all.stderr);
    let who = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "--as",
            "viewer",
            "get",
            "ksvc",
            "-n",
            "payments",
        ])
        .await;
    assert_eq!(
        who.code, 0,
        "--as overrides the context's as: {}",
        who.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_can_i_answers_from_rbac() {
    let env = start(6, 50).await;
    let dev = ["--context", "sandbox-developer", "auth", "can-i"];
    let yes = env
        .kubectl(&[&dev[..], &["create", "ksvc", "-n", "shop"]].concat())
        .await;
    assert_eq!((yes.code, yes.stdout.trim()), (0, "yes"), "{}", yes.stderr);
    let no = env
        .kubectl(&[&dev[..], &["create", "ksvc", "-n", "payments"]].concat())
        .await;
    assert_eq!((no.code, no.stdout.trim()), (1, "no"), "{}", no.stderr);
    let del = env
        .kubectl(&[&dev[..], &["delete", "pods", "-n", "shop"]].concat())
        .await;
    assert_eq!((del.code, del.stdout.trim()), (1, "no"));
    let metrics = env
        .kubectl(&[&dev[..], &["get", "/metrics"]].concat())
        .await;
    assert_eq!((metrics.code, metrics.stdout.trim()), (1, "no"));
    let admin = env
        .kubectl(&["auth", "can-i", "delete", "ksvc", "-n", "payments"])
        .await;
    assert_eq!((admin.code, admin.stdout.trim()), (0, "yes"));
    let alice = env
        .kubectl(&[
            "--context",
            "sandbox-admin",
            "auth",
            "can-i",
            "get",
            "/metrics",
        ])
        .await;
    assert_eq!(
        (alice.code, alice.stdout.trim()),
        (0, "yes"),
        "{}",
        alice.stderr
    );
    let viewer = env
        .kubectl(&[
            "--context",
            "sandbox-viewer",
            "auth",
            "can-i",
            "get",
            "pods",
            "--subresource=log",
            "-n",
            "analytics",
        ])
        .await;
    assert_eq!(
        (viewer.code, viewer.stdout.trim()),
        (0, "yes"),
        "{}",
        viewer.stderr
    );
    let list = env
        .kubectl(&[&dev[..], &["--list", "-n", "shop"]].concat())
        .await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    let header = list.stdout.lines().next().unwrap_or_default();
    assert!(
        header.contains("Resources") && header.contains("Verbs"),
        "{}",
        list.stdout
    );
    let ksvc_row = list
        .stdout
        .lines()
        .find(|l| l.starts_with("services.serving.knative.dev") && l.contains("create"))
        .unwrap_or_else(|| panic!("no developer rule in\n{}", list.stdout));
    assert!(
        ksvc_row.contains("[get list watch create update patch delete]"),
        "{ksvc_row}"
    );
    assert!(
        list.stdout
            .contains("selfsubjectaccessreviews.authorization.k8s.io"),
        "{}",
        list.stdout
    );
    let elsewhere = env
        .kubectl(&[&dev[..], &["--list", "-n", "payments"]].concat())
        .await;
    assert!(
        !elsewhere.stdout.contains("create update patch delete"),
        "{}",
        elsewhere.stdout
    );
}

//! Authorization over raw HTTP: impersonation headers and bearer tokens, every verb mapped like
//! the apiserver (watch, deletecollection, status subresource, non-resource paths), the
//! impersonation checks themselves, and the RBAC kinds in discovery.
#![allow(clippy::unwrap_used)]

mod common;

use common::{as_user, message, request, start};
use serde_json::json;

const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_verb_is_authorized_with_the_apiservers_words() {
    let env = start(12, 50).await;
    let watch = as_user(
        &env,
        "GET",
        &format!("{KSVC}/payments/services?watch=true"),
        "dev",
        b"",
    )
    .await;
    assert_eq!(watch.status, 403);
    assert_eq!(
        message(&watch),
        "services.serving.knative.dev is forbidden: User \"dev\" cannot watch resource \"services\" in API group \"serving.knative.dev\" in the namespace \"payments\""
    );
    assert_eq!(watch.json()["reason"], "Forbidden");
    assert_eq!(
        watch.json()["details"],
        json!({"group": "serving.knative.dev", "kind": "services"})
    );
    let status = as_user(
        &env,
        "PUT",
        &format!("{KSVC}/shop/services/checkout-api/status"),
        "dev",
        b"{}",
    )
    .await;
    assert_eq!(
        message(&status),
        "services.serving.knative.dev \"checkout-api\" is forbidden: User \"dev\" cannot update resource \"services/status\" in API group \"serving.knative.dev\" in the namespace \"shop\""
    );
    let dc = as_user(
        &env,
        "DELETE",
        &format!("{KSVC}/shop/services"),
        "viewer",
        b"",
    )
    .await;
    assert!(
        message(&dc).contains("cannot deletecollection resource \"services\""),
        "{}",
        message(&dc)
    );
    let patch = request(
        env.addr(),
        "PATCH",
        &format!("{KSVC}/shop/services/checkout-api"),
        &[
            ("Impersonate-User", "viewer"),
            ("Content-Type", "application/merge-patch+json"),
        ],
        b"{}",
    )
    .await;
    assert!(
        message(&patch).contains("User \"viewer\" cannot patch resource"),
        "{}",
        message(&patch)
    );
    let metrics = as_user(&env, "GET", "/metrics", "dev", b"").await;
    assert_eq!(metrics.status, 403);
    assert_eq!(
        message(&metrics),
        "forbidden: User \"dev\" cannot get path \"/metrics\""
    );
    let cluster = as_user(
        &env,
        "GET",
        "/apis/serving.knative.dev/v1/services",
        "dev",
        b"",
    )
    .await;
    assert!(
        message(&cluster).ends_with("at the cluster scope"),
        "{}",
        message(&cluster)
    );
    let unserved = as_user(
        &env,
        "GET",
        "/apis/batch/v1/namespaces/shop/jobs",
        "dev",
        b"",
    )
    .await;
    assert_eq!(unserved.status, 403, "authorization comes before routing");
    for path in [
        "/api",
        "/apis",
        "/version",
        "/api/v1",
        "/apis/serving.knative.dev/v1",
        "/openapi/v3",
    ] {
        let r = as_user(&env, "GET", path, "dev", b"").await;
        assert_eq!(r.status, 200, "{path} is open to every authenticated user");
    }
    let ok = as_user(
        &env,
        "GET",
        &format!("{KSVC}/shop/services?watch=true&timeoutSeconds=1"),
        "dev",
        b"",
    )
    .await;
    assert_eq!(ok.status, 200);
    let admin = request(
        env.addr(),
        "GET",
        &format!("{KSVC}/payments/services"),
        &[],
        b"",
    )
    .await;
    assert_eq!(admin.status, 200, "no headers: the sandbox admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonation_is_itself_authorized() {
    let env = start(6, 50).await;
    let addr = env.addr();
    let path = format!("{KSVC}/shop/services");
    let dev_as_alice = request(
        addr,
        "GET",
        &path,
        &[
            ("Authorization", "Bearer dev-token"),
            ("Impersonate-User", "alice"),
        ],
        b"",
    )
    .await;
    assert_eq!(dev_as_alice.status, 403);
    assert_eq!(
        message(&dev_as_alice),
        "users \"alice\" is forbidden: User \"dev\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
    );
    let dev_token = request(
        addr,
        "GET",
        &path,
        &[("Authorization", "Bearer dev-token")],
        b"",
    )
    .await;
    assert_eq!(dev_token.status, 200, "a token authenticates its persona");
    let alice_token = request(
        addr,
        "GET",
        &format!("{KSVC}/payments/services"),
        &[
            ("Authorization", "Bearer alice-token"),
            ("Impersonate-User", "dev"),
        ],
        b"",
    )
    .await;
    assert_eq!(
        alice_token.status, 403,
        "alice (cluster-admin) may impersonate; dev is then denied"
    );
    assert!(message(&alice_token).contains("User \"dev\" cannot list"));
    let bad = request(addr, "GET", &path, &[("Authorization", "Bearer nope")], b"").await;
    assert_eq!(
        (bad.status, message(&bad)),
        (401, "Unauthorized".to_string())
    );
    let no_user = request(addr, "GET", &path, &[("Impersonate-Group", "devs")], b"").await;
    assert_eq!(no_user.status, 500);
    let text = String::from_utf8_lossy(&no_user.body).to_string();
    assert!(text.contains("without impersonating a user"), "{text}");
    let sa = request(
        addr,
        "GET",
        &path,
        &[
            ("Authorization", "Bearer viewer-token"),
            ("Impersonate-User", "system:serviceaccount:shop:default"),
        ],
        b"",
    )
    .await;
    assert_eq!(
        message(&sa),
        "serviceaccounts \"default\" is forbidden: User \"viewer\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"shop\""
    );
    let uid = request(
        addr,
        "GET",
        &path,
        &[
            ("Authorization", "Bearer dev-token"),
            ("Impersonate-User", "dev"),
            ("Impersonate-Uid", "7"),
        ],
        b"",
    )
    .await;
    assert!(
        message(&uid).starts_with("users \"dev\" is forbidden"),
        "the user is checked first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rbac_kinds_are_served_and_discovered() {
    let env = start(6, 50).await;
    let addr = env.addr();
    let d = common::get_json(addr, "/apis/rbac.authorization.k8s.io/v1").await;
    let names: Vec<&str> = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "roles",
            "clusterroles",
            "rolebindings",
            "clusterrolebindings"
        ]
    );
    let authz = common::get_json(addr, "/apis/authorization.k8s.io/v1").await;
    assert_eq!(authz["resources"][0]["verbs"], json!(["create"]));
    assert_eq!(authz["resources"][0]["namespaced"], false);
    let core = common::get_json(addr, "/api/v1").await;
    for n in [
        "serviceaccounts",
        "resourcequotas",
        "resourcequotas/status",
        "limitranges",
    ] {
        assert!(
            core["resources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == n),
            "{n}"
        );
    }
    let roles = common::get_json(
        addr,
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/funcdeck-developer",
    )
    .await;
    assert!(roles["rules"].as_array().unwrap().len() >= 3);
    let rb = common::get_json(
        addr,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings/dev-developer",
    )
    .await;
    assert_eq!(rb["roleRef"]["name"], "funcdeck-developer");
    let sa = common::get_json(addr, "/api/v1/namespaces/payments/serviceaccounts/default").await;
    assert_eq!(sa["kind"], "ServiceAccount");
}

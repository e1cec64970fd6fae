//! SelfSubjectAccessReview and SelfSubjectRulesReview over raw HTTP: JSON as kube sends it,
//! protobuf as kubectl sends it (bytes captured from kubectl 1.32), with upstream's reasons.
#![allow(clippy::unwrap_used)]

mod common;

use common::{as_user, request, start};
use serde_json::{Value, json};

async fn review(env: &common::Env, user: &str, kind: &str, body: &Value) -> Value {
    let plural = if kind == "rules" {
        "selfsubjectrulesreviews"
    } else {
        "selfsubjectaccessreviews"
    };
    let r = as_user(
        env,
        "POST",
        &format!("/apis/authorization.k8s.io/v1/{plural}"),
        user,
        &serde_json::to_vec(body).unwrap(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_and_rules_reviews_in_json_and_protobuf() {
    let env = start(6, 50).await;
    let ssar = |ns: &str, verb: &str| {
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {"namespace": ns, "verb": verb, "group": "serving.knative.dev", "resource": "services"}}})
    };
    let yes = review(&env, "dev", "access", &ssar("shop", "create")).await;
    assert_eq!(yes["kind"], "SelfSubjectAccessReview");
    assert_eq!(yes["status"]["allowed"], true);
    assert_eq!(
        yes["status"]["reason"],
        "RBAC: allowed by RoleBinding \"dev-developer/shop\" of ClusterRole \"funcdeck-developer\" to User \"dev\""
    );
    assert_eq!(yes["spec"]["resourceAttributes"]["namespace"], "shop");
    let no = review(&env, "dev", "access", &ssar("payments", "create")).await;
    assert_eq!(no["status"]["allowed"], false);
    let alice = request(
        env.addr(),
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        &[
            ("Impersonate-User", "alice"),
            ("Impersonate-Group", "platform-admins"),
        ],
        &serde_json::to_vec(&ssar("payments", "delete")).unwrap(),
    )
    .await
    .json();
    assert_eq!(
        alice["status"]["reason"],
        "RBAC: allowed by ClusterRoleBinding \"funcdeck:platform-admins\" of ClusterRole \"cluster-admin\" to Group \"platform-admins\""
    );
    let rules = review(
        &env,
        "dev",
        "rules",
        &json!({"kind": "SelfSubjectRulesReview", "spec": {"namespace": "shop"}}),
    )
    .await;
    let rr = rules["status"]["resourceRules"].as_array().unwrap();
    assert!(
        rr.iter().any(
            |r| r["verbs"] == json!(["create", "update", "patch", "delete"])
                && r["apiGroups"] == json!(["serving.knative.dev"])
        ),
        "{rules}"
    );
    assert!(
        rules["status"]["nonResourceRules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["nonResourceURLs"]
                .as_array()
                .unwrap()
                .contains(&json!("/apis/*")))
    );
    assert_eq!(rules["status"]["incomplete"], false);
    let empty = review(
        &env,
        "dev",
        "rules",
        &json!({"spec": {"namespace": "payments"}}),
    )
    .await;
    assert!(
        !empty["status"]["resourceRules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["apiGroups"] == json!(["serving.knative.dev"]))
    );
    let invalid = as_user(
        &env,
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "dev",
        b"{\"spec\":{}}",
    )
    .await;
    assert_eq!(invalid.status, 422);
    let get = as_user(
        &env,
        "GET",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "dev",
        b"",
    )
    .await;
    assert_eq!(
        get.status, 403,
        "only create is granted by system:basic-user"
    );
    let admin_get = request(
        env.addr(),
        "GET",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        &[],
        b"",
    )
    .await;
    assert_eq!(admin_get.status, 405);

    // `kubectl auth can-i create ksvc -n shop`, as captured from kubectl 1.32.
    let proto = hex(
        "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712530a100a0012001a0022002a0032003800420012350a330a0473686f7012066372656174651a1373657276696e672e6b6e61746976652e64657622002a08736572766963657332003a001a08080012001a0020001a002200",
    );
    let r = request(
        env.addr(),
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        &[
            ("Impersonate-User", "dev"),
            ("Content-Type", "application/vnd.kubernetes.protobuf"),
            ("Accept", "application/vnd.kubernetes.protobuf, */*"),
        ],
        &proto,
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json()["status"]["allowed"], true);
    let truncated = request(
        env.addr(),
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        &[("Content-Type", "application/vnd.kubernetes.protobuf")],
        &proto[..40],
    )
    .await;
    assert_eq!(truncated.status, 400);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

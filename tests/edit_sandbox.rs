//! Editing a function as YAML against the sandbox, with the real kubectl changing it behind the
//! editor's back: the write is refused with a conflict instead of overwriting, a re-base keeps
//! both changes, and a change the Knative webhook refuses comes back in the webhook's words.

mod support;

use funcdeck_core::CoreError;
use funcdeck_core::cluster::{ClusterTarget, connect};
use funcdeck_core::edit;
use funcdeck_core::key::ObjectKey;
use support::cluster::Cluster;

fn manifest() -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "cart", "namespace": "default", "labels": {"team": "shop"}},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/cart:1"}]}}}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_concurrent_kubectl_change_is_a_conflict_and_a_rebase_keeps_both() {
    let c = Cluster::start(2, 3);
    c.apply_and_wait(&manifest(), "cart-00001");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(c.sandbox.kubeconfig.clone()),
        context: None,
    })
    .await
    .expect("connect");
    let key = ObjectKey::new("default", "cart");

    let loaded = edit::load(&conn, &key).await.expect("load");
    let yours = loaded.text.replace("cart:1", "cart:2");
    let plan = edit::plan(&loaded.text, &yours).expect("valid edit");

    // Someone else changes the function between load and apply.
    let out = c.kubectl(&["label", "ksvc", "cart", "-n", "default", "tier=gold"]);
    assert_eq!(out.status, 0, "{}", out.stderr);

    let refused = edit::apply(&conn, &key, &plan.patch, &loaded.resource_version).await;
    assert!(
        matches!(&refused, Err(CoreError::Conflict { .. })),
        "{refused:?}"
    );
    let image = |c: &Cluster| {
        c.kubectl(&[
            "get",
            "ksvc",
            "cart",
            "-n",
            "default",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}",
        ])
        .stdout
    };
    assert_eq!(image(&c), "ghcr.io/acme/cart:1", "nothing half-applied");

    let theirs = edit::load(&conn, &key).await.expect("reload");
    let rebased = edit::rebase(&loaded.text, &yours, theirs).expect("rebase");
    assert!(rebased.conflicts.is_empty(), "{:?}", rebased.conflicts);
    let plan = edit::plan(&rebased.theirs.text, &rebased.text).expect("valid");
    edit::apply(&conn, &key, &plan.patch, &rebased.theirs.resource_version)
        .await
        .expect("the rebased edit applies");
    assert_eq!(image(&c), "ghcr.io/acme/cart:2");
    let labels = c.kubectl_json(&["get", "ksvc", "cart", "-n", "default"]);
    assert_eq!(
        labels["metadata"]["labels"]["tier"], "gold",
        "their change stays"
    );
    assert_eq!(labels["metadata"]["labels"]["team"], "shop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn the_webhook_refusal_comes_back_verbatim_and_a_deleted_function_is_not_found() {
    let c = Cluster::start(2, 4);
    c.apply_and_wait(&manifest(), "cart-00001");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(c.sandbox.kubeconfig.clone()),
        context: None,
    })
    .await
    .expect("connect");
    let key = ObjectKey::new("default", "cart");
    let loaded = edit::load(&conn, &key).await.expect("load");
    let yours = format!(
        "{}  traffic:\n  - latestRevision: true\n    percent: 110\n",
        loaded
            .text
            .split("  traffic:\n")
            .next()
            .expect("text before traffic")
    );
    let plan = edit::plan(&loaded.text, &yours).expect("valid YAML");
    let refused = edit::apply(&conn, &key, &plan.patch, &loaded.resource_version)
        .await
        .expect_err("the webhook refuses");
    assert_eq!(
        refused.to_string(),
        "server answered 400 BadRequest: admission webhook \"validation.webhook.serving.knative.dev\" \
         denied the request: validation failed: Traffic targets sum to 110, want 100: spec.traffic\n\
         expected 0 <= 110 <= 100: spec.traffic[0].percent"
    );

    let out = c.kubectl(&["delete", "ksvc", "cart", "-n", "default"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let gone = edit::apply(&conn, &key, &plan.patch, &loaded.resource_version).await;
    assert!(matches!(gone, Err(CoreError::NotFound { .. })), "{gone:?}");
}

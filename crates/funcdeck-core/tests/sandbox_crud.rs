//! Lists and writes end to end against the in-process simulated cluster: kubeconfig and probe,
//! namespaces, paged lists, server-side selectors and optimistic concurrency.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{IMAGE, WAIT, labelled, services, start};
use funcdeck_core::CoreError;
use funcdeck_core::cluster::{ClusterTarget, connect, probe};
use funcdeck_core::functions::{NamespaceScope, list_namespaces, list_services};
use funcdeck_core::knative::Service;
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};

#[tokio::test]
async fn connects_with_the_sandbox_kubeconfig_and_probes() {
    let env = start().await;
    assert_eq!(env.conn.context, "funcdeck-sandbox");
    assert_eq!(env.conn.default_namespace, "default");
    assert_eq!(
        env.conn.cluster.trim_end_matches('/'),
        env.sandbox.server_url().to_string().trim_end_matches('/')
    );
    let version = probe(&env.conn).await.expect("probe answers");
    assert!(version.starts_with('v'), "gitVersion {version:?}");

    let err = connect(&ClusterTarget {
        kubeconfig: Some(
            env.sandbox
                .kubeconfig_path()
                .expect("kubeconfig written")
                .to_path_buf(),
        ),
        context: Some("nope".into()),
    })
    .await
    .expect_err("unknown context");
    assert_eq!(
        err,
        CoreError::UnknownContext {
            context: "nope".into(),
            available: vec![
                "funcdeck-sandbox".into(),
                "sandbox-admin".into(),
                "sandbox-developer".into(),
                "sandbox-viewer".into()
            ]
        }
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn lists_all_namespaces_and_one() {
    let env = start().await;
    let all = list_services(&env.conn, &NamespaceScope::All, None)
        .await
        .expect("list all");
    assert_eq!(all.len(), 12, "seeded functions");

    let namespaces = list_namespaces(&env.conn).await.expect("namespaces");
    for ns in ["default", "payments", "shop"] {
        assert!(
            namespaces.contains(&ns.to_owned()),
            "{ns} in {namespaces:?}"
        );
    }
    let mut sorted = namespaces.clone();
    sorted.sort();
    assert_eq!(namespaces, sorted);

    let shop = list_services(&env.conn, &NamespaceScope::One("shop".into()), None)
        .await
        .expect("list shop");
    let expected = all
        .iter()
        .filter(|s| s.metadata.namespace.as_deref() == Some("shop"))
        .count();
    assert!(expected > 0, "the seed puts functions in shop");
    assert_eq!(shop.len(), expected);
    assert!(
        shop.iter()
            .all(|s| s.metadata.namespace.as_deref() == Some("shop"))
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn label_selector_filters_server_side() {
    let env = start().await;
    let api = services(&env.conn, "payments");
    let pp = PostParams::default();
    api.create(
        &pp,
        &labelled(
            "payments",
            "sel-a",
            &[("suite", "selector"), ("tier", "gold")],
        ),
    )
    .await
    .expect("create a");
    api.create(
        &pp,
        &labelled(
            "payments",
            "sel-b",
            &[("suite", "selector"), ("tier", "silver")],
        ),
    )
    .await
    .expect("create b");

    let names = |v: Vec<Service>| {
        let mut n: Vec<String> = v.into_iter().filter_map(|s| s.metadata.name).collect();
        n.sort();
        n
    };
    let both = list_services(&env.conn, &NamespaceScope::All, Some("suite=selector"))
        .await
        .expect("list by suite");
    assert_eq!(names(both), ["sel-a", "sel-b"]);
    let gold = list_services(
        &env.conn,
        &NamespaceScope::One("payments".into()),
        Some("suite=selector,tier=gold"),
    )
    .await
    .expect("list gold");
    assert_eq!(names(gold), ["sel-a"]);
    let none = list_services(
        &env.conn,
        &NamespaceScope::One("shop".into()),
        Some("suite=selector"),
    )
    .await
    .expect("list in another namespace");
    assert!(none.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn crud_with_optimistic_concurrency() {
    let env = start().await;
    let api = services(&env.conn, "default");
    let created = api
        .create(
            &PostParams::default(),
            &Service::new("default", "crud", IMAGE),
        )
        .await
        .expect("create");
    assert_eq!(created.metadata.name.as_deref(), Some("crud"));
    assert_eq!(created.image(), Some(IMAGE));

    let fetched = api.get("crud").await.expect("get");
    assert_eq!(fetched.metadata.uid, created.metadata.uid);
    let stale = fetched.clone();

    let mut changed = fetched;
    changed
        .metadata
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert("edited".into(), "yes".into());
    let replaced = api
        .replace("crud", &PostParams::default(), &changed)
        .await
        .expect("replace with the current resourceVersion");
    assert_ne!(
        replaced.metadata.resource_version,
        stale.metadata.resource_version
    );
    assert_eq!(
        replaced
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("edited"))
            .map(String::as_str),
        Some("yes")
    );

    let err = api
        .replace("crud", &PostParams::default(), &stale)
        .await
        .expect_err("stale resourceVersion must conflict");
    match CoreError::from(err) {
        CoreError::Conflict { message } => {
            assert!(
                message.contains("the object has been modified"),
                "{message}"
            )
        }
        other => panic!("expected Conflict, got {other:?}"),
    }

    api.delete("crud", &DeleteParams::default())
        .await
        .expect("delete");
    let gone = tokio::time::timeout(WAIT, async {
        loop {
            match api.get("crud").await {
                Err(e) => break CoreError::from(e),
                Ok(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    })
    .await
    .expect("deleted within the wait");
    assert!(matches!(gone, CoreError::NotFound { .. }), "{gone:?}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn lists_page_through_continue_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    // More than one page of 500.
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 520,
        seed: 3,
        ..Default::default()
    })
    .await
    .expect("sandbox starts");
    let conn = connect(&ClusterTarget {
        kubeconfig: sandbox.kubeconfig_path().map(Into::into),
        context: None,
    })
    .await
    .expect("connect");
    let all = list_services(&conn, &NamespaceScope::All, None)
        .await
        .expect("list all");
    let keys: std::collections::BTreeSet<_> = all
        .iter()
        .map(|s| (s.metadata.namespace.clone(), s.metadata.name.clone()))
        .collect();
    assert_eq!(all.len(), 520);
    assert_eq!(keys.len(), 520, "no page repeated an item");
    // The server did page (so the full result above needed the continue token).
    let first_page = Api::<Service>::all(conn.client.clone())
        .list(&ListParams::default().limit(500))
        .await
        .expect("first page");
    assert_eq!(first_page.items.len(), 500);
    assert!(first_page.metadata.continue_.is_some_and(|c| !c.is_empty()));
    sandbox.shutdown().await;
}

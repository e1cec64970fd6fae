//! `connect`, `probe` and the watch stream against servers that are not there: the TUI must
//! open anyway and say why it cannot reach the cluster.

use std::path::{Path, PathBuf};
use std::time::Duration;

use funcdeck_core::CoreError;
use funcdeck_core::cluster::{ClusterTarget, connect, probe};
use funcdeck_core::functions::{FunctionEvent, NamespaceScope, list_services, watch_functions};
use futures::StreamExt;

fn write_kubeconfig(dir: &Path, server: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: local\n\
         clusters:\n- name: local\n  cluster:\n    server: {server}\n\
         contexts:\n- name: local\n  context:\n    cluster: local\n    user: me\n    namespace: shop\n\
         - name: other\n  context:\n    cluster: local\n    user: me\n\
         users:\n- name: me\n  user: {{}}\n"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn connect_reads_the_context_without_contacting_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = format!("http://127.0.0.1:{}", closed_port());
    let target = ClusterTarget {
        kubeconfig: Some(write_kubeconfig(dir.path(), &server)),
        context: None,
    };
    let conn = connect(&target).await.expect("connect succeeds offline");
    assert_eq!(conn.context, "local");
    assert_eq!(conn.cluster, server);
    assert_eq!(conn.default_namespace, "shop");

    let other = connect(&ClusterTarget {
        context: Some("other".into()),
        ..target
    })
    .await
    .expect("other context");
    assert_eq!(other.context, "other");
    assert_eq!(other.default_namespace, "default");
}

#[tokio::test]
async fn an_unknown_context_lists_the_available_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = ClusterTarget {
        kubeconfig: Some(write_kubeconfig(dir.path(), "http://127.0.0.1:1")),
        context: Some("prod".into()),
    };
    let err = connect(&target).await.expect_err("no such context");
    assert_eq!(
        err,
        CoreError::UnknownContext {
            context: "prod".into(),
            available: vec!["local".into(), "other".into()]
        }
    );
}

#[tokio::test]
async fn nothing_listening_is_unreachable_from_probe_list_and_watch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = format!("http://127.0.0.1:{}", closed_port());
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(write_kubeconfig(dir.path(), &server)),
        context: None,
    })
    .await
    .expect("connect");

    let expected = CoreError::Unreachable {
        server: server.clone(),
        reason: "connection refused".into(),
    };
    assert_eq!(probe(&conn).await.expect_err("probe fails"), expected);
    assert_eq!(
        list_services(&conn, &NamespaceScope::All, None)
            .await
            .expect_err("list fails"),
        expected
    );
    assert_eq!(
        expected.to_string(),
        format!("cannot reach the API server at {server}: connection refused")
    );

    let mut events = watch_functions(&conn, NamespaceScope::All);
    let first = tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event within 10s")
        .expect("the stream does not end");
    match first {
        FunctionEvent::Failed(err) => assert_eq!(err, expected),
        other => panic!("expected Failed(Unreachable), got {other:?}"),
    }
}

#[tokio::test]
async fn probe_gives_up_on_a_silent_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = connect(&ClusterTarget {
        kubeconfig: Some(write_kubeconfig(dir.path(), &format!("http://{addr}"))),
        context: None,
    })
    .await
    .expect("connect");
    let started = std::time::Instant::now();
    let err = probe(&conn).await.expect_err("no answer");
    holder.abort();
    assert!(
        matches!(err, CoreError::Unreachable { ref reason, .. } if reason.contains("5s")),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "probe took {:?}",
        started.elapsed()
    );
}

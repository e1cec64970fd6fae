//! The runner against a real (in-process) sandbox: answers carry the ticket of the view that
//! asked, a view's new watch of a kind replaces its old one, and unsubscribing a view (it was
//! popped) stops its watches while other views' keep delivering.

use std::time::Duration;

use funcdeck::app::{Effect, Msg, Reply, Ticket, ViewId, Watch};
use funcdeck::runner::Runner;
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc::UnboundedReceiver;

const WAIT: Duration = Duration::from_secs(15);

fn ticket(view: u64, generation: u64) -> Ticket {
    Ticket {
        view: ViewId(view),
        generation,
    }
}

/// The next reply, or the connect answer, within the wait.
async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("an answer in time")
        .expect("the channel stays open")
}

/// Replies until one for `view` carrying a synced list; returns its ticket and reply.
async fn synced_for(rx: &mut UnboundedReceiver<Msg>, view: u64) -> (Ticket, Reply) {
    loop {
        if let Msg::Reply { ticket, reply } = next(rx).await
            && ticket.view == ViewId(view)
        {
            let synced = match &*reply {
                Reply::Functions(WatchEvent::Synced(_))
                | Reply::Pods(WatchEvent::Synced(_))
                | Reply::Function(WatchEvent::Synced(_)) => true,
                Reply::Functions(WatchEvent::Failed(e)) | Reply::Pods(WatchEvent::Failed(e)) => {
                    panic!("watch failed: {e}")
                }
                _ => false,
            };
            if synced {
                return (ticket, *reply);
            }
        }
    }
}

#[tokio::test]
async fn answers_go_to_the_view_that_asked_and_unsubscribing_stops_its_watches() {
    funcdeck_core::tls::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 6,
        seed: 3,
        ..Default::default()
    })
    .await
    .expect("sandbox starts");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(
        ClusterTarget {
            kubeconfig: Some(sandbox.kubeconfig_path().expect("kubeconfig").to_path_buf()),
            context: None,
        },
        tx,
    );
    runner.run(Effect::Connect {
        ticket: ticket(0, 1),
        context: None,
    });
    let Msg::Connected { ticket: t, result } = next(&mut rx).await else {
        panic!("expected the connect answer first");
    };
    assert_eq!(t, ticket(0, 1));
    assert!(result.is_ok(), "{result:?}");

    // View 2 (a list) watches functions; view 3 (a detail) watches one function and its pods.
    runner.run(Effect::Watch {
        ticket: ticket(2, 1),
        watch: Watch::Functions {
            scope: NamespaceScope::All,
        },
    });
    let (t, reply) = synced_for(&mut rx, 2).await;
    assert_eq!(t, ticket(2, 1));
    let Reply::Functions(WatchEvent::Synced(rows)) = reply else {
        panic!("functions");
    };
    assert_eq!(rows.len(), 6);
    let first = rows[0].key.clone();
    runner.run(Effect::Watch {
        ticket: ticket(3, 1),
        watch: Watch::Function {
            key: ObjectKey::new(&first.namespace, &first.name),
        },
    });
    runner.run(Effect::Watch {
        ticket: ticket(3, 1),
        watch: Watch::Pods {
            scope: NamespaceScope::One(first.namespace.clone()),
            selector: Some(funcdeck_core::labels::function_selector(&first.name)),
        },
    });
    assert_eq!(runner.running_watches(), 3);

    // A new watch of the same kind for view 2 (a namespace switch) replaces the old one.
    runner.run(Effect::Watch {
        ticket: ticket(2, 2),
        watch: Watch::Functions {
            scope: NamespaceScope::One(first.namespace.clone()),
        },
    });
    let (t, _) = synced_for(&mut rx, 2).await;
    assert_eq!(t, ticket(2, 2), "the old generation's watch is gone");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(runner.running_watches(), 3);

    // Popping view 3 stops both of its watches; view 2's keeps running.
    runner.run(Effect::Unsubscribe { view: ViewId(3) });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(runner.running_watches(), 1);
    while let Ok(msg) = rx.try_recv() {
        drop(msg);
    }
    // Change the function: view 2 hears of it, view 3 does not.
    let api: kube::Api<funcdeck_core::knative::Service> =
        kube::Api::namespaced(kube_client(&sandbox).await, &first.namespace);
    let patch = serde_json::json!({"metadata": {"labels": {"touched": "yes"}}});
    api.patch(
        &first.name,
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Merge(&patch),
    )
    .await
    .expect("patch");
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut heard = false;
    while tokio::time::Instant::now() < deadline && !heard {
        if let Ok(Some(Msg::Reply { ticket, .. })) =
            tokio::time::timeout(Duration::from_millis(500), rx.recv()).await
        {
            assert_ne!(
                ticket.view,
                ViewId(3),
                "a popped view's watch still delivers"
            );
            heard |= ticket == self::ticket(2, 2);
        }
    }
    assert!(heard, "view 2's watch delivers the change");

    // A reconnect stops every watch.
    runner.run(Effect::Connect {
        ticket: ticket(0, 2),
        context: None,
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(runner.running_watches(), 0);
    drop(runner);
    sandbox.shutdown().await;
}

async fn kube_client(sandbox: &Sandbox) -> kube::Client {
    let conn = funcdeck_core::cluster::connect(&ClusterTarget {
        kubeconfig: Some(sandbox.kubeconfig_path().expect("kubeconfig").to_path_buf()),
        context: None,
    })
    .await
    .expect("connect");
    conn.client
}

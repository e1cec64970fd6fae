//! The logs pane's reads, end to end: the real runner finds the in-process sandbox's
//! Elasticsearch through the API server's service proxy (`logging/elasticsearch:9200`), reads a
//! busy function's newest lines with their histogram and fields, then tails. Every line comes
//! once (no id twice across the first read and the tail's batches) and none is skipped: once
//! the traffic stops, what the pane holds is exactly what Elasticsearch counts for the function.

mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use funcdeck::app::{Effect, LogFeed, LogTarget, Msg, Polled, Reply, Ticket, ViewId, Watch};
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_core::elastic::{LogQuery, locate};
use funcdeck_core::key::ObjectKey;
use support::runner::{connected, next, quick_sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_read_then_the_tail_bring_every_line_once() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = quick_sandbox(&kubeconfig, true).await;
    support::metered::pinned_hello(home.path(), &kubeconfig, &sandbox, 20.0).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while sandbox.control().log_count() == 0 {
        assert!(Instant::now() < deadline, "no log line written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let target = ClusterTarget {
        kubeconfig: Some(kubeconfig.clone()),
        context: None,
    };
    let (mut runner, mut rx) = connected(kubeconfig).await;
    let asked = Ticket {
        view: ViewId(5),
        generation: 1,
    };
    let key = ObjectKey::new("default", "hello");
    runner.run(Effect::Watch {
        ticket: asked,
        watch: Watch::Polled(Polled::Logs {
            target: LogTarget::function(key.clone()),
            text: String::new(),
            since: Duration::from_secs(15 * 60),
        }),
    });

    let mut ids = HashSet::new();
    let mut batches = 0;
    let mut stopped = false;
    let conn = funcdeck_core::cluster::connect(&target)
        .await
        .expect("connect");
    let client = locate(None, Some(&conn.client)).await.expect("found");
    let scope = LogTarget::function(key).scope();
    loop {
        let Msg::Reply { ticket, reply } = next(&mut rx).await else {
            continue;
        };
        assert_eq!(ticket, asked);
        let lines = match *reply {
            Reply::Logs(Ok(LogFeed::Opened(opened))) => {
                assert!(
                    opened.source.contains("logging/elasticsearch"),
                    "{}",
                    opened.source
                );
                assert!(!opened.summary.histogram.buckets.is_empty());
                assert!(
                    opened
                        .summary
                        .fields
                        .iter()
                        .any(|f| f.field.ends_with("pod_name")
                            && f.values.iter().any(|(v, _)| v.starts_with("hello-"))),
                    "the fields panel counts hello's pods: {:?}",
                    opened.summary.fields
                );
                assert!(!opened.lines.is_empty(), "hello's newest lines");
                let times: Vec<_> = opened.lines.iter().map(|l| l.timestamp).collect();
                assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
                opened.lines
            }
            Reply::Logs(Ok(LogFeed::Tail { lines, .. })) => {
                batches += 1;
                lines
            }
            Reply::Logs(Ok(LogFeed::Summary(_))) => Vec::new(),
            Reply::Logs(Err(error)) => panic!("a read failed: {error}"),
            other => panic!("not a logs answer: {other:?}"),
        };
        for line in lines {
            assert_eq!(line.namespace, "default");
            assert!(ids.insert(line.id.clone()), "{} given twice", line.id);
        }
        if batches >= 2 && !stopped {
            // New lines came by the tail; now stop the traffic so the count settles.
            sandbox.control().set_load("default", "hello", None);
            stopped = true;
        }
        if stopped {
            let mut everything = LogQuery::new(scope.clone()).with_size(1);
            everything.track_total_hits = true;
            let page = client.search(&everything).await.expect("search");
            let all = page.total.expect("a total").value;
            if ids.len() as u64 == all {
                break;
            }
            assert!(
                Instant::now() < deadline + Duration::from_secs(90),
                "the pane holds {} of {all} lines: some were skipped",
                ids.len()
            );
        }
    }
    drop(sandbox);
}

/// Without Elasticsearch the pane follows the pods' own logs: it opens saying so, then the
/// lines of hello's containers come as tail batches, the typed text keeping only its matches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_elasticsearch_the_pods_logs_are_followed() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = quick_sandbox(&kubeconfig, false).await;
    support::metered::pinned_hello(home.path(), &kubeconfig, &sandbox, 20.0).await;
    let (mut runner, mut rx) = connected(kubeconfig).await;
    let asked = Ticket {
        view: ViewId(5),
        generation: 1,
    };
    runner.run(Effect::Watch {
        ticket: asked,
        watch: Watch::Polled(Polled::Logs {
            target: LogTarget::function(ObjectKey::new("default", "hello")),
            text: "GET".into(),
            since: Duration::from_secs(15 * 60),
        }),
    });
    let mut opened = false;
    let mut lines = 0;
    while lines < 5 {
        let Msg::Reply { ticket, reply } = next(&mut rx).await else {
            continue;
        };
        assert_eq!(ticket, asked);
        match *reply {
            Reply::Logs(Ok(LogFeed::Opened(first))) => {
                assert!(first.source.contains("pods"), "{}", first.source);
                opened = true;
            }
            Reply::Logs(Ok(LogFeed::Tail { lines: batch, .. })) => {
                assert!(opened, "a batch before the pane opened");
                for line in &batch {
                    assert!(line.pod.starts_with("hello-"), "{}", line.pod);
                    assert!(
                        line.message.to_lowercase().contains("get"),
                        "{}",
                        line.message
                    );
                }
                lines += batch.len();
            }
            other => panic!("not a pods' logs answer: {other:?}"),
        }
    }
    drop(sandbox);
}

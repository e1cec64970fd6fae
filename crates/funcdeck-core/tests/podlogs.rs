//! The pod-log fallback against the in-process simulated cluster: one-shot reads merged by
//! time (and narrowed by revision), a follow that picks up both containers, carries a line
//! written after it started, and stops every stream when its handle is dropped.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{IMAGE, WAIT, services, start};
use funcdeck_core::knative::{RevisionTemplate, Service, TemplateMetadata};
use funcdeck_core::podlogs::{self, PodLogEvent, PodLogRequest};
use kube::api::PostParams;

const NS: &str = "default";

/// A function with `min-scale: 1`, so it keeps a pod while the test looks.
fn warm(name: &str) -> Service {
    let mut svc = Service::new(NS, name, IMAGE);
    let template = svc
        .spec
        .template
        .get_or_insert_with(RevisionTemplate::default);
    template.metadata = Some(TemplateMetadata {
        annotations: Some(BTreeMap::from([(
            "autoscaling.knative.dev/min-scale".to_owned(),
            "1".to_owned(),
        )])),
        ..TemplateMetadata::default()
    });
    svc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_functions_pods_are_read_and_followed() {
    let env = start().await;
    env.sandbox.control().set_load(NS, "logged", Some(0.0));
    services(&env.conn, NS)
        .create(&PostParams::default(), &warm("logged"))
        .await
        .expect("created");
    let request = PodLogRequest::function(NS, "logged");
    let read = tokio::time::timeout(WAIT, async {
        loop {
            let read = podlogs::read(&env.conn, &request).await.expect("read");
            if read.lines.iter().any(|l| l.container == "queue-proxy")
                && read.lines.iter().any(|l| l.container == "user-container")
            {
                return read;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("start-up lines from both containers");
    assert_eq!(read.pods, 1);
    assert!(read.notes.is_empty(), "{:?}", read.notes);
    assert!(
        read.lines
            .windows(2)
            .all(|w| w[0].timestamp <= w[1].timestamp)
    );
    let pod = read.lines[0].pod.clone();
    assert!(pod.starts_with("logged-00001-deployment-"), "{pod}");
    assert!(read.lines.iter().all(|l| l.namespace == NS && l.pod == pod));

    // Another revision's pods: none.
    let other = PodLogRequest {
        revision: Some("logged-00009".into()),
        ..request.clone()
    };
    let none = podlogs::read(&env.conn, &other).await.expect("read");
    assert_eq!((none.pods, none.lines.len()), (0, 0));
    // The tail keeps the newest.
    let two = PodLogRequest {
        tail: Some(2),
        ..request.clone()
    };
    let newest = podlogs::read(&env.conn, &two).await.expect("read");
    assert_eq!(newest.lines.len(), 2);
    assert_eq!(
        newest.lines[1].message,
        read.lines.last().expect("a line").message
    );

    let mut live = podlogs::follow(&env.conn, request);
    let mut started = Vec::new();
    let mut seen = Vec::new();
    tokio::time::timeout(WAIT, async {
        while started.len() < 2 {
            match live.events.recv().await.expect("an event") {
                PodLogEvent::Started { container, .. } => started.push(container),
                PodLogEvent::Lines(lines) => seen.extend(lines),
                _ => {}
            }
        }
    })
    .await
    .expect("both containers followed");
    started.sort();
    assert_eq!(started, ["queue-proxy", "user-container"]);
    let control = env.sandbox.control();
    assert!(control.write_log(NS, &pod, "user-container", true, b"late \x1b[1mline\xfe"));
    tokio::time::timeout(WAIT, async {
        while !seen.iter().any(|l| l.message.starts_with("late ")) {
            if let Some(PodLogEvent::Lines(lines)) = live.events.recv().await {
                seen.extend(lines);
            }
        }
    })
    .await
    .expect("the line written after the follow started");
    let late: Vec<_> = seen
        .iter()
        .filter(|l| l.message.starts_with("late "))
        .collect();
    assert_eq!(late.len(), 1, "once");
    assert_eq!(late[0].message, "late \u{1b}[1mline\u{fffd}");
    assert_eq!(late[0].container, "user-container");

    // Dropping the handle ends the watch and every stream: the channel closes.
    let podlogs::PodLogFollow { mut events, handle } = live;
    drop(handle);
    tokio::time::timeout(WAIT, async { while events.recv().await.is_some() {} })
        .await
        .expect("the channel closes once the handle is dropped");
}

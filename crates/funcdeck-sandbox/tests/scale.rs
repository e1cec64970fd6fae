//! Scale: a thousand concurrent watchers all see a change, and a 10,000-object list is served
//! whole and in pages. Sized to finish in seconds in a debug build.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{get_json, send_json, start};
use serde_json::json;

const WATCHERS: usize = 1_000;
const OBJECTS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_watchers_all_receive_a_change() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let rv = get_json(a, cms).await["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let mut streams = Vec::with_capacity(WATCHERS);
    for _ in 0..WATCHERS {
        let path = format!("{cms}?watch=true&resourceVersion={rv}&timeoutSeconds=60");
        streams.push(common::watch(a, &path, &[]).await);
    }
    assert!(streams.iter().all(|s| s.status == 200));
    let started = Instant::now();
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "broadcast"}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut s| {
            tokio::spawn(async move {
                let ev = s.next(Duration::from_secs(20)).await.expect("an event");
                (ev["type"].clone(), ev["object"]["metadata"]["name"].clone())
            })
        })
        .collect();
    for t in tasks {
        let (ty, name) = t.await.unwrap();
        assert_eq!(
            (ty.as_str(), name.as_str()),
            (Some("ADDED"), Some("broadcast"))
        );
    }
    eprintln!(
        "{WATCHERS} watchers received the event within {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_objects_list_paged_and_unpaged() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let started = Instant::now();
    let workers: Vec<_> = (0..16)
        .map(|w| {
            tokio::spawn(async move {
                for i in (w..OBJECTS).step_by(16) {
                    let body = json!({"metadata": {"name": format!("obj-{i:05}"), "labels": {"batch": "scale"}}, "data": {"i": i.to_string()}});
                    let r = send_json(a, "POST", cms, "application/json", &body).await;
                    assert_eq!(r.status, 201);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    eprintln!("created {OBJECTS} objects in {:?}", started.elapsed());

    let t = Instant::now();
    let all = get_json(a, &format!("{cms}?labelSelector=batch%3Dscale")).await;
    assert_eq!(all["items"].as_array().unwrap().len(), OBJECTS);
    eprintln!("unpaged list in {:?}", t.elapsed());

    let t = Instant::now();
    let mut names = Vec::new();
    let mut cont = String::new();
    let mut pages = 0;
    loop {
        let path = if cont.is_empty() {
            format!("{cms}?labelSelector=batch%3Dscale&limit=500")
        } else {
            format!("{cms}?labelSelector=batch%3Dscale&limit=500&continue={cont}")
        };
        let page = get_json(a, &path).await;
        pages += 1;
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["metadata"]["name"].as_str().unwrap().to_string()),
        );
        cont = page["metadata"]["continue"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if cont.is_empty() {
            break;
        }
        assert_eq!(
            page["metadata"]["remainingItemCount"],
            json!(OBJECTS - names.len())
        );
    }
    assert_eq!(pages, OBJECTS / 500);
    assert_eq!(names.len(), OBJECTS);
    assert!(
        names.windows(2).all(|w| w[0] < w[1]),
        "pages are ordered and disjoint"
    );
    eprintln!("paged list ({pages} pages) in {:?}", t.elapsed());

    let table = common::request(
        a,
        "GET",
        cms,
        &[("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")],
        b"",
    )
    .await;
    assert_eq!(table.status, 200);
    assert!(table.json()["rows"].as_array().unwrap().len() >= OBJECTS);
}

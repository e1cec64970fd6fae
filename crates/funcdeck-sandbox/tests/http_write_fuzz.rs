//! Random and mutated write bodies over raw HTTP never break the store: afterwards every list
//! agrees with a get of each item — exactly for kinds only API clients write, and allowing for
//! the simulation's own later writes where the controllers and data plane write.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, get_json, request, start, svc};

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn mutate(g: &mut Gen, valid: &[u8]) -> Vec<u8> {
    let mut b = valid.to_vec();
    match g.next() % 6 {
        0 => b.truncate((g.next() as usize) % (b.len() + 1)),
        1 => {
            for _ in 0..4 {
                let i = (g.next() as usize) % b.len().max(1);
                if let Some(x) = b.get_mut(i) {
                    *x = (g.next() % 256) as u8;
                }
            }
        }
        2 => {
            b = (0..(g.next() % 64))
                .map(|_| (g.next() % 256) as u8)
                .collect()
        }
        3 => {
            b = g
                .pick(&[
                    &b"null"[..],
                    b"[]",
                    b"\"s\"",
                    b"1",
                    b"{}",
                    b"[{}]",
                    b"{\"metadata\":7}",
                    b"{\"metadata\":{\"name\":[]}}",
                    b"{\"spec\":{\"template\":5}}",
                    b"[{\"op\":\"add\"}]",
                    b"{\"metadata\":{\"name\":\"x\",\"ownerReferences\":[{\"uid\":1}]}}",
                ])
                .to_vec()
        }
        4 => {
            let i = (g.next() as usize) % (b.len() + 1);
            b.splice(
                i..i,
                b"{\"$patch\":\"delete\",\"metadata\":null}".iter().copied(),
            );
        }
        _ => {}
    }
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_and_mutated_bodies_never_break_the_store() {
    let env = start(2, 50).await;
    let a = env.addr();
    let bases = [
        "/api/v1/namespaces/default/configmaps",
        "/api/v1/namespaces/default/pods",
        "/api/v1/namespaces",
        "/api/v1/namespaces/default/events",
        "/apis/serving.knative.dev/v1/namespaces/default/services",
        "/apis/serving.knative.dev/v1/namespaces/default/configurations",
        "/apis/serving.knative.dev/v1/namespaces/default/revisions",
        "/apis/serving.knative.dev/v1/namespaces/default/routes",
        "/apis/apps/v1/namespaces/default/deployments",
        "/apis/apps/v1/namespaces/default/replicasets",
        "/apis/serving.knative.dev/v1/nope",
        "/api/v1/namespaces/default/configmaps/fuzz/status",
    ];
    let valid = [serde_json::to_vec(&svc("fuzz", "ghcr.io/acme/f:1")).unwrap(),
        br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fuzz","labels":{"a":"b"}},"data":{"k":"v"}}"#.to_vec(),
        br#"[{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]"#.to_vec(),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz\ndata:\n  k: v\n".to_vec()];
    let types = [
        "application/json",
        "application/merge-patch+json",
        "application/json-patch+json",
        "application/strategic-merge-patch+json",
        "application/apply-patch+yaml",
        "text/plain",
        "",
    ];
    let queries = [
        "",
        "?fieldManager=fuzz",
        "?fieldManager=fuzz&force=true",
        "?fieldValidation=Strict",
        "?dryRun=All",
        "?propagationPolicy=Orphan",
        "?limit=-1",
        "?watch=false",
    ];
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let mut last_rv = 0u64;
    for round in 0..1500 {
        let base = *g.pick(&bases);
        let name = *g.pick(&["", "/fuzz", "/default", "/fuzz/status"]);
        let method = *g.pick(&["POST", "PUT", "PATCH", "DELETE", "GET"]);
        let seed = g.pick(&valid).clone();
        let body = mutate(&mut g, &seed);
        let ct = *g.pick(&types);
        let q = *g.pick(&queries);
        let path = format!("{base}{name}{q}");
        let r = request(
            a,
            method,
            &path,
            &[("Content-Type", ct), ("User-Agent", "fuzz/1.0")],
            &body,
        )
        .await;
        assert!(
            r.status < 500,
            "round {round}: {method} {path} -> {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        if r.status >= 400 {
            assert_eq!(r.json()["kind"], "Status", "{method} {path}");
        }
        let rv = env.sandbox.control().resource_version();
        assert!(rv >= last_rv, "resourceVersion went backwards");
        last_rv = rv;
    }
    // Every list agrees with a get of each of its items, and RVs are unique and not ahead.
    for base in &bases[..10] {
        let live = written_by_the_simulation(base);
        let list = get_json(a, base).await;
        let list_rv: u64 = rv_of(&list);
        let mut seen = std::collections::HashSet::new();
        for item in list["items"].as_array().unwrap() {
            let rv = rv_of(item);
            assert!(rv <= list_rv && seen.insert(rv), "{base}: rv {rv}");
            let name = item["metadata"]["name"].as_str().unwrap();
            let one = format!("{base}/{name}");
            let r = get(a, &one).await;
            if !live {
                // Nothing but API clients writes these, and they have stopped: the get is the
                // listed object exactly.
                assert_eq!(r.status, 200, "{one}");
                let mut got = r.json();
                // A list item carries no apiVersion/kind of its own; the rest must be equal.
                if let Some(m) = got.as_object_mut() {
                    m.remove("apiVersion");
                    m.remove("kind");
                }
                let mut want = item.clone();
                if let Some(m) = want.as_object_mut() {
                    m.remove("apiVersion");
                    m.remove("kind");
                }
                assert_eq!(got, want, "{one}");
                continue;
            }
            // The controllers and the data plane keep writing these on their own (statuses,
            // pods that come and go, coalesced events): a later get may see a newer version or
            // find the object gone, but never an older version or a different object.
            if r.status == 404 {
                continue;
            }
            assert_eq!(r.status, 200, "{one}");
            let got = r.json();
            let got_rv = rv_of(&got);
            assert!(
                got_rv >= rv,
                "{one}: get saw rv {got_rv}, the list had {rv}"
            );
            assert_eq!(got["metadata"]["uid"], item["metadata"]["uid"], "{one}");
            assert!(got["metadata"]["uid"].is_string());
        }
        if !live {
            // And a second list sees the same thing.
            let again = get_json(a, base).await;
            assert_eq!(again["items"], list["items"], "{base}");
        }
    }
}

fn rv_of(o: &serde_json::Value) -> u64 {
    o["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The kinds the sandbox itself writes while running: the Knative reconcilers (services,
/// configurations, revisions, routes), the data plane (deployments, replica sets, pods) and the
/// events both record.
fn written_by_the_simulation(base: &str) -> bool {
    [
        "/pods",
        "/events",
        "/deployments",
        "/replicasets",
        "/services",
        "/configurations",
        "/revisions",
        "/routes",
    ]
    .iter()
    .any(|k| base.ends_with(k))
}

//! Writes over raw HTTP: bad input gets the apiserver's Status errors (never a panic, never a
//! half-written store), server-side apply's options and ownership, field validation, and
//! deletion with finalizers and each propagation policy.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use common::{get, get_json, request, send_json, start};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1";

fn svc(name: &str, image: &str) -> Value {
    json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}})
}

async fn raw(a: SocketAddr, method: &str, path: &str, ct: &str, body: &[u8]) -> common::Resp {
    request(a, method, path, &[("Content-Type", ct)], body).await
}

fn message(r: &common::Resp) -> String {
    r.json()["message"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn bad_bodies_and_parameters_get_status_errors() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let r = raw(a, "POST", cms, "application/json", b"{nope").await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string"
        )
    );
    let r = raw(a, "POST", cms, "application/json", b"{\"a\":").await;
    assert_eq!(
        message(&r),
        "couldn't get version/kind; json parse error: unexpected end of JSON input"
    );
    let r = raw(a, "POST", cms, "application/json", b"[1]").await;
    assert_eq!(r.status, 400);
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(
        message(&r),
        "the API version in the data (v2) does not match the expected API version (v1)"
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the kind in the data (Secret) does not match the expected kind (ConfigMap)"
        )
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "x", "namespace": "shop"}}),
    )
    .await;
    assert_eq!(
        message(&r),
        "the namespace of the provided object does not match the namespace sent on the request"
    );
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "x"}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = send_json(
        a,
        "PUT",
        &format!("{cms}/x"),
        "application/json",
        &json!({"metadata": {"name": "y"}}),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the name of the object (y) does not match the name on the URL (x)"
        )
    );
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x"),
        "application/merge-patch+json",
        b"{\"data\":",
    )
    .await;
    assert_eq!(r.status, 400);
    let r = raw(a, "PATCH", &format!("{cms}/x"), "text/plain", b"{}").await;
    assert_eq!(r.status, 415);
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x"),
        "application/json-patch+json",
        b"[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]",
    )
    .await;
    assert_eq!(r.status, 422);
    let r = get(a, "/apis/serving.knative.dev/v1/namespaces/default/widgets").await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (404, "the server could not find the requested resource")
    );
    let r = raw(a, "POST", &format!("{cms}/x"), "application/json", b"{}").await;
    assert_eq!(r.status, 405);
    for q in [
        "labelSelector=a%20in%20(",
        "fieldSelector=spec.nope%3D1",
        "limit=abc",
        "resourceVersion=abc",
        "continue=zz",
    ] {
        let r = get(a, &format!("{cms}?{q}")).await;
        assert_eq!(r.status, 400, "{q}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["kind"], "Status");
    }
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x?fieldValidation=Sloppy"),
        "application/merge-patch+json",
        b"{}",
    )
    .await;
    assert_eq!(r.status, 400);
    let r = raw(
        a,
        "PATCH",
        &format!("{cms}/x?force=true"),
        "application/merge-patch+json",
        b"{}",
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            422,
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
        )
    );
}

#[tokio::test]
async fn apply_patch_options_body_checks_and_create() {
    let env = start(1, 50).await;
    let a = env.addr();
    let url = format!("{KSVC}/namespaces/default/services/ssa");
    let yaml = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: ssa\nspec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/acme/ssa:1\n";
    let r = raw(
        a,
        "PATCH",
        &url,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            422,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
        )
    );
    let with_m = format!("{url}?fieldManager=console");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let o = r.json();
    assert_eq!(o["metadata"]["managedFields"][0]["manager"], "console");
    assert_eq!(o["metadata"]["managedFields"][0]["operation"], "Apply");
    // Once the controllers have settled the status, a repeated apply writes nothing.
    let rv = common::eventually(10, || async {
        let o = get_json(a, &url).await;
        (common::ready(&o).map(|(s, _)| s) == Some("True".into()))
            .then(|| o["metadata"]["resourceVersion"].clone())
    })
    .await;
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["metadata"]["resourceVersion"],
        rv,
        "a repeated apply is a no-op"
    );
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        b"spec: [unclosed",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        message(&r).starts_with("error decoding YAML: "),
        "{}",
        message(&r)
    );
    let other = format!("{KSVC}/namespaces/default/services/other?fieldManager=console");
    let r = raw(
        a,
        "PATCH",
        &other,
        "application/apply-patch+yaml",
        yaml.as_bytes(),
    )
    .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "the name of the object (ssa) does not match the name on the URL (other)"
        )
    );
    let wrong = yaml.replace("serving.knative.dev/v1", "serving.knative.dev/v9");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        wrong.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 400);
    let mut mf = svc("ssa", "x");
    mf["metadata"]["managedFields"] = json!([]);
    let r = send_json(a, "PATCH", &with_m, "application/apply-patch+yaml", &mf).await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (400, "metadata.managedFields must be nil")
    );

    // A merge patch under another manager takes the image; the next apply conflicts.
    let r = send_json(a, "PATCH", &format!("{url}?fieldManager=ops"), "application/merge-patch+json",
        &json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/ssa:hot"}]}}}})).await;
    assert_eq!(r.status, 200);
    let two = yaml.replace("ssa:1", "ssa:2");
    let r = raw(
        a,
        "PATCH",
        &with_m,
        "application/apply-patch+yaml",
        two.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 409);
    let st = r.json();
    assert_eq!(st["reason"], "Conflict");
    assert_eq!(
        st["message"],
        "Apply failed with 1 conflict: conflict with \"ops\" using serving.knative.dev/v1: .spec.template.spec.containers"
    );
    assert_eq!(
        st["details"]["causes"],
        json!([{"reason": "FieldManagerConflict", "message": "conflict with \"ops\" using serving.knative.dev/v1", "field": ".spec.template.spec.containers"}])
    );
    let r = raw(
        a,
        "PATCH",
        &format!("{with_m}&force=true"),
        "application/apply-patch+yaml",
        two.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/acme/ssa:2"
    );
}

#[tokio::test]
async fn field_validation_strict_warn_ignore() {
    let env = start(1, 50).await;
    let a = env.addr();
    let mut body = svc("fv", "ghcr.io/acme/fv:1");
    body["spec"]["foo"] = json!(1);
    let post = |q: &'static str, b: Value| async move {
        send_json(
            a,
            "POST",
            &format!("{KSVC}/namespaces/default/services?{q}"),
            "application/json",
            &b,
        )
        .await
    };
    let r = post("fieldValidation=Strict", body.clone()).await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (
            400,
            "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\""
        )
    );
    let r = post("fieldValidation=Warn", body.clone()).await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.header("warning"),
        Some("299 - \"unknown field \\\"spec.foo\\\"\"")
    );
    assert!(
        r.json()["spec"].get("foo").is_none(),
        "unknown fields are pruned"
    );
    body["metadata"]["name"] = json!("fv2");
    let r = post("fieldValidation=Ignore", body).await;
    assert_eq!(r.status, 201);
    assert!(r.header("warning").is_none());
    let r = raw(
        a,
        "PATCH",
        &format!("{KSVC}/namespaces/default/services/fv?fieldValidation=Strict"),
        "application/merge-patch+json",
        br#"{"spec":{"template":{"spec":{"containers":[{"image":"i","imagePullPolicyy":"x"}]}}}}"#,
    )
    .await;
    assert_eq!(
        message(&r),
        "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
    );
}

#[tokio::test]
async fn finalizers_and_propagation_policies() {
    let env = start(1, 50).await;
    let a = env.addr();
    let cms = "/api/v1/namespaces/default/configmaps";
    let r = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "held", "finalizers": ["x/y"]}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = request(a, "DELETE", &format!("{cms}/held"), &[], b"").await;
    assert_eq!(r.status, 200);
    let o = r.json();
    assert_eq!(
        o["kind"], "ConfigMap",
        "the object comes back while finalizing"
    );
    assert!(o["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(o["metadata"]["deletionGracePeriodSeconds"], 0);
    let mut w = common::watch(
        a,
        &format!(
            "{cms}?watch=true&resourceVersion={}",
            o["metadata"]["resourceVersion"].as_str().unwrap()
        ),
        &[],
    )
    .await;
    let r = send_json(
        a,
        "PATCH",
        &format!("{cms}/held"),
        "application/merge-patch+json",
        &json!({"metadata": {"finalizers": null}}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(get(a, &format!("{cms}/held")).await.status, 404);
    let mut types = Vec::new();
    while let Some(ev) = w.next(std::time::Duration::from_secs(2)).await {
        types.push(ev["type"].as_str().unwrap().to_string());
        if types.last().map(String::as_str) == Some("DELETED") {
            break;
        }
    }
    assert_eq!(
        types.last().map(String::as_str),
        Some("DELETED"),
        "{types:?}"
    );

    // Ownership chains: a parent config map owning two children.
    let parent = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "parent"}}),
    )
    .await
    .json();
    let owner = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "parent", "uid": parent["metadata"]["uid"]}]);
    for c in ["kid1", "kid2"] {
        let r = send_json(
            a,
            "POST",
            cms,
            "application/json",
            &json!({"metadata": {"name": c, "ownerReferences": owner}}),
        )
        .await;
        assert_eq!(r.status, 201);
    }
    let r = send_json(
        a,
        "DELETE",
        &format!("{cms}/parent"),
        "application/json",
        &json!({"propagationPolicy": "Orphan"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let kid = get_json(a, &format!("{cms}/kid1")).await;
    assert!(kid["metadata"].get("ownerReferences").is_none(), "{kid}");

    let parent = send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "p2"}}),
    )
    .await
    .json();
    let owner = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "p2", "uid": parent["metadata"]["uid"]}]);
    send_json(
        a,
        "POST",
        cms,
        "application/json",
        &json!({"metadata": {"name": "kid3", "ownerReferences": owner}}),
    )
    .await;
    let r = request(
        a,
        "DELETE",
        &format!("{cms}/p2?propagationPolicy=Foreground"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    assert_eq!(get(a, &format!("{cms}/kid3")).await.status, 404);
    assert_eq!(get(a, &format!("{cms}/p2")).await.status, 404);

    // deletecollection with a selector.
    let r = request(
        a,
        "DELETE",
        &format!("{cms}?labelSelector=nothing%3Dhere"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"], json!([]));
    let r = request(a, "DELETE", cms, &[], b"").await;
    assert_eq!(r.status, 200);
    let left = get_json(a, cms).await;
    assert_eq!(left["items"], json!([]));
}

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
    for base in &bases[..8] {
        let list = get_json(a, base).await;
        let list_rv: u64 = list["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut seen = std::collections::HashSet::new();
        for item in list["items"].as_array().unwrap() {
            let rv: u64 = item["metadata"]["resourceVersion"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(rv <= list_rv && seen.insert(rv), "{base}: rv {rv}");
            let name = item["metadata"]["name"].as_str().unwrap();
            let one = format!("{base}/{name}");
            let got = get_json(a, &one).await;
            assert_eq!(
                got["metadata"]["resourceVersion"], item["metadata"]["resourceVersion"],
                "{one}"
            );
            assert!(got["metadata"]["uid"].is_string());
        }
    }
}

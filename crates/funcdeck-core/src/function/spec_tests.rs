use serde_json::json;

use super::*;

fn cart() -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "cart", "namespace": "shop", "labels": {"team": "web"},
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
        "spec": {"template": {
            "metadata": {"name": "cart-v1", "annotations": {"autoscaling.knative.dev/min-scale": "1"}},
            "spec": {"containerConcurrency": 10, "containers": [
                {"name": "sidecar", "image": "envoy:1"},
                {"name": "user", "image": "ghcr.io/acme/cart:1", "ports": [{"containerPort": 8080}],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                 "resources": {"requests": {"cpu": "100m"}}}
            ]}
        }},
        "status": {"observedGeneration": 3}
    })
}

#[test]
fn a_new_service_carries_exactly_what_was_set() {
    let change = SpecChange {
        image: Some("ghcr.io/acme/hello:1".into()),
        env: vec![("GREETING".into(), Some("hi".into()))],
        requests: vec![("cpu".into(), Some("250m".into()))],
        limits: vec![(GPU.into(), Some("1".into()))],
        concurrency: Some(5),
        min_scale: Some(1),
        max_scale: Some(4),
        port: Some(9000),
        revision_name: Some("first".into()),
        ..SpecChange::default()
    };
    assert_eq!(
        new_service("shop", "hello", &change),
        json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "hello", "namespace": "shop"},
            "spec": {"template": {
                "metadata": {"name": "hello-first", "annotations": {
                    "autoscaling.knative.dev/min-scale": "1", "autoscaling.knative.dev/max-scale": "4"}},
                "spec": {"containerConcurrency": 5, "containers": [{
                    "image": "ghcr.io/acme/hello:1",
                    "ports": [{"containerPort": 9000}],
                    "env": [{"name": "GREETING", "value": "hi"}],
                    "resources": {"requests": {"cpu": "250m"}, "limits": {"nvidia.com/gpu": "1"}}
                }]}
            }}
        })
    );
}

#[test]
fn an_update_touches_only_the_serving_container_and_the_named_keys() {
    let mut service = cart();
    let change = SpecChange {
        image: Some("ghcr.io/acme/cart:2".into()),
        env: vec![("A".into(), None), ("C".into(), Some("3".into()))],
        requests: vec![("cpu".into(), None)],
        ..SpecChange::default()
    };
    apply_change(&mut service, "cart", &change);
    let user = &service["spec"]["template"]["spec"]["containers"][1];
    assert_eq!(user["image"], "ghcr.io/acme/cart:2");
    assert_eq!(
        user["env"],
        json!([{"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}, {"name": "C", "value": "3"}])
    );
    assert!(
        user.get("resources").is_none(),
        "emptied resources are dropped"
    );
    assert_eq!(
        service["spec"]["template"]["spec"]["containers"][0]["image"],
        "envoy:1"
    );
    assert_eq!(service["metadata"]["labels"], json!({"team": "web"}));
    assert_eq!(
        service["spec"]["template"]["metadata"],
        json!({"annotations": {"autoscaling.knative.dev/min-scale": "1"}}),
        "the old revision name goes with a changed template, other template metadata stays"
    );
}

#[test]
fn labels_go_on_the_service_and_its_template() {
    let mut service = cart();
    let change = SpecChange {
        labels: vec![("tier".into(), Some("gold".into())), ("team".into(), None)],
        revision_name: Some("cart-v2".into()),
        ..SpecChange::default()
    };
    apply_change(&mut service, "cart", &change);
    assert_eq!(service["metadata"]["labels"], json!({"tier": "gold"}));
    assert_eq!(
        service["spec"]["template"]["metadata"]["labels"],
        json!({"tier": "gold"})
    );
    assert_eq!(
        service["spec"]["template"]["metadata"]["name"], "cart-v2",
        "prefix not doubled"
    );
}

#[test]
fn nothing_set_changes_nothing() {
    let mut service = cart();
    apply_change(&mut service, "cart", &SpecChange::default());
    assert_eq!(service, cart(), "not even the revision name is dropped");
}

#[test]
fn each_problem_is_reported_at_its_field() {
    let change = SpecChange {
        image: Some("Docker.io/Acme/Hello".into()),
        env: vec![("1BAD".into(), Some("x".into()))],
        requests: vec![
            ("cpu".into(), Some("lots".into())),
            (GPU.into(), Some("1".into())),
        ],
        limits: vec![("disk".into(), Some("1Gi".into()))],
        min_scale: Some(5),
        max_scale: Some(2),
        port: Some(8012),
        labels: vec![("bad key!".into(), Some("v".into()))],
        revision_name: Some("V2".into()),
        ..SpecChange::default()
    };
    let fields: Vec<(Field, String)> = change
        .check()
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect();
    let names: Vec<Field> = fields.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        names,
        [
            Field::Image,
            Field::Env,
            Field::Requests,
            Field::Requests,
            Field::Limits,
            Field::MinScale,
            Field::Port,
            Field::Labels,
            Field::RevisionName
        ]
    );
    assert!(
        fields[2].1.contains("cpu: \"lots\" is not a quantity"),
        "{fields:?}"
    );
    assert!(fields[0].1.contains("repository \"Acme\""), "{fields:?}");
}

#[test]
fn image_references() {
    use super::super::spec_check::check_image;
    for ok in [
        "nginx",
        "ghcr.io/acme/hello:1.0",
        "localhost:5000/hello",
        "registry.local:5000/team/app@sha256:0e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "docker.io/library/python:3.12-slim",
    ] {
        assert_eq!(check_image(ok), Ok(()), "{ok}");
    }
    assert!(check_image("ghcr.io/acme/hello:").is_err());
    assert!(check_image("hello world").is_err_and(|e| e.contains("no spaces")));
    assert!(check_image("x@sha256:zz").is_err_and(|e| e.contains("not a digest")));
}

#[test]
fn function_names() {
    use super::super::spec_check::check_function_name;
    assert_eq!(check_function_name("hello-2"), Ok(()));
    assert!(check_function_name("2hello").is_err());
    assert!(check_function_name("Hello").is_err());
    assert!(check_function_name("hello-").is_err());
    assert!(check_function_name(&"a".repeat(64)).is_err_and(|e| e.contains("64 characters")));
}

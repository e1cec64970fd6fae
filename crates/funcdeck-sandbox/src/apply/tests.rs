//! Server-side apply semantics on plain values (the HTTP and kubectl paths are tested in
//! `tests/kubectl_conformance.rs`).

use serde_json::json;

use super::managed::record_update;
use super::*;
use crate::resources::Res;

fn ksvc(image: &str, env: serde_json::Value) -> Value {
    json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": image, "env": env}]}}}})
}

#[test]
fn apply_records_ownership_and_conflicts_with_an_update() {
    let def = Res::KService.def();
    let cfg = ksvc("a:1", json!([{"name": "A", "value": "1"}]));
    let live = apply(def, None, &cfg, "kubectl", false, false, "t0").expect("create");
    let mf = obj::at(&live, &["metadata", "managedFields"]).expect("managed");
    assert_eq!(mf[0]["manager"], "kubectl");
    assert_eq!(mf[0]["operation"], "Apply");
    assert_eq!(
        mf[0]["fieldsV1"],
        json!({"f:spec": {"f:template": {"f:spec": {"f:containers": {}}}}})
    );
    // Same values again: no conflict, nothing changes.
    let again = apply(def, Some(&live), &cfg, "kubectl", false, false, "t1").expect("same");
    assert_eq!(again["spec"], live["spec"]);

    // kubectl-edit changes the image: it takes the containers list.
    let mut edited = live.clone();
    edited["spec"]["template"]["spec"]["containers"][0]["image"] = json!("a:2");
    record_update(def, Some(&live), &mut edited, "kubectl-edit", false, "t2");
    let entries = managed::read(&edited);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].manager, "kubectl-edit");

    let e = apply(def, Some(&edited), &cfg, "kubectl", false, false, "t3").expect_err("conflict");
    assert_eq!(e.code, 409);
    assert_eq!(
        e.message,
        "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using serving.knative.dev/v1: .spec.template.spec.containers"
    );
    let cause = &e.details.expect("details")["causes"][0];
    assert_eq!(cause["reason"], "FieldManagerConflict");
    assert_eq!(cause["field"], ".spec.template.spec.containers");

    let forced = apply(def, Some(&edited), &cfg, "kubectl", true, false, "t4").expect("force");
    assert_eq!(
        forced["spec"]["template"]["spec"]["containers"][0]["image"],
        "a:1"
    );
    let entries = managed::read(&forced);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].manager, "kubectl");
}

#[test]
fn omitted_fields_are_removed_unless_someone_else_owns_them() {
    let def = Res::KService.def();
    let mut cfg = ksvc("a:1", json!([]));
    cfg["metadata"]["labels"] = json!({"a": "1", "b": "2"});
    let live = apply(def, None, &cfg, "one", false, false, "t").expect("create");
    let mut other = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "hello", "labels": {"b": "2"}}});
    let live = apply(def, Some(&live), &other, "two", false, false, "t").expect("two");
    cfg["metadata"]["labels"] = json!({});
    let live = apply(def, Some(&live), &cfg, "one", false, false, "t").expect("shrink");
    assert_eq!(live["metadata"]["labels"], json!({"b": "2"}));
    other["metadata"]["labels"] = json!({"b": "3"});
    let live = apply(def, Some(&live), &other, "two", false, false, "t").expect("sole owner");
    assert_eq!(live["metadata"]["labels"], json!({"b": "3"}));
}

#[test]
fn env_is_a_map_list_keyed_by_name() {
    let def = Res::KConfiguration.def();
    let node = schema::of(def);
    let mut live = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
    let env_node = node
        .and_then(|n| n.child("spec"))
        .and_then(|n| n.child("template"))
        .and_then(|n| n.child("spec"))
        .and_then(|n| n.child("containers"));
    merge(
        &mut live,
        &json!({"env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]}),
        env_node,
    );
    assert_eq!(
        live["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}])
    );
}

#[test]
fn body_must_match_the_url() {
    let def = Res::KService.def();
    let ok = ksvc("a", json!([]));
    assert!(check_body(def, "hello", &ok).is_ok());
    assert!(check_body(def, "other", &ok).is_err());
    let mut v = ok.clone();
    v["apiVersion"] = json!("serving.knative.dev/v2");
    assert!(check_body(def, "hello", &v).is_err());
    let mut m = ok;
    m["metadata"]["managedFields"] = json!([]);
    assert_eq!(
        check_body(def, "hello", &m).expect_err("mf").message,
        "metadata.managedFields must be nil"
    );
}

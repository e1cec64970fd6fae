use super::compare::{same_ignoring_rv, spec_changed};
use super::*;

fn setup() -> (Store, Identity) {
    let s = Store::new(1, 1000);
    let id = Identity::admin();
    commit(
        &s,
        &WriteCtx::new(&id),
        WriteOp::Create {
            res: Res::Namespace,
            namespace: String::new(),
            object: json!({"metadata": {"name": "default"}}),
        },
    )
    .expect("ns");
    (s, id)
}

fn cm(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "1"}})
}

fn stored(o: Result<Outcome, ApiError>) -> Arc<Value> {
    match o {
        Ok(Outcome::Stored { object, .. }) => object,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn create_conflicts_and_missing_namespace() {
    let (s, id) = setup();
    let ctx = WriteCtx::new(&id);
    let create = |ns: &str, o: Value| {
        commit(
            &s,
            &ctx,
            WriteOp::Create {
                res: Res::ConfigMap,
                namespace: ns.into(),
                object: o,
            },
        )
    };
    let o = stored(create("default", cm("a")));
    assert!(!obj::uid(&o).is_empty());
    assert!(obj::resource_version(&o).is_some());
    let e = create("default", cm("a")).expect_err("exists");
    assert_eq!(e.reason, "AlreadyExists");
    let e = create("nope", cm("b")).expect_err("no ns");
    assert_eq!(e.message, "namespaces \"nope\" not found");
    let g = stored(create(
        "default",
        json!({"metadata": {"generateName": "cm-"}}),
    ));
    assert!(obj::name(&g).starts_with("cm-") && obj::name(&g).len() == 8);
    let e = create("default", json!({"metadata": {}})).expect_err("no name");
    assert_eq!(e.code, 422);
    let e = create("default", cm("Bad_Name")).expect_err("bad name");
    assert_eq!(e.code, 422);
}

#[test]
fn stale_update_conflicts_and_noop_keeps_rv() {
    let (s, id) = setup();
    let ctx = WriteCtx::new(&id);
    let o = stored(commit(
        &s,
        &ctx,
        WriteOp::Create {
            res: Res::ConfigMap,
            namespace: "default".into(),
            object: cm("a"),
        },
    ));
    let upd = |body: Value| {
        commit(
            &s,
            &ctx,
            WriteOp::Update {
                res: Res::ConfigMap,
                namespace: "default".into(),
                name: "a".into(),
                object: body,
                status: false,
            },
        )
    };
    let same = stored(upd((*o).clone()));
    assert_eq!(obj::resource_version(&same), obj::resource_version(&o));
    let mut changed = (*o).clone();
    changed["data"]["a"] = json!("2");
    let n = stored(upd(changed.clone()));
    assert_ne!(obj::resource_version(&n), obj::resource_version(&o));
    let e = upd(changed).expect_err("stale");
    assert_eq!(e.code, 409);
    assert_eq!(
        e.message,
        "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again"
    );
}

#[test]
fn strategic_patch_on_builtin_and_cascade_delete() {
    let (s, id) = setup();
    let ctx = WriteCtx::new(&id);
    let parent = stored(commit(
        &s,
        &ctx,
        WriteOp::Create {
            res: Res::ConfigMap,
            namespace: "default".into(),
            object: cm("parent"),
        },
    ));
    let mut child = cm("child");
    child["metadata"]["ownerReferences"] = json!([obj::controller_ref(&parent)]);
    stored(commit(
        &s,
        &ctx,
        WriteOp::Create {
            res: Res::ConfigMap,
            namespace: "default".into(),
            object: child,
        },
    ));
    let p = stored(commit(
        &s,
        &ctx,
        WriteOp::Patch {
            res: Res::ConfigMap,
            namespace: "default".into(),
            name: "parent".into(),
            patch_type: PatchType::Strategic,
            patch: json!({"data": {"a": null, "b": "2"}, "$setElementOrder/x": []}),
            status: false,
        },
    ));
    assert_eq!(p["data"], json!({"b": "2"}));
    let out = commit(
        &s,
        &ctx,
        WriteOp::Delete {
            res: Res::ConfigMap,
            namespace: "default".into(),
            name: "parent".into(),
            options: DeleteOptions::default(),
        },
    )
    .expect("deleted");
    assert!(matches!(out, Outcome::Deleted { .. }));
    assert!(s.get(Res::ConfigMap, "default", "child").is_none());
}

#[test]
fn comparisons_ignore_the_right_fields() {
    let a = json!({"metadata": {"name": "a", "resourceVersion": "1"}, "spec": {"x": 1}, "status": {"s": 1}});
    let mut b = a.clone();
    b["metadata"]["resourceVersion"] = json!("2");
    assert!(same_ignoring_rv(&a, &b));
    assert!(!spec_changed(&a, &b));
    b["status"]["s"] = json!(2);
    assert!(!same_ignoring_rv(&a, &b));
    assert!(!spec_changed(&a, &b));
    b["spec"]["x"] = json!(2);
    assert!(spec_changed(&a, &b));
    let mut c = a.clone();
    c["data"] = json!({});
    assert!(spec_changed(&a, &c) && spec_changed(&c, &a));
    c["metadata"]["labels"] = json!({});
    assert!(!same_ignoring_rv(&a, &c));
}

#[test]
fn namespace_delete_removes_contents() {
    let (s, id) = setup();
    let ctx = WriteCtx::new(&id);
    stored(commit(
        &s,
        &ctx,
        WriteOp::Create {
            res: Res::ConfigMap,
            namespace: "default".into(),
            object: cm("a"),
        },
    ));
    // Namespaces carry no metadata.finalizers, only spec.finalizers: deleted at once.
    commit(
        &s,
        &ctx,
        WriteOp::Delete {
            res: Res::Namespace,
            namespace: String::new(),
            name: "default".into(),
            options: DeleteOptions::default(),
        },
    )
    .expect("deleted");
    assert!(s.get(Res::ConfigMap, "default", "a").is_none());
    assert!(s.get(Res::Namespace, "", "default").is_none());
}

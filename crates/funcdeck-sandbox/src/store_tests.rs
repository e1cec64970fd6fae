//! Unit tests for the store: RVs, paging, history replay and expiry, dependents.

use super::*;

fn pod(ns: &str, name: &str) -> Value {
    json!({"metadata": {"namespace": ns, "name": name}})
}

#[test]
fn put_bumps_rv_and_lists_by_namespace() {
    let s = Store::new(1, 100);
    let mut t = s.txn();
    let a = t.put(Res::Pod, pod("a", "x"));
    t.put(Res::Pod, pod("b", "y"));
    t.put(Res::Pod, pod("a", "z"));
    assert_eq!(obj::resource_version(&a), Some("2"));
    assert_eq!(t.rv(), 4);
    let names: Vec<String> = t
        .list(Res::Pod, Some("a"))
        .iter()
        .map(|v| obj::name(v).to_string())
        .collect();
    assert_eq!(names, vec!["x", "z"]);
    assert_eq!(t.list(Res::Pod, None).len(), 3);
}

#[test]
fn paging_continues_after_key() {
    let s = Store::new(1, 100);
    let mut t = s.txn();
    for i in 0..5 {
        t.put(Res::Pod, pod("a", &format!("p{i}")));
    }
    let (items, next, remaining) = t.page(Res::Pod, Some("a"), None, 2, &|_| true);
    assert_eq!(items.len(), 2);
    assert_eq!(remaining, 3);
    let next = next.expect("continue key");
    let (items2, next2, _) = t.page(Res::Pod, Some("a"), Some(&next), 10, &|_| true);
    assert_eq!(items2.len(), 3);
    assert!(next2.is_none());
    assert_eq!(obj::name(&items2[0]), "p2");
}

#[test]
fn history_replay_and_expiry() {
    let s = Store::new(1, 3);
    {
        let mut t = s.txn();
        for i in 0..5 {
            t.put(Res::Pod, pod("a", &format!("p{i}")));
        }
    }
    // rv now 6; retained events are rv 4, 5, 6; floor is 3.
    match s.watch_from(Res::Pod, 3) {
        WatchStart::Replay(ev, _) => assert_eq!(ev.len(), 3),
        WatchStart::Expired { .. } => panic!("should replay"),
    }
    assert!(matches!(
        s.watch_from(Res::Pod, 2),
        WatchStart::Expired { .. }
    ));
    s.compact();
    assert!(matches!(
        s.watch_from(Res::Pod, 5),
        WatchStart::Expired { .. }
    ));
    assert!(matches!(s.watch_from(Res::Pod, 6), WatchStart::Replay(..)));
}

#[test]
fn remove_emits_deleted_with_new_rv_and_tracks_dependents() {
    let s = Store::new(1, 100);
    let mut feed = s.feed();
    let mut t = s.txn();
    let mut child = pod("a", "c");
    obj::set(
        &mut child,
        &["metadata", "ownerReferences"],
        json!([{"uid": "u1"}]),
    );
    t.put(Res::Pod, child);
    assert_eq!(t.dependents("u1").len(), 1);
    let last = t.remove(Res::Pod, "a", "c").expect("removed");
    assert_eq!(obj::resource_version(&last), Some("3"));
    assert!(t.dependents("u1").is_empty());
    drop(t);
    let first = feed.try_recv().expect("event");
    assert_eq!(first.kind, EventKind::Added);
    let second = feed.try_recv().expect("event");
    assert_eq!(second.kind, EventKind::Deleted);
}

#[test]
fn paging_crosses_namespaces_and_respects_a_namespace_filter() {
    let s = Store::new(1, 100);
    let mut t = s.txn();
    for (ns, name) in [("a", "x"), ("a", "z"), ("b", "y"), ("c", "a")] {
        t.put(Res::Pod, pod(ns, name));
    }
    let all = |v: Vec<Arc<Value>>| -> Vec<String> {
        v.iter()
            .map(|o| format!("{}/{}", obj::namespace(o), obj::name(o)))
            .collect()
    };
    let after = ("a".to_string(), "z".to_string());
    let (items, next, rest) = t.page(Res::Pod, None, Some(&after), 1, &|_| true);
    assert_eq!((all(items), rest), (vec!["b/y".to_string()], 1));
    assert_eq!(next, Some(("b".to_string(), "y".to_string())));
    let after = ("a".to_string(), "x".to_string());
    let (items, next, _) = t.page(Res::Pod, Some("a"), Some(&after), 10, &|_| true);
    assert_eq!((all(items), next), (vec!["a/z".to_string()], None));
    let (items, _, _) = t.page(Res::Pod, Some("bb"), None, 10, &|_| true);
    assert!(items.is_empty());
    t.remove(Res::Pod, "b", "y");
    assert_eq!(all(t.list(Res::Pod, None)), vec!["a/x", "a/z", "c/a"]);
    assert!(t.get(Res::Pod, "b", "y").is_none());
}

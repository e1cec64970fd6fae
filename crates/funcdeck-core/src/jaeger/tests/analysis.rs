use std::collections::HashSet;

use super::*;
use crate::jaeger::compare::compare;
use crate::jaeger::critical::{Segment, critical_path};
use crate::jaeger::find::find;
use crate::jaeger::tree::SpanTree;
use crate::jaeger::waterfall::rows;

/// root 0..100 ┬ a 10..40 ─ a1 15..35
///             ├ b 20..90 (skewed child b0 at 18)
///             └ c 50..60
/// plus an orphan x whose parent is missing.
fn sample() -> Trace {
    trace(vec![
        span("c", Some("r"), "svc", "c", 50, 10),
        span("b", Some("r"), "svc", "b", 20, 70),
        span("r", None, "gw", "root", 0, 100),
        span("a1", Some("a"), "svc", "a1", 15, 20),
        span("a", Some("r"), "svc", "a", 10, 30),
        span("x", Some("gone"), "svc", "orphan", 5, 1),
        span("b0", Some("b"), "db", "b0", 18, 10),
    ])
}

#[test]
fn the_tree_orders_children_by_start_and_flags_orphans_and_skew() {
    let t = sample();
    let tree = SpanTree::build(&t);
    assert_eq!(ops(&t, tree.roots().iter().copied()), ["root", "orphan"]);
    assert_eq!(tree.root(), Some(2));
    assert_eq!(ops(&t, tree.children(2).iter().copied()), ["a", "b", "c"]);
    assert_eq!(ops(&t, tree.orphans()), ["orphan"]);
    assert_eq!(ops(&t, tree.skewed()), ["b0"]);
    let order: Vec<(String, usize)> = tree
        .depth_first()
        .into_iter()
        .map(|(i, d)| (t.spans[i].operation.clone(), d))
        .collect();
    let expected = [
        ("root", 0),
        ("a", 1),
        ("a1", 2),
        ("b", 1),
        ("b0", 2),
        ("c", 1),
        ("orphan", 0),
    ];
    assert_eq!(order, expected.map(|(o, d)| (o.to_owned(), d)).to_vec());
}

#[test]
fn parent_links_in_a_circle_are_cut_once_and_every_span_appears_once() {
    let t = trace(vec![
        span("r", None, "s", "root", 0, 10),
        span("p", Some("q"), "s", "p", 3, 1),
        span("q", Some("p"), "s", "q", 2, 1),
        span("self", Some("self"), "s", "self", 4, 1),
    ]);
    let tree = SpanTree::build(&t);
    let order = tree.depth_first();
    assert_eq!(order.len(), 4);
    assert_eq!(ops(&t, tree.roots().iter().copied()), ["root", "self", "q"]);
    assert!(tree.flags(2).cycle && tree.flags(3).cycle && !tree.flags(1).cycle);
    assert_eq!(tree.parent(1), Some(2));
    // The layout and the critical path end too.
    assert_eq!(rows(&t, &tree, &HashSet::new()).len(), 4);
    assert!(critical_path(&t, &tree).contains(0));
}

#[test]
fn duplicate_ids_are_kept_and_flagged() {
    let t = trace(vec![
        span("a", None, "s", "first", 0, 10),
        span("a", None, "s", "second", 1, 5),
        span("c", Some("a"), "s", "child", 2, 1),
    ]);
    let tree = SpanTree::build(&t);
    assert!(tree.flags(1).duplicate && !tree.flags(0).duplicate);
    assert_eq!(tree.parent(2), Some(0));
    assert_eq!(tree.depth_first().len(), 3);
}

#[test]
fn waterfall_rows_are_depth_first_relative_to_the_trace_start_and_fold() {
    let mut t = sample();
    for s in &mut t.spans {
        s.start_us += 1_000_000;
    }
    let tree = SpanTree::build(&t);
    let all = rows(&t, &tree, &HashSet::new());
    assert_eq!(all.len(), 7);
    let root = &all[0];
    assert_eq!(
        (
            root.depth,
            root.offset_us,
            root.duration_us,
            root.descendants
        ),
        (0, 0, 100, 5)
    );
    let b = &all[3];
    assert_eq!(t.spans[b.span].operation, "b");
    assert_eq!((b.depth, b.offset_us, b.descendants), (1, 20, 1));
    assert!(all[4].flags.skewed);
    assert!(all[6].flags.orphan);

    let folded: HashSet<_> = [t.spans[1].id.clone()].into();
    let some = rows(&t, &tree, &folded);
    assert_eq!(
        ops(&t, some.iter().map(|r| r.span)),
        ["root", "a", "a1", "b", "c", "orphan"]
    );
    assert!(some[3].collapsed && some[3].has_children());
}

#[test]
fn the_critical_path_walks_back_from_the_end_through_the_last_finishing_children() {
    // root 0..100: a 10..40 (a1 15..35), b 20..90 (b1 30..95 overruns b), c 50..60.
    let t = trace(vec![
        span("r", None, "gw", "root", 0, 100),
        span("a", Some("r"), "s", "a", 10, 30),
        span("a1", Some("a"), "s", "a1", 15, 20),
        span("b", Some("r"), "s", "b", 20, 70),
        span("b1", Some("b"), "s", "b1", 30, 65),
        span("c", Some("r"), "s", "c", 50, 10),
    ]);
    let tree = SpanTree::build(&t);
    let path = critical_path(&t, &tree);
    let seg = |span, start_us, end_us| Segment {
        span,
        start_us,
        end_us,
    };
    assert_eq!(
        path.segments,
        [
            seg(0, 90, 100), // root after b ends
            seg(4, 30, 90),  // b1, clipped to b's end
            seg(3, 20, 30),  // b before b1
            seg(0, 0, 20),   // root before b (a ends at 40 > 20, c at 60: neither)
        ]
    );
    assert_eq!(ops(&t, path.spans()), ["root", "b", "b1"]);
    assert!(!path.contains(1) && !path.contains(5));
}

#[test]
fn the_critical_path_steps_through_sequential_children() {
    // root 0..100 calls a 0..30, then b 40..70, then c 80..95.
    let t = trace(vec![
        span("r", None, "gw", "root", 0, 100),
        span("a", Some("r"), "s", "a", 0, 30),
        span("b", Some("r"), "s", "b", 40, 30),
        span("c", Some("r"), "s", "c", 80, 15),
        span("z", Some("r"), "s", "zero", 95, 0),
    ]);
    let tree = SpanTree::build(&t);
    let path = critical_path(&t, &tree);
    // The zero-length span ends with c: the longer one is taken.
    assert_eq!(ops(&t, path.spans()), ["root", "a", "b", "c"]);
    let total: i64 = path.segments.iter().map(|s| s.end_us - s.start_us).sum();
    assert_eq!(
        total, 100,
        "the path covers the root's time once: {:?}",
        path.segments
    );
}

#[test]
fn compare_matches_spans_by_their_place_and_marks_the_rest() {
    let a = trace(vec![
        span("1", None, "gw", "GET /", 0, 100),
        span("2", Some("1"), "db", "query", 10, 20),
        span("3", Some("1"), "db", "query", 40, 30),
        span("4", Some("1"), "cache", "get", 5, 2),
    ]);
    let b = trace(vec![
        span("9", None, "gw", "GET /", 0, 150),
        span("8", Some("9"), "db", "query", 10, 25),
        span("7", Some("9"), "db", "query", 50, 60),
        span("6", Some("9"), "mail", "send", 120, 10),
    ]);
    let rows = compare(&a, &SpanTree::build(&a), &b, &SpanTree::build(&b));
    type Durations = (Option<i64>, Option<i64>, Option<i64>);
    let view: Vec<(&str, Durations)> = rows
        .iter()
        .map(|r| (r.operation.as_str(), (r.a_us, r.b_us, r.difference_us())))
        .collect();
    assert_eq!(
        view,
        [
            ("GET /", (Some(100), Some(150), Some(50))),
            ("get", (Some(2), None, None)),
            ("query", (Some(20), Some(25), Some(5))),
            ("query", (Some(30), Some(60), Some(30))),
            ("send", (None, Some(10), None)),
        ]
    );
    assert_eq!(rows[4].depth, 1);
}

#[test]
fn search_in_a_trace_looks_at_names_services_and_tags() {
    let t = trace(vec![
        span("1", None, "gateway", "GET /", 0, 10),
        tag(
            span("2", Some("1"), "db", "query", 1, 2),
            "db.statement",
            "SELECT * FROM Pets",
        ),
        span("3", Some("1"), "cache", "get", 1, 2),
    ]);
    assert_eq!(find(&t, "pets"), [1]);
    assert_eq!(find(&t, "GATE"), [0]);
    assert_eq!(find(&t, "db.statement=select"), [1]);
    assert!(find(&t, "  ").is_empty());
    assert!(find(&t, "nothing").is_empty());
}

#[test]
fn extreme_and_mismatched_input_never_panics() {
    let t = trace(vec![
        span("r", None, "activator", "GET", i64::MAX - 5, i64::MAX),
        span("a", Some("r"), "activator", "throttler_try", i64::MIN, -40),
        span("b", Some("r"), "hello", "GET", 0, i64::MAX),
        span("c", Some("b"), "hello", "x", -7, -7),
    ]);
    let tree = SpanTree::build(&t);
    let all = rows(&t, &tree, &HashSet::new());
    assert_eq!(all.len(), 4);
    let _ = critical_path(&t, &tree);
    let _ = crate::jaeger::knative::cold_start(&t, &tree);
    let _ = crate::jaeger::summary::TraceSummary::of(&t, std::time::Duration::ZERO);
    let _ = compare(&t, &tree, &t, &tree);
    // A tree of another trace gives nothing rather than a wrong index.
    let other = SpanTree::build(&trace(vec![span("z", None, "s", "z", 0, 1)]));
    assert!(rows(&t, &other, &HashSet::new()).is_empty());
    assert!(critical_path(&t, &other).segments.is_empty());
    assert!(compare(&t, &other, &t, &tree).is_empty());
}

#[test]
fn a_child_wholly_outside_its_parent_is_not_on_the_critical_path() {
    // b runs after root has ended (an async tail, or skew): Jaeger drops it from the walk.
    let t = trace(vec![
        span("r", None, "gw", "root", 0, 100),
        span("a", Some("r"), "s", "a", 10, 50),
        span("b", Some("r"), "s", "late", 100, 40),
        span("c", Some("r"), "s", "before", -30, 20),
    ]);
    let tree = SpanTree::build(&t);
    let path = critical_path(&t, &tree);
    assert_eq!(ops(&t, path.spans()), ["root", "a"]);
    let total: i64 = path.segments.iter().map(|s| s.end_us - s.start_us).sum();
    assert_eq!(total, 100);
}

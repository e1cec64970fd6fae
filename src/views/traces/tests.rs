use std::time::Duration;

use funcdeck_core::error::CoreError;
use funcdeck_core::jaeger::knative::COLD_START_THRESHOLD;
use funcdeck_core::jaeger::{Trace, TraceId, TraceSummary};

use super::*;
use crate::app::{Effect, Shell, ViewId};
use crate::testing::span;

/// A Knative request: activator → throttler_try (the cold start) → queue-proxy → user.
fn trace(id: &str, at_s: i64, cold_ms: i64, error: bool) -> Trace {
    let t0 = crate::testing::fixed_now().timestamp_micros() - 600_000_000 + at_s * 1_000_000;
    let wait = cold_ms * 1000;
    let mut user = span(4, Some(3), "cart", "GET /items", t0 + wait + 200, 20_000);
    user.error = error;
    Trace {
        id: TraceId::new(id),
        spans: vec![
            span(1, None, "activator-service", "GET /", t0, wait + 30_000),
            span(
                2,
                Some(1),
                "activator-service",
                "throttler_try",
                t0 + 10,
                wait,
            ),
            span(
                3,
                Some(1),
                "cart",
                "kn.queueproxy.proxy",
                t0 + wait + 100,
                25_000,
            ),
            user,
        ],
        warnings: Vec::new(),
    }
}

fn search(traces: Vec<Trace>) -> TraceSearch {
    TraceSearch {
        source: "jaeger".into(),
        end: crate::testing::fixed_now(),
        summaries: traces
            .iter()
            .map(|t| TraceSummary::of(t, COLD_START_THRESHOLD))
            .collect(),
        traces,
    }
}

fn shell() -> Shell {
    Shell::new(
        crate::keymap::Keymap::defaults(),
        None,
        crate::testing::fixed_now(),
    )
}

fn watched(actions: &[Action]) -> Option<(Ticket, Duration)> {
    actions.iter().find_map(|a| match a {
        Action::Effect(Effect::Watch {
            ticket,
            watch: Watch::Polled(Polled::Traces { since, .. }),
        }) => Some((*ticket, *since)),
        _ => None,
    })
}

/// What Jaeger is asked to filter on by a new poll among `actions`.
fn asked_jaeger(actions: &[Action]) -> Option<TraceFilter> {
    actions.iter().find_map(|a| match a {
        Action::Effect(Effect::Watch {
            watch: Watch::Polled(Polled::Traces { filter, .. }),
            ..
        }) => Some(filter.clone()),
        _ => None,
    })
}

fn id_at_cursor(view: &TracesView) -> Option<String> {
    let search = view.search.data()?;
    Some(search.summaries[view.selected()?].trace_id.to_string())
}

#[test]
fn a_refresh_keeps_the_cursor_on_its_trace_and_a_failure_keeps_the_list() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(3),
    };
    let mut view = TracesView::new(ObjectKey::new("shop", "cart"));
    let (ticket, since) = watched(&view.subscribe(&ctx)).expect("a poll");
    assert_eq!(since, Duration::from_secs(15 * 60));
    view.on_reply(
        ticket,
        Reply::Traces(Ok(search(vec![
            trace("bb", 20, 0, false),
            trace("aa", 10, 0, false),
        ]))),
    );
    view.on_command(Command::Down, &ctx);
    assert_eq!(id_at_cursor(&view).as_deref(), Some("aa"));
    // A newer trace arrives on top: the cursor stays on "aa", now one row lower.
    view.on_reply(
        ticket,
        Reply::Traces(Ok(search(vec![
            trace("cc", 30, 0, false),
            trace("bb", 20, 0, false),
            trace("aa", 10, 0, false),
        ]))),
    );
    assert_eq!(
        (view.cursor, id_at_cursor(&view).as_deref()),
        (2, Some("aa"))
    );
    view.on_reply(ticket, Reply::Traces(Err(CoreError::NotConnected)));
    assert!(view.search.is_stale(), "the last list stays, marked stale");
    assert_eq!(view.shown().len(), 3);

    // A longer window is other data, asked again; the old window's answers are dropped.
    let (second, since) =
        watched(&view.on_command(Command::RangeNext, &ctx).expect("handled")).expect("asked");
    assert_eq!(since, Duration::from_secs(3600));
    view.on_reply(ticket, Reply::Traces(Ok(search(Vec::new()))));
    assert!(view.search.data().is_none());
    view.on_reply(second, Reply::Traces(Ok(search(Vec::new()))));
    assert!(view.search.data().is_some());
}

#[test]
fn filters_and_the_slowest_cold_start() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(3),
    };
    let mut view = TracesView::new(ObjectKey::new("shop", "cart"));
    let (ticket, _) = watched(&view.subscribe(&ctx)).expect("a poll");
    let mut tagged = trace("c3", 30, 900, false);
    tagged.spans[3].tags.push((
        "region".into(),
        funcdeck_core::jaeger::TagValue::Str("eu".into()),
    ));
    tagged.spans[3].operation = "POST /cart".into();
    view.on_reply(
        ticket,
        Reply::Traces(Ok(search(vec![
            trace("d4", 40, 0, true),
            tagged,
            trace("b2", 20, 2_500, false),
            trace("a1", 10, 0, false),
        ]))),
    );
    view.on_command(Command::ErrorsOnly, &ctx);
    assert_eq!(view.shown(), [0]);
    view.on_command(Command::ErrorsOnly, &ctx);
    view.on_command(Command::ColdOnly, &ctx);
    assert_eq!(view.shown(), [1, 2]);
    view.on_command(Command::ColdOnly, &ctx);

    // The minimum duration is typed; a bad one is said and the line stays open.
    view.on_command(Command::MinDuration, &ctx);
    assert_eq!(view.key_chain(), &[KeyContext::Input]);
    for c in "1x".chars() {
        view.on_key(Key::plain(c));
    }
    view.on_command(Command::Confirm, &ctx);
    assert!(view.line.as_ref().is_some_and(|l| l.problem.is_some()));
    view.on_command(Command::DeleteChar, &ctx);
    view.on_key(Key::plain('s'));
    let asked = view.on_command(Command::Confirm, &ctx).expect("handled");
    assert_eq!(view.line, None);
    assert_eq!(view.filter.min_duration, Some(Duration::from_secs(1)));
    assert_eq!(
        view.shown(),
        [2],
        "only the 2.5 s cold start lasts a second"
    );
    assert_eq!(
        asked_jaeger(&asked),
        Some(TraceFilter {
            min_duration: Some(Duration::from_secs(1)),
            ..TraceFilter::default()
        }),
        "Jaeger is asked for the long ones itself"
    );

    // At most a duration; then an operation.
    view.on_command(Command::MinDuration, &ctx);
    for _ in 0..2 {
        view.on_command(Command::DeleteChar, &ctx);
    }
    for c in "..100ms".chars() {
        view.on_key(Key::plain(c));
    }
    let asked = view.on_command(Command::Confirm, &ctx).expect("handled");
    assert_eq!(view.shown(), [0, 3], "the two warm 30 ms traces");
    assert_eq!(
        asked_jaeger(&asked).and_then(|f| f.max_duration),
        Some(Duration::from_millis(100))
    );
    view.on_command(Command::MinDuration, &ctx);
    for _ in 0.."..100ms".len() {
        view.on_command(Command::DeleteChar, &ctx);
    }
    view.on_command(Command::Confirm, &ctx);
    view.on_command(Command::OperationFilter, &ctx);
    for c in "POST /cart".chars() {
        view.on_key(Key::plain(c));
    }
    let asked = view.on_command(Command::Confirm, &ctx).expect("handled");
    assert_eq!(view.shown(), [1], "only c3 has a span of POST /cart");
    assert_eq!(
        asked_jaeger(&asked).and_then(|f| f.operation),
        Some("POST /cart".to_owned())
    );
    view.on_command(Command::OperationFilter, &ctx);
    for _ in 0.."POST /cart".len() {
        view.on_command(Command::DeleteChar, &ctx);
    }
    view.on_command(Command::Confirm, &ctx);

    // Span tags, as Jaeger UI's field takes them: filtered here and asked of Jaeger.
    view.on_command(Command::TagFilter, &ctx);
    for c in "region".chars() {
        view.on_key(Key::plain(c));
    }
    view.on_command(Command::Confirm, &ctx);
    assert!(
        view.line
            .as_ref()
            .and_then(|l| l.problem.as_deref())
            .is_some_and(|p| p.contains("key=value")),
        "{:?}",
        view.line
    );
    for c in "=eu".chars() {
        view.on_key(Key::plain(c));
    }
    let asked = view.on_command(Command::Confirm, &ctx).expect("handled");
    assert_eq!(view.shown(), [1], "only c3 has a span tagged region=eu");
    assert_eq!(
        asked_jaeger(&asked),
        Some(TraceFilter {
            tags: vec![("region".to_owned(), "eu".to_owned())],
            ..TraceFilter::default()
        })
    );
    view.on_command(Command::TagFilter, &ctx);
    assert_eq!(
        view.line.as_ref().map(|l| l.text.as_str()),
        Some("region=eu")
    );
    for _ in 0.."region=eu".len() {
        view.on_command(Command::DeleteChar, &ctx);
    }
    view.on_command(Command::Confirm, &ctx);
    assert_eq!(view.shown().len(), 4);
    view.on_command(Command::MinDuration, &ctx);
    view.on_key(Key::plain('1'));
    view.on_key(Key::plain('s'));
    view.on_command(Command::Confirm, &ctx);

    view.on_command(Command::ErrorsOnly, &ctx);
    assert!(view.shown().is_empty());
    // The slowest cold start lifts the filters that hide it.
    view.on_command(Command::SlowestCold, &ctx);
    assert_eq!(id_at_cursor(&view).as_deref(), Some("b2"));
    assert!(!view.errors_only);
}

#[test]
fn two_marked_traces_open_a_comparison_and_enter_a_waterfall() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(3),
    };
    let mut view = TracesView::new(ObjectKey::new("shop", "cart"));
    let (ticket, _) = watched(&view.subscribe(&ctx)).expect("a poll");
    view.on_reply(
        ticket,
        Reply::Traces(Ok(search(vec![
            trace("b2", 20, 2_500, false),
            trace("a1", 10, 0, false),
        ]))),
    );
    let notice = view.on_command(Command::Diff, &ctx).expect("handled");
    assert!(
        matches!(notice.as_slice(), [Action::Notice(_)]),
        "one mark is not enough"
    );
    view.on_command(Command::Mark, &ctx);
    view.on_command(Command::Down, &ctx);
    view.on_command(Command::Mark, &ctx);
    let pushed = view.on_command(Command::Diff, &ctx).expect("handled");
    let Some(Action::Push(compare)) = pushed.first() else {
        panic!("a comparison: {pushed:?}");
    };
    let View::TraceCompare(compare) = compare.as_ref() else {
        panic!("the compare view");
    };
    assert_eq!(compare.rows.len(), 4);
    assert_eq!(compare.rows[1].difference_us(), Some(-2_500_000));

    let pushed = view.on_command(Command::Open, &ctx).expect("handled");
    assert!(
        matches!(pushed.first(), Some(Action::Push(v)) if matches!(v.as_ref(), View::Trace(_)))
    );
}

#[test]
fn the_waterfall_folds_searches_and_moves_between_matches() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(4),
    };
    let mut view = Waterfall::new(trace("b2", 20, 2_500, false));
    assert_eq!(view.rows.len(), 4);
    assert!(view.cold.is_some());
    assert!(view.critical.contains(0));
    view.on_command(Command::ToggleCollapse, &ctx);
    assert_eq!(view.rows.len(), 1, "the root's subtree is folded");
    view.on_command(Command::Expand, &ctx);
    assert_eq!(view.rows.len(), 4);
    // Fold the queue-proxy, then find the user span under it: the search unfolds it.
    view.on_command(Command::Bottom, &ctx);
    view.on_command(Command::Collapse, &ctx);
    assert_eq!(
        view.selected(),
        Some(2),
        "Left on a leaf goes to its parent"
    );
    view.on_command(Command::Collapse, &ctx);
    assert_eq!(view.rows.len(), 3);
    view.on_command(Command::Top, &ctx);
    view.on_command(Command::Filter, &ctx);
    assert_eq!(view.key_chain(), &[KeyContext::Input]);
    for c in "items".chars() {
        view.on_key(Key::plain(c));
    }
    view.on_command(Command::Confirm, &ctx);
    assert_eq!(view.matches, [3]);
    assert_eq!((view.selected(), view.rows.len()), (Some(3), 4));
    view.query.clear();
    view.on_command(Command::Filter, &ctx);
    for c in "cart".chars() {
        view.on_key(Key::plain(c));
    }
    view.on_command(Command::Confirm, &ctx);
    assert_eq!(view.selected(), Some(2));
    view.on_command(Command::NextMatch, &ctx);
    assert_eq!(view.selected(), Some(3));
    view.on_command(Command::NextMatch, &ctx);
    assert_eq!(view.selected(), Some(2), "wraps around");
    view.on_command(Command::PreviousMatch, &ctx);
    assert_eq!(view.selected(), Some(3));
}

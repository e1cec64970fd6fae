use std::time::Duration;

use funcdeck_core::error::CoreError;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::series::{ChartLines, FunctionCharts};

use super::*;
use crate::app::{Effect, Shell, ViewId};

fn charts(source: &str) -> FunctionCharts {
    FunctionCharts {
        source: source.into(),
        era: Era::OpenTelemetry,
        start: 0.0,
        end: 900.0,
        requests_per_second: ChartLines::default(),
        latency_ms: ChartLines::default(),
        error_ratio: ChartLines::default(),
        concurrency: ChartLines::default(),
        pods: ChartLines::default(),
        cold_starts: Vec::new(),
    }
}

fn watched(actions: &[Action]) -> Option<(Ticket, Duration)> {
    actions.iter().find_map(|a| match a {
        Action::Effect(Effect::Watch {
            ticket,
            watch: Watch::Polled(Polled::Metrics { range, .. }),
        }) => Some((*ticket, *range)),
        _ => None,
    })
}

#[test]
fn a_new_range_asks_again_and_drops_answers_for_the_old_one() {
    let shell = Shell::new(
        crate::keymap::Keymap::defaults(),
        None,
        crate::testing::fixed_now(),
    );
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(7),
    };
    let mut view = MetricsView::new(ObjectKey::new("shop", "cart"));
    let (first, range) = watched(&view.subscribe(&ctx)).expect("a watch");
    assert_eq!(range, Duration::from_secs(15 * 60));
    view.on_reply(first, Reply::Metrics(Ok(charts("a"))));
    assert!(view.charts.data().is_some());

    let actions = view.on_command(Command::RangeNext, &ctx).expect("handled");
    let (second, range) = watched(&actions).expect("asked again");
    assert_eq!(range, Duration::from_secs(3600));
    assert!(
        view.charts.data().is_none(),
        "the old range's charts are not shown as the new one"
    );
    view.on_reply(first, Reply::Metrics(Ok(charts("late"))));
    assert!(
        view.charts.data().is_none(),
        "an answer for the old range is dropped"
    );
    view.on_reply(second, Reply::Metrics(Ok(charts("b"))));
    assert_eq!(view.charts.data().map(|c| c.source.as_str()), Some("b"));

    // A failed refresh keeps the charts, marked stale.
    view.on_reply(second, Reply::Metrics(Err(CoreError::NotConnected)));
    assert!(view.charts.is_stale());

    // At the longest preset `]` changes nothing and asks nothing.
    for _ in 0..10 {
        view.on_command(Command::RangeNext, &ctx);
    }
    assert_eq!(
        view.on_command(Command::RangeNext, &ctx).map(|a| a.len()),
        Some(0)
    );
}

#[test]
fn tab_charts_one_revision_after_another_then_the_whole_function() {
    let shell = Shell::new(
        crate::keymap::Keymap::defaults(),
        None,
        crate::testing::fixed_now(),
    );
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(7),
    };
    let revision_of = |actions: &[Action]| {
        actions.iter().find_map(|a| match a {
            Action::Effect(Effect::Watch {
                ticket,
                watch: Watch::Polled(Polled::Metrics { revision, .. }),
            }) => Some((*ticket, revision.clone())),
            _ => None,
        })
    };
    let mut view = MetricsView::new(ObjectKey::new("shop", "cart"));
    let (ticket, revision) = revision_of(&view.subscribe(&ctx)).expect("a watch");
    assert_eq!(revision, None, "the whole function first");
    let mut whole = charts("a");
    whole.requests_per_second = ChartLines::new(vec![
        funcdeck_core::prometheus::series::Line::new("cart-00001", [(0.0, 1.0)]),
        funcdeck_core::prometheus::series::Line::new("cart-00002", [(0.0, 3.0)]),
    ]);
    whole.cold_starts = vec![("cart-00003".into(), 1.0)];
    view.on_reply(ticket, Reply::Metrics(Ok(whole)));
    assert_eq!(view.revisions, ["cart-00003", "cart-00002", "cart-00001"]);

    let mut asked = Vec::new();
    for _ in 0..4 {
        let actions = view
            .on_command(Command::NextSection, &ctx)
            .expect("handled");
        let (ticket, revision) = revision_of(&actions).expect("asked again");
        // One revision's charts name only it: what Tab steps through stays as learned.
        view.on_reply(ticket, Reply::Metrics(Ok(charts("one"))));
        asked.push(revision);
    }
    assert_eq!(
        asked,
        [
            Some("cart-00003".to_owned()),
            Some("cart-00002".to_owned()),
            Some("cart-00001".to_owned()),
            None
        ]
    );
    let actions = view
        .on_command(Command::PreviousSection, &ctx)
        .expect("handled");
    assert_eq!(
        revision_of(&actions).map(|(_, r)| r),
        Some(Some("cart-00001".to_owned())),
        "back from the whole function is the oldest"
    );
}

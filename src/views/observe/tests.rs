use std::time::Duration;

use super::*;
use crate::app::{Effect, Polled, Shell, ViewId, Watch};
use crate::views::metrics::PRESETS;

fn shell() -> Shell {
    Shell::new(
        crate::keymap::Keymap::defaults(),
        None,
        crate::testing::fixed_now(),
    )
}

/// The windows the polls among `actions` ask for: (metrics, traces, logs).
fn windows(actions: &[Action]) -> (Option<Duration>, Option<Duration>, Option<Duration>) {
    let mut found = (None, None, None);
    for action in actions {
        match action {
            Action::Effect(Effect::Watch {
                watch: Watch::Polled(Polled::Metrics { range, .. }),
                ..
            }) => found.0 = Some(*range),
            Action::Effect(Effect::Watch {
                watch: Watch::Polled(Polled::Traces { since, .. }),
                ..
            }) => found.1 = Some(*since),
            Action::Effect(Effect::Watch {
                watch: Watch::Polled(Polled::Logs { since, .. }),
                ..
            }) => found.2 = Some(*since),
            _ => {}
        }
    }
    found
}

#[test]
fn both_panes_read_one_window_and_move_together() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(9),
    };
    let mut view = ObserveView::new(ObjectKey::new("shop", "cart"));
    let first = PRESETS[1];
    assert_eq!(
        windows(&view.subscribe(&ctx)),
        (Some(first), Some(first), Some(first))
    );
    let longer = view
        .on_command(Command::RangeNext, &ctx)
        .expect("the range keys are the view's");
    let two = Some(PRESETS[2]);
    assert_eq!(windows(&longer), (two, two, two));
    // Whichever pane has the focus.
    view.on_command(Command::NextSection, &ctx);
    assert_eq!(view.focus, Focus::Traces);
    let shorter = view
        .on_command(Command::RangePrevious, &ctx)
        .expect("handled");
    assert_eq!(windows(&shorter), (Some(first), Some(first), Some(first)));
}

#[test]
fn keys_go_to_the_focused_pane_and_z_opens_it_alone() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(9),
    };
    let mut view = ObserveView::new(ObjectKey::new("shop", "cart"));
    view.subscribe(&ctx);
    assert_eq!(
        view.key_chain(),
        &[KeyContext::Observe, KeyContext::Metrics]
    );
    view.on_command(Command::PreviousSection, &ctx);
    assert_eq!(view.focus, Focus::Logs, "Shift-Tab wraps around");
    assert_eq!(
        view.key_chain(),
        &[KeyContext::Observe, KeyContext::Logs, KeyContext::Metrics]
    );
    // The logs' query line takes every key, Tab included, until it is done.
    view.on_command(Command::Query, &ctx);
    assert_eq!(view.key_chain(), &[KeyContext::Input]);
    view.on_command(Command::NextSection, &ctx);
    assert_eq!(view.focus, Focus::Logs);
    view.on_command(Command::Cancel, &ctx);
    view.on_command(Command::PreviousSection, &ctx);
    assert_eq!(view.focus, Focus::Traces);
    view.on_command(Command::ErrorsOnly, &ctx);
    assert!(view.traces.errors_only, "e went to the traces pane");
    // A filter being typed takes the keys, Tab included.
    view.on_command(Command::MinDuration, &ctx);
    assert_eq!(view.key_chain(), &[KeyContext::Input]);
    view.on_key(Key::plain('2'));
    view.on_command(Command::NextSection, &ctx);
    assert_eq!(view.focus, Focus::Traces);
    view.on_command(Command::Cancel, &ctx);

    view.on_command(Command::RangeNext, &ctx);
    let zoomed = view.on_command(Command::ZoomPane, &ctx).expect("handled");
    match zoomed.as_slice() {
        [Action::Push(pushed)] => match pushed.as_ref() {
            View::Traces(traces) => assert_eq!(traces.range, view.range()),
            other => panic!("expected the traces pane, got {}", other.title()),
        },
        other => panic!("expected one push, got {other:?}"),
    }
}

#[test]
fn each_answer_reaches_its_pane_only_while_it_is_asked_for() {
    let shell = shell();
    let ctx = Ctx {
        shell: &shell,
        id: ViewId(9),
    };
    let mut view = ObserveView::new(ObjectKey::new("shop", "cart"));
    let tickets: Vec<Ticket> = view
        .subscribe(&ctx)
        .iter()
        .filter_map(|a| match a {
            Action::Effect(Effect::Watch { ticket, .. }) => Some(*ticket),
            _ => None,
        })
        .collect();
    assert!(tickets.iter().all(|t| view.expects(*t)));
    let failure = funcdeck_core::error::CoreError::NotConnected;
    view.on_reply(tickets[1], Reply::Traces(Err(failure.clone())));
    assert!(view.traces.search.error().is_some());
    assert!(
        view.metrics.charts.error().is_none(),
        "not the metrics' answer"
    );
    // After a range change the old answers are dropped.
    view.on_command(Command::RangeNext, &ctx);
    view.on_reply(tickets[0], Reply::Metrics(Err(failure)));
    assert!(view.metrics.charts.error().is_none());
}

//! Screens of the logs pane: the lines under their histogram with the fields panel, wrapped,
//! JSON pretty-printed, a refused query, a stale tail, no Elasticsearch at all, a paused tail.
//!
//! Rendered on ratatui's TestBackend from hand-made fluent-bit-shaped lines.

mod screens;

use funcdeck::app::{App, Credit, LogFeed, LogTarget, Reply};
use funcdeck::views::{LogsView, View};
use funcdeck_core::backend::{Attempt, Backend, BackendError, Failure};
use funcdeck_core::elastic::LineParser;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use screens::observed::{lines, log_line, opened};
use screens::{all, press, press_named, render_sized, reply};

const WIDTH: u16 = 140;
const HEIGHT: u16 = 30;

fn logs_view() -> App {
    let mut app = all();
    let target = LogTarget::function(ObjectKey::new("default", "greeter"));
    app.push(View::Logs(Box::new(LogsView::new(target, 1000))));
    app
}

fn loaded() -> App {
    let mut app = logs_view();
    reply(&mut app, 1, opened(lines()));
    app
}

#[test]
fn the_lines_under_their_histogram_with_the_fields_panel() {
    let mut app = loaded();
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn wrapped_lines_and_the_fields_panel_focused() {
    let mut app = loaded();
    press(&mut app, "w");
    press_named(&mut app, "<Tab>");
    press(&mut app, "j");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn json_lines_pretty_printed_and_found_text_picked_out() {
    let mut app = loaded();
    press(&mut app, "J/upstream");
    press_named(&mut app, "<Enter>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT + 10));
}

#[test]
fn a_refused_query_says_why_and_keeps_the_last_good_lines() {
    let mut app = loaded();
    press(&mut app, "flevel:(");
    press_named(&mut app, "<Enter>");
    let refused = BackendError::Failed {
        backend: Backend::Elasticsearch,
        at: "service logging/elasticsearch:9200 via the API server".into(),
        reason: Failure::BadQuery {
            message:
                "[query_string] Cannot parse 'level:(': Encountered \"<EOF>\" at line 1, column 7."
                    .into(),
        },
    };
    reply(&mut app, 2, Reply::Logs(Err(CoreError::Backend(refused))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_failed_poll_keeps_the_lines_marked_stale() {
    let mut app = loaded();
    let slow = BackendError::Failed {
        backend: Backend::Elasticsearch,
        at: "service logging/elasticsearch:9200 via the API server".into(),
        reason: Failure::Timeout {
            after: std::time::Duration::from_secs(10),
        },
    };
    reply(&mut app, 1, Reply::Logs(Err(CoreError::Backend(slow))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn no_elasticsearch_says_what_was_tried_and_how_to_get_one() {
    let mut app = logs_view();
    let missing = BackendError::NotFound {
        backend: Backend::Elasticsearch,
        tried: vec![
            Attempt::new("config", "none"),
            Attempt::new("logging/elasticsearch", "not found"),
        ],
    };
    reply(&mut app, 1, Reply::Logs(Err(CoreError::Backend(missing))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_paused_tail_holds_still_and_counts_what_waits() {
    let mut app = loaded();
    press(&mut app, "s");
    let mut p = LineParser::default();
    let new = (20..25)
        .map(|n| log_line(&mut p, n, "x2x4q", "INFO a new line"))
        .collect();
    reply(
        &mut app,
        1,
        Reply::Logs(Ok(LogFeed::Tail {
            lines: new,
            credit: Credit::default(),
        })),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

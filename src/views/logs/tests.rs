use chrono::{DateTime, Utc};
use funcdeck_core::elastic::{Histogram, LineParser, LogLine, TopValues};
use funcdeck_core::key::ObjectKey;

use super::rows::{self, Shape};
use super::*;
use crate::app::{Credit, Effect, LogFeed, LogsOpened, Reply, Shell, ViewId};
use crate::views::View;

struct TestCtx(Shell);

impl TestCtx {
    fn new() -> Self {
        let keymap = crate::keymap::Keymap::defaults();
        TestCtx(Shell::new(keymap, None, crate::testing::fixed_now()))
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            shell: &self.0,
            id: ViewId(3),
        }
    }
}

fn line(ms: i64, text: &str) -> LogLine {
    let at = DateTime::<Utc>::from_timestamp_millis(1_796_212_800_000 + ms).expect("in range");
    LineParser::default().parse_raw(
        format!("id-{ms}"),
        "greeter-00001-deployment-x2x4q",
        "user-container",
        at,
        text,
    )
}

fn opened(lines: Vec<LogLine>) -> Reply {
    let end = DateTime::<Utc>::from_timestamp_millis(1_796_212_800_000).expect("in range");
    Reply::Logs(Ok(LogFeed::Opened(Box::new(LogsOpened {
        source: "Elasticsearch 8.15.0 at logging/elasticsearch:9200".into(),
        lines,
        summary: LogSummary {
            end,
            histogram: Histogram {
                interval_s: 60,
                buckets: vec![(end, 3)],
            },
            fields: vec![TopValues {
                field: "kubernetes.pod_name".into(),
                exact_field: "kubernetes.pod_name.keyword".into(),
                values: vec![("greeter-a".into(), 2), ("greeter-b".into(), 1)],
                others: 0,
            }],
        },
    }))))
}

fn tail(lines: Vec<LogLine>) -> Reply {
    Reply::Logs(Ok(LogFeed::Tail {
        lines,
        credit: Credit::default(),
    }))
}

fn view(capacity: usize) -> (LogsView, TestCtx) {
    let t = TestCtx::new();
    let mut view = LogsView::new(
        LogTarget::function(ObjectKey::new("default", "greeter")),
        capacity,
    );
    view.subscribe(&t.ctx());
    (view, t)
}

fn ticket(view: &LogsView, t: &TestCtx) -> crate::app::Ticket {
    view.ticket(&t.ctx())
}

#[test]
fn the_cursor_follows_the_tail_and_stays_on_its_line_when_scrolled_back() {
    let (mut v, t) = view(5);
    let tk = ticket(&v, &t);
    v.on_reply(tk, opened(vec![line(0, "a"), line(1, "b"), line(2, "c")]));
    assert_eq!(v.selected().map(|l| l.message.as_str()), Some("c"));
    v.on_reply(tk, tail(vec![line(3, "d")]));
    assert_eq!(
        v.selected().map(|l| l.message.as_str()),
        Some("d"),
        "following"
    );
    v.on_command(Command::Up, &t.ctx());
    assert!(!v.follow);
    // Three more: the buffer (5) lets the two oldest go; the cursor stays on "c".
    v.on_reply(tk, tail(vec![line(4, "e"), line(5, "f"), line(6, "g")]));
    assert_eq!(v.selected().map(|l| l.message.as_str()), Some("c"));
    assert_eq!(v.lines.len(), 5);
    v.on_command(Command::Bottom, &t.ctx());
    assert!(v.follow);
}

#[test]
fn paused_the_screen_holds_and_new_lines_wait_bounded_then_join_on_resume() {
    let (mut v, t) = view(3);
    let tk = ticket(&v, &t);
    v.on_reply(tk, opened(vec![line(0, "a")]));
    v.on_command(Command::Pause, &t.ctx());
    v.on_reply(tk, tail(vec![line(1, "b"), line(2, "c")]));
    v.on_reply(tk, tail(vec![line(3, "d"), line(4, "e")]));
    assert_eq!(v.lines.len(), 1, "nothing moves while paused");
    assert_eq!(
        v.waiting.len(),
        3,
        "waiting lines are bounded by the buffer's size"
    );
    v.on_command(Command::Pause, &t.ctx());
    let shown: Vec<&str> = v.lines.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(shown, ["c", "d", "e"]);
    assert!(v.waiting.is_empty());
}

#[test]
fn a_refused_query_keeps_the_last_good_lines_and_a_field_value_narrows_the_query() {
    let (mut v, t) = view(10);
    let tk = ticket(&v, &t);
    v.on_reply(tk, opened(vec![line(0, "a")]));
    v.on_command(Command::Query, &t.ctx());
    for c in "level:(".chars() {
        v.on_key(crate::keymap::Key::plain(c));
    }
    let actions = v.on_command(Command::Confirm, &t.ctx()).expect("taken");
    assert!(matches!(
        &actions[..],
        [Action::Effect(Effect::Watch { watch: crate::app::Watch::Polled(Polled::Logs { text, .. }), .. })] if text == "level:("
    ));
    let tk = ticket(&v, &t);
    let refused = funcdeck_core::backend::BackendError::Failed {
        backend: funcdeck_core::backend::Backend::Elasticsearch,
        at: "logging/elasticsearch:9200".into(),
        reason: funcdeck_core::backend::Failure::BadQuery {
            message: "Cannot parse 'level:(': Encountered \"<EOF>\"".into(),
        },
    };
    v.on_reply(tk, Reply::Logs(Err(refused.into())));
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.query, "");
    assert!(v.loaded.is_stale());
    // The fields panel: its first value, Enter.
    v.on_command(Command::NextSection, &t.ctx());
    v.on_command(Command::Open, &t.ctx());
    assert_eq!(v.asked, r#"kubernetes.pod_name.keyword:"greeter-a""#);
}

#[test]
fn find_goes_round_the_loaded_lines() {
    let (mut v, t) = view(10);
    let tk = ticket(&v, &t);
    v.on_reply(
        tk,
        opened(vec![line(0, "GET /a"), line(1, "boom"), line(2, "get /b")]),
    );
    v.on_command(Command::Filter, &t.ctx());
    for c in "get".chars() {
        v.on_key(crate::keymap::Key::plain(c));
    }
    v.on_command(Command::Confirm, &t.ctx());
    assert_eq!(v.cursor, 0, "from the last line, round to the first match");
    v.on_command(Command::NextMatch, &t.ctx());
    assert_eq!(v.cursor, 2);
    v.on_command(Command::PreviousMatch, &t.ctx());
    assert_eq!(v.cursor, 0);
}

#[test]
fn wrapped_and_pretty_lines_take_the_rows_they_need_and_settle_keeps_the_cursor_in_sight() {
    let json = line(0, r#"{"level":"info","msg":"hi","n":[1,2]}"#);
    let shape = Shape {
        timestamps: false,
        wrap: false,
        pretty: true,
        width: 60,
    };
    assert_eq!(rows::height(&json, &shape), 8);
    let long = line(1, &"x".repeat(100));
    let shape = Shape {
        timestamps: false,
        wrap: true,
        pretty: false,
        width: 62,
    };
    assert_eq!(rows::height(&long, &shape), 2);
    let (mut v, t) = view(100);
    let tk = ticket(&v, &t);
    v.on_reply(tk, opened((0..50).map(|i| line(i, "x")).collect()));
    v.settle_lines(&shape, 10);
    assert_eq!((v.top, v.cursor), (40, 49));
    v.on_command(Command::Top, &t.ctx());
    v.settle_lines(&shape, 10);
    assert_eq!(v.top, 0);
}

#[test]
fn saving_writes_every_loaded_line_and_says_where() {
    let (mut v, t) = view(10);
    let tk = ticket(&v, &t);
    v.on_reply(
        tk,
        opened(vec![line(0, "one\ntwo"), line(1, "\u{1b}[31mred")]),
    );
    v.on_command(Command::Save, &t.ctx());
    let actions = v.on_command(Command::Confirm, &t.ctx()).expect("taken");
    let [Action::Effect(Effect::WriteFile { path, text, .. })] = &actions[..] else {
        panic!("a write: {actions:?}");
    };
    assert_eq!(path.to_str(), Some("greeter-logs.txt"));
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("one\\ntwo"));
    let said = v.on_reply(
        tk,
        Reply::Saved(Err("cannot write /x: Permission denied".into())),
    );
    assert!(matches!(&said[..], [Action::Notice(n)] if n.contains("Permission denied")));
}

#[test]
fn a_line_with_a_trace_id_opens_that_trace() {
    let (mut v, t) = view(10);
    let tk = ticket(&v, &t);
    let traced = line(
        1,
        r#"{"msg":"GET /","traceId":"4BF92F3577B34DA6A3CE929D0E0E4736"}"#,
    );
    v.on_reply(tk, opened(vec![line(0, "plain"), traced]));
    let actions = v.on_command(Command::Traces, &t.ctx()).expect("taken");
    let [Action::Push(pushed)] = &actions[..] else {
        panic!("a push: {actions:?}");
    };
    assert!(
        matches!(&**pushed, View::Trace(trace) if trace.id.as_str() == "4bf92f3577b34da6a3ce929d0e0e4736")
    );
    v.on_command(Command::Up, &t.ctx());
    let actions = v.on_command(Command::Traces, &t.ctx()).expect("taken");
    assert!(matches!(&actions[..], [Action::Notice(n)] if n.contains("no trace id")));
}

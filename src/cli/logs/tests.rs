use chrono::{TimeZone, Utc};
use clap::Parser;
use funcdeck_core::elastic::{Level, LineParser, PodSource};

use super::*;

fn args(extra: &[&str]) -> LogsArgs {
    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        args: LogsArgs,
    }
    let argv = [&["funcdeck", "hello"][..], extra].concat();
    Wrap::try_parse_from(argv).expect("parses").args
}

fn line(message: &str, level: Option<Level>) -> LogLine {
    let source = PodSource {
        namespace: "default",
        pod: "hello-00001-deployment-abc\u{1b}[2J",
        container: "user-container",
        timestamp: Utc
            .with_ymd_and_hms(2026, 11, 30, 6, 0, 1)
            .single()
            .expect("time"),
    };
    let mut line = LineParser::default().parse_pod("id".into(), &source, message, 0);
    line.level = level;
    line
}

#[test]
fn text_lines_read_time_pod_container_level_message_and_nothing_acts_on_the_terminal() {
    let mut out = Vec::new();
    write_text(
        &mut out,
        &line("\u{1b}]0;title\u{7}boom\r", Some(Level::Error)),
    )
    .expect("write");
    write_text(&mut out, &line("plain", None)).expect("write");
    let text = String::from_utf8(out).expect("utf8");
    assert_eq!(
        text,
        "2026-11-30T06:00:01.000Z hello-00001-deployment-abc␛[2J/user-container ERROR ␛]0;title␇boom␍\n\
         2026-11-30T06:00:01.000Z hello-00001-deployment-abc␛[2J/user-container -     plain\n"
    );
}

#[test]
fn json_lines_are_one_object_each_with_the_contracts_keys() {
    let mut out = Vec::new();
    write_json_line(&mut out, &line("hi", Some(Level::Info))).expect("write");
    let text = String::from_utf8(out).expect("utf8");
    assert_eq!(
        text,
        "{\"timestamp\":\"2026-11-30T06:00:01Z\",\"pod\":\"hello-00001-deployment-abc\\u001b[2J\",\
         \"container\":\"user-container\",\"stream\":\"\",\"level\":\"info\",\"message\":\"hi\"}\n"
    );
}

#[test]
fn the_elasticsearch_query_takes_scope_window_text_and_limit() {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 6, 0, 0)
        .single()
        .expect("time");
    let a = args(&[
        "--revision",
        "hello-00002",
        "--since",
        "5m",
        "-q",
        "error",
        "--limit",
        "7",
    ]);
    let query = elastic_query("shop", &a, now);
    assert_eq!(query.scope.namespace.as_deref(), Some("shop"));
    assert_eq!(query.scope.function.as_deref(), Some("hello"));
    assert_eq!(query.scope.revision.as_deref(), Some("hello-00002"));
    assert_eq!(query.from, Some(now - chrono::Duration::minutes(5)));
    assert_eq!(query.to, None);
    assert_eq!(query.text, "error");
    assert_eq!(query.size, 7);
    assert_eq!(query.order, Order::NewestFirst);
}

#[test]
fn the_pods_are_asked_for_more_when_a_filter_thins_the_lines_out() {
    let plain = args(&["--limit", "20"]);
    let request = pod_request("shop", &plain, &TextFilter::new(""), false);
    assert_eq!(request.tail, Some(20));
    assert_eq!(request.since, Some(Duration::from_secs(900)));
    let filtered = args(&["--limit", "20", "-q", "boom"]);
    let filter = TextFilter::new("boom");
    assert_eq!(
        pod_request("shop", &filtered, &filter, false).tail,
        Some(podlogs::DEFAULT_TAIL)
    );
    // Following, the history is per container as asked.
    assert_eq!(pod_request("shop", &filtered, &filter, true).tail, Some(20));
}

#[test]
fn bad_flags_are_refused_by_the_parser() {
    #[derive(Parser, Debug)]
    struct Wrap {
        #[command(flatten)]
        args: LogsArgs,
    }
    for bad in [
        &["funcdeck", "Hello"][..],
        &["funcdeck", "hello", "--limit", "0"],
        &["funcdeck", "hello", "--limit", "10001"],
        &["funcdeck", "hello", "--since", "soon"],
        &["funcdeck", "hello", "-o", "yaml"],
        &["funcdeck", "hello", "--source", "loki"],
    ] {
        assert!(Wrap::try_parse_from(bad).is_err(), "{bad:?} accepted");
    }
}

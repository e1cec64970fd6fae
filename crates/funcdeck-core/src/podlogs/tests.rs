use chrono::TimeZone;
use futures::executor::block_on;
use futures::io::{AsyncBufRead, BufReader, Cursor};

use super::*;
use crate::elastic::Level;

fn all_lines(reader: &mut LineReader, input: impl AsyncBufRead + Unpin) -> Vec<RawLine> {
    let mut input = input;
    let mut out = Vec::new();
    while let Some(line) = block_on(reader.next_line(&mut input)).expect("read") {
        out.push(line);
    }
    out
}

fn raw(bytes: &[u8]) -> RawLine {
    RawLine {
        bytes: bytes.to_vec(),
        dropped: 0,
    }
}

#[test]
fn lines_are_split_across_chunk_boundaries_and_a_last_partial_line_is_kept() {
    // A tiny buffer makes every line span several reads.
    let input = BufReader::with_capacity(3, Cursor::new(b"alpha\nbeta\n\ngamma".to_vec()));
    let lines = all_lines(&mut LineReader::new(100), input);
    let texts: Vec<&[u8]> = lines.iter().map(|l| l.bytes.as_slice()).collect();
    assert_eq!(texts, [&b"alpha"[..], b"beta", b"", b"gamma"]);
}

#[test]
fn a_huge_line_is_bounded_and_the_rest_counted() {
    let mut input = vec![b'x'; 1_000_000];
    input.extend_from_slice(b"\nnext\n");
    let lines = all_lines(&mut LineReader::new(1_000), Cursor::new(input));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].bytes.len() + lines[0].dropped, 1_000_000);
    assert!(lines[0].bytes.len() <= 1_000 + 40);
    assert_eq!(lines[1], raw(b"next"));
}

#[test]
fn the_kubelet_timestamp_prefix_is_split_off() {
    let (at, rest) = split_timestamp(b"2026-11-30T06:20:24.123456789Z hello world");
    let want = Utc
        .with_ymd_and_hms(2026, 11, 30, 6, 20, 24)
        .single()
        .expect("time")
        + chrono::Duration::nanoseconds(123_456_789);
    assert_eq!(at, Some(want));
    assert_eq!(rest, b"hello world");
    // No prefix (or not a time): the line stays whole.
    assert_eq!(split_timestamp(b"hello world"), (None, &b"hello world"[..]));
    assert_eq!(split_timestamp(b"nospace"), (None, &b"nospace"[..]));
}

fn started_at(pod: &str, container: &str) -> Started {
    Started {
        pod: pod.into(),
        container: container.into(),
        run: 0,
        running: true,
    }
}

#[test]
fn pod_lines_keep_hostile_bytes_raw_replace_invalid_utf8_and_detect_level_and_trace() {
    let from = started_at("hello-00001-deployment-abc", "user-container");
    let mut lines = Lines::new("shop", &from);
    let hostile = lines.line(&raw(
        b"2026-11-30T06:20:24Z \x1b]52;c;aGk=\x07ERROR \x1b[31mred\r\xff",
    ));
    assert_eq!(
        hostile.message,
        "\u{1b}]52;c;aGk=\u{7}ERROR \u{1b}[31mred\r\u{fffd}"
    );
    assert_eq!(hostile.pod, "hello-00001-deployment-abc");
    assert_eq!(hostile.container, "user-container");
    assert_eq!(hostile.namespace, "shop");
    assert_eq!(hostile.stream, "");
    // Shown inert: no control byte survives reveal.
    assert!(!hostile.inert_message().chars().any(char::is_control));

    let json = lines.line(&raw(
        br#"2026-11-30T06:20:25Z {"level":"warn","traceId":"4BF92F3577B34DA6A3CE929D0E0E4736"}"#,
    ));
    assert_eq!(json.level, Some(Level::Warn));
    assert_eq!(
        json.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_ne!(json.id, hostile.id, "ids are unique per line");

    // A line without a prefix borrows the last time seen.
    let bare = lines.line(&raw(b"  at frame 2"));
    assert_eq!(bare.timestamp, json.timestamp);
    assert_eq!(bare.level, None);
}

#[test]
fn a_line_cut_by_the_reader_carries_the_marker_counting_every_dropped_byte() {
    let from = started_at("p", "c");
    let mut lines = Lines::new("ns", &from);
    let mut bytes = b"2026-11-30T06:20:24Z ".to_vec();
    bytes.extend(vec![b'a'; MESSAGE_LIMIT + 10]);
    let line = lines.line(&RawLine {
        bytes,
        dropped: 5_000,
    });
    assert!(line.message.starts_with(&"a".repeat(MESSAGE_LIMIT)));
    assert!(
        line.message
            .ends_with(&format!(" …[truncated: {} more bytes]", 10 + 5_000)),
        "{}",
        &line.message[MESSAGE_LIMIT..]
    );
}

#[test]
fn merge_orders_by_time_and_keeps_each_containers_order_on_ties() {
    let (a, b) = (
        started_at("a", "user-container"),
        started_at("b", "queue-proxy"),
    );
    let mut from_a = Lines::new("ns", &a);
    let mut from_b = Lines::new("ns", &b);
    let mut all = vec![
        from_b.line(&raw(b"2026-11-30T06:00:02Z b1")),
        from_b.line(&raw(b"2026-11-30T06:00:03Z b2")),
        from_a.line(&raw(b"2026-11-30T06:00:01Z a1")),
        from_a.line(&raw(b"2026-11-30T06:00:03Z a2")),
        from_a.line(&raw(b"2026-11-30T06:00:03Z a3")),
    ];
    merge(&mut all);
    let order: Vec<&str> = all.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(order, ["a1", "b1", "a2", "a3", "b2"]);
}

#[test]
fn the_selector_names_the_function_and_the_revision_when_given() {
    let mut request = PodLogRequest::function("shop", "cart");
    assert_eq!(request.selector(), "serving.knative.dev/service=cart");
    request.revision = Some("cart-00002".into());
    assert_eq!(
        request.selector(),
        "serving.knative.dev/service=cart,serving.knative.dev/revision=cart-00002"
    );
}

#[test]
fn text_filters_match_substrings_ignoring_case_and_name_lucene_they_do_not_read() {
    let from = started_at("p", "c");
    let mut lines = Lines::new("ns", &from);
    let line = lines.line(&raw(b"GET /cart 500 Connection Reset by peer"));
    let accepts = |q: &str| TextFilter::new(q).matches(&line);
    assert!(accepts("connection reset"));
    assert!(accepts("\"CONNECTION RESET\""));
    assert!(accepts(""));
    assert!(!accepts("timeout"));
    assert_eq!(
        TextFilter::new("error AND timeout").lucene_hint(),
        Some("boolean operators")
    );
    assert_eq!(
        TextFilter::new("level:error").lucene_hint(),
        Some("field:value terms")
    );
    assert_eq!(TextFilter::new("time*").lucene_hint(), Some("wildcards"));
    assert_eq!(TextFilter::new("\"a:b AND c\"").lucene_hint(), None);
    assert_eq!(TextFilter::new("GET http://x/y").lucene_hint(), None);
    assert_eq!(TextFilter::new("connection reset").lucene_hint(), None);
    let unicode = lines.line(&raw("Größe überschritten".as_bytes()));
    assert!(TextFilter::new("gRÖße").matches(&unicode));
    assert!(TextFilter::new("ÜBERSCHRITTEN").matches(&unicode));
}

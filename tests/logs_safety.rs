//! The proof that a log line cannot reach the terminal: hostile lines (colour and cursor CSI,
//! an OSC 0 title, an OSC 52 clipboard write, BEL, CR, backspace, the 8-bit CSI 0x9b, bytes
//! that were not UTF-8) go through the logs pane drawn by ratatui's real `CrosstermBackend`
//! into a byte buffer, and the bytes are read as a terminal would read them: the only escape
//! sequences are the colour (SGR) and cursor moves ratatui itself writes, and every hostile
//! sequence is on screen in its visible form (`␛[31m`).

mod screens;

use funcdeck::app::{Credit, LogFeed, LogSummary, LogTarget, LogsOpened, Msg, Reply};
use funcdeck::theme::Theme;
use funcdeck::views::{LogsView, View};
use funcdeck_core::elastic::{Histogram, LineParser};
use funcdeck_core::key::ObjectKey;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::json;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 30;

/// Each hostile line, and what must be visible of it on screen.
const HOSTILE: &[(&[u8], &str)] = &[
    (
        b"colour \x1b[31mRED\x1b[0m back",
        "\u{241B}[31mRED\u{241B}[0m",
    ),
    (
        b"cursor \x1b[2J\x1b[10;10Hhome\x1b[5A",
        "\u{241B}[2J\u{241B}[10;10Hhome",
    ),
    (b"title \x1b]0;pwned\x07 set", "\u{241B}]0;pwned\u{2407}"),
    (
        b"clip \x1b]52;c;cm0gLXJmIH4=\x1b\\ copied",
        "\u{241B}]52;c;cm0gLXJmIH4=",
    ),
    (b"bell \x07\x07 ding", "bell \u{2407}\u{2407} ding"),
    (b"overwrite\rfake line", "overwrite\u{240D}fake line"),
    (
        b"back\x08\x08\x08space",
        "back\u{2408}\u{2408}\u{2408}space",
    ),
    (b"c1 \xc2\x9b31m eight-bit csi", "c1 <U+009B>31m"),
    (
        b"bad utf8 \xff\xfe\xc3( end",
        "bad utf8 \u{FFFD}\u{FFFD}\u{FFFD}( end",
    ),
    (b"status \x1b[6n report", "\u{241B}[6n"),
];

fn hostile_lines() -> Vec<funcdeck_core::elastic::LogLine> {
    let mut parser = LineParser::default();
    let base = chrono::DateTime::from_timestamp(1_796_212_740, 0).expect("in range");
    HOSTILE
        .iter()
        .enumerate()
        .map(|(i, (bytes, _))| {
            // A backend's JSON is UTF-8: bytes that were not arrive replaced, as here.
            let text = String::from_utf8_lossy(bytes);
            let source = json!({
                "@timestamp": (base + chrono::Duration::seconds(i as i64)).to_rfc3339(),
                "log": text,
                "kubernetes": {"pod_name": "evil-00001-deployment-abc-x2x4q",
                    "container_name": "user-container", "namespace_name": "default"},
            });
            parser.parse("logstash-2026.11.27", &format!("d{i}"), &source, None)
        })
        .collect()
}

/// The pane with the hostile lines (the first read and a tail batch), as raw terminal bytes.
fn drawn(wrap: bool) -> Vec<u8> {
    let mut app = screens::all();
    let target = LogTarget::function(ObjectKey::new("default", "evil"));
    app.push(View::Logs(Box::new(LogsView::new(target, 100))));
    let mut lines = hostile_lines();
    let later = lines.split_off(5);
    let end = chrono::DateTime::from_timestamp(1_796_212_800, 0).expect("in range");
    screens::reply(
        &mut app,
        1,
        Reply::Logs(Ok(LogFeed::Opened(Box::new(LogsOpened {
            source: "Elasticsearch \x1b]0;pwned\x07 at logging/elasticsearch:9200".into(),
            lines,
            summary: LogSummary {
                end,
                histogram: Histogram {
                    interval_s: 60,
                    buckets: vec![(end, 10)],
                },
                fields: Vec::new(),
            },
        })))),
    );
    screens::reply(
        &mut app,
        1,
        Reply::Logs(Ok(LogFeed::Tail {
            lines: later,
            credit: Credit::default(),
        })),
    );
    if wrap {
        screens::press(&mut app, "w");
    }
    app.update(Msg::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app.settle();
    let bytes = Bytes::default();
    let backend = CrosstermBackend::new(bytes.clone());
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )
    .expect("terminal");
    let theme = Theme::builtin();
    terminal
        .draw(|frame| funcdeck::ui::draw(frame, &app, &theme))
        .expect("draw");
    drop(terminal);
    bytes.0.borrow().clone()
}

/// What the terminal would have been sent (shared, so it can be read after the draw).
#[derive(Clone, Default)]
struct Bytes(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Bytes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every escape sequence in `bytes`, as the text after ESC up to its final byte.
fn escapes(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b {
            let start = i + 1;
            let mut end = start + 1;
            // CSI: parameters and intermediates up to a final byte in 0x40..=0x7e.
            while end < bytes.len() && !(0x40..=0x7e).contains(&bytes[end]) {
                end += 1;
            }
            out.push(String::from_utf8_lossy(&bytes[start..=end.min(bytes.len() - 1)]).into());
            i = end;
        }
        i += 1;
    }
    out
}

fn assert_inert(bytes: &[u8]) {
    assert!(!bytes.is_empty());
    assert!(
        !bytes.windows(2).any(|w| w == b"\x1b]"),
        "an OSC reached the terminal"
    );
    assert!(!bytes.contains(&0x07), "a BEL reached the terminal");
    assert!(!bytes.contains(&b'\r'), "a CR reached the terminal");
    assert!(!bytes.contains(&0x08), "a backspace reached the terminal");
    let text = std::str::from_utf8(bytes).expect("the terminal gets UTF-8");
    assert!(
        !text.contains('\u{9b}'),
        "an 8-bit CSI reached the terminal"
    );
    for seq in escapes(bytes) {
        let ok = seq.starts_with('[')
            && (seq.ends_with('m') || seq.ends_with('H') || seq == "[?25l" || seq == "[?25h")
            && seq[1..seq.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ';' || c == '?');
        assert!(ok, "an escape ratatui does not write: ESC{seq:?}");
    }
    // Cursor moves are ratatui's own: to a cell on this screen, never elsewhere.
    for seq in escapes(bytes).iter().filter(|s| s.ends_with('H')) {
        let at: Vec<u16> = seq[1..seq.len() - 1]
            .split(';')
            .map(|n| n.parse().expect("a number"))
            .collect();
        assert!(at.len() == 2 && at[0] <= HEIGHT && at[1] <= WIDTH, "{seq}");
    }
    assert!(
        escapes(bytes).iter().any(|s| s.ends_with('m')),
        "ratatui's own colours are there to tell apart"
    );
    for (_, visible) in HOSTILE {
        assert!(text.contains(visible), "not shown visibly: {visible:?}");
    }
}

#[test]
fn hostile_lines_reach_the_terminal_only_as_visible_text() {
    assert_inert(&drawn(false));
}

#[test]
fn wrapped_hostile_lines_too() {
    assert_inert(&drawn(true));
}

#[test]
fn the_check_itself_catches_what_it_looks_for() {
    // The same checks on bytes a naive pane would write must fail.
    for raw in [
        &b"\x1b[1mx\x1b]0;t\x07"[..],
        b"\x1b[1ma\rb",
        b"\x1b[1m\x1b[6n",
        b"\x1b[1m\x07",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert(raw)).is_err();
        assert!(caught, "{raw:?} slipped through");
    }
}

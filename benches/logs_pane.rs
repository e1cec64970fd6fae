//! Ingest into the logs pane, as a live tail delivers it: a batch of 1,000 lines arrives as
//! a message through the app's routing into a pane whose 100,000-line buffer is full (so every
//! line lets the oldest go), then the frame is settled and drawn at 200x60 with the fields
//! panel. DESIGN.md §9 asks for at least 50,000 lines/s; parsing the lines off the wire is
//! measured on its own by `log_ingest`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
mod support;

use funcdeck::app::{Credit, LogFeed, LogSummary, LogTarget, LogsOpened, Msg, Reply, Ticket};
use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck::views::{LogsView, View};
use funcdeck_core::elastic::{DEFAULT_CAPACITY, Histogram, LineParser, LogLine, TopValues};
use funcdeck_core::key::ObjectKey;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

const BATCH: usize = 1_000;

/// Knative-shaped lines: a request log with a trace id, plain and levelled lines.
fn lines(n: usize, from: usize) -> Vec<LogLine> {
    let mut parser = LineParser::default();
    (from..from + n)
        .map(|i| {
            let log = match i % 4 {
                0 => format!("INFO handled GET / in {}ms", i % 200),
                1 => format!("WARN slow call to inventory took {}ms", i % 900),
                2 => json!({"level": "info", "msg": "request handled", "duration_ms": i % 90})
                    .to_string(),
                _ => json!({"httpRequest": {"requestMethod": "GET", "status": 200,
                    "latency": "0.003s"}, "traceId": format!("{i:032x}")})
                .to_string(),
            };
            let at = chrono::DateTime::from_timestamp_millis(1_796_212_800_000 + i as i64)
                .expect("in range");
            let source = json!({
                "@timestamp": at.to_rfc3339(),
                "log": log,
                "stream": "stdout",
                "kubernetes": {"pod_name": format!("hello-00001-deployment-7d9f8b6c5d-{}", i % 7),
                    "namespace_name": "default", "container_name": "user-container"},
            });
            parser.parse("logstash-2026.11.27", &format!("d{i}"), &source, None)
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let mut app = support::connected_app();
    let target = LogTarget::function(ObjectKey::new("default", "hello"));
    app.push(View::Logs(Box::new(LogsView::new(
        target,
        DEFAULT_CAPACITY,
    ))));
    let view = app.top().id;
    let ticket = Ticket {
        view,
        generation: 1,
    };
    let end = chrono::DateTime::from_timestamp_millis(1_796_212_800_000).expect("in range");
    let opened = LogsOpened {
        source: "Elasticsearch 8.15.0 at service logging/elasticsearch:9200".into(),
        lines: lines(DEFAULT_CAPACITY, 0),
        summary: LogSummary {
            end,
            histogram: Histogram {
                interval_s: 15,
                buckets: (0..60).map(|i| (end, i * 7 % 50)).collect(),
            },
            fields: vec![TopValues {
                field: "kubernetes.pod_name".into(),
                exact_field: "kubernetes.pod_name.keyword".into(),
                values: (0..5).map(|i| (format!("hello-{i}"), 100 - i)).collect(),
                others: 0,
            }],
        },
    };
    app.update(Msg::Reply {
        ticket,
        reply: Box::new(Reply::Logs(Ok(LogFeed::Opened(Box::new(opened))))),
    });
    // Later lines than the buffer's, in batches, used round and round.
    let batches: Vec<Vec<LogLine>> = (0..20usize)
        .map(|b| lines(BATCH, DEFAULT_CAPACITY + b * BATCH))
        .collect();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut group = c.benchmark_group("logs pane");
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut next = 0;
    group.bench_function(
        "ingest 1,000-line batch into a full 100k buffer + draw 200x60",
        |b| {
            b.iter(|| {
                // Each round later than the last, as a tail's lines are (a late line would be put
                // in its place by time: a different, rarer cost).
                let mut batch = batches[next % batches.len()].clone();
                let shift =
                    chrono::Duration::milliseconds(((next / batches.len()) * 20 * BATCH) as i64);
                for line in &mut batch {
                    line.timestamp += shift;
                }
                next += 1;
                app.update(Msg::Reply {
                    ticket,
                    reply: Box::new(Reply::Logs(Ok(LogFeed::Tail {
                        lines: batch,
                        credit: Credit::default(),
                    }))),
                });
                app.settle();
                terminal
                    .draw(|frame| ui::draw(frame, &app, &theme))
                    .expect("draw");
                black_box(terminal.backend().buffer().area);
            })
        },
    );
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);

//! The traces pane's read, end to end: the real runner finds the in-process sandbox's Jaeger
//! through the API server's service proxy (`observability/jaeger-query:16686`) and reads a
//! busy function's traces, with Knative's activator spans and the API that answered, then one
//! of them by its id.

mod support;

use std::time::{Duration, Instant};

use funcdeck::app::{Effect, Msg, Polled, Reply, Ticket, TraceFilter, ViewId, Watch};
use funcdeck_core::backend::{BackendError, Failure};
use funcdeck_core::error::CoreError;
use funcdeck_core::jaeger::TraceId;
use funcdeck_core::key::ObjectKey;
use support::runner::{connected, next, quick_sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_functions_traces_are_read_through_the_service_proxy() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = quick_sandbox(&kubeconfig, true).await;
    support::metered::pinned_hello(home.path(), &kubeconfig, &sandbox, 20.0).await;
    // The pane's first read should find traces: wait until the sandbox has recorded some.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sandbox.control().trace_count() == 0 {
        assert!(Instant::now() < deadline, "no trace recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (mut runner, mut rx) = connected(kubeconfig).await;
    let asked = Ticket {
        view: ViewId(5),
        generation: 1,
    };
    runner.run(Effect::Watch {
        ticket: asked,
        watch: Watch::Polled(Polled::Traces {
            key: ObjectKey::new("default", "hello"),
            since: Duration::from_secs(15 * 60),
            filter: TraceFilter::default(),
        }),
    });
    let search = loop {
        if let Msg::Reply { ticket, reply } = next(&mut rx).await
            && ticket == asked
        {
            match *reply {
                Reply::Traces(Ok(search)) => break search,
                Reply::Traces(Err(error)) => panic!("the read failed: {error}"),
                _ => {}
            }
        }
    };
    assert!(!search.traces.is_empty(), "hello's traces");
    assert_eq!(search.traces.len(), search.summaries.len());
    assert!(
        search.source.contains("observability/jaeger-query") && search.source.contains("API"),
        "where Jaeger is and the API that answered: {}",
        search.source
    );
    let services: Vec<&str> = search.traces[0].services();
    assert!(
        services.iter().any(|s| s.contains("activator")) && services.contains(&"hello"),
        "Knative's spans: {services:?}"
    );
    // Newest first.
    let starts: Vec<_> = search.summaries.iter().map(|s| s.start).collect();
    assert!(starts.windows(2).all(|w| w[0] >= w[1]), "{starts:?}");

    // A trace named by its id (`:trace ID`, a log line) is read alone; an unknown id is a
    // 404 said as such, not a failure of Jaeger.
    let wanted = search.traces[0].id.clone();
    let by_id = Ticket {
        view: ViewId(6),
        generation: 1,
    };
    let mut read = async |id: TraceId| {
        runner.run(Effect::ReadTrace { ticket: by_id, id });
        loop {
            if let Msg::Reply { ticket, reply } = next(&mut rx).await
                && ticket == by_id
                && let Reply::Trace(result) = *reply
            {
                break result;
            }
        }
    };
    let (trace, source) = read(wanted.clone()).await.expect("the trace by its id");
    assert!(trace.id.same(&wanted) && !trace.spans.is_empty());
    assert!(source.contains("observability/jaeger-query"), "{source}");
    let missing = read(TraceId::new("0123456789abcdef0123456789abcdef"))
        .await
        .expect_err("no such trace");
    assert!(
        matches!(
            &missing,
            CoreError::Backend(BackendError::Failed {
                reason: Failure::NotFound { .. },
                ..
            })
        ),
        "{missing:?}"
    );

    // Jaeger filters by duration itself (its rule: a span of the service searched lasts that
    // long): asked for the longest of hello's spans, only traces that long come.
    let longest = search
        .traces
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.service == "hello")
        .map(|s| s.duration_us as f64 / 1000.0)
        .fold(0.0, f64::max);
    let narrow = Ticket {
        view: ViewId(7),
        generation: 1,
    };
    runner.run(Effect::Watch {
        ticket: narrow,
        watch: Watch::Polled(Polled::Traces {
            key: ObjectKey::new("default", "hello"),
            since: Duration::from_secs(15 * 60),
            filter: TraceFilter {
                min_duration: Some(Duration::from_secs_f64(longest / 1000.0)),
                ..TraceFilter::default()
            },
        }),
    });
    let long = loop {
        if let Msg::Reply { ticket, reply } = next(&mut rx).await
            && ticket == narrow
            && let Reply::Traces(result) = *reply
        {
            break result.expect("the narrow search");
        }
    };
    assert!(!long.summaries.is_empty(), "the longest trace itself");
    assert!(
        long.summaries
            .iter()
            .all(|s| s.duration_ms >= longest - 0.001),
        "{:?}",
        long.summaries
            .iter()
            .map(|s| s.duration_ms)
            .collect::<Vec<_>>()
    );
    drop(sandbox);
}

//! The Usage view's figures against `funcdeck usage -o json` on the same sandbox, through a
//! real Prometheus (the `prometheus` binary, as `.ci/run` installs it) scraping the sandbox's
//! Knative-shaped exporters: the runner reads what the view shows (`Polled::Usage`), the view
//! draws it, and the numbers on screen are the CLI's.
//!
//! The pinned load keeps running between the two reads, so invocations may differ by what it
//! adds in the time between them (plus a scrape); pod-seconds are sampled every minute, so
//! they may differ by one step when a minute boundary falls between the reads.

mod screens;
mod support;

use std::time::{Duration, Instant};

use funcdeck::app::{Effect, Msg, Reply, Ticket, ViewId, Watch};
use funcdeck::runner::Runner;
use funcdeck::views::{UsageView, View};
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_sandbox::MetricsEra;

const RPS: f64 = 20.0;
const MONTH: Duration = Duration::from_secs(30 * 86_400);

/// The figures of the screen's row that starts with `name`: every cell after the name.
fn row(screen: &str, name: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.trim_matches('"').trim_matches('│').trim())
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row {name}:\n{screen}"))
        .split_whitespace()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

fn number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("\"{cell}\" is not a number"))
}

/// An allocated figure as the view prints it: a tenth, `-` for unknown (JSON null).
fn allocated(json: &serde_json::Value) -> String {
    json.as_f64()
        .map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

/// Reads usage through the runner, as the view asks for it, until `hello` has invocations and
/// pod-seconds (its pod seen at a whole minute, the step pods are sampled at).
async fn read_through_runner(kubeconfig: &std::path::Path) -> Reply {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(
        ClusterTarget {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            context: None,
        },
        tx,
    );
    let shell = Ticket {
        view: ViewId(0),
        generation: 1,
    };
    runner.run(Effect::Connect {
        ticket: shell,
        context: None,
    });
    let deadline = Instant::now() + Duration::from_secs(100);
    let mut generation = 0;
    loop {
        assert!(
            Instant::now() < deadline,
            "no invocations and pod-seconds of hello in time"
        );
        // A new generation reads at once; the runner would otherwise wait a minute.
        generation += 1;
        let ticket = Ticket {
            view: ViewId(2),
            generation,
        };
        runner.run(Effect::Watch {
            ticket,
            watch: Watch::Polled(funcdeck::app::Polled::Usage {
                scope: NamespaceScope::One("default".into()),
                since: MONTH,
            }),
        });
        let reply = loop {
            let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv())
                .await
                .expect("an answer in time")
                .expect("the channel stays open");
            if let Msg::Reply { ticket: t, reply } = msg
                && t == ticket
            {
                break *reply;
            }
        };
        if let Reply::Usage(Ok(metered)) = &reply
            && metered
                .usage
                .functions
                .iter()
                .any(|f| f.function == "hello" && f.invocations > 0.0 && f.pod_seconds > 0.0)
        {
            return reply;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_shows_what_funcdeck_usage_says() {
    funcdeck_core::tls::install_crypto_provider();
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = support::metered::start(&kubeconfig, MetricsEra::V119).await;
    support::metered::pinned_hello(home.path(), &kubeconfig, &sandbox, RPS).await;

    let reply = read_through_runner(&kubeconfig).await;
    let read_at = Instant::now();
    let usage = ["usage", "-n", "default", "--since", "30d", "-o", "json"];
    let out = support::metered::funcdeck(home.path(), &kubeconfig, &usage).await;
    let between = read_at.elapsed().as_secs_f64();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");

    // The view draws the runner's answer.
    let mut app = screens::app(NamespaceScope::One("default".into()));
    app.push(View::Usage(Box::<UsageView>::default()));
    screens::reply(&mut app, 1, reply);
    let screen = screens::render_sized(&mut app, 150, 20);
    assert!(
        screen.contains("Usage · last 30d · namespace default · service monitoring/prometheus:9090 via the API server"),
        "{screen}"
    );
    assert_eq!(
        json["source"]["prometheus"],
        "service monitoring/prometheus:9090 via the API server"
    );

    // Functions: NAME INVOCATIONS POD-SECONDS GB-SECONDS CPU-SECONDS (one namespace: no
    // NAMESPACE column). Tenants: TENANT FUNCTIONS INVOCATIONS POD-SECONDS GB- CPU-SECONDS.
    let function = &json["functions"][0];
    assert_eq!(function["function"], "hello", "{json}");
    let tenant = &json["tenants"][0];
    assert_eq!(tenant["namespace"], "default", "{json}");
    let shown_function = row(&screen, "hello");
    let shown_tenant = row(&screen, "default");
    assert_eq!(shown_tenant[0], "1", "one function in the tenant: {screen}");
    let added = RPS * (between + 1.0) * 1.15;
    for (shown, json) in [
        (&shown_function[..], function),
        (&shown_tenant[1..], tenant),
    ] {
        let invocations = number(&shown[0]);
        let cli_invocations = json["invocations"].as_f64().expect("invocations");
        assert!(
            invocations > 0.0
                && cli_invocations >= invocations - 1.0
                && cli_invocations <= invocations + added,
            "view {invocations}, CLI {cli_invocations} ({between:.1}s later):\n{screen}\n{json}"
        );
        let pod_seconds = number(&shown[1]);
        let cli_pod_seconds = json["pod_seconds"].as_f64().expect("pod_seconds");
        assert!(
            cli_pod_seconds == pod_seconds || cli_pod_seconds == pod_seconds + 60.0,
            "view {pod_seconds}, CLI {cli_pod_seconds}:\n{screen}\n{json}"
        );
        if cli_pod_seconds == pod_seconds {
            assert_eq!(shown[2], allocated(&json["gb_seconds"]), "{screen}\n{json}");
            assert_eq!(
                shown[3],
                allocated(&json["cpu_seconds"]),
                "{screen}\n{json}"
            );
        } else {
            // Known or unknown alike on both sides, whatever the minute added.
            assert_eq!(shown[2] == "-", json["gb_seconds"].is_null());
            assert_eq!(shown[3] == "-", json["cpu_seconds"].is_null());
        }
    }
    sandbox.shutdown().await;
}

//! A Prometheus that stops answering, end to end: the app's own effects run by the real runner
//! against a sandbox whose real Prometheus sits behind a switchable relay. The pane draws the
//! charts of the first read; once the relay holds every request, the next read gives up after
//! the configured timeout and the pane keeps the charts, saying why — while the app keeps taking
//! keys (the read runs in the runner, never in the UI loop).

mod screens;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use funcdeck::app::{App, Effect, Msg};
use funcdeck::config::Config;
use funcdeck::keymap::{Key, Keymap};
use funcdeck::runner::{Backends, Runner};
use funcdeck::views::{MetricsView, View};
use funcdeck_core::cluster::ClusterTarget;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_sandbox::{PrometheusMode, PrometheusStatus, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;

/// Forwards to `upstream` until `hold` is set; from then on requests are swallowed and never
/// answered, on new and kept-alive connections alike.
async fn relay(upstream: String, hold: Arc<AtomicBool>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, hold) = (upstream.clone(), Arc::clone(&hold));
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                });
                let mut buffer = vec![0u8; 16 * 1024];
                loop {
                    match client_read.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) if hold.load(Ordering::SeqCst) => {}
                        Ok(n) => {
                            if server_write.write_all(&buffer[..n]).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    port
}

/// Runs the app's effects and feeds it the runner's answers until `done` holds of the app.
async fn run_until(
    app: &mut App,
    runner: &mut Runner,
    rx: &mut UnboundedReceiver<Msg>,
    effects: Vec<Effect>,
    what: &str,
    done: impl Fn(&mut App) -> bool,
) {
    for effect in effects {
        runner.run(effect);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    while !done(app) {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("{what} in time:\n{}", screens::render_tall(app)))
            .expect("the runner stays");
        for effect in app.update(msg) {
            runner.run(effect);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prometheus_that_stops_answering_times_out_and_the_charts_stay() {
    funcdeck_core::tls::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 3,
        seed: 7,
        prometheus: PrometheusMode::Auto,
        scrape_interval: Duration::from_millis(250),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let PrometheusStatus::Started(url) = sandbox.prometheus() else {
        panic!(
            "the `prometheus` binary must be on PATH (apt-get install prometheus): {:?}",
            sandbox.prometheus()
        );
    };
    let upstream = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let hold = Arc::new(AtomicBool::new(false));
    let port = relay(upstream, Arc::clone(&hold)).await;
    let config: Config = toml::from_str(&format!(
        "[prometheus]\nurl = \"http://127.0.0.1:{port}\"\ntimeout = \"1s\"\n"
    ))
    .expect("config");

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(
        ClusterTarget {
            kubeconfig: Some(dir.path().join("kubeconfig")),
            context: None,
        },
        tx,
    )
    .with_backends(Backends::new(config));
    let mut app = App::new(
        Keymap::defaults(),
        Some(NamespaceScope::All),
        chrono::Utc::now(),
    );
    app.update(Msg::Resize {
        width: screens::WIDTH,
        height: screens::TALL,
    });
    let effects = app.start();
    run_until(&mut app, &mut runner, &mut rx, effects, "the list", |app| {
        screens::render_tall(app).contains("Functions(all)[3]")
    })
    .await;

    let View::Functions(list) = &app.top().view else {
        panic!("the Functions list");
    };
    let first: ObjectKey = list
        .list
        .items
        .data()
        .and_then(|d| d.rows(0, 1).next().map(|f| f.key.clone()))
        .expect("a function");
    // Traffic, so Knative's metrics exist and the charts have lines.
    sandbox
        .control()
        .set_load(&first.namespace, &first.name, Some(5.0));
    let effects = app.push(View::Metrics(Box::new(MetricsView::new(first))));
    run_until(
        &mut app,
        &mut runner,
        &mut rx,
        effects,
        "the charts",
        |app| {
            let screen = screens::render_tall(app);
            screen.contains(&format!("127.0.0.1:{port}")) && screen.contains("Requests/s")
        },
    )
    .await;

    hold.store(true, Ordering::SeqCst);
    run_until(
        &mut app,
        &mut runner,
        &mut rx,
        Vec::new(),
        "the timeout",
        |app| screens::render_tall(app).contains("showing the last good data"),
    )
    .await;
    let screen = screens::render_tall(&mut app);
    assert!(
        screen.contains(&format!(
            "showing the last good data: Prometheus at http://127.0.0.1:{port}: no answer within 1s"
        )),
        "{screen}"
    );
    assert!(screen.contains("Requests/s"), "the charts stay:\n{screen}");
    // The UI answers keys meanwhile: the next range is asked for at once.
    let effects = app.update(Msg::Key(Key::plain(']')));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Watch { .. })),
        "{effects:?}"
    );
    sandbox.shutdown().await;
}

//! The Prometheus client against the real `prometheus` binary (Debian's 2.42, installed by
//! `.ci/run`) on 127.0.0.1 with a free port and its data in a temp dir, scraping itself every
//! second. Skipped, saying so, only when the binary is not on PATH.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use chrono::Utc;
use funcdeck_core::backend::{AuthConfig, BackendError, EndpointConfig, Failure};
use funcdeck_core::prometheus::{PrometheusClient, QueryData, locate};
use std::process::{Child, Command};

/// Long enough for a cold start on a loaded CI machine; the loops end as soon as data is there.
const WAIT: Duration = Duration::from_secs(60);

/// bcrypt (cost 4) of `s3cret-for-tests`, for Prometheus' `basic_auth_users`.
const PASSWORD: &str = "s3cret-for-tests";
const PASSWORD_HASH: &str = "$2b$04$lnWtVo0Qngo.yHg8oc1pvegS8cl0ahPJ0ySE5eFm9hSIh4C4Dpq7a";

struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    // A failed assertion must not leave a prometheus running.
    fn drop(&mut self) {
        self.stop();
    }
}

fn have_prometheus() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("prometheus").is_file()));
    if !found {
        eprintln!(
            "SKIPPED: the `prometheus` binary is not on PATH; install it (Debian/Ubuntu: \
             apt-get install prometheus) to run these tests"
        );
    }
    found
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Starts prometheus scraping itself; with `basic_auth`, its web endpoints need the password.
async fn start(basic_auth: bool) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let scrape_auth = if basic_auth {
        format!("    basic_auth: {{username: funcdeck, password: {PASSWORD}}}\n")
    } else {
        String::new()
    };
    let config = format!(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: prometheus\n{scrape_auth}    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
    );
    write(&dir.path().join("prom.yml"), &config);
    let mut cmd = Command::new("prometheus");
    cmd.arg(format!(
        "--config.file={}",
        dir.path().join("prom.yml").display()
    ))
    .arg(format!(
        "--storage.tsdb.path={}",
        dir.path().join("data").display()
    ))
    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
    .arg("--log.level=warn")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    if basic_auth {
        write(
            &dir.path().join("web.yml"),
            &format!("basic_auth_users:\n  funcdeck: {PASSWORD_HASH}\n"),
        );
        cmd.arg(format!(
            "--web.config.file={}",
            dir.path().join("web.yml").display()
        ));
    }
    let child = cmd.spawn().expect("prometheus starts");
    Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

async fn client(url: &str, auth: AuthConfig, timeout: &str) -> PrometheusClient {
    let config = EndpointConfig {
        url: Some(url.to_owned()),
        auth,
        timeout: Some(timeout.to_owned()),
        ..EndpointConfig::default()
    };
    locate(Some(&config), None)
        .await
        .expect("a configured endpoint")
}

/// Polls until `ready()` answers (Prometheus is refused, then 503, while starting).
async fn wait_ready(prom: &PrometheusClient) -> String {
    tokio::time::timeout(WAIT, async {
        loop {
            if let Ok(text) = prom.ready().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("prometheus became ready")
}

#[tokio::test]
async fn queries_against_a_real_prometheus() {
    if !have_prometheus() {
        return;
    }
    let mut server = start(false).await;
    let prom = client(&server.url, AuthConfig::None, "10s").await;
    assert_eq!(prom.source(), format!("{} (config)", server.url));
    assert_eq!(wait_ready(&prom).await, "Prometheus Server is Ready.");
    assert_eq!(
        prom.healthy().await.expect("healthy"),
        "Prometheus Server is Healthy."
    );

    // The first self-scrape lands about a second after start.
    let up = tokio::time::timeout(WAIT, async {
        loop {
            if let Ok(answer) = prom.instant("up", None).await
                && let QueryData::Vector(series) = answer.data
                && !series.is_empty()
            {
                return series;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("a scrape of itself");
    assert_eq!(up.len(), 1);
    assert_eq!(up[0].metric["job"], "prometheus");
    assert_eq!(
        up[0].metric["instance"],
        server.url.trim_start_matches("http://")
    );
    assert_eq!(up[0].value.map(|s| s.value), Some(1.0));

    let end = Utc::now();
    let start = end - chrono::Duration::seconds(30);
    let range = prom
        .range("up", start, end, Duration::from_secs(1))
        .await
        .expect("range query");
    assert_eq!(range.data.len(), 1);
    assert!(!range.data[0].values.is_empty());
    assert!(range.data[0].values.iter().all(|s| s.value == 1.0));
    assert!(
        range.data[0]
            .values
            .windows(2)
            .all(|w| w[1].time - w[0].time == 1.0)
    );

    let jobs = prom.label_values("job", &[]).await.expect("label values");
    assert_eq!(jobs.data, ["prometheus"]);
    let names = prom
        .label_values("__name__", &["{job=\"prometheus\"}"])
        .await
        .expect("metric names");
    assert!(names.data.iter().any(|n| n == "up"));
    assert!(
        names
            .data
            .iter()
            .any(|n| n == "prometheus_http_requests_total")
    );
    let series = prom.series(&["up"]).await.expect("series");
    assert_eq!(series.data.len(), 1);

    // NaN and Inf come back as floats.
    match prom.instant("0/0", None).await.expect("0/0").data {
        QueryData::Scalar(s) => assert!(s.value.is_nan()),
        other => panic!("expected a scalar, got {other:?}"),
    }
    let at = Utc::now();
    match prom.instant("1/0", Some(at)).await.expect("1/0").data {
        QueryData::Scalar(s) => {
            assert_eq!(s.value, f64::INFINITY);
            assert_eq!(s.time, at.timestamp_millis() as f64 / 1000.0);
        }
        other => panic!("expected a scalar, got {other:?}"),
    }

    // A query far longer than a URL may be still goes (as a POST form).
    let long = format!("up{}", " + 0 * up".repeat(2000));
    assert!(long.len() > 16_000);
    match prom.instant(&long, None).await.expect("long query").data {
        QueryData::Vector(v) => assert_eq!(v[0].value.map(|s| s.value), Some(1.0)),
        other => panic!("expected a vector, got {other:?}"),
    }

    let err = prom
        .instant("sum(rate(up[1m])", None)
        .await
        .expect_err("bad PromQL");
    assert!(
        matches!(&err, BackendError::Failed { reason: Failure::BadQuery { message }, .. } if message.contains("parse error")),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(&format!(
            "Prometheus at {}: bad query: invalid parameter",
            server.url
        )),
        "{err}"
    );
    let err = prom
        .instant(
            "prometheus_http_requests_total + on(job) prometheus_http_requests_total",
            None,
        )
        .await
        .expect_err("many-to-many");
    assert!(
        matches!(&err, BackendError::Failed { reason: Failure::Execution { message }, .. } if message.contains("many-to-many")),
        "{err:?}"
    );
    let err = prom
        .range("up", end, start, Duration::from_secs(1))
        .await
        .expect_err("end before start");
    assert!(
        matches!(
            err,
            BackendError::Failed {
                reason: Failure::BadQuery { .. },
                ..
            }
        ),
        "{err:?}"
    );
    let err = prom
        .label_values("no-such/label", &[])
        .await
        .expect_err("bad name");
    assert!(
        matches!(
            err,
            BackendError::Failed {
                reason: Failure::BadQuery { .. },
                ..
            }
        ),
        "{err:?}"
    );

    // Stopped: unreachable, and the message says where. The first call may still meet the
    // pooled connection the server just closed; the next one is refused outright.
    server.stop();
    let err = prom.ready().await.expect_err("stopped");
    assert!(
        matches!(&err, BackendError::Failed { reason: Failure::Unreachable { .. }, at, .. } if at == &server.url),
        "{err:?}"
    );
    let err = prom.instant("up", None).await.expect_err("stopped");
    match &err {
        BackendError::Failed {
            reason: Failure::Unreachable { reason },
            ..
        } => assert!(reason.to_lowercase().contains("refused"), "{reason}"),
        other => panic!("expected unreachable, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with(&format!("Prometheus at {}: unreachable: ", server.url)),
        "{err}"
    );
    assert_eq!(err.kind_label(), "backend-unreachable");
}

#[tokio::test]
async fn basic_auth_is_sent_and_a_refusal_is_unauthorized() {
    if !have_prometheus() {
        return;
    }
    let server = start(true).await;
    let good = AuthConfig::Basic {
        username: "funcdeck".into(),
        password: PASSWORD.into(),
    };
    let prom = client(&server.url, good, "10s").await;
    assert_eq!(wait_ready(&prom).await, "Prometheus Server is Ready.");
    prom.label_values("job", &[])
        .await
        .expect("with the password");

    for auth in [
        AuthConfig::None,
        AuthConfig::Basic {
            username: "funcdeck".into(),
            password: "wrong".into(),
        },
        AuthConfig::Bearer {
            token: Some("not-a-password".into()),
            token_file: None,
        },
    ] {
        let other = client(&server.url, auth.clone(), "10s").await;
        let err = other.instant("up", None).await.expect_err("refused");
        assert!(
            matches!(
                &err,
                BackendError::Failed {
                    reason: Failure::Unauthorized { code: 401, .. },
                    ..
                }
            ),
            "{auth:?}: {err:?}"
        );
        assert!(
            err.to_string()
                .contains(": unauthorized (401): Unauthorized"),
            "{err}"
        );
    }
}

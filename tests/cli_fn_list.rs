//! `funcdeck fn list` and `funcdeck sandbox` as a user runs them, next to the real kubectl.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use support::{SandboxProcess, funcdeck, run, wait_for};

#[test]
fn lists_functions_from_the_sandbox_in_every_format() {
    let home = tempfile::tempdir().expect("tempdir");
    let sandbox = SandboxProcess::start(home.path(), 30, 3);
    let kubeconfig = sandbox.kubeconfig.to_str().expect("utf8 path").to_owned();

    let table = run(funcdeck(home.path()).args(["fn", "list", "-A", "--kubeconfig", &kubeconfig]));
    assert_eq!(table.status, 0, "{}", table.stderr);
    let mut lines = table.stdout.lines();
    let header = lines.next().expect("a header");
    for column in [
        "NAMESPACE",
        "NAME",
        "READY",
        "REASON",
        "LATEST",
        "TRAFFIC",
        "URL",
        "AGE",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert_eq!(lines.count(), 30);

    let json = run(funcdeck(home.path()).args([
        "fn",
        "list",
        "-A",
        "-o",
        "json",
        "--kubeconfig",
        &kubeconfig,
    ]));
    assert_eq!(json.status, 0, "{}", json.stderr);
    let list: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 30);
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "Service" && i["apiVersion"] == "serving.knative.dev/v1")
    );
    assert!(
        items.iter().all(|i| i["status"]["conditions"].is_array()),
        "full objects, with status"
    );

    let shop = run(funcdeck(home.path()).args([
        "fn",
        "list",
        "-n",
        "shop",
        "-o",
        "json",
        "--kubeconfig",
        &kubeconfig,
    ]));
    let shop: serde_json::Value = serde_json::from_str(&shop.stdout).expect("valid JSON");
    let shop_items = shop["items"].as_array().expect("items");
    assert!(!shop_items.is_empty());
    assert!(
        shop_items
            .iter()
            .all(|i| i["metadata"]["namespace"] == "shop")
    );

    let yaml = run(funcdeck(home.path()).args([
        "fn",
        "list",
        "-A",
        "-o",
        "yaml",
        "--kubeconfig",
        &kubeconfig,
    ]));
    assert_eq!(yaml.status, 0, "{}", yaml.stderr);
    assert!(
        yaml.stdout.contains("kind: List"),
        "{}",
        &yaml.stdout[..yaml.stdout.len().min(300)]
    );
}

#[test]
fn kubectl_and_funcdeck_see_the_same_cluster() {
    let home = tempfile::tempdir().expect("tempdir");
    let cache = home.path().join("kube-cache");
    let sandbox = SandboxProcess::start(home.path(), 12, 5);
    let kubeconfig = sandbox.kubeconfig.to_str().expect("utf8 path").to_owned();

    let get = run(sandbox.kubectl(&cache).args(["get", "ksvc", "-A"]));
    assert_eq!(get.status, 0, "{}", get.stderr);
    assert!(get.stdout.starts_with("NAMESPACE"), "{}", get.stdout);
    assert_eq!(get.stdout.lines().count(), 13);

    let manifest = home.path().join("hello.json");
    std::fs::write(
        &manifest,
        r#"{"apiVersion":"serving.knative.dev/v1","kind":"Service",
            "metadata":{"name":"cli-hello","namespace":"default","labels":{"team":"cli-test"}},
            "spec":{"template":{"spec":{"containers":[{"image":"ghcr.io/knative/helloworld-go:latest"}]}}}}"#,
    )
    .expect("write manifest");
    let create = run(sandbox
        .kubectl(&cache)
        .arg("create")
        .arg("-f")
        .arg(&manifest));
    assert_eq!(create.status, 0, "{}", create.stderr);

    // funcdeck sees the new function, selected by label, and it becomes ready.
    let row = wait_for(Duration::from_secs(20), "cli-hello to be Ready", || {
        let out = run(funcdeck(home.path()).args([
            "fn",
            "list",
            "-n",
            "default",
            "-l",
            "team=cli-test",
            "--kubeconfig",
            &kubeconfig,
        ]));
        let rows: Vec<String> = out.stdout.lines().skip(1).map(str::to_owned).collect();
        (rows.len() == 1 && rows[0].contains("Ready") && rows[0].contains("cli-hello-00001"))
            .then(|| rows[0].clone())
    });
    assert!(row.starts_with("cli-hello"), "{row}");

    let yaml = run(sandbox.kubectl(&cache).args([
        "get",
        "ksvc",
        "cli-hello",
        "-n",
        "default",
        "-o",
        "yaml",
    ]));
    assert_eq!(yaml.status, 0, "{}", yaml.stderr);
    assert!(
        yaml.stdout
            .contains("latestReadyRevisionName: cli-hello-00001"),
        "{}",
        yaml.stdout
    );

    let delete =
        run(sandbox
            .kubectl(&cache)
            .args(["delete", "ksvc", "cli-hello", "-n", "default"]));
    assert_eq!(delete.status, 0, "{}", delete.stderr);
    let after = run(funcdeck(home.path()).args([
        "fn",
        "list",
        "-n",
        "default",
        "-l",
        "team=cli-test",
        "--kubeconfig",
        &kubeconfig,
    ]));
    assert_eq!(after.status, 0);
    assert_eq!(after.stdout, "");
    assert!(
        after
            .stderr
            .contains("No functions found in namespace default"),
        "{}",
        after.stderr
    );
}

#[test]
fn the_sandbox_stops_cleanly_on_sigterm() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut sandbox = SandboxProcess::start(home.path(), 3, 1);
    let pid = sandbox.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = wait_for(Duration::from_secs(10), "the sandbox to exit", || {
        sandbox.child.try_wait().ok().flatten()
    });
    assert!(status.success(), "{status:?}");
}

fn expect_failure(home: &std::path::Path, args: &[&str], needle: &str) {
    let out = run(funcdeck(home).args(args));
    assert_eq!(
        out.status, 1,
        "stdout: {} stderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(
        out.stderr.contains(needle),
        "expected {needle:?} in {:?}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn bad_kubeconfigs_are_reported_with_their_cause() {
    let home = tempfile::tempdir().expect("tempdir");
    let missing = home.path().join("nope.yaml");
    expect_failure(
        home.path(),
        &[
            "fn",
            "list",
            "--kubeconfig",
            missing.to_str().expect("utf8"),
        ],
        "nope.yaml",
    );

    let broken = home.path().join("broken.yaml");
    std::fs::write(&broken, "apiVersion: v1\nclusters: [ {{{\n").expect("write");
    expect_failure(
        home.path(),
        &["fn", "list", "--kubeconfig", broken.to_str().expect("utf8")],
        "broken.yaml",
    );

    let sandbox = SandboxProcess::start(home.path(), 1, 1);
    let kubeconfig = sandbox.kubeconfig.to_str().expect("utf8").to_owned();
    expect_failure(
        home.path(),
        &[
            "fn",
            "list",
            "--kubeconfig",
            &kubeconfig,
            "--context",
            "prod",
        ],
        "prod",
    );
}

#[test]
fn an_unreachable_server_is_named() {
    let home = tempfile::tempdir().expect("tempdir");
    // A port that was free a moment ago: nothing listens there now.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let kubeconfig = write_kubeconfig(home.path(), &format!("http://127.0.0.1:{port}"));
    expect_failure(
        home.path(),
        &["fn", "list", "--kubeconfig", &kubeconfig],
        "cannot reach",
    );
}

#[test]
fn a_forbidden_list_shows_the_servers_message() {
    let home = tempfile::tempdir().expect("tempdir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let body = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services.serving.knative.dev is forbidden: User \"viewer\" cannot list resource \"services\" in API group \"serving.knative.dev\" in the namespace \"default\"","reason":"Forbidden","details":{"group":"serving.knative.dev","kind":"services"},"code":403}"#;
        for stream in listener.incoming().flatten().take(8) {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let kubeconfig = write_kubeconfig(home.path(), &format!("http://127.0.0.1:{port}"));
    expect_failure(
        home.path(),
        &["fn", "list", "--kubeconfig", &kubeconfig],
        "cannot list resource \"services\"",
    );
}

fn write_kubeconfig(dir: &std::path::Path, server: &str) -> String {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
             contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user: {{}}\n"
        ),
    )
    .expect("write kubeconfig");
    path.to_str().expect("utf8").to_owned()
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let home = tempfile::tempdir().expect("tempdir");
    let sandbox = SandboxProcess::start(home.path(), 40, 2);
    let kubeconfig = sandbox.kubeconfig.to_str().expect("utf8").to_owned();
    let mut child = funcdeck(home.path())
        .args([
            "fn",
            "list",
            "-A",
            "-o",
            "yaml",
            "--kubeconfig",
            &kubeconfig,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one byte, then hang up, like `| head -c 1`.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

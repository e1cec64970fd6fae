//! The logs pane in a real terminal on `--sandbox` (its Elasticsearch served through the
//! service proxy): `L` on a busy function shows its lines under the histogram with the fields
//! panel, a typed query narrows them (every line shown then matches), `s` pauses the tail and
//! resumes it; with `--elasticsearch off` the pane follows the pods' own logs instead.

mod support;

use support::tmux::Tmux;

#[test]
fn l_on_a_busy_function_shows_its_logs_a_query_narrows_them_and_the_tail_pauses() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n default");
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("greeter")
    });
    tmux.send(&["/", "greeter", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/greeter█"));
    tmux.send(&["L"]);
    let screen = tmux.wait_for_screen("the logs", |s| {
        s.contains("Logs default/greeter · last 15m")
            && s.contains("logging/elasticsearch")
            && s.contains("pod_name")
            && s.contains("● live")
            && s.lines()
                .any(|l| l.contains("INFO ") || l.contains("WARN "))
    });
    assert!(screen.contains("query every line"), "{screen}");
    tmux.send(&["f", "slow", "Enter"]);
    let screen = tmux.wait_for_screen("the narrowed lines", |s| {
        s.contains("query slow") && s.lines().any(|l| l.contains("slow call to inventory"))
    });
    // Every line on screen matches: the rows with a time in front are lines.
    let lines: Vec<&str> = screen.lines().filter(|l| is_log_row(l)).collect();
    assert!(!lines.is_empty(), "{screen}");
    assert!(
        lines.iter().all(|l| l.to_lowercase().contains("slow")),
        "a line that does not match the query:\n{screen}"
    );
    tmux.send(&["s"]);
    tmux.wait_for_screen("paused", |s| {
        s.contains("⏸ paused") && s.contains("new waiting")
    });
    tmux.send(&["s"]);
    tmux.wait_for_screen("live again", |s| {
        s.contains("● live") && !s.contains("⏸ paused")
    });
}

#[test]
fn without_elasticsearch_l_follows_the_pods_logs() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox --elasticsearch off -n default");
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("greeter")
    });
    tmux.send(&["/", "greeter", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/greeter█"));
    tmux.send(&["L"]);
    let screen = tmux.wait_for_screen("the pods' lines", |s| {
        s.contains("Logs default/greeter")
            && s.contains("the pods' logs (no Elasticsearch found)")
            && s.lines().filter(|l| is_log_row(l)).count() >= 3
    });
    assert!(!screen.contains("logging/elasticsearch"), "{screen}");
}

/// `│12:00:01.234 WARN  x2x4q …`: a log line's first row.
fn is_log_row(row: &str) -> bool {
    let row = row.trim_start_matches('│');
    let b = row.as_bytes();
    b.len() > 13 && b[2] == b':' && b[5] == b':' && b[8] == b'.' && b[12] == b' '
}

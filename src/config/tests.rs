use super::*;
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

fn paths_in(dir: &Path) -> Paths {
    Paths {
        config_dir: dir.to_path_buf(),
        state_dir: dir.join("state"),
    }
}

#[test]
fn config_marks_contexts_read_only_and_a_broken_file_warns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = paths_in(dir.path());
    let mut warnings = Vec::new();
    assert_eq!(Config::load(&paths, &mut warnings), Config::default());
    std::fs::write(
        paths.config_file(),
        "[contexts.prod]\nreadonly = true\n[contexts.dev]\nreadonly = false\n",
    )
    .expect("write");
    let config = Config::load(&paths, &mut warnings);
    assert_eq!(
        config.readonly_contexts().into_iter().collect::<Vec<_>>(),
        ["prod"]
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    std::fs::write(paths.config_file(), "[contexts.prod]\nread_only = true\n").expect("write");
    assert_eq!(Config::load(&paths, &mut warnings), Config::default());
    assert!(
        warnings[0].contains("unknown field `read_only`"),
        "{warnings:?}"
    );
}

#[test]
fn prometheus_comes_from_the_context_then_the_global_table() {
    let config: Config = toml::from_str(
        r#"
        [prometheus]
        url = "http://global:9090"
        timeout = "5s"

        [contexts.prod]
        readonly = true

        [contexts.prod.prometheus]
        service = "metrics/prometheus-k8s:9090"
        auth = { type = "bearer", token_file = "/run/token" }

        [contexts.dev]
        readonly = false
        "#,
    )
    .expect("parses");
    let prod = config.prometheus_for("prod").expect("prod's own");
    assert_eq!(prod.service.as_deref(), Some("metrics/prometheus-k8s:9090"));
    assert_eq!(
        prod.timeout, None,
        "the context's table replaces the global one whole"
    );
    let dev = config.prometheus_for("dev").expect("the global one");
    assert_eq!(dev.url.as_deref(), Some("http://global:9090"));
    assert_eq!(
        config
            .prometheus_for("unlisted")
            .and_then(|p| p.url.as_deref()),
        Some("http://global:9090")
    );
    assert_eq!(Config::default().prometheus_for("prod"), None);
    let bad = toml::from_str::<Config>("[contexts.prod.prometheus]\nuri = \"http://x\"\n");
    assert!(
        bad.expect_err("unknown key")
            .message()
            .contains("unknown field `uri`")
    );
}

#[test]
fn jaeger_and_elasticsearch_are_configured_like_prometheus() {
    let config: Config = toml::from_str(
        r#"
        [jaeger]
        service = "tracing/jaeger-query:16686"
        [elasticsearch]
        url = "https://logs:9200"
        [contexts.prod.jaeger]
        url = "http://jaeger.prod:16686"
        "#,
    )
    .expect("parses");
    assert_eq!(
        config.jaeger_for("prod").and_then(|j| j.url.as_deref()),
        Some("http://jaeger.prod:16686")
    );
    assert_eq!(
        config.jaeger_for("dev").and_then(|j| j.service.as_deref()),
        Some("tracing/jaeger-query:16686")
    );
    assert_eq!(
        config
            .elasticsearch_for("prod")
            .and_then(|e| e.url.as_deref()),
        Some("https://logs:9200")
    );
    assert_eq!(config.prometheus_for("prod"), None);
    assert_eq!(
        config.elasticsearch_indices_for("prod"),
        funcdeck_core::elastic::DEFAULT_INDICES
    );
}

#[test]
fn elasticsearch_names_its_indices_per_context_and_only_there() {
    let config: Config = toml::from_str(
        r#"
        [elasticsearch]
        service = "logging/elasticsearch:9200"
        indices = "app-logs-*"
        [contexts.prod.elasticsearch]
        url = "https://logs.prod:9200"
        indices = "prod-*,audit-*"
        timeout = "2s"
        [contexts.dev.elasticsearch]
        url = "https://logs.dev:9200"
        "#,
    )
    .expect("parses");
    assert_eq!(config.elasticsearch_indices_for("other"), "app-logs-*");
    assert_eq!(config.elasticsearch_indices_for("prod"), "prod-*,audit-*");
    // A context's own table wins whole: no indices there means the default.
    assert_eq!(
        config.elasticsearch_indices_for("dev"),
        funcdeck_core::elastic::DEFAULT_INDICES
    );
    assert_eq!(
        config
            .elasticsearch_for("prod")
            .and_then(|e| e.timeout.as_deref()),
        Some("2s")
    );
    // Unknown keys are still refused, and `indices` is not a key of other backends.
    let typo = toml::from_str::<Config>("[elasticsearch]\nurl = \"http://x\"\nindex = \"a\"\n");
    assert!(typo.is_err());
    let elsewhere = toml::from_str::<Config>("[jaeger]\nurl = \"http://x\"\nindices = \"a\"\n");
    assert!(elsewhere.is_err());
}

#[test]
fn no_user_files_means_defaults_and_no_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = load_ui_settings(&paths_in(dir.path()), "default", "default");
    assert!(settings.warnings.is_empty(), "{:?}", settings.warnings);
    assert_eq!(
        settings
            .keymap
            .lookup(&[KeyContext::Functions, KeyContext::List], Key::plain('q')),
        Some(Command::Quit)
    );
}

#[test]
fn broken_user_files_fall_back_with_a_warning_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("keymaps")).expect("mkdir");
    std::fs::write(dir.path().join("keymaps/default.toml"), "[global\n").expect("write");
    let settings = load_ui_settings(&paths_in(dir.path()), "neon", "default");
    assert_eq!(settings.warnings.len(), 2, "{:?}", settings.warnings);
    assert!(settings.warnings[0].contains("not valid TOML"));
    assert!(settings.warnings[1].contains("theme \"neon\" not found"));
    assert_eq!(
        settings
            .keymap
            .lookup(&[KeyContext::Functions, KeyContext::List], Key::plain('j')),
        Some(Command::Down)
    );
}

#[test]
fn the_logs_buffer_is_configured_and_unknown_keys_are_refused() {
    let config: Config = toml::from_str("[logs]\nbuffer_lines = 5000\n").expect("parses");
    assert_eq!(config.logs.buffer_lines, 5000);
    assert_eq!(Config::default().logs.buffer_lines, 100_000);
    let config: Config = toml::from_str("[logs]\n").expect("parses");
    assert_eq!(config.logs.buffer_lines, 100_000);
    assert!(toml::from_str::<Config>("[logs]\nbuffer = 5\n").is_err());
}

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{kubeconfig_paths, load_kubeconfig};
use crate::CoreError;

fn kubeconfig(
    current: Option<&str>,
    contexts: &[(&str, &str, Option<&str>)],
    clusters: &[(&str, &str)],
) -> String {
    let mut s = String::from("apiVersion: v1\nkind: Config\n");
    if let Some(c) = current {
        s.push_str(&format!("current-context: {c}\n"));
    }
    s.push_str("clusters:\n");
    for (name, server) in clusters {
        s.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: {server}\n"
        ));
    }
    s.push_str("contexts:\n");
    for (name, cluster, ns) in contexts {
        s.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {cluster}\n    user: u\n"
        ));
        if let Some(ns) = ns {
            s.push_str(&format!("    namespace: {ns}\n"));
        }
    }
    s.push_str("users:\n- name: u\n  user: {}\n");
    s
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write kubeconfig");
    p
}

fn join_env(paths: &[&Path]) -> OsString {
    std::env::join_paths(paths).expect("joinable paths")
}

#[test]
fn explicit_path_wins_over_env_and_home() {
    let env = OsString::from("/a:/b");
    let got = kubeconfig_paths(
        Some(Path::new("/x")),
        Some(&env),
        Some(Path::new("/home/u")),
    );
    assert_eq!(got, vec![PathBuf::from("/x")]);
}

#[test]
fn env_list_skips_empty_entries_and_empty_env_falls_back_to_home() {
    let env = OsString::from("/a::/b:");
    assert_eq!(
        kubeconfig_paths(None, Some(&env), Some(Path::new("/h"))),
        vec![PathBuf::from("/a"), PathBuf::from("/b")]
    );
    let empty = OsString::new();
    assert_eq!(
        kubeconfig_paths(None, Some(&empty), Some(Path::new("/h"))),
        vec![PathBuf::from("/h/.kube/config")]
    );
    assert_eq!(
        kubeconfig_paths(None, None, Some(Path::new("/h"))),
        vec![PathBuf::from("/h/.kube/config")]
    );
    assert!(kubeconfig_paths(None, None, None).is_empty());
}

#[test]
fn home_config_is_used_and_its_context_resolved() {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(home.path().join(".kube")).expect("mkdir");
    write(
        &home.path().join(".kube"),
        "config",
        &kubeconfig(
            Some("dev"),
            &[("dev", "c1", Some("team-a"))],
            &[("c1", "https://dev.example:6443/")],
        ),
    );
    let loaded = load_kubeconfig(None, None, Some(home.path())).expect("loads");
    let ctx = loaded.resolve(None).expect("resolves");
    assert_eq!(ctx.context, "dev");
    assert_eq!(ctx.server, "https://dev.example:6443");
    assert_eq!(ctx.namespace, "team-a");
}

#[test]
fn two_files_merge_first_wins_per_entry_and_for_current_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = write(
        dir.path(),
        "one",
        &kubeconfig(
            Some("a"),
            &[("a", "ca", None), ("shared", "ca", Some("from-first"))],
            &[("ca", "http://first:1")],
        ),
    );
    let second = write(
        dir.path(),
        "two",
        &kubeconfig(
            Some("b"),
            &[
                ("b", "cb", Some("bee")),
                ("shared", "cb", Some("from-second")),
            ],
            &[("cb", "http://second:2"), ("ca", "http://ignored:9")],
        ),
    );
    let env = join_env(&[&first, &second]);
    let loaded = load_kubeconfig(None, Some(&env), None).expect("loads");
    assert_eq!(loaded.paths, vec![first.clone(), second]);
    assert_eq!(loaded.context_names(), vec!["a", "shared", "b"]);

    let current = loaded.resolve(None).expect("current context");
    assert_eq!(current.context, "a");
    assert_eq!(
        current.server, "http://first:1",
        "first file's cluster `ca` wins"
    );
    assert_eq!(current.namespace, "default");

    let b = loaded.resolve(Some("b")).expect("b from the second file");
    assert_eq!(b.server, "http://second:2");
    assert_eq!(b.namespace, "bee");

    let shared = loaded.resolve(Some("shared")).expect("shared");
    assert_eq!(shared.namespace, "from-first");
}

#[test]
fn missing_files_in_env_are_skipped_but_all_missing_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = write(
        dir.path(),
        "real",
        &kubeconfig(Some("a"), &[("a", "c", None)], &[("c", "http://x:1")]),
    );
    let ghost = dir.path().join("ghost");
    let env = join_env(&[&ghost, &real]);
    let loaded = load_kubeconfig(None, Some(&env), None).expect("skips the ghost");
    assert_eq!(loaded.paths, vec![real]);

    let env = join_env(&[&ghost]);
    assert_eq!(
        load_kubeconfig(None, Some(&env), None).expect_err("nothing there"),
        CoreError::KubeconfigMissing {
            searched: vec![ghost.clone()]
        }
    );
}

#[test]
fn missing_home_config_and_missing_explicit_file_name_what_was_searched() {
    let home = tempfile::tempdir().expect("tempdir");
    let err = load_kubeconfig(None, None, Some(home.path())).expect_err("no ~/.kube/config");
    assert_eq!(
        err,
        CoreError::KubeconfigMissing {
            searched: vec![home.path().join(".kube/config")]
        }
    );
    assert!(err.to_string().contains(".kube/config"), "{err}");

    let explicit = home.path().join("nope.yaml");
    assert_eq!(
        load_kubeconfig(Some(&explicit), None, Some(home.path())).expect_err("explicit missing"),
        CoreError::KubeconfigMissing {
            searched: vec![explicit]
        }
    );
}

#[test]
fn broken_yaml_is_invalid_and_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(dir.path(), "bad", "clusters: [unclosed\n  - : :\n");
    match load_kubeconfig(Some(&bad), None, None) {
        Err(CoreError::KubeconfigInvalid { path, reason }) => {
            assert_eq!(path, bad);
            assert!(reason.starts_with("not a valid kubeconfig"), "{reason}");
            assert!(
                !reason.contains('\n'),
                "one line for banners and stderr: {reason}"
            );
        }
        other => panic!("expected KubeconfigInvalid, got {other:?}"),
    }
    // Valid YAML, wrong structure.
    let wrong = write(dir.path(), "wrong", "contexts: 5\n");
    assert!(matches!(
        load_kubeconfig(Some(&wrong), None, None),
        Err(CoreError::KubeconfigInvalid { path, .. }) if path == wrong
    ));
}

#[test]
fn unknown_context_lists_the_available_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "cfg",
        &kubeconfig(
            Some("a"),
            &[("a", "c", None), ("b", "c", None)],
            &[("c", "http://x:1")],
        ),
    );
    let loaded = load_kubeconfig(Some(&p), None, None).expect("loads");
    let err = loaded.resolve(Some("prod")).expect_err("no prod");
    assert_eq!(
        err,
        CoreError::UnknownContext {
            context: "prod".into(),
            available: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "context \"prod\" not found in kubeconfig (available: a, b)"
    );
}

#[test]
fn no_current_context_or_dangling_cluster_is_invalid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "cfg",
        &kubeconfig(None, &[("a", "c", None)], &[("c", "http://x:1")]),
    );
    let loaded = load_kubeconfig(Some(&p), None, None).expect("loads");
    match loaded.resolve(None) {
        Err(CoreError::KubeconfigInvalid { reason, .. }) => {
            assert!(
                reason.contains("current-context") && reason.contains("available: a"),
                "{reason}"
            )
        }
        other => panic!("expected KubeconfigInvalid, got {other:?}"),
    }

    let p = write(
        dir.path(),
        "dangling",
        &kubeconfig(Some("a"), &[("a", "gone", None)], &[("c", "http://x:1")]),
    );
    let loaded = load_kubeconfig(Some(&p), None, None).expect("loads");
    assert!(matches!(
        loaded.resolve(None),
        Err(CoreError::KubeconfigInvalid { reason, .. }) if reason.contains("\"gone\"")
    ));
}

//! Read-only mode from the command line: `--readonly`, and a context marked `readonly = true`
//! in config.toml, refuse every change with exit code 1 and say why; other contexts are not
//! affected.

mod support;

use support::cluster::Cluster;

#[test]
fn a_context_marked_read_only_in_config_refuses_every_change() {
    let c = Cluster::start(0, 1);
    let config = c.home.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        "[contexts.sandbox-admin]\nreadonly = true\n",
    )
    .expect("write config");
    let create = [
        "fn",
        "create",
        "guarded",
        "-n",
        "default",
        "--image",
        "ghcr.io/acme/x:1",
    ];

    let out = c.funcdeck(&[&create[..], &["--context", "sandbox-admin"]].concat());
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "refusing to create function default/guarded: context sandbox-admin is read-only (readonly = true in config.toml)"
        ),
        "{}",
        out.stderr
    );
    assert_ne!(
        c.kubectl(&["get", "ksvc", "guarded", "-n", "default"])
            .status,
        0,
        "nothing was created"
    );

    // The kubeconfig's current context is not marked: the same command goes through, and
    // --readonly refuses it again.
    let out = c.funcdeck(&[&["--readonly"][..], &create[..]].concat());
    assert!(
        out.stderr.contains("funcdeck runs read-only (--readonly)"),
        "{}",
        out.stderr
    );
    let out = c.funcdeck(&create);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

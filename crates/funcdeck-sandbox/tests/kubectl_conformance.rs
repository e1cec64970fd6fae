//! The everyday kubectl verbs against the sandbox, with the real kubectl 1.32: exit codes,
//! printed output and the objects that result. Each test has its own sandbox and discovery
//! cache (trap 8).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use common::{Env, get_json, start};
use serde_json::Value;

const KSVC: &str = "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: conf
  namespace: default
  labels:
    team: a
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/acme/conf:1
        env:
        - name: MODE
          value: one
";

async fn ksvc(env: &Env, name: &str) -> Value {
    get_json(
        env.addr(),
        &format!("/apis/serving.knative.dev/v1/namespaces/default/services/{name}"),
    )
    .await
}

fn image(o: &Value) -> &str {
    o["spec"]["template"]["spec"]["containers"][0]["image"]
        .as_str()
        .unwrap_or("")
}

fn managers(o: &Value) -> Vec<String> {
    o["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}/{}",
                        e["manager"].as_str().unwrap(),
                        e["operation"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The header line's column names (kubectl pads with spaces; multi-word names are kept).
fn header(out: &str) -> Vec<String> {
    out.lines()
        .next()
        .unwrap_or("")
        .split("   ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_knative_table_columns_and_yaml_json() {
    let env = start(3, 50).await;
    let cases: [(&str, &[&str]); 4] = [
        (
            "ksvc",
            &[
                "NAMESPACE",
                "NAME",
                "URL",
                "LATESTCREATED",
                "LATESTREADY",
                "READY",
                "REASON",
                "AGE",
            ],
        ),
        (
            "configurations",
            &[
                "NAMESPACE",
                "NAME",
                "LATESTCREATED",
                "LATESTREADY",
                "READY",
                "REASON",
                "AGE",
            ],
        ),
        (
            "revisions",
            &[
                "NAMESPACE",
                "NAME",
                "CONFIG NAME",
                "GENERATION",
                "READY",
                "REASON",
                "ACTUAL REPLICAS",
                "DESIRED REPLICAS",
            ],
        ),
        (
            "routes",
            &["NAMESPACE", "NAME", "URL", "READY", "REASON", "AGE"],
        ),
    ];
    for (kind, cols) in cases {
        let out = env.kubectl(&["get", kind, "-A"]).await;
        assert_eq!(out.code, 0, "{kind}: {}", out.stderr);
        let got = header(&out.stdout);
        assert_eq!(&got[..cols.len()], cols, "{kind}:\n{}", out.stdout);
        assert!(out.stdout.lines().count() >= 4, "{kind}: {}", out.stdout);
    }
    let names = env.kubectl(&["get", "ksvc", "-A", "-o", "name"]).await;
    let first = names.stdout.lines().next().unwrap().to_string();
    let ns_list = env
        .kubectl(&[
            "get",
            "ksvc",
            "-A",
            "-o",
            "jsonpath={.items[0].metadata.namespace}",
        ])
        .await;
    let yaml = env
        .kubectl(&["get", &first, "-n", &ns_list.stdout, "-o", "yaml"])
        .await;
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    assert!(
        yaml.stdout
            .starts_with("apiVersion: serving.knative.dev/v1\nkind: Service\n")
    );
    assert!(yaml.stdout.contains("latestReadyRevisionName"));
    let json = env
        .kubectl(&["get", &first, "-n", &ns_list.stdout, "-o", "json"])
        .await;
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["kind"], "Service");
    assert!(v["metadata"]["resourceVersion"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_watch_prints_a_line_per_change() {
    let env = start(1, 50).await;
    let file = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut child = env.kubectl_spawn(&[
        "get",
        "ksvc",
        "conf",
        "-n",
        "default",
        "-w",
        "--output-watch-events",
    ]);
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let recv = |secs: u64| rx.recv_timeout(Duration::from_secs(secs)).ok();
    let head = recv(10).expect("header line");
    assert!(head.contains("EVENT") && head.contains("NAME"), "{head}");
    let first = recv(10).expect("initial row");
    assert!(
        first.starts_with("ADDED") && first.contains("conf"),
        "{first}"
    );
    let patch = env
        .kubectl(&["label", "ksvc", "conf", "-n", "default", "watched=yes"])
        .await;
    assert_eq!(patch.code, 0, "{}", patch.stderr);
    let mut seen = false;
    while let Some(line) = recv(10) {
        if line.starts_with("MODIFIED") && line.contains("conf") {
            seen = true;
            break;
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(seen, "no MODIFIED row after the label change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_apply_creates_then_configures_with_last_applied() {
    let env = start(1, 50).await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\n  labels:\n    a: \"1\"\ndata:\n  k1: v1\n  k2: v2\n";
    let f = env.file("cm.yaml", cm);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "configmap/settings created"),
        "{}",
        out.stderr
    );
    let f2 = env.file(
        "cm2.yaml",
        &cm.replace("  k2: v2\n", "").replace("k1: v1", "k1: v1b"),
    );
    let out = env.kubectl(&["apply", "-f", f2.to_str().unwrap()]).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "configmap/settings configured"),
        "{}",
        out.stderr
    );
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/settings").await;
    assert_eq!(o["data"], serde_json::json!({"k1": "v1b"}));
    let last = o["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
        .as_str()
        .unwrap();
    assert!(last.contains("v1b"), "{last}");
    assert!(
        managers(&o).contains(&"kubectl-client-side-apply/Update".to_string()),
        "{:?}",
        managers(&o)
    );
    let same = env.kubectl(&["apply", "-f", f2.to_str().unwrap()]).await;
    assert_eq!(same.stdout.trim(), "configmap/settings unchanged");

    // A Knative Service: created, then configured through a merge patch.
    let f = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf created",
        "{}",
        out.stderr
    );
    let f = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:2"));
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf configured",
        "{}",
        out.stderr
    );
    assert_eq!(image(&ksvc(&env, "conf").await), "ghcr.io/acme/conf:2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_conflicts_with_edit_until_forced() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    let path = f.to_str().unwrap();
    let out = env.kubectl(&["apply", "--server-side", "-f", path]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "service.serving.knative.dev/conf serverside-applied"
    );
    let o = ksvc(&env, "conf").await;
    assert_eq!(managers(&o), vec!["kubectl/Apply"]);
    let fields = &o["metadata"]["managedFields"][0]["fieldsV1"];
    assert!(
        fields["f:spec"]["f:template"]["f:spec"]["f:containers"].is_object(),
        "{fields}"
    );
    assert!(
        fields["f:metadata"]["f:labels"]["f:team"].is_object(),
        "{fields}"
    );

    // Same config again: unchanged, no conflict.
    let out = env.kubectl(&["apply", "--server-side", "-f", path]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);

    // kubectl edit takes the containers list (an atomic list in the Knative CRD).
    let editor = env.sed_editor("edit.sh", "s|ghcr.io/acme/conf:1|ghcr.io/acme/conf:edited|");
    let out = env
        .kubectl_env(
            &["edit", "ksvc", "conf", "-n", "default"],
            &[("KUBE_EDITOR", editor.to_str().unwrap())],
        )
        .await;
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.trim(), "service.serving.knative.dev/conf edited");
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:edited");
    assert!(
        managers(&o).contains(&"kubectl-edit/Update".to_string()),
        "{:?}",
        managers(&o)
    );

    let f2 = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:2"));
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f2.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using serving.knative.dev/v1: .spec.template.spec.containers"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--force-conflicts"), "{}", out.stderr);
    assert_eq!(image(&ksvc(&env, "conf").await), "ghcr.io/acme/conf:edited");

    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            f2.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:2");
    let containers_owner: Vec<&str> = o["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"].is_null())
        .map(|e| e["manager"].as_str().unwrap())
        .collect();
    assert_eq!(containers_owner, vec!["kubectl"]);

    // Dropping the label from the applied config removes it (kubectl owned it alone).
    let f3 = env.file(
        "conf3.yaml",
        &KSVC
            .replace("conf:1", "conf:2")
            .replace("  labels:\n    team: a\n", ""),
    );
    let out = env
        .kubectl(&["apply", "--server-side", "-f", f3.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        ksvc(&env, "conf").await["metadata"]["labels"]
            .get("team")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_after_client_side_apply_migrates_last_applied() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f2 = env.file("conf2.yaml", &KSVC.replace("conf:1", "conf:3"));
    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            f2.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(image(&o), "ghcr.io/acme/conf:3");
    let m = managers(&o);
    assert!(m.contains(&"kubectl/Apply".to_string()), "{m:?}");
    // kubectl migrated the client-side-apply ownership (a JSON patch of managedFields), then
    // re-applied the last-applied annotation under its own manager.
    assert!(
        m.contains(&"kubectl-last-applied/Apply".to_string()),
        "{m:?}"
    );
    assert!(
        !m.iter().any(|x| x.starts_with("kubectl-client-side-apply")),
        "{m:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_field_validation_rejects_unknown_fields_and_warn_warns() {
    let env = start(1, 50).await;
    let bad = KSVC.replace("  template:\n", "  foo: bar\n  template:\n");
    let f = env.file("bad.yaml", &bad);
    let out = env.kubectl(&["apply", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("strict decoding error: unknown field \"spec.foo\""),
        "{}",
        out.stderr
    );
    let out = env
        .kubectl(&["apply", "--validate=warn", "-f", f.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown field \"spec.foo\""),
        "{}",
        out.stderr
    );
    assert!(ksvc(&env, "conf").await["spec"].get("foo").is_none());
    let out = env
        .kubectl(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "--validate=false",
            "-f",
            f.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_with_an_unknown_field_is_refused() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let editor = env.sed_editor("edit.sh", "s|^  template:|  bogus: 1\\n  template:|");
    let out = env
        .kubectl_env(
            &["edit", "ksvc", "conf", "-n", "default"],
            &[("KUBE_EDITOR", editor.to_str().unwrap())],
        )
        .await;
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("unknown field \"spec.bogus\""),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_by_label_all_and_finalizers() {
    let env = start(1, 50).await;
    for (name, tier) in [("a", "web"), ("b", "web"), ("c", "db")] {
        // (`kubectl create configmap` speaks protobuf; `create -f` sends JSON.)
        let f = env.file(
            &format!("{name}.yaml"),
            &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\n  labels:\n    tier: {tier}\ndata:\n  k: v\n"),
        );
        let out = env.kubectl(&["create", "-f", f.to_str().unwrap()]).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let out = env
        .kubectl(&["delete", "cm", "-n", "default", "-l", "tier=web"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        vec!["configmap \"a\" deleted", "configmap \"b\" deleted"]
    );

    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "c",
            "-n",
            "default",
            "--type=merge",
            "-p",
            r#"{"metadata":{"finalizers":["example.com/hold"]}}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env
        .kubectl(&["delete", "cm", "c", "-n", "default", "--wait=false"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/c").await;
    assert!(o["metadata"]["deletionTimestamp"].is_string(), "{o}");
    assert_eq!(o["metadata"]["deletionGracePeriodSeconds"], 0);
    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "c",
            "-n",
            "default",
            "--type=json",
            "-p",
            r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let gone = env.kubectl(&["get", "cm", "c", "-n", "default"]).await;
    assert_eq!(gone.code, 1);
    assert!(
        gone.stderr.contains("configmaps \"c\" not found"),
        "{}",
        gone.stderr
    );

    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let out = env
        .kubectl(&["delete", "ksvc", "--all", "-n", "default"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("service.serving.knative.dev \"conf\" deleted"),
        "{}",
        out.stdout
    );
    let left = env
        .kubectl(&[
            "get",
            "ksvc,configurations,routes",
            "-n",
            "default",
            "-o",
            "name",
        ])
        .await;
    assert_eq!(left.stdout.trim(), "", "{}", left.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_types_merge_json_strategic() {
    let env = start(1, 50).await;
    let f = env.file("conf.yaml", KSVC);
    assert_eq!(
        env.kubectl(&["apply", "-f", f.to_str().unwrap()])
            .await
            .code,
        0
    );
    let ksvc_patch = |kind: &'static str, p: &'static str| {
        let env = &env;
        async move {
            env.kubectl(&[
                "patch",
                "ksvc",
                "conf",
                "-n",
                "default",
                &format!("--type={kind}"),
                "-p",
                p,
            ])
            .await
        }
    };
    let out = ksvc_patch("merge", r#"{"metadata":{"labels":{"m":"1"}}}"#).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, "service.serving.knative.dev/conf patched"),
        "{}",
        out.stderr
    );
    let out = ksvc_patch("json", r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"ghcr.io/acme/conf:j"}]"#).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = ksvc(&env, "conf").await;
    assert_eq!(
        (o["metadata"]["labels"]["m"].as_str(), image(&o)),
        (Some("1"), "ghcr.io/acme/conf:j")
    );
    let out = ksvc_patch(
        "json",
        r#"[{"op":"test","path":"/metadata/labels/m","value":"2"}]"#,
    )
    .await;
    assert_eq!(out.code, 1);
    let out = ksvc_patch("strategic", r#"{"metadata":{"labels":{"s":"1"}}}"#).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        "{}",
        out.stderr
    );
    let f = env.file(
        "sm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sm\n  namespace: default\ndata:\n  a: \"1\"\n",
    );
    let out = env.kubectl(&["create", "-f", f.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env
        .kubectl(&[
            "patch",
            "cm",
            "sm",
            "-n",
            "default",
            "--type=strategic",
            "-p",
            r#"{"data":{"a":null,"b":"2"},"$retainKeys":["data"]}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = get_json(env.addr(), "/api/v1/namespaces/default/configmaps/sm").await;
    assert_eq!(o["data"], serde_json::json!({"b": "2"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_resources_lists_served_kinds() {
    let env = start(1, 50).await;
    let out = env
        .kubectl(&["api-resources", "--api-group=serving.knative.dev"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        rows.contains(&vec![
            "services",
            "kservice,ksvc",
            "serving.knative.dev/v1",
            "true",
            "Service"
        ]),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"revisions")),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"routes")),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|r| r.first() == Some(&"configurations")),
        "{}",
        out.stdout
    );
}

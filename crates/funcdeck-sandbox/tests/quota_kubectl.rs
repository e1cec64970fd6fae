//! ResourceQuota and LimitRange through the real kubectl: the seeded GPU quota fits the seed,
//! `kubectl create -f` past a count quota gets the apiserver's exact message, usage follows
//! deletes, and LimitRange defaults and maxima apply to client pods and data-plane pods alike.
#![allow(clippy::unwrap_used)]

mod common;

use common::{columns, eventually, get_json, start};
use serde_json::Value;

const ML: &str = "/api/v1/namespaces/ml-inference";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_quota_fits_and_prints_like_kubectl() {
    let env = start(24, 50).await;
    let q = get_json(
        env.addr(),
        &format!("{ML}/resourcequotas/gpu-and-functions"),
    )
    .await;
    let hard = &q["status"]["hard"];
    let used = &q["status"]["used"];
    assert_eq!(hard["requests.nvidia.com/gpu"], "4");
    for (k, h) in hard.as_object().unwrap() {
        assert!(milli(&used[k]) <= milli(h), "{k}: {used} vs {hard}");
    }
    let n = get_json(
        env.addr(),
        "/apis/serving.knative.dev/v1/namespaces/ml-inference/services",
    )
    .await["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(used["count/services.serving.knative.dev"], n.to_string());
    let out = env.kubectl(&["get", "quota", "-n", "ml-inference"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = columns(&out.stdout);
    assert_eq!(header, vec!["NAME", "AGE", "REQUEST", "LIMIT"]);
    assert!(
        out.stdout
            .contains(&format!("count/services.serving.knative.dev: {n}/12")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("requests.nvidia.com/gpu: 0/4"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("limits.memory: "), "{}", out.stdout);
    let lr = env
        .kubectl(&[
            "get",
            "limits",
            "-n",
            "ml-inference",
            "-o",
            "jsonpath={.items[0].spec.limits[0].defaultRequest.cpu}",
        ])
        .await;
    assert_eq!(lr.stdout, "100m");
}

/// A quantity in milli-units (the suffixes the sandbox prints).
fn milli(v: &Value) -> u128 {
    let s = v.as_str().unwrap();
    let (num, mult): (&str, u128) = [
        ("m", 1),
        ("Ki", 1000 << 10),
        ("Mi", 1000 << 20),
        ("Gi", 1000 << 30),
        ("k", 1_000_000),
    ]
    .iter()
    .find_map(|(suf, m)| s.strip_suffix(suf).map(|n| (n, *m)))
    .unwrap_or((s, 1000));
    num.parse::<u128>().unwrap() * mult
}

fn ksvc(name: &str, ns: &str) -> String {
    format!(
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/acme/{name}:1\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_quota_refuses_create_with_the_real_message_and_frees_on_delete() {
    let env = start(24, 50).await;
    let list = get_json(
        env.addr(),
        "/apis/serving.knative.dev/v1/namespaces/analytics/services",
    )
    .await;
    let names: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let n = names.len();
    assert!(n > 0);
    let quota = env.file(
        "quota.yaml",
        &format!("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: fn-count\n  namespace: analytics\nspec:\n  hard:\n    count/services.serving.knative.dev: \"{n}\"\n"),
    );
    let made = env
        .kubectl(&["create", "-f", quota.to_str().unwrap()])
        .await;
    assert_eq!(made.code, 0, "{}", made.stderr);
    let extra = env.file("extra.yaml", &ksvc("extra", "analytics"));
    let refused = env
        .kubectl(&["create", "-f", extra.to_str().unwrap()])
        .await;
    assert_eq!(refused.code, 1);
    assert_eq!(
        refused.stderr.trim(),
        format!(
            "Error from server (Forbidden): error when creating \"{}\": services.serving.knative.dev \"extra\" is forbidden: exceeded quota: fn-count, requested: count/services.serving.knative.dev=1, used: count/services.serving.knative.dev={n}, limited: count/services.serving.knative.dev={n}",
            extra.display()
        )
    );
    let dev = env
        .kubectl(&[
            "--context",
            "sandbox-developer",
            "create",
            "-f",
            extra.to_str().unwrap(),
        ])
        .await;
    assert!(
        dev.stderr.contains("cannot create resource \"services\""),
        "authorization comes before quota: {}",
        dev.stderr
    );
    let del = env
        .kubectl(&["delete", "ksvc", &names[0], "-n", "analytics"])
        .await;
    assert_eq!(del.code, 0, "{}", del.stderr);
    let want = (n - 1).to_string();
    let addr = env.addr();
    eventually(10, || {
        let want = want.clone();
        async move {
            let q = get_json(addr, "/api/v1/namespaces/analytics/resourcequotas/fn-count").await;
            (q["status"]["used"]["count/services.serving.knative.dev"] == want.as_str())
                .then_some(())
        }
    })
    .await;
    let ok = env
        .kubectl(&["create", "-f", extra.to_str().unwrap()])
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

fn pod(name: &str, resources: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: ml-inference\nspec:\n  containers:\n  - name: main\n    image: ghcr.io/acme/infer:1\n{resources}"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_range_defaults_and_maxima() {
    let env = start(12, 50).await;
    let big = env.file(
        "big.yaml",
        &pod("big", "    resources:\n      limits:\n        cpu: \"8\"\n"),
    );
    let out = env.kubectl(&["create", "-f", big.to_str().unwrap()]).await;
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr.trim(),
        format!(
            "Error from server (Forbidden): error when creating \"{}\": pods \"big\" is forbidden: maximum cpu usage per Container is 4, but limit is 8",
            big.display()
        )
    );
    let gpus = env.file("gpus.yaml", &pod("gpus", "    resources:\n      requests:\n        nvidia.com/gpu: \"5\"\n      limits:\n        nvidia.com/gpu: \"5\"\n"));
    let out = env.kubectl(&["create", "-f", gpus.to_str().unwrap()]).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("pods \"gpus\" is forbidden: exceeded quota: gpu-and-functions, requested: requests.nvidia.com/gpu=5, used: requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=4"),
        "{}",
        out.stderr
    );
    let plain = env.file("plain.yaml", &pod("plain", ""));
    let out = env
        .kubectl(&["create", "-f", plain.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let p = get_json(env.addr(), &format!("{ML}/pods/plain")).await;
    let r = &p["spec"]["containers"][0]["resources"];
    assert_eq!(
        (r["limits"]["cpu"].as_str(), r["limits"]["memory"].as_str()),
        (Some("1"), Some("512Mi"))
    );
    assert_eq!(
        (
            r["requests"]["cpu"].as_str(),
            r["requests"]["memory"].as_str()
        ),
        (Some("100m"), Some("128Mi"))
    );

    // The data plane's pods get the same defaults.
    let svc = env.file("svc.yaml", &ksvc("limited", "ml-inference"));
    let out = env.kubectl(&["create", "-f", svc.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let queue = eventually(15, || async {
        let pods = get_json(
            env.addr(),
            &format!("{ML}/pods?labelSelector=serving.knative.dev%2Fservice%3Dlimited"),
        )
        .await;
        pods["items"].as_array()?.first().cloned()
    })
    .await;
    let qp = queue["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "queue-proxy")
        .unwrap()
        .clone();
    assert_eq!(
        qp["resources"]["requests"]["cpu"], "25m",
        "stated requests are kept"
    );
    assert_eq!(
        qp["resources"]["limits"]["cpu"], "1",
        "missing limits come from the LimitRange"
    );
}

/// kubectl's typed `create` subcommands send protobuf bodies; the sandbox reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imperative_creates_of_builtins_work() {
    let env = start(6, 50).await;
    for args in [
        vec!["create", "namespace", "team-x"],
        vec![
            "create",
            "quota",
            "fns",
            "--hard=count/services.serving.knative.dev=1,pods=5",
            "-n",
            "team-x",
        ],
        vec![
            "create",
            "configmap",
            "settings",
            "--from-literal=mode=fast",
            "-n",
            "team-x",
        ],
        vec!["create", "serviceaccount", "deployer", "-n", "team-x"],
        vec![
            "create",
            "clusterrole",
            "metrics-reader",
            "--verb=get",
            "--non-resource-url=/metrics",
        ],
        vec![
            "create",
            "clusterrolebinding",
            "carol-metrics",
            "--clusterrole=metrics-reader",
            "--user=carol",
        ],
        vec![
            "create",
            "role",
            "ksvc-reader",
            "--verb=get,list",
            "--resource=services.serving.knative.dev",
            "-n",
            "team-x",
        ],
        vec![
            "create",
            "rolebinding",
            "deployer-reads",
            "--role=ksvc-reader",
            "--serviceaccount=team-x:deployer",
            "-n",
            "team-x",
        ],
    ] {
        let out = env.kubectl(&args).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let q = get_json(env.addr(), "/api/v1/namespaces/team-x/resourcequotas/fns").await;
    assert_eq!(
        q["status"]["used"]["count/services.serving.knative.dev"],
        "0"
    );
    let cm = get_json(env.addr(), "/api/v1/namespaces/team-x/configmaps/settings").await;
    assert_eq!(cm["data"]["mode"], "fast");
    let can = env
        .kubectl(&["--as", "carol", "auth", "can-i", "get", "/metrics"])
        .await;
    assert_eq!(can.stdout.trim(), "yes");
    let sa = env
        .kubectl(&[
            "--as",
            "system:serviceaccount:team-x:deployer",
            "get",
            "ksvc",
            "-n",
            "team-x",
        ])
        .await;
    assert_eq!(
        sa.code, 0,
        "the service account's groups and binding apply: {}",
        sa.stderr
    );
    let first = env.file("a.yaml", &ksvc("a", "team-x"));
    assert_eq!(
        env.kubectl(&["create", "-f", first.to_str().unwrap()])
            .await
            .code,
        0
    );
    let second = env.file("b.yaml", &ksvc("b", "team-x"));
    let out = env
        .kubectl(&["create", "-f", second.to_str().unwrap()])
        .await;
    assert!(out.stderr.contains("exceeded quota: fns, requested: count/services.serving.knative.dev=1, used: count/services.serving.knative.dev=1, limited: count/services.serving.knative.dev=1"), "{}", out.stderr);
}

//! The stack's components as data (`manifests/`), checked without a cluster: the two TOML files
//! read into the shapes the engine loads, every listed file exists, and with every placeholder
//! filled each document is a whole Kubernetes object, unique within its component, in the
//! namespace the options chose, with the backends where the console looks for them.

mod manifests;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use manifests::*;

#[test]
fn the_four_components_and_their_pins_read_as_the_engine_expects() {
    let all = components();
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["metrics", "tracing", "logging", "wiring"]);
    let pins = pins();
    for c in &all {
        assert!(!c.title.is_empty(), "{}: no title", c.name);
        assert!(!c.files.is_empty(), "{}: no files", c.name);
        for u in &c.upstream {
            assert!(pins.contains_key(u), "{}: no upstream pin {u}", c.name);
        }
        // Every backend but wiring's is checked through the service proxy.
        assert_eq!(c.verify.is_some(), c.name != "wiring", "{}: verify", c.name);
        if let Some(v) = &c.verify {
            assert!(v.path.starts_with('/') && v.port > 0, "{}: verify", c.name);
        }
    }
    assert_eq!(
        component(&all, "tracing").upstream,
        ["cert-manager", "opentelemetry-operator"]
    );
    for (name, p) in &pins {
        let hex = p.sha256.len() == 64
            && p.sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        assert!(
            p.sha256.is_empty() || hex,
            "{name}: sha256 is not lowercase hex"
        );
        assert!(p.url.starts_with("https://"), "{name}: url");
        assert!(
            p.url.contains(&format!("/{}/", p.version)),
            "{name}: url names the version"
        );
        assert!(
            p.url.ends_with(&format!("/{}", p.file)),
            "{name}: file is the URL's name"
        );
    }
    // The one digest a public pin records (Nix, SRI sha256-HVHN7NRC…).
    assert_eq!(
        pins["cert-manager"].sha256,
        "1d51cdecd442f1f5f89783e9e0169b95d372724da203cc75dd7a5c4e50a10ce6"
    );
}

#[test]
fn every_listed_file_exists_and_every_yaml_file_is_listed() {
    let listed: BTreeSet<String> = components()
        .iter()
        .flat_map(|c| c.files.iter().map(|f| f.path.clone()))
        .collect();
    let mut found = BTreeSet::new();
    for dir in std::fs::read_dir(root()).expect("manifests/") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("a component folder") {
            let f = f.expect("entry").path();
            let rel = f
                .strip_prefix(root())
                .expect("under manifests/")
                .to_string_lossy()
                .into_owned();
            if rel.ends_with(".yaml") {
                found.insert(rel);
            }
        }
    }
    for path in &listed {
        assert!(root().join(path).is_file(), "{path} is listed but missing");
    }
    assert_eq!(listed, found, "files listed vs files present");
}

#[test]
fn placeholders_are_filled_and_unknown_ones_are_refused() {
    let vars = options("elasticsearch", "1.19");
    assert_eq!(
        render("a ${metrics_namespace} b ${sample_rate}", &vars).expect("known placeholders"),
        "a monitoring b 0.1"
    );
    assert_eq!(
        render("x ${nope} y", &vars).expect_err("an unknown name"),
        "unknown placeholder ${nope}"
    );
    assert!(render("x ${metrics_namespace", &vars).is_err());
    // A placeholder missing from the options fails every file that uses it.
    let mut short = vars.clone();
    short.remove("tracing_namespace");
    let tracing = &components()[1];
    let jaeger = std::fs::read_to_string(root().join(&tracing.files[1].path)).expect("jaeger.yaml");
    assert!(render(&jaeger, &short).is_err());
}

#[test]
fn when_conditions_name_an_option_and_one_of_its_values() {
    let allowed: BTreeMap<&str, &[&str]> = [
        ("log_store", &["elasticsearch", "opensearch"][..]),
        ("knative_era", &["1.18", "1.19"][..]),
    ]
    .into();
    for c in components() {
        for f in &c.files {
            let Some(w) = &f.when else { continue };
            let (var, value) = w.split_once('=').expect("var=value");
            let values = allowed.get(var).unwrap_or_else(|| panic!("{w}: unknown"));
            assert!(values.contains(&value), "{}: {w}", f.path);
        }
    }
    // Each era gets exactly one of the wiring ConfigMaps.
    let wiring = component(&components(), "wiring").files.len();
    assert_eq!(wiring, 2);
    for era in ["1.18", "1.19"] {
        let objs = objects(
            component(&components(), "wiring"),
            &options("elasticsearch", era),
        );
        assert_eq!(objs.len(), 1, "{era}");
    }
}

#[test]
fn every_document_is_a_whole_object_and_unique_in_its_component() {
    for vars in every_option_set() {
        for c in components() {
            let mut seen = BTreeSet::new();
            for (file, o) in objects(&c, &vars) {
                let api = text(&o, "/apiVersion").unwrap_or_default();
                let kind = text(&o, "/kind").unwrap_or_default();
                let name = text(&o, "/metadata/name").unwrap_or_default();
                assert!(
                    !api.is_empty() && !kind.is_empty(),
                    "{file}: apiVersion/kind"
                );
                assert!(!name.is_empty(), "{file}: {kind} without a name");
                let ns = text(&o, "/metadata/namespace");
                if CLUSTER_SCOPED.contains(&kind) {
                    assert_eq!(ns, None, "{file}: {kind}/{name} is cluster-scoped");
                } else {
                    assert!(NAMESPACED.contains(&kind), "{file}: unknown kind {kind}");
                    assert!(ns.is_some_and(|n| !n.is_empty()), "{file}: {kind}/{name}");
                }
                let key = (kind.to_string(), ns.map(str::to_string), name.to_string());
                assert!(
                    seen.insert(key),
                    "{file}: {kind}/{name} twice in {}",
                    c.name
                );
            }
        }
    }
}

#[test]
fn objects_follow_the_namespaces_the_options_choose() {
    let mut vars = options("opensearch", "1.19");
    for (k, v) in [
        ("metrics_namespace", "m-ns"),
        ("tracing_namespace", "t-ns"),
        ("logging_namespace", "l-ns"),
    ] {
        vars.insert(k, v.into());
    }
    let want = [
        ("metrics", "m-ns"),
        ("tracing", "t-ns"),
        ("logging", "l-ns"),
        ("wiring", "knative-serving"),
    ];
    let all = components();
    for (name, ns) in want {
        for (file, o) in objects(component(&all, name), &vars) {
            let kind = text(&o, "/kind").expect("a kind");
            let at = if kind == "Namespace" {
                text(&o, "/metadata/name")
            } else {
                text(&o, "/metadata/namespace")
            };
            assert!(at.is_none_or(|at| at == ns), "{file}: {kind} in {at:?}");
        }
    }
}

/// The Service the console reaches, its port's name, and a ready workload it can select.
fn assert_backend(objs: &[(String, Value)], (ns, svc, port, port_name): (&str, &str, u64, &str)) {
    let s = find(objs, "Service", svc).unwrap_or_else(|| panic!("no Service {svc}"));
    assert_eq!(text(s, "/metadata/namespace"), Some(ns), "{svc}");
    let ports = s
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .expect("the Service's ports");
    assert!(
        ports
            .iter()
            .any(|p| p["port"].as_u64() == Some(port) && text(p, "/name") == Some(port_name)),
        "{svc}: port {port} named {port_name}"
    );
    let selector = s
        .pointer("/spec/selector")
        .and_then(Value::as_object)
        .expect("the Service's selector");
    let selected = objs.iter().any(|(_, o)| {
        let labels = o.pointer("/spec/template/metadata/labels");
        ["Deployment", "StatefulSet"].contains(&text(o, "/kind").unwrap_or_default())
            && text(o, "/metadata/namespace") == Some(ns)
            && labels.is_some_and(|l| selector.iter().all(|(k, v)| l.get(k) == Some(v)))
    });
    assert!(selected, "{svc}: no workload its selector picks");
    // Everyone signed in may reach it through the service proxy, in every form of its name.
    let role = find(objs, "Role", &format!("{svc}-reader")).expect("reader Role");
    let names = role
        .pointer("/rules/1/resourceNames")
        .expect("the proxy rule");
    for n in [
        svc.to_string(),
        format!("{svc}:{port}"),
        format!("http:{svc}:{port}"),
        format!("{svc}:{port_name}"),
        format!("http:{svc}:{port_name}"),
    ] {
        assert!(
            names
                .as_array()
                .expect("a list")
                .contains(&Value::from(n.clone())),
            "{n}"
        );
    }
    let binding = find(objs, "RoleBinding", &format!("{svc}-reader")).expect("RoleBinding");
    assert_eq!(
        text(binding, "/subjects/0/name"),
        Some("system:authenticated")
    );
}

#[test]
fn the_backends_are_where_the_console_looks_for_them() {
    let all = components();
    for vars in every_option_set() {
        let backends = [
            ("metrics", ("monitoring", "prometheus", 9090, "http-web")),
            (
                "tracing",
                ("observability", "jaeger-query", 16686, "http-query"),
            ),
            ("logging", ("logging", "elasticsearch", 9200, "http")),
        ];
        for (name, backend) in backends {
            let c = component(&all, name);
            assert_backend(&objects(c, &vars), backend);
            let v = c.verify.as_ref().expect("a verify table");
            let ns = render(&v.namespace, &vars).expect("a known placeholder");
            assert_eq!((ns.as_str(), v.service.as_str()), (backend.0, backend.1));
            assert_eq!(u64::from(v.port), backend.2);
        }
    }
}

#[test]
fn the_settings_the_console_relies_on() {
    let all = components();
    let vars = options("elasticsearch", "1.19");
    let metrics = objects(component(&all, "metrics"), &vars);
    let deploy = find(&metrics, "Deployment", "prometheus").expect("Deployment prometheus");
    let args = deploy
        .pointer("/spec/template/spec/containers/0/args")
        .expect("its args");
    assert!(
        args.as_array()
            .expect("a list")
            .contains(&"--storage.tsdb.retention.time=15d".into())
    );
    let config =
        find(&metrics, "ConfigMap", "prometheus-config").expect("ConfigMap prometheus-config");
    let prom = text(config, "/data/prometheus.yml").expect("prometheus.yml");
    for job in [
        "knative-activator",
        "knative-autoscaler",
        "knative-queue-proxy",
    ] {
        assert!(prom.contains(&format!("job_name: {job}")), "{job}");
    }
    let pvc =
        find(&metrics, "PersistentVolumeClaim", "prometheus-data").expect("PVC prometheus-data");
    assert_eq!(text(pvc, "/spec/resources/requests/storage"), Some("10Gi"));

    let logging = objects(component(&all, "logging"), &vars);
    let fb = find(&logging, "ConfigMap", "fluent-bit-config").expect("ConfigMap fluent-bit-config");
    let conf = text(fb, "/data/fluent-bit.conf").expect("fluent-bit.conf");
    for line in [
        "Replace_Dots        On",
        "Logstash_Prefix     fluent-bit",
        "Merge_Log            On",
    ] {
        assert!(conf.contains(line), "fluent-bit: {line}");
    }
    assert!(conf.contains("Host                elasticsearch.logging.svc"));

    let wiring = objects(component(&all, "wiring"), &vars);
    let obs =
        find(&wiring, "ConfigMap", "config-observability").expect("ConfigMap config-observability");
    let keys: BTreeSet<&str> = obs["data"]
        .as_object()
        .expect("its data")
        .keys()
        .map(String::as_str)
        .collect();
    let want = [
        "metrics-protocol",
        "request-metrics-protocol",
        "tracing-endpoint",
        "tracing-protocol",
        "tracing-sampling-rate",
    ];
    assert_eq!(keys, want.into());
    assert_eq!(text(obs, "/data/tracing-sampling-rate"), Some("0.1"));
    let old = objects(component(&all, "wiring"), &options("elasticsearch", "1.18"));
    let tracing = find(&old, "ConfigMap", "config-tracing").expect("ConfigMap config-tracing");
    assert_eq!(
        text(tracing, "/data/zipkin-endpoint"),
        Some("http://knative-collector.observability.svc:9411/api/v2/spans")
    );
}

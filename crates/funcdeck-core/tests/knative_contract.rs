//! Contract tests: real recorded Knative payloads (kubectl captures from a live cluster, see
//! `shared/fixtures/knative/PROVENANCE.md`) parsed by our types, read in place at run time.
//! Expected values below were read from those files.

use std::path::PathBuf;

use funcdeck_core::function::{FunctionSummary, Readiness, TrafficShare};
use funcdeck_core::knative::{Revision, Service};
use kube::core::ObjectList;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
}

fn read(name: &str) -> String {
    let path = fixtures_dir().join("knative/api-objects").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    serde_json::from_str(&read(name)).expect("fixture is JSON")
}

fn services(name: &str) -> Vec<Service> {
    // Through kube's own list type, as `Api::list` would decode the response.
    let list: ObjectList<Service> = serde_json::from_str(&read(name)).expect("ServiceList parses");
    list.items
}

fn share(revision: &str, percent: u32, tag: Option<&str>, latest: bool) -> TrafficShare {
    TrafficShare {
        revision: revision.into(),
        percent,
        tag: tag.map(Into::into),
        latest,
    }
}

#[test]
fn single_ready_service_with_tagged_targets() {
    let items = services("singleServiceServiceList.json");
    assert_eq!(items.len(), 1);
    let svc = &items[0];
    assert_eq!(
        svc.image(),
        Some("quay.io/rhdevelopers/knative-tutorial-greeter:quarkus")
    );

    let s = FunctionSummary::from_service(svc);
    assert_eq!(s.key.namespace, "a-serverless-example");
    assert_eq!(s.key.name, "example");
    assert_eq!(s.readiness, Readiness::Ready);
    assert_eq!(s.reason, None);
    assert_eq!(s.latest_created.as_deref(), Some("example-75w7v"));
    assert_eq!(s.latest_ready.as_deref(), Some("example-75w7v"));
    assert_eq!(s.latest_revision(), Some("example-75w7v"));
    assert_eq!((s.generation, s.observed_generation), (5, 5));
    assert_eq!(
        s.url.as_deref(),
        Some("http://example-a-serverless-example.apps.devcluster.openshift.com")
    );
    assert_eq!(
        s.created.map(|t| t.to_rfc3339()),
        Some("2020-07-23T22:53:04+00:00".into())
    );
    // Status traffic, with the latest target resolved to a revision name.
    assert_eq!(
        s.traffic,
        vec![
            share("example-75w7v", 100, None, true),
            share("example-2fvz4", 0, Some("old"), false),
            share("example-75w7v", 0, Some("current"), false),
        ]
    );
    assert_eq!(s.traffic_summary(), "75w7v 100% (current) · 2fvz4 0% (old)");

    let status = svc.status.as_ref().expect("status");
    assert_eq!(
        status.address.as_ref().and_then(|a| a.url.as_deref()),
        Some("http://example.a-serverless-example.svc.cluster.local")
    );
    let ready = status.condition("Ready").expect("Ready condition");
    assert_eq!(
        ready.last_transition_time.as_deref(),
        Some("2020-07-23T23:23:59Z")
    );
    // Spec traffic is typed too: the latest target has no revision name.
    let spec_traffic = svc.spec.traffic.as_ref().expect("spec.traffic");
    assert_eq!(spec_traffic[0].revision_name, None);
    assert_eq!(spec_traffic[0].latest_revision, Some(true));
    assert_eq!(spec_traffic[2].tag.as_deref(), Some("current"));
}

#[test]
fn failed_revision_service_is_failed_with_the_ready_reason() {
    let items = services("singleServiceFailedRevisionServiceList.json");
    let s = FunctionSummary::from_service(&items[0]);
    assert_eq!(s.readiness, Readiness::Failed);
    assert_eq!(s.reason.as_deref(), Some("RevisionMissing"));
    assert_eq!(
        s.message.as_deref(),
        Some("Configuration \"example\" does not have any ready Revision.")
    );
    assert_eq!(s.latest_created.as_deref(), Some("example-75w7v"));
    assert_eq!(s.latest_ready, None);
    assert_eq!(s.latest_revision(), Some("example-75w7v"));
    // No status traffic: falls back to spec, where the latest target is unresolved.
    assert_eq!(s.traffic, vec![share("@latest", 100, None, true)]);
    assert_eq!(s.traffic_summary(), "@latest 100%");
    assert_eq!(
        s.url.as_deref(),
        Some("http://example-a-serverless-example.apps.devcluster.openshift.com")
    );
    let configs = items[0]
        .status
        .as_ref()
        .and_then(|st| st.condition("ConfigurationsReady"))
        .expect("ConfigurationsReady");
    assert_eq!(configs.reason.as_deref(), Some("RevisionFailed"));
    assert!(configs.message.as_deref().is_some_and(|m| {
        m.starts_with("Revision \"example-00001\" failed with message: Unable to fetch image")
    }));
}

#[test]
fn multiple_services_each_summarised() {
    let items = services("multipleServiceServicesList.json");
    let rows: Vec<(String, Readiness, Option<String>, String)> = items
        .iter()
        .map(FunctionSummary::from_service)
        .map(|s| {
            let summary = s.traffic_summary();
            (s.key.name, s.readiness, s.latest_ready, summary)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "aaa".into(),
                Readiness::Ready,
                Some("aaa-x69ff".into()),
                "x69ff 100%".into()
            ),
            (
                "bbb".into(),
                Readiness::Ready,
                Some("bbb-ft4hk".into()),
                "ft4hk 100%".into()
            ),
            (
                "ccc".into(),
                Readiness::Ready,
                Some("ccc-sg8hd".into()),
                "sg8hd 100%".into()
            ),
            (
                "example".into(),
                Readiness::Ready,
                Some("example-75w7v".into()),
                "75w7v 100% (current) · 2fvz4 0% (old)".into()
            ),
        ]
    );
    let aaa = FunctionSummary::from_service(&items[0]);
    assert_eq!(
        aaa.url.as_deref(),
        Some("http://aaa-a-serverless-example.apps.devcluster.openshift.com")
    );
}

fn assert_round_trip(original: &Value) {
    let svc: Service = serde_json::from_value(original.clone()).expect("parses");
    let back = serde_json::to_value(&svc).expect("serializes");
    assert_eq!(&back, original, "round trip changed the object");
}

#[test]
fn every_service_round_trips_unchanged() {
    for file in [
        "singleServiceServiceList.json",
        "multipleServiceServicesList.json",
        "singleServiceFailedRevisionServiceList.json",
    ] {
        let list = json(file);
        let items = list["items"].as_array().expect("items");
        assert!(!items.is_empty(), "{file}");
        for item in items {
            assert_round_trip(item);
        }
    }
}

#[test]
fn unknown_fields_survive_at_every_typed_level() {
    let original = &json("singleServiceServiceList.json")["items"][0];
    let svc: Service = serde_json::from_value(original.clone()).expect("parses");
    // Untyped fields landed in the extra maps …
    let template_spec = svc
        .spec
        .template
        .as_ref()
        .and_then(|t| t.spec.as_ref())
        .expect("template spec");
    assert_eq!(template_spec.extra["timeoutSeconds"], 300);
    let container = &template_spec.containers.as_ref().expect("containers")[0];
    assert_eq!(container.extra["readinessProbe"]["tcpSocket"]["port"], 0);
    let template_meta = svc
        .spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .expect("template metadata");
    assert_eq!(template_meta.extra["creationTimestamp"], Value::Null);
    // … and come back out where they were.
    let back = serde_json::to_value(&svc).expect("serializes");
    assert_eq!(
        back["metadata"]["selfLink"],
        original["metadata"]["selfLink"]
    );
    assert_eq!(
        back["metadata"]["managedFields"],
        original["metadata"]["managedFields"]
    );
    assert_eq!(
        back["spec"]["template"]["metadata"]["creationTimestamp"],
        Value::Null
    );
}

#[test]
fn an_added_unknown_field_is_preserved_at_each_level() {
    let mut v = json("singleServiceServiceList.json")["items"][0].clone();
    v["futureTopLevel"] = "x".into();
    v["spec"]["futureSpec"] = 1.into();
    v["spec"]["traffic"][0]["futureTarget"] = true.into();
    v["status"]["futureStatus"] = serde_json::json!({"a": [1, 2]});
    v["status"]["conditions"][0]["futureCondition"] = "y".into();
    v["status"]["address"]["futureAddress"] = "z".into();
    assert_round_trip(&v);
}

#[test]
fn yaml_captures_parse_and_summarise() {
    let svc: Service = serde_saphyr::from_str(&read("service.yaml")).expect("service.yaml");
    let s = FunctionSummary::from_service(&svc);
    assert_eq!(s.readiness, Readiness::Failed);
    assert_eq!(s.reason.as_deref(), Some("RevisionMissing"));
    assert_eq!(s.latest_created.as_deref(), Some("example-75w7v"));
    let template = svc.spec.template.as_ref().expect("template");
    assert_eq!(
        template.metadata.as_ref().and_then(|m| m.name.as_deref()),
        Some("example-zpyvk-1"),
        "BYO revision name"
    );
    assert_eq!(svc.image(), Some("quay.io/rhdevelopers"));

    let failed: Service = serde_saphyr::from_str(&read("failed.yaml")).expect("failed.yaml");
    let f = FunctionSummary::from_service(&failed);
    assert_eq!(f.key.namespace, "josh");
    assert_eq!(f.key.name, "aaa");
    assert_eq!(f.readiness, Readiness::Failed);
    assert_eq!(f.latest_created.as_deref(), Some("aaa-zpyvk-1"));
    assert_eq!(f.latest_ready, None);
    assert_eq!(
        f.url.as_deref(),
        Some("http://aaa-josh.apps.rhamilto.devcluster.openshift.com")
    );
    assert_eq!(f.generation, 1);
}

#[test]
fn revision_lists_parse_and_round_trip() {
    for file in [
        "singleServiceRevisionList.json",
        "singleServiceFailedRevisionRevisionList.json",
    ] {
        let list = json(file);
        for item in list["items"].as_array().expect("items") {
            let rev: Revision = serde_json::from_value(item.clone()).expect("revision parses");
            assert!(rev.metadata.name.is_some());
            assert!(rev.spec.image().is_some(), "{file}: image");
            assert_eq!(
                &serde_json::to_value(&rev).expect("serializes"),
                item,
                "{file}"
            );
        }
    }
    let failed = json("singleServiceFailedRevisionRevisionList.json");
    let rev: Revision = serde_json::from_value(failed["items"][0].clone()).expect("parses");
    let ready = rev
        .status
        .as_ref()
        .and_then(|s| s.condition("Ready"))
        .expect("Ready");
    assert_eq!(ready.status, "False");
}

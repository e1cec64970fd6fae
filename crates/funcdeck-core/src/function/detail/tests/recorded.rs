//! Recorded Knative payloads (../shared/fixtures) joined into a detail.

use super::*;

#[test]
fn a_recorded_ready_function_with_tagged_traffic() {
    let svc: Vec<Service> = fixture_items("singleServiceServiceList.json");
    let revs: Vec<Revision> = fixture_items("singleServiceRevisionList.json");
    let d = FunctionDetail::build(&svc[0], &summaries(&revs), &[], &[]);
    assert_eq!(d.key.to_string(), "a-serverless-example/example");
    assert_eq!(
        d.url.as_deref(),
        Some("http://example-a-serverless-example.apps.devcluster.openshift.com")
    );
    assert_eq!(d.ready, ConditionStatus::True);
    assert_eq!(d.readiness, Readiness::Ready);
    let conditions: Vec<(&str, ConditionStatus)> = d
        .conditions
        .iter()
        .map(|c| (c.type_.as_str(), c.status))
        .collect();
    assert_eq!(
        conditions,
        [
            ("ConfigurationsReady", ConditionStatus::True),
            ("Ready", ConditionStatus::True),
            ("RoutesReady", ConditionStatus::True)
        ]
    );
    assert_eq!(
        d.traffic[1],
        TrafficRow {
            revision: Some("example-2fvz4".into()),
            percent: 0,
            tag: Some("old".into()),
            url: Some(
                "http://old-example-a-serverless-example.apps.devcluster.openshift.com".into()
            ),
            latest: false,
        }
    );
    assert_eq!(d.traffic.len(), 3);
    let rows: Vec<(&str, u32, Option<&str>)> = d
        .revisions
        .iter()
        .map(|r| {
            (
                r.revision.key.name.as_str(),
                r.traffic_percent,
                r.why.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("example-75w7v", 100, None),
            ("example-g4hm8", 0, None),
            ("example-2fvz4", 0, None)
        ],
        "newest first; 100% plus the 0% `current` tag"
    );
    assert_eq!(d.revisions[0].pods_text(), "0/0", "scaled to zero");
}

#[test]
fn a_recorded_failed_function_explains_the_unpullable_image_without_pods() {
    let svc: Vec<Service> = fixture_items("singleServiceFailedRevisionServiceList.json");
    let revs: Vec<Revision> = fixture_items("singleServiceFailedRevisionRevisionList.json");
    let d = FunctionDetail::build(&svc[0], &summaries(&revs), &[], &[]);
    assert_eq!(d.ready, ConditionStatus::False);
    let ready = d
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready")
        .expect("Ready");
    assert_eq!(ready.reason.as_deref(), Some("RevisionMissing"));
    // No status traffic yet: the spec's, unresolved.
    assert_eq!(
        d.traffic,
        [TrafficRow {
            revision: None,
            percent: 100,
            tag: None,
            url: None,
            latest: true
        }]
    );
    assert_eq!(d.revisions.len(), 1);
    assert_eq!(
        d.revisions[0].traffic_percent, 0,
        "no ready revision to follow"
    );
    assert_eq!(
        d.revisions[0].why.as_deref(),
        Some(
            "image quay.io/rhdevelopers cannot be pulled: Unable to fetch image \"quay.io/rhdevelopers\": \
             failed to resolve image to digest: HEAD https://quay.io/v2/rhdevelopers/manifests/latest: \
             unsupported status code 404"
        )
    );
}

#[test]
fn the_failed_yaml_capture_builds_without_revisions() {
    let svc: Service = serde_saphyr::from_str(&crate::testing::knative_fixture("failed.yaml"))
        .expect("failed.yaml parses");
    let d = FunctionDetail::build(&svc, &[], &[], &[]);
    assert_eq!(d.key.to_string(), "josh/aaa");
    assert_eq!(d.ready, ConditionStatus::False);
    assert_eq!(d.readiness, Readiness::Failed);
    assert_eq!(d.latest_created.as_deref(), Some("aaa-zpyvk-1"));
    assert_eq!(d.conditions.len(), 3);
    assert!(d.revisions.is_empty() && d.pods.is_empty() && d.events.is_empty());
}

// --- Objects shaped like what Knative, the kubelet and the controllers write. ---

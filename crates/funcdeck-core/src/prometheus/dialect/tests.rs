use super::*;

fn cart() -> Selector {
    Selector {
        namespace: "shop".into(),
        function: "cart".into(),
        revision: None,
    }
}

fn query(dialect: &Dialect, panel: Panel, grouping: Grouping) -> String {
    dialect.query(panel, &cart(), grouping, "1m", "15m", "15s")
}

#[test]
fn the_era_is_read_off_the_metric_names() {
    assert_eq!(
        detect(&["up", "revision_request_count", "autoscaler_actual_pods"]),
        Some(Dialect::new(Era::OpenCensus))
    );
    assert_eq!(
        detect(&[
            "kn_revision_pods_count",
            "http_server_request_duration_seconds_count"
        ]),
        Some(Dialect::new(Era::OpenTelemetry))
    );
    let collector = detect(&["knative_dev_internal_serving_revision_request_count"])
        .expect("OpenCensus through a collector");
    assert_eq!(collector.era, Era::OpenCensus);
    assert_eq!(collector.prefix, "knative_dev_internal_serving_");
    assert!(
        query(&collector, Panel::DesiredPods, Grouping::Total)
            .contains("knative_dev_serving_autoscaler_desired_pods{")
    );
    assert_eq!(detect(&["up", "node_cpu_seconds_total"]), None);
}

#[test]
fn eras_parse_from_their_release_or_library_name() {
    assert_eq!(Era::parse("1.18"), Ok(Era::OpenCensus));
    assert_eq!(Era::parse(" OTel "), Ok(Era::OpenTelemetry));
    assert_eq!(
        Era::parse("1.17"),
        Err(
            "unknown Knative metrics era \"1.17\": use 1.18 (OpenCensus) or 1.19 (OpenTelemetry)"
                .into()
        )
    );
}

#[test]
fn opencensus_queries_are_the_upstream_dashboards() {
    let d = Dialect::new(Era::OpenCensus);
    assert_eq!(
        query(&d, Panel::RequestsPerSecond, Grouping::PerRevision),
        "sum by (revision_name) (rate(revision_request_count{namespace_name=\"shop\",service_name=\"cart\"}[1m]))"
    );
    assert_eq!(
        query(&d, Panel::LatencyP95, Grouping::PerRevision),
        "histogram_quantile(0.95, sum by (le, revision_name) (rate(revision_request_latencies_bucket{namespace_name=\"shop\",service_name=\"cart\"}[1m])))"
    );
    let all =
        "sum (rate(revision_request_count{namespace_name=\"shop\",service_name=\"cart\"}[1m]))";
    assert_eq!(
        query(&d, Panel::ErrorRatio, Grouping::Total),
        format!(
            "(sum (rate(revision_request_count{{namespace_name=\"shop\",service_name=\"cart\",response_code_class=\"5xx\"}}[1m])) \
             or {all} * 0) / {all}"
        )
    );
    assert_eq!(
        query(&d, Panel::ColdStarts, Grouping::PerRevision),
        "sum by (revision_name) (sum_over_time(clamp_min((autoscaler_actual_pods{namespace_name=\"shop\",service_name=\"cart\"} > bool 0) \
         - (autoscaler_actual_pods{namespace_name=\"shop\",service_name=\"cart\"} offset 15s > bool 0), 0)[15m:15s]))"
    );
}

#[test]
fn opentelemetry_queries_use_the_promoted_labels_and_milliseconds() {
    let d = Dialect::new(Era::OpenTelemetry);
    assert_eq!(
        query(&d, Panel::RequestsPerSecond, Grouping::Total),
        "sum (rate(http_server_request_duration_seconds_count{k8s_container_name=\"queue-proxy\",k8s_namespace_name=\"shop\",kn_service_name=\"cart\"}[1m]))"
    );
    assert_eq!(
        query(&d, Panel::LatencyP99, Grouping::Total),
        "histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{k8s_container_name=\"queue-proxy\",k8s_namespace_name=\"shop\",kn_service_name=\"cart\"}[1m]))) * 1000"
    );
    assert!(
        query(&d, Panel::ErrorRatio, Grouping::PerRevision)
            .contains("http_response_status_code=~\"5..\"")
    );
    assert_eq!(
        query(&d, Panel::ActualPods, Grouping::PerRevision),
        "sum by (kn_revision_name) (kn_revision_pods_count{k8s_namespace_name=\"shop\",kn_service_name=\"cart\"})"
    );
}

#[test]
fn a_revision_narrows_every_query_and_hostile_names_stay_values() {
    let d = Dialect::new(Era::OpenCensus);
    let selector = Selector {
        namespace: "shop".into(),
        function: "cart\"} or vector(1) # ".into(),
        revision: Some("cart-00002".into()),
    };
    for panel in Panel::ALL {
        let q = d.query(panel, &selector, Grouping::Total, "1m", "15m", "15s");
        assert!(q.contains("revision_name=\"cart-00002\""), "{q}");
        assert!(
            q.contains("service_name=\"cart\\\"} or vector(1) # \""),
            "{q}"
        );
    }
}

#[test]
fn metering_counts_requests_and_pod_seconds_per_revision() {
    let d = Dialect::new(Era::OpenCensus);
    assert_eq!(
        d.invocations(Some("shop"), "30d"),
        "sum by (namespace_name, service_name, revision_name) (increase(revision_request_count{namespace_name=\"shop\"}[30d]))"
    );
    assert_eq!(
        d.pod_seconds(None, "30d", 60),
        "sum by (namespace_name, service_name, revision_name) (sum_over_time(autoscaler_actual_pods{}[30d:60s])) * 60"
    );
    let d = Dialect::new(Era::OpenTelemetry);
    assert_eq!(
        d.invocations(None, "1h"),
        "sum by (k8s_namespace_name, kn_service_name, kn_revision_name) (increase(http_server_request_duration_seconds_count{k8s_container_name=\"queue-proxy\"}[1h]))"
    );
}

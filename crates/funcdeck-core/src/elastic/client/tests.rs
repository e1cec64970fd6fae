use super::*;

fn resp(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: "application/json".into(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn a_server_without_pit_is_told_apart_from_a_missing_index() {
    // OpenSearch / Elasticsearch < 7.10: the route does not exist.
    let no_handler = r#"{"error":"no handler found for uri [/logstash-*,fluent-bit*/_pit?keep_alive=2m] and method [POST]","status":400}"#;
    assert!(refuses_pit(&resp(400, no_handler)));
    assert!(refuses_pit(&resp(405, "Method Not Allowed")));
    // Elasticsearch 6 reads `_pit` as an index name.
    let as_index = r#"{"error":{"root_cause":[{"type":"invalid_index_name_exception","reason":"Invalid index name [_pit], must not start with '_'."}],"type":"invalid_index_name_exception","reason":"Invalid index name [_pit], must not start with '_'."},"status":400}"#;
    assert!(refuses_pit(&resp(400, as_index)));
    // The index is missing: PIT exists, the data does not.
    let missing = r#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [logs]"}],"type":"index_not_found_exception","reason":"no such index [logs]"},"status":404}"#;
    assert!(!refuses_pit(&resp(404, missing)));
    assert!(!refuses_pit(&resp(401, "{}")));
    assert!(!refuses_pit(&resp(503, "{}")));
}

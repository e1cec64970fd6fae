use super::*;

fn resp(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: "application/json".into(),
        body: body.as_bytes().to_vec(),
    }
}

/// The shape Elasticsearch 8 sends for a query_string it cannot parse (from its
/// `search_phase_execution_exception` / `query_shard_exception` classes; no recorded body
/// exists upstream, see the fixtures' PROVENANCE.md).
const PARSE_ERROR: &str = r#"{"error":{"root_cause":[{"type":"query_shard_exception","reason":"Failed to parse query [log:(]","index_uuid":"x","index":"logstash-2026.11.27"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,"failed_shards":[{"shard":0,"index":"logstash-2026.11.27","node":"n","reason":{"type":"query_shard_exception","reason":"Failed to parse query [log:(]","caused_by":{"type":"parse_exception","reason":"Cannot parse 'log:(': Encountered \"<EOF>\" at line 1, column 5.","caused_by":{"type":"parse_exception","reason":"Encountered \"<EOF>\" at line 1, column 5."}}}}]},"status":400}"#;

#[test]
fn a_bad_query_says_the_servers_reason_with_its_detail() {
    let f = read_json(&resp(400, PARSE_ERROR)).expect_err("400");
    assert_eq!(
        f,
        Failure::BadQuery {
            message: "Failed to parse query [log:(]: Encountered \"<EOF>\" at line 1, column 5."
                .into()
        }
    );
}

#[test]
fn a_string_error_and_other_statuses_keep_the_servers_words() {
    let routing =
        r#"{"error":"no handler found for uri [/x/_pit] and method [POST]","status":400}"#;
    assert_eq!(
        read_json(&resp(400, routing)),
        Err(Failure::BadQuery {
            message: "no handler found for uri [/x/_pit] and method [POST]".into()
        })
    );
    let missing = r#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [logs]"}],"type":"index_not_found_exception","reason":"no such index [logs]"},"status":404}"#;
    assert_eq!(
        read_json(&resp(404, missing)),
        Err(Failure::NoData {
            what: "no log index: no such index [logs]".into()
        })
    );
    let denied = r#"{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/]"}],"type":"security_exception","reason":"missing authentication credentials for REST request [/]"},"status":401}"#;
    assert!(matches!(
        read_json(&resp(401, denied)),
        Err(Failure::Unauthorized { code: 401, message }) if message.starts_with("missing authentication")
    ));
    let busy = r#"{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}"#;
    assert_eq!(
        read_json(&resp(429, busy)),
        Err(Failure::Unavailable {
            code: 429,
            kind: "es_rejected_execution_exception".into(),
            message: "rejected execution".into()
        })
    );
    assert!(matches!(
        read_json(&resp(503, "upstream down")),
        Err(Failure::Unavailable { code: 503, .. })
    ));
    assert!(matches!(
        read_json(&resp(502, "<html>")),
        Err(Failure::Http { code: 502, .. })
    ));
}

#[test]
fn hostile_reasons_are_made_inert() {
    let body = r#"{"error":{"root_cause":[{"type":"x","reason":"bad \u001b]52;c;aGk=\u0007 query"}]},"status":400}"#;
    let Err(Failure::BadQuery { message }) = read_json(&resp(400, body)) else {
        panic!("bad query");
    };
    assert!(
        !message.contains('\u{1b}') && !message.contains('\u{7}'),
        "{message:?}"
    );
}

#[test]
fn something_else_answering_is_not_the_backend() {
    let html = RawResponse {
        status: 200,
        content_type: "text/html".into(),
        body: b"<html>login</html>".to_vec(),
    };
    assert!(matches!(
        read_search(&html),
        Err(Failure::NotTheBackend { code: 200, .. })
    ));
    assert!(matches!(
        read_search(&resp(200, r#"{"status":"success","data":{}}"#)),
        Err(Failure::NotTheBackend { .. })
    ));
    assert!(matches!(
        read_search(&resp(200, r#"{"hits":{"hits":[{"_id":7}]}}"#)),
        Err(Failure::Decode { .. })
    ));
    assert!(matches!(
        read_info(&resp(200, r#"{"tagline":"?"}"#)),
        Err(Failure::NotTheBackend { .. })
    ));
}

#[test]
fn totals_come_as_an_object_or_an_int() {
    let obj = read_search(&resp(
        200,
        r#"{"hits":{"total":{"value":10000,"relation":"gte"},"hits":[]}}"#,
    ))
    .expect("search");
    assert_eq!(
        obj.hits.total.as_ref().map(Total::from),
        Some(Total {
            value: 10000,
            exact: false
        })
    );
    let int = read_search(&resp(200, r#"{"hits":{"total":42,"hits":[]}}"#)).expect("search");
    assert_eq!(
        int.hits.total.as_ref().map(Total::from),
        Some(Total {
            value: 42,
            exact: true
        })
    );
}

#[test]
fn invalid_utf8_in_a_body_is_replaced_not_fatal() {
    let mut body = br#"{"hits":{"hits":[{"_index":"i","_id":"1","_source":{"log":"caf"#.to_vec();
    body.extend_from_slice(&[0xC3, 0x28, 0xFF]);
    body.extend_from_slice(br#"\n"}}]}}"#);
    let r = RawResponse {
        status: 200,
        content_type: String::new(),
        body,
    };
    let wire = read_search(&r).expect("lossy");
    let log = wire.hits.hits[0]
        .source
        .as_ref()
        .and_then(|s| s["log"].as_str())
        .map(str::to_owned);
    assert_eq!(log.as_deref(), Some("caf\u{FFFD}(\u{FFFD}\n"));
}

#[test]
fn the_root_says_which_product_and_version() {
    let es = r#"{"name":"n","cluster_name":"logs","version":{"number":"8.15.0","build_flavor":"default"},"tagline":"You Know, for Search"}"#;
    let info = read_info(&resp(200, es)).expect("es");
    assert_eq!(info.to_string(), "Elasticsearch 8.15.0");
    assert_eq!(info.cluster_name, "logs");
    let os = r#"{"name":"n","cluster_name":"c","version":{"distribution":"opensearch","number":"2.11.1"},"tagline":"The OpenSearch Project: https://opensearch.org/"}"#;
    let info = read_info(&resp(200, os)).expect("os");
    assert_eq!(
        (info.product, info.to_string().as_str()),
        (Product::OpenSearch, "OpenSearch 2.11.1")
    );
}

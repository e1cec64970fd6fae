//! Request decoding: query parameters (tolerating kube-rs's `?` and `?&limit=500`, trap 7) and
//! Accept negotiation (JSON, Table, PartialObjectMetadata, aggregated discovery).

use crate::status::ApiError;

#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Query {
    pub fn parse(q: Option<&str>) -> Self {
        let Some(q) = q else {
            return Query::default();
        };
        Query(
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (percent_decode(k), percent_decode(v)),
                    None => (percent_decode(p), String::new()),
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated parameter (`tag=a:1&tag=b:2`), in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "1" | "True"))
    }
}

/// The manager a write is recorded under: `fieldManager`, else the user agent up to its first
/// `/` (apiserver `managerFromUserAgent`, at most 128 characters).
pub fn field_manager(q: &Query, user_agent: Option<&str>) -> Option<String> {
    if let Some(m) = q.get("fieldManager").filter(|m| !m.is_empty()) {
        return Some(m.to_string());
    }
    let ua = user_agent?.split('/').next()?.trim();
    (!ua.is_empty()).then(|| ua.chars().take(128).collect())
}

/// A create/update body must be of the URL's type (the apiserver decodes into that type).
pub fn check_type_meta(
    def: &crate::resources::ResourceDef,
    body: &serde_json::Value,
) -> Result<(), ApiError> {
    let Some(m) = body.as_object() else {
        return Err(ApiError::bad_request(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            json_type(body)
        )));
    };
    let expected = def.api_version();
    if let Some(v) = m
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
        && v != expected
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({v}) does not match the expected API version ({expected})"
        )));
    }
    if let Some(k) = m
        .get("kind")
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
        && k != def.kind
    {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({k}) does not match the expected kind ({})",
            def.kind
        )));
    }
    Ok(())
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Null => "null",
        serde_json::Value::Object(_) => "object",
    }
}

/// Write options the apiserver rejects before touching anything.
pub fn check_write_query(q: &Query) -> Result<(), ApiError> {
    if let Some(v) = q.get("fieldValidation")
        && crate::write::FieldValidation::parse(Some(v)).is_none()
    {
        return Err(ApiError::bad_request(format!(
            "fieldValidation: Unsupported value: \"{v}\": supported values: \"Ignore\", \"Strict\", \"Warn\""
        )));
    }
    if let Some(m) = q.get("fieldManager")
        && m.chars().count() > 128
    {
        return Err(ApiError::new(
            422,
            "Invalid",
            "fieldManager: Too long: may not be more than 128 bytes".to_string(),
        ));
    }
    if let Some(d) = q.get("dryRun")
        && d != "All"
    {
        return Err(ApiError::bad_request(format!(
            "dryRun: Unsupported value: \"{d}\": supported values: \"All\""
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaRange {
    pub mime: String,
    pub params: Vec<(String, String)>,
}

impl MediaRange {
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(pk, _)| pk == k)
            .map(|(_, v)| v.as_str())
    }

    fn is_json(&self) -> bool {
        matches!(
            self.mime.as_str(),
            "application/json" | "*/*" | "application/*"
        )
    }
}

pub fn parse_accept(h: Option<&str>) -> Vec<MediaRange> {
    let Some(h) = h else {
        return Vec::new();
    };
    h.split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let mime = it.next()?.trim().to_ascii_lowercase();
            if mime.is_empty() {
                return None;
            }
            let params = it
                .filter_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
                })
                .collect();
            Some(MediaRange { mime, params })
        })
        .collect()
}

/// How to render objects on a resource endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table { v1beta1: bool },
    Metadata,
}

impl Format {
    /// `None` = nothing acceptable (406).
    pub fn negotiate(accept: Option<&str>) -> Option<Format> {
        let ranges = parse_accept(accept);
        if ranges.is_empty() {
            return Some(Format::Json);
        }
        for r in &ranges {
            match r.param("as") {
                Some("Table") if r.param("g") == Some("meta.k8s.io") => match r.param("v") {
                    Some("v1") => return Some(Format::Table { v1beta1: false }),
                    Some("v1beta1") => return Some(Format::Table { v1beta1: true }),
                    _ => {}
                },
                Some("PartialObjectMetadata" | "PartialObjectMetadataList")
                    if r.param("g") == Some("meta.k8s.io")
                        && matches!(r.param("v"), Some("v1" | "v1beta1")) =>
                {
                    return Some(Format::Metadata);
                }
                None if r.is_json() => return Some(Format::Json),
                _ => {}
            }
        }
        None
    }

    pub fn content_type(self, list: bool) -> &'static str {
        match (self, list) {
            (Format::Json, _) => "application/json",
            (Format::Table { v1beta1: false }, _) => "application/json;as=Table;v=v1;g=meta.k8s.io",
            (Format::Table { v1beta1: true }, _) => {
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io"
            }
            (Format::Metadata, false) => {
                "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"
            }
            (Format::Metadata, true) => {
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"
            }
        }
    }
}

pub const AGGREGATED_DISCOVERY: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
pub const AGGREGATED_DISCOVERY_V2BETA1: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/// For `/api` and `/apis`: `Some(content type)` when aggregated discovery was asked for first.
pub fn wants_aggregated(accept: Option<&str>) -> Option<&'static str> {
    for r in parse_accept(accept) {
        if r.param("as") == Some("APIGroupDiscoveryList")
            && r.param("g") == Some("apidiscovery.k8s.io")
        {
            match r.param("v") {
                Some("v2") => return Some(AGGREGATED_DISCOVERY),
                Some("v2beta1") => return Some(AGGREGATED_DISCOVERY_V2BETA1),
                _ => continue,
            }
        }
        if r.is_json() && r.param("as").is_none() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_tolerates_kube_rs_shapes() {
        let q = Query::parse(Some(
            "&limit=500&labelSelector=app%3Dweb%2Ctier+in+(a)&watch=1",
        ));
        assert_eq!(q.get("limit"), Some("500"));
        assert_eq!(q.get("labelSelector"), Some("app=web,tier in (a)"));
        assert!(q.flag("watch"));
        assert!(Query::parse(Some("")).get("x").is_none());
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%"), "%");
    }

    #[test]
    fn accept_negotiation() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(
            Format::negotiate(Some(kubectl)),
            Some(Format::Table { v1beta1: false })
        );
        assert_eq!(Format::negotiate(None), Some(Format::Json));
        assert_eq!(
            Format::negotiate(Some("application/json, */*")),
            Some(Format::Json)
        );
        assert_eq!(
            Format::negotiate(Some(
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
            )),
            Some(Format::Metadata)
        );
        assert_eq!(
            Format::negotiate(Some("application/vnd.kubernetes.protobuf")),
            None
        );
        let disc = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(wants_aggregated(Some(disc)), Some(AGGREGATED_DISCOVERY));
        assert_eq!(wants_aggregated(Some("application/json, */*")), None);
        assert_eq!(wants_aggregated(None), None);
    }
}

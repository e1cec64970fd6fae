//! Where an invocation goes: the function's URL (or a tag's), and the address that URL is
//! served at — the ingress gateway's, with the URL's host sent as `Host`, or the URL itself
//! when no gateway was found (a cluster whose domain resolves from here).

use serde::Serialize;

use super::InvokeError;
use super::gateway::Gateway;
use crate::knative::Service;

/// Where a request is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    /// The function's (or tag's) URL, e.g. `http://hello.default.svc.cluster.local`.
    pub url: String,
    /// `http` or `https`.
    pub scheme: String,
    /// The URL's host: the `Host` header the request carries.
    pub host: String,
    /// `host:port` the connection is made to.
    pub address: String,
    /// `namespace/name` of the gateway Service the address came from, if one did.
    pub gateway: Option<String>,
}

impl Destination {
    /// The URL the HTTP client is given for `path` (`/x?y`).
    pub fn request_url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.address, path)
    }
}

/// The function's tags, in traffic order.
pub fn known_tags(service: &Service) -> Vec<String> {
    let mut tags: Vec<String> = service
        .status
        .iter()
        .flat_map(|s| s.traffic.iter().flatten())
        .filter_map(|t| t.tag.clone())
        .collect();
    tags.dedup();
    tags
}

/// The URL to invoke: `status.url`, or with `tag` that tag's `status.traffic[].url`.
pub fn target_url(service: &Service, name: &str, tag: Option<&str>) -> Result<String, InvokeError> {
    let status = service.status.as_ref();
    match tag {
        None => status
            .and_then(|s| s.url.clone())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| InvokeError::NoUrl {
                function: name.to_owned(),
            }),
        Some(tag) => {
            let target = status
                .into_iter()
                .flat_map(|s| s.traffic.iter().flatten())
                .find(|t| t.tag.as_deref() == Some(tag));
            match target {
                Some(t) => {
                    t.url
                        .clone()
                        .filter(|u| !u.is_empty())
                        .ok_or_else(|| InvokeError::NoUrl {
                            function: format!("{name}\" tag \"{tag}"),
                        })
                }
                None => Err(InvokeError::UnknownTag {
                    function: name.to_owned(),
                    tag: tag.to_owned(),
                    known: known_tags(service),
                }),
            }
        }
    }
}

/// Splits `http://host[:port][/...]` into scheme, host and port (defaulted by scheme).
fn split_url(url: &str) -> Option<(String, String, Option<u16>)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h.to_owned(), Some(p.parse().ok()?))
        }
        _ => (authority.to_owned(), None),
    };
    (!host.is_empty()).then_some((scheme, host, port))
}

/// Where a request for `url` goes: through `gateway` when there is one.
pub fn destination(url: &str, gateway: Option<&Gateway>) -> Result<Destination, InvokeError> {
    let (scheme, host, port) = split_url(url).ok_or_else(|| InvokeError::BadRequest {
        reason: format!("the function's URL {url:?} is not an http(s) URL"),
    })?;
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (address, via) = match gateway {
        Some(g) => (
            format!("{}:{}", g.address, g.port_for(&scheme)),
            Some(g.service.clone()),
        ),
        None => (format!("{host}:{}", port.unwrap_or(default_port)), None),
    };
    Ok(Destination {
        url: url.to_owned(),
        scheme,
        host,
        address,
        gateway: via,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: serde_json::Value) -> Service {
        serde_json::from_value(serde_json::json!({"metadata": {"name": "hello"}, "status": status}))
            .expect("a service")
    }

    #[test]
    fn url_and_tags() {
        let svc = service(serde_json::json!({
            "url": "http://hello.default.svc.cluster.local",
            "traffic": [
                {"revisionName": "hello-00002", "percent": 100},
                {"revisionName": "hello-00001", "percent": 0, "tag": "old", "url": "http://old-hello.default.svc.cluster.local"}
            ]
        }));
        assert_eq!(
            target_url(&svc, "hello", None).as_deref(),
            Ok("http://hello.default.svc.cluster.local")
        );
        assert_eq!(
            target_url(&svc, "hello", Some("old")).as_deref(),
            Ok("http://old-hello.default.svc.cluster.local")
        );
        let err = target_url(&svc, "hello", Some("blue")).expect_err("unknown tag");
        assert_eq!(
            err.to_string(),
            "function \"hello\" has no tag \"blue\" (known tags: old)"
        );
        let none = service(serde_json::json!({}));
        assert!(matches!(
            target_url(&none, "hello", None),
            Err(InvokeError::NoUrl { .. })
        ));
    }

    #[test]
    fn destinations() {
        let direct = destination("http://hello.example.com:8080/x", None).expect("direct");
        assert_eq!(direct.address, "hello.example.com:8080");
        assert_eq!(direct.host, "hello.example.com");
        let gw = Gateway {
            service: "kourier-system/kourier".into(),
            address: "127.0.0.1".into(),
            http_port: 31380,
            https_port: None,
        };
        let via = destination("http://hello.default.svc.cluster.local", Some(&gw)).expect("via");
        assert_eq!(via.address, "127.0.0.1:31380");
        assert_eq!(via.host, "hello.default.svc.cluster.local");
        assert_eq!(via.request_url("/a?b=1"), "http://127.0.0.1:31380/a?b=1");
        assert!(destination("ftp://x", None).is_err());
    }
}

//! A Service named as the API server's service proxy wants it, and the proxy paths to it.
//!
//! The proxy path is `/api/v1/namespaces/NS/services/[SCHEME:]NAME:PORT/proxy/<path>`; the
//! scheme is only written when it is not plain http (Kubernetes' default), and PORT may be a
//! number or the port's name.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceRef {
    pub namespace: String,
    pub name: String,
    /// A port number or a port name.
    pub port: String,
    /// `https` when the Service speaks TLS; `None` for http.
    pub scheme: Option<String>,
}

impl ServiceRef {
    pub fn new(namespace: &str, name: &str, port: impl fmt::Display) -> Self {
        Self {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            port: port.to_string(),
            scheme: None,
        }
    }

    /// `NS/NAME:PORT` or `NS/SCHEME:NAME:PORT` (SCHEME `http` or `https`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!(
                "service {text:?} {why}; write it as NAMESPACE/NAME:PORT, e.g. monitoring/prometheus:9090"
            )
        };
        let (namespace, rest) = text
            .split_once('/')
            .ok_or_else(|| bad("has no namespace"))?;
        let parts: Vec<&str> = rest.split(':').collect();
        let (scheme, name, port) = match parts.as_slice() {
            [name, port] => (None, *name, *port),
            [scheme, name, port] if matches!(*scheme, "http" | "https") => {
                (Some(*scheme), *name, *port)
            }
            [_, _, _] => return Err(bad("has a scheme other than http or https")),
            _ => return Err(bad("has no port")),
        };
        if !is_dns_label(namespace) {
            return Err(bad("has an invalid namespace"));
        }
        if !is_dns_label(name) {
            return Err(bad("has an invalid name"));
        }
        if port.is_empty() || !port.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(bad("has an invalid port"));
        }
        Ok(Self {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            port: port.to_owned(),
            // http is the proxy's default; writing it would only make paths differ.
            scheme: scheme.filter(|s| *s == "https").map(str::to_owned),
        })
    }

    /// The proxy path to `path` on this Service (`path` starts with `/`, or is empty).
    pub fn proxy_path(&self, path: &str) -> String {
        let scheme = self
            .scheme
            .as_deref()
            .map(|s| format!("{s}:"))
            .unwrap_or_default();
        let path = path.trim_start_matches('/');
        format!(
            "/api/v1/namespaces/{}/services/{scheme}{}:{}/proxy/{path}",
            self.namespace, self.name, self.port
        )
    }
}

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/", self.namespace)?;
        if let Some(scheme) = &self.scheme {
            write!(f, "{scheme}:")?;
        }
        write!(f, "{}:{}", self.name, self.port)
    }
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::ServiceRef;

    #[test]
    fn parses_the_written_forms() {
        let s = ServiceRef::parse("monitoring/prometheus:9090").expect("parses");
        assert_eq!(s, ServiceRef::new("monitoring", "prometheus", 9090));
        assert_eq!(s.to_string(), "monitoring/prometheus:9090");

        let s = ServiceRef::parse("monitoring/https:prometheus:web").expect("parses");
        assert_eq!(s.scheme.as_deref(), Some("https"));
        assert_eq!(s.port, "web");
        assert_eq!(s.to_string(), "monitoring/https:prometheus:web");

        // http is the default, so it is not kept.
        let s = ServiceRef::parse("monitoring/http:prometheus:9090").expect("parses");
        assert_eq!(s, ServiceRef::new("monitoring", "prometheus", 9090));
    }

    #[test]
    fn refuses_malformed_names_with_the_expected_form() {
        for bad in [
            "prometheus:9090",
            "monitoring/prometheus",
            "monitoring/ftp:prometheus:21",
            "Monitoring/prometheus:9090",
            "monitoring/prom etheus:9090",
            "monitoring/prometheus:",
            "monitoring/prometheus:90/90",
            "/prometheus:9090",
            "monitoring/a:b:c:d",
        ] {
            let err = ServiceRef::parse(bad).expect_err(bad);
            assert!(err.contains("NAMESPACE/NAME:PORT"), "{err}");
        }
    }

    #[test]
    fn proxy_paths_join_without_doubled_slashes() {
        let s = ServiceRef::new("monitoring", "prometheus", 9090);
        assert_eq!(
            s.proxy_path("/api/v1/query"),
            "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query"
        );
        assert_eq!(
            s.proxy_path("-/ready"),
            "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/-/ready"
        );
        assert_eq!(
            s.proxy_path(""),
            "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/"
        );
        let tls = ServiceRef::parse("obs/https:jaeger-query:16686").expect("parses");
        assert_eq!(
            tls.proxy_path("/api/v3/services"),
            "/api/v1/namespaces/obs/services/https:jaeger-query:16686/proxy/api/v3/services"
        );
    }
}

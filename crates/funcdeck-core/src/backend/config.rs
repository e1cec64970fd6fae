//! How a user names a backend endpoint in `config.toml` (one table per backend, globally or
//! per kube context). The binary owns the file; these types are the tables' shape, so every
//! backend is configured the same way.

use std::path::PathBuf;
use std::time::Duration;

use super::service::ServiceRef;

/// `[prometheus]` or `[contexts.NAME.prometheus]`.
///
/// ```toml
/// url = "https://prometheus.example.com"   # or: service = "monitoring/prometheus:9090"
/// auth = { type = "bearer", token_file = "/run/secrets/prom-token" }
/// ca = "/etc/ssl/private-ca.pem"
/// insecure_skip_verify = false
/// timeout = "10s"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    /// Reach the backend directly at this URL.
    pub url: Option<String>,
    /// Reach it through the API server's service proxy: `NS/NAME:PORT` (also `NS/https:NAME:PORT`).
    pub service: Option<String>,
    #[serde(default)]
    pub auth: AuthConfig,
    /// A PEM file with the CA certificate(s) that signed the backend's certificate (url only).
    pub ca: Option<PathBuf>,
    /// Accept any certificate (url only). For test clusters; says so in the source.
    #[serde(default)]
    pub insecure_skip_verify: bool,
    /// Per-request timeout, e.g. `"10s"`, `"500ms"`, `"1m"`.
    pub timeout: Option<String>,
}

/// Credentials sent with every request to a `url` endpoint (a service-proxy endpoint uses the
/// kubeconfig's credentials instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum AuthConfig {
    #[default]
    None,
    Basic {
        username: String,
        #[serde(default)]
        password: String,
    },
    /// A token given inline or read from a file at connect time (so it can rotate).
    Bearer {
        token: Option<String>,
        token_file: Option<PathBuf>,
    },
    /// Elasticsearch/OpenSearch API key (`Authorization: ApiKey <key>`), inline or from a file.
    #[serde(rename = "apikey")]
    ApiKey {
        key: Option<String>,
        key_file: Option<PathBuf>,
    },
}

/// Used when a config gives no `timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the config asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Url(String),
    Service(ServiceRef),
}

impl EndpointConfig {
    /// The timeout, or [`DEFAULT_TIMEOUT`].
    pub fn timeout(&self) -> Result<Duration, String> {
        match &self.timeout {
            None => Ok(DEFAULT_TIMEOUT),
            Some(text) => parse_timeout(text),
        }
    }

    pub(crate) fn target(&self) -> Result<Target, String> {
        match (&self.url, &self.service) {
            (Some(_), Some(_)) => Err("give either url or service, not both".to_owned()),
            (None, None) => Err("give url or service".to_owned()),
            (Some(url), None) => Ok(Target::Url(url.clone())),
            (None, Some(service)) => ServiceRef::parse(service).map(Target::Service),
        }
    }
}

/// `"10s"`, `"1500ms"`, `"2m"` → a duration greater than zero.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("timeout {text:?} is not a duration like \"10s\", \"500ms\" or \"1m\"");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.saturating_mul(60)),
        _ => return Err(bad()),
    };
    if d.is_zero() {
        return Err(format!("timeout {text:?} must be more than zero"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_with_units_and_refuse_the_rest() {
        assert_eq!(parse_timeout("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_timeout(" 2m "), Ok(Duration::from_secs(120)));
        for bad in ["", "10", "s", "1h", "-1s", "1.5s", "0s"] {
            assert!(parse_timeout(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn tables_parse_from_toml() {
        let c: EndpointConfig = toml::from_str(
            r#"
            url = "https://p.example"
            auth = { type = "basic", username = "u", password = "p" }
            ca = "/ca.pem"
            timeout = "3s"
            "#,
        )
        .expect("parses");
        assert_eq!(c.url.as_deref(), Some("https://p.example"));
        assert_eq!(
            c.auth,
            AuthConfig::Basic {
                username: "u".into(),
                password: "p".into()
            }
        );
        assert_eq!(c.timeout(), Ok(Duration::from_secs(3)));
        assert_eq!(c.target(), Ok(Target::Url("https://p.example".into())));

        let c: EndpointConfig =
            toml::from_str(r#"service = "monitoring/prometheus:9090""#).expect("parses");
        assert_eq!(c.auth, AuthConfig::None);
        assert_eq!(c.timeout(), Ok(DEFAULT_TIMEOUT));
        assert!(matches!(c.target(), Ok(Target::Service(_))));

        let c: EndpointConfig =
            toml::from_str(r#"auth = { type = "bearer", token_file = "/t" }"#).expect("parses");
        assert_eq!(c.target(), Err("give url or service".to_owned()));
        assert!(toml::from_str::<EndpointConfig>(r#"urll = "x""#).is_err());
        assert!(toml::from_str::<EndpointConfig>(r#"auth = { type = "apikee" }"#).is_err());
        let c: EndpointConfig =
            toml::from_str(r#"auth = { type = "apikey", key_file = "/k" }"#).expect("parses");
        assert_eq!(
            c.auth,
            AuthConfig::ApiKey {
                key: None,
                key_file: Some("/k".into())
            }
        );
    }
}

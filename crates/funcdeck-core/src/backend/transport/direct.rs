//! Straight to a URL with reqwest: optional basic, bearer or API-key credentials, an extra CA, or no
//! certificate checks at all when the user asked for that.

use std::fmt;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};

use super::{Method, RawRequest, RawResponse, root_cause};
use crate::backend::config::AuthConfig;
use crate::backend::error::Failure;

/// Opening a connection may take at most this long (the endpoint's timeout bounds the rest).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Credentials for a direct endpoint, resolved (a token file already read).
#[derive(Clone, PartialEq, Eq, Default)]
pub enum DirectAuth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer(String),
    /// Elasticsearch's `Authorization: ApiKey <key>` (the base64 `id:api_key` it hands out).
    ApiKey(String),
}

impl fmt::Debug for DirectAuth {
    // Credentials never reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Self::Bearer(_) => f.write_str("Bearer(***)"),
            Self::ApiKey(_) => f.write_str("ApiKey(***)"),
        }
    }
}

impl DirectAuth {
    pub fn from_config(auth: &AuthConfig) -> Result<Self, String> {
        Ok(match auth {
            AuthConfig::None => Self::None,
            AuthConfig::Basic { username, password } => Self::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            AuthConfig::Bearer {
                token: Some(token),
                token_file: None,
            } => Self::Bearer(token.trim().to_owned()),
            AuthConfig::Bearer {
                token: None,
                token_file: Some(path),
            } => {
                let token = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
                Self::Bearer(token.trim().to_owned())
            }
            AuthConfig::Bearer { .. } => {
                return Err("bearer auth needs exactly one of token or token_file".to_owned());
            }
            AuthConfig::ApiKey { key, key_file } => {
                Self::ApiKey(secret("apikey", "key", key, key_file)?)
            }
        })
    }
}

/// A secret given inline or in a file (read now, trimmed): exactly one of the two.
fn secret(
    auth: &str,
    name: &str,
    inline: &Option<String>,
    file: &Option<std::path::PathBuf>,
) -> Result<String, String> {
    let value = match (inline, file) {
        (Some(value), None) => value.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the {name} file {}: {e}", path.display()))?,
        _ => {
            return Err(format!(
                "{auth} auth needs exactly one of {name} or {name}_file"
            ));
        }
    };
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{auth} auth has an empty {name}"));
    }
    Ok(value.to_owned())
}

#[derive(Clone)]
pub struct Direct {
    /// Without a trailing slash; may carry a path prefix (`--web.route-prefix`).
    base: String,
    client: reqwest::Client,
    auth: DirectAuth,
}

impl Direct {
    pub fn new(
        url: &str,
        auth: DirectAuth,
        ca_pem: Option<&[u8]>,
        insecure_skip_verify: bool,
    ) -> Result<Self, Failure> {
        let bad = |reason: String| Failure::Config { reason };
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(format!("url {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(format!("url {url:?} is not http or https")));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad(format!(
                "url {url:?} must not have a query or fragment"
            )));
        }
        crate::tls::install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .tls_danger_accept_invalid_certs(insecure_skip_verify);
        if let Some(pem) = ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| bad(format!("the CA file is not PEM certificates: {e}")))?;
            if certs.is_empty() {
                return Err(bad("the CA file holds no certificate".to_owned()));
            }
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder
            .build()
            .map_err(|e| bad(format!("cannot set up the HTTP client: {}", root_cause(&e))))?;
        Ok(Self {
            base: url.trim_end_matches('/').to_owned(),
            client,
            auth,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The full URL of `req`.
    pub fn url(&self, req: &RawRequest) -> String {
        format!(
            "{}/{}",
            self.base,
            req.path_and_query().trim_start_matches('/')
        )
    }

    pub async fn send(&self, req: &RawRequest) -> Result<RawResponse, Failure> {
        let builder = match req.method {
            Method::Get => self.client.get(self.url(req)),
            Method::Post => self.client.post(self.url(req)),
            Method::Delete => self.client.delete(self.url(req)),
        };
        let builder = match req.content_type() {
            Some(content_type) => builder.header(CONTENT_TYPE, content_type).body(req.body()),
            None => builder,
        };
        let builder = match &self.auth {
            DirectAuth::None => builder,
            DirectAuth::Basic { username, password } => {
                builder.basic_auth(username, Some(password))
            }
            DirectAuth::Bearer(token) => builder.bearer_auth(token),
            DirectAuth::ApiKey(key) => builder.header(AUTHORIZATION, format!("ApiKey {key}")),
        };
        let fail = |e: reqwest::Error| Failure::Unreachable {
            reason: root_cause(&e),
        };
        let resp = builder.send().await.map_err(fail)?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = resp.bytes().await.map_err(fail)?.to_vec();
        Ok(RawResponse {
            status,
            content_type,
            body,
        })
    }
}

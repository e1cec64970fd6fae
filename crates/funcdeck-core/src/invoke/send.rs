//! Sending one request with reqwest and timing it to the last byte of the body. Redirects are
//! shown, not followed, and proxies from the environment are not used: the answer on screen is
//! the function's own.

use std::time::{Duration, Instant};

use reqwest::header::{HOST, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, redirect};

use super::target::Destination;
use super::{InvokeError, InvokeRequest, InvokeResponse};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn bad(reason: String) -> InvokeError {
    InvokeError::BadRequest { reason }
}

/// Checks the method and headers before anything is sent.
fn prepare(dest: &Destination, req: &InvokeRequest) -> Result<(Method, HeaderMap), InvokeError> {
    let method = Method::from_bytes(req.method.trim().as_bytes())
        .map_err(|_| bad(format!("{:?} is not an HTTP method", req.method)))?;
    if !req.path.starts_with('/') || req.path.chars().any(char::is_whitespace) {
        return Err(bad(format!(
            "path {:?} must start with / and contain no spaces",
            req.path
        )));
    }
    let mut headers = HeaderMap::new();
    let host = HeaderValue::from_str(&dest.host)
        .map_err(|_| bad(format!("{:?} cannot be a Host header", dest.host)))?;
    headers.insert(HOST, host);
    for (name, value) in &req.headers {
        let n = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| bad(format!("{name:?} is not a valid header name")))?;
        let v = HeaderValue::from_str(value.trim())
            .map_err(|_| bad(format!("the value of header {name:?} is not valid")))?;
        headers.append(n, v);
    }
    Ok((method, headers))
}

/// Sends `req` to `dest` and reads the whole answer.
pub async fn send(dest: &Destination, req: &InvokeRequest) -> Result<InvokeResponse, InvokeError> {
    crate::tls::install_crypto_provider();
    let (method, headers) = prepare(dest, req)?;
    let to = match &dest.gateway {
        Some(g) => format!("{} through the gateway {g} at {}", dest.url, dest.address),
        // Said, because a URL that only resolves inside the cluster is the likely cause.
        None => format!(
            "{} (no ingress gateway was found, so straight to it)",
            dest.url
        ),
    };
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(req.timeout)
        .build()
        .map_err(|e| InvokeError::Unreachable {
            to: to.clone(),
            reason: e.to_string(),
        })?;
    let fail = |e: reqwest::Error| {
        if e.is_timeout() {
            InvokeError::Timeout {
                to: to.clone(),
                after: req.timeout,
            }
        } else {
            InvokeError::Unreachable {
                to: to.clone(),
                reason: root_cause(&e),
            }
        }
    };
    let started = Instant::now();
    let resp = client
        .request(method, dest.request_url(&req.path))
        .headers(headers)
        .body(req.body.clone())
        .send()
        .await
        .map_err(fail)?;
    let status = resp.status();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp.bytes().await.map_err(fail)?.to_vec();
    Ok(InvokeResponse {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_owned(),
        headers,
        body,
        latency: started.elapsed(),
        sent_to: dest.clone(),
    })
}

/// The innermost cause (reqwest's own text is just "error sending request").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoke::destination;

    #[test]
    fn bad_method_and_headers_are_refused_before_sending() {
        let dest = destination("http://hello.default.svc.cluster.local", None).expect("dest");
        let req = |method: &str, header: (&str, &str)| InvokeRequest {
            method: method.into(),
            headers: vec![(header.0.into(), header.1.into())],
            ..InvokeRequest::default()
        };
        assert!(prepare(&dest, &req("POST", ("X-A", "1"))).is_ok());
        assert!(prepare(&dest, &req("PO ST", ("X-A", "1"))).is_err());
        let err = prepare(&dest, &req("GET", ("X A", "1"))).expect_err("bad name");
        assert_eq!(
            err.to_string(),
            "invalid request: \"X A\" is not a valid header name"
        );
        assert!(prepare(&dest, &req("GET", ("X-A", "a\nb"))).is_err());
    }
}

//! `funcdeck fn invoke NAME [-X METHOD] [-H 'K: V']... [-d DATA | -d @FILE] [--tag TAG]`: one
//! HTTP request to the function (or a tag), through the cluster's ingress gateway, showing the
//! status, headers, body and latency. Any HTTP answer is a success (exit 0): the status is the
//! function's to report; no answer at all is an error. Invoking changes nothing, so no gate.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use funcdeck_core::CoreError;
use funcdeck_core::invoke::{InvokeError, InvokeRequest, InvokeResponse, Rendered, invoke};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::read::connect_for_one;
use super::{ClusterArgs, FnInvokeArgs, OutputFormat};

/// The `-o json|yaml` shape (a contract, like `fn get`'s).
#[derive(Serialize)]
struct Invoked<'a> {
    function: &'a str,
    namespace: &'a str,
    tag: Option<&'a str>,
    url: &'a str,
    method: &'a str,
    path: &'a str,
    /// `host:port` the request was sent to, and the gateway Service it belongs to.
    address: &'a str,
    gateway: Option<&'a str>,
    status: u16,
    reason: &'a str,
    headers: BTreeMap<String, String>,
    /// A JSON value when the body is JSON, otherwise its (sanitized) text; null when empty.
    body: serde_json::Value,
    latency_ms: f64,
}

/// `-d DATA` as given, `-d @FILE` read from FILE (`-d @-` from stdin), before anything is sent.
fn request_body(data: Option<&str>) -> anyhow::Result<Vec<u8>> {
    match data {
        None => Ok(Vec::new()),
        Some("@-") => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                .context("cannot read the request body from stdin")?;
            Ok(buf)
        }
        Some(d) => match d.strip_prefix('@') {
            Some(path) => std::fs::read(path)
                .with_context(|| format!("cannot read the request body from {path:?}")),
            None => Ok(d.as_bytes().to_vec()),
        },
    }
}

/// Milliseconds with a tenth, as people read latencies.
pub(crate) fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

fn body_value(resp: &InvokeResponse) -> serde_json::Value {
    match resp.rendered_body() {
        Rendered::Empty => serde_json::Value::Null,
        Rendered::Json(_) => serde_json::from_slice(&resp.body).unwrap_or(serde_json::Value::Null),
        other => serde_json::Value::String(other.text()),
    }
}

pub async fn fn_invoke(
    cluster_args: &ClusterArgs,
    args: &FnInvokeArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let body = request_body(args.data.as_deref())?;
    let method = match &args.method {
        Some(m) => m.to_ascii_uppercase(),
        // curl's rule: a body makes it a POST.
        None if args.data.is_some() => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    let req = InvokeRequest {
        method,
        path: args.path.clone(),
        headers: args.headers.clone(),
        body,
        tag: args.tag.clone(),
        ..InvokeRequest::default()
    };
    let (conn, namespace) = connect_for_one(cluster_args).await?;
    let resp = match invoke(&conn, &namespace, &args.name, &req).await {
        Ok(r) => r,
        Err(InvokeError::Cluster(CoreError::NotFound { message })) => anyhow::bail!(message),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot invoke function \"{}\"", args.name));
        }
    };
    match args.output {
        OutputFormat::Table => write_exchange(out, &req, &resp)?,
        OutputFormat::Json | OutputFormat::Yaml => {
            let mut headers: BTreeMap<String, String> = BTreeMap::new();
            for (k, v) in &resp.headers {
                let v = sanitize(v).into_owned();
                headers
                    .entry(k.clone())
                    .and_modify(|prev| *prev = format!("{prev}, {v}"))
                    .or_insert(v);
            }
            let view = Invoked {
                function: &args.name,
                namespace: &namespace,
                tag: args.tag.as_deref(),
                url: &resp.sent_to.url,
                method: &req.method,
                path: &req.path,
                address: &resp.sent_to.address,
                gateway: resp.sent_to.gateway.as_deref(),
                status: resp.status,
                reason: &resp.reason,
                headers,
                body: body_value(&resp),
                latency_ms: millis(resp.latency),
            };
            if args.output == OutputFormat::Json {
                serde_json::to_writer_pretty(&mut *out, &view).context("writing JSON")?;
                writeln!(out)?;
            } else {
                out.write_all(serde_saphyr::to_string(&view)?.as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Like `curl -i`: status line, headers, a blank line, the body; then how long it took and
/// where it went.
fn write_exchange(
    out: &mut impl Write,
    req: &InvokeRequest,
    resp: &InvokeResponse,
) -> anyhow::Result<()> {
    writeln!(out, "HTTP {} {}", resp.status, resp.reason)?;
    for (k, v) in &resp.headers {
        writeln!(out, "{}: {}", sanitize(k), sanitize(v))?;
    }
    writeln!(out)?;
    let body = resp.rendered_body().text();
    if !body.is_empty() {
        writeln!(out, "{body}")?;
        writeln!(out)?;
    }
    let dest = &resp.sent_to;
    let via = match &dest.gateway {
        Some(g) => format!(" through {} at {}", sanitize(g), dest.address),
        None => String::new(),
    };
    writeln!(
        out,
        "latency: {:.1} ms ({} {}{}{via})",
        millis(resp.latency),
        req.method,
        sanitize(&dest.url),
        sanitize(&req.path),
    )?;
    Ok(())
}

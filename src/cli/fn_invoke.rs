//! `funcdeck fn invoke NAME [-X METHOD] [-H 'K: V']... [-d DATA | -d @FILE] [--tag TAG]`: one
//! HTTP request to the function (or a tag), through the cluster's ingress gateway, showing the
//! status, headers, body and latency. Any HTTP answer is a success (exit 0): the status is the
//! function's to report; no answer at all is an error. Invoking changes nothing, so no gate.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use funcdeck_core::CoreError;
use funcdeck_core::invoke::{InvokeError, InvokeRequest, InvokeResponse, Rendered, invoke};
use funcdeck_core::text::sanitize;
use serde::Serialize;

use super::read::connect_for_one;
use super::{ClusterArgs, OutputFormat, parse_function_name};

#[derive(Debug, Args)]
pub struct FnInvokeArgs {
    /// The function's name
    #[arg(value_name = "NAME", value_parser = parse_function_name)]
    pub name: String,

    /// HTTP method (default: GET, or POST when -d is given)
    #[arg(short = 'X', long = "request", value_name = "METHOD", value_parser = parse_method)]
    pub method: Option<String>,

    /// A request header, 'Name: value' (repeatable)
    #[arg(short = 'H', long = "header", value_name = "'K: V'", value_parser = parse_header_arg)]
    pub headers: Vec<(String, String)>,

    /// The request body: DATA as given, or @FILE to send a file's contents (@- for stdin)
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Option<String>,

    /// Path and query to request
    #[arg(long, default_value = "/", value_name = "PATH", value_parser = parse_path)]
    pub path: String,

    /// Invoke the URL of this traffic tag instead of the function's
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// An HTTP method token (letters, as people type them; sent upper-cased).
fn parse_method(value: &str) -> Result<String, String> {
    if !value.is_empty() && value.len() <= 16 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(format!(
            "\"{value}\" is not an HTTP method (GET, POST, PUT, ...)"
        ))
    }
}

fn parse_header_arg(value: &str) -> Result<(String, String), String> {
    funcdeck_core::invoke::parse_header(value)
}

/// A request path: starts with `/`, no spaces (they would not survive the request line).
fn parse_path(value: &str) -> Result<String, String> {
    if value.starts_with('/') && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "\"{value}\" is not a request path: it starts with / and has no spaces"
        ))
    }
}

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
    err: &mut impl Write,
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
    if resp.status == 404 {
        explain_not_found(&conn, &namespace, &args.name, err).await?;
    }
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

/// A 404 from the gateway for a function that exists: say when it is because the function is
/// off the external gateway (offline, or cluster-local by its own label).
async fn explain_not_found(
    conn: &funcdeck_core::cluster::Connection,
    namespace: &str,
    name: &str,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    use funcdeck_core::function::visibility::{Reachability, reachability};
    let Ok((service, _)) = funcdeck_core::functions::fetch_revisions(conn, namespace, name).await
    else {
        return Ok(());
    };
    match reachability(&service) {
        Reachability::Offline { .. } => writeln!(
            err,
            "note: function \"{name}\" is offline (cluster-local), so the external gateway does not route to it; `funcdeck fn online {name} -n {namespace}` brings it back"
        )?,
        Reachability::ClusterLocal => writeln!(
            err,
            "note: function \"{name}\" is cluster-local (its networking.knative.dev/visibility label), so the external gateway does not route to it"
        )?,
        Reachability::Online => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command, FnCommand};

    #[test]
    fn fn_invoke_takes_curl_like_flags() {
        let cli = Cli::try_parse_from([
            "funcdeck",
            "fn",
            "invoke",
            "echo",
            "-X",
            "put",
            "-H",
            "X-A: 1",
            "-H",
            "X-B:2",
            "-d",
            "@body.json",
            "--tag",
            "blue",
        ])
        .expect("parses");
        let Some(Command::Function(FnCommand::Invoke(args))) = cli.command else {
            panic!("expected fn invoke");
        };
        assert_eq!(args.method.as_deref(), Some("PUT"));
        assert_eq!(
            args.headers,
            vec![("X-A".into(), "1".into()), ("X-B".into(), "2".into())]
        );
        assert_eq!(
            (
                args.data.as_deref(),
                args.tag.as_deref(),
                args.path.as_str()
            ),
            (Some("@body.json"), Some("blue"), "/")
        );
        for bad in [
            &["-X", "GE T"][..],
            &["-H", "nocolon"][..],
            &["--path", "no-slash"][..],
        ] {
            let argv = [&["funcdeck", "fn", "invoke", "echo"][..], bad].concat();
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }
}

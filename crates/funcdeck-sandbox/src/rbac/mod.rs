//! Authentication, impersonation and RBAC authorization for every API request, in one place
//! (`gate`, called first by `api::handle`) so that reads, writes, watches, discovery and paths
//! the sandbox does not even serve are all decided the same way, as the apiserver's filter chain
//! does. The simulated controllers and the seeder write through `write::commit` directly and are
//! not subject to it (they are the control plane, with its own privileges).

mod attrs;
pub mod authn;
pub mod escalation;
mod evaluate;
mod impersonate;
mod rules;
pub mod table;

use hyper::{HeaderMap, Response, StatusCode, header};

pub use attrs::{Attrs, forbidden, forbidden_for};
pub use evaluate::{authorize, evaluation_error, rules_for};

use crate::http::{self, Body};
use crate::identity::{Identity, Impersonation};
use crate::request::Query;
use crate::store::Store;
use impersonate::Refusal;

/// Authenticates the caller, applies impersonation and authorizes the request; the identity
/// to act as, or the response that refuses it.
pub fn gate(
    store: &Store,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    request_uri: &str,
    query: &Query,
) -> Result<Identity, Box<Response<Body>>> {
    let caller = authn::caller(store, headers).map_err(|e| Box::new(http::error(&e)))?;
    let imp = Impersonation::from_headers(headers);
    let t = store.txn();
    let identity = match impersonate::resolve(&t, caller, &imp, request_uri) {
        Ok(id) => id,
        Err(Refusal::Forbidden(e)) => return Err(Box::new(http::error(&e))),
        Err(Refusal::Malformed(text)) => return Err(Box::new(internal_error(text))),
    };
    let a = Attrs::from_request(method, path, query);
    let d = authorize(&t, &identity, &a);
    if d.allowed {
        Ok(identity)
    } else {
        tracing::debug!(user = %identity.user, verb = %a.verb, resource = %a.resource, path, "forbidden");
        Err(Box::new(http::error(&forbidden(
            &identity.user,
            &a,
            &d.reason,
        ))))
    }
}

fn internal_error(text: String) -> Response<Body> {
    let mut resp = Response::new(http::full(format!("{text}\n")));
    *resp.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp.headers_mut().insert(
        "x-content-type-options",
        header::HeaderValue::from_static("nosniff"),
    );
    resp
}

//! Admission webhooks registered by the cluster's own operators (cert-manager, the OpenTelemetry
//! operator): `MutatingWebhookConfiguration`s and `ValidatingWebhookConfiguration`s are stored,
//! and a write they match is "sent" to the webhook's Service. The sandbox does not run the
//! webhook's logic; what it simulates is the failure every stack install meets: until a ready
//! pod stands behind that Service, the apiserver cannot connect, and with `failurePolicy: Fail`
//! the write is refused with its `Internal error occurred: failed calling webhook …` message.

use serde_json::{Value, json};

use crate::endpoints::{self, Endpoints};
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Txn;

fn has(list: Option<&Value>, want: &str) -> bool {
    list.and_then(Value::as_array).is_some_and(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .any(|s| s == "*" || s == want)
    })
}

/// Whether one of `hook`'s rules covers `operation` on `res`.
fn matches(hook: &Value, res: Res, operation: &str) -> bool {
    let d = res.def();
    hook.get("rules")
        .and_then(Value::as_array)
        .is_some_and(|rules| {
            rules.iter().any(|r| {
                has(r.get("apiGroups"), d.group)
                    && has(r.get("operations"), operation)
                    && (has(r.get("resources"), d.plural)
                        || has(r.get("resources"), "*/*")
                        || has(r.get("resources"), &format!("{}/*", d.plural)))
            })
        })
}

/// `operation`: `CREATE` or `UPDATE`.
pub fn call(t: &Txn<'_>, res: Res, operation: &str) -> Result<(), ApiError> {
    if matches!(
        res,
        Res::MutatingWebhookConfiguration | Res::ValidatingWebhookConfiguration
    ) {
        return Ok(());
    }
    for kind in [
        Res::MutatingWebhookConfiguration,
        Res::ValidatingWebhookConfiguration,
    ] {
        for config in t.list(kind, None) {
            let hooks = config.get("webhooks").and_then(Value::as_array);
            for hook in hooks.into_iter().flatten() {
                if matches(hook, res, operation) {
                    check(t, hook)?;
                }
            }
        }
    }
    Ok(())
}

fn check(t: &Txn<'_>, hook: &Value) -> Result<(), ApiError> {
    let Some(svc) = obj::at(hook, &["clientConfig", "service"]) else {
        return Ok(());
    };
    if hook.get("failurePolicy").and_then(Value::as_str) == Some("Ignore") {
        return Ok(());
    }
    let s = |k: &str| svc.get(k).and_then(Value::as_str).unwrap_or("");
    let (ns, name, path) = (s("namespace"), s("name"), s("path"));
    let port = svc.get("port").and_then(Value::as_i64).unwrap_or(443);
    let timeout = hook
        .get("timeoutSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(10);
    let url = format!("https://{name}.{ns}.svc:{port}{path}?timeout={timeout}s");
    let why = match endpoints::of(t, ns, name) {
        Endpoints::Ready(_) => return Ok(()),
        Endpoints::NoService => format!("service \"{name}\" not found"),
        Endpoints::None(svc) => format!(
            "dial tcp {}:{port}: connect: connection refused",
            endpoints::cluster_ip(&svc)
        ),
    };
    let hook_name = hook.get("name").and_then(Value::as_str).unwrap_or("");
    let cause = format!(
        "failed calling webhook \"{hook_name}\": failed to call webhook: Post \"{url}\": {why}"
    );
    Err(ApiError::new(
        500,
        "InternalError",
        format!("Internal error occurred: {cause}"),
    )
    .with_details(json!({"causes": [{"message": cause}]})))
}

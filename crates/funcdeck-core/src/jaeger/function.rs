//! A function's traces, whatever the Knative era. Jaeger searches by service name, and
//! Knative's queue-proxy names its service differently per era (reference section B): from
//! 1.19 the Knative Service's own name, before it the pod's (`<revision>-deployment-<rs>-<pod>`,
//! one service per pod that ever ran). So the function's services are picked out of Jaeger's
//! list — its name, and the pod names of its revisions — each searched, and the answers merged.
//! A search returns whole traces, so each still carries the activator's spans, cold start and all.
//!
//! Namespaces: a function name may exist in several. A trace whose queue-proxy says its
//! namespace (`k8s.namespace.name`, 1.19) is kept only for the function's; one that does not
//! say (1.18's spans carry no namespace) is kept.

use super::client::JaegerClient;
use super::knative::{is_activator, revision_of_pod};
use super::model::Trace;
use super::query::TraceQuery;
use crate::backend::BackendError;

/// The services in `services` that hold `function`'s queue-proxy spans.
pub fn function_services(services: &[String], function: &str) -> Vec<String> {
    services
        .iter()
        .filter(|s| s.as_str() == function || is_pod_of(s, function))
        .cloned()
        .collect()
}

/// Whether `service` is a pod of one of `function`'s revisions (`<function>-0000N-deployment-…`).
fn is_pod_of(service: &str, function: &str) -> bool {
    revision_of_pod(service).is_some_and(|revision| {
        revision
            .strip_prefix(function)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The namespace the trace's queue-proxy says it ran in, if it says.
pub fn namespace(trace: &Trace) -> Option<String> {
    trace
        .spans
        .iter()
        .filter(|s| !is_activator(s))
        .flat_map(|s| s.process_tags.iter().chain(&s.tags))
        .find(|(key, _)| key == "k8s.namespace.name")
        .map(|(_, value)| value.to_string())
}

/// `function`'s traces in `namespace` matching `query` (its `service` is ignored), newest
/// first, at most `query.limit`. No service of the function in Jaeger is no traces, not an
/// error: a function that served nothing since Jaeger started has none.
pub async fn function_traces(
    client: &JaegerClient,
    namespace_name: &str,
    function: &str,
    query: &TraceQuery,
) -> Result<Vec<Trace>, BackendError> {
    let services = function_services(&client.services().await?, function);
    let searches = services.iter().map(|service| {
        let mut each = query.clone();
        each.service = service.clone();
        async move { client.search(&each).await }
    });
    let answers = futures::future::try_join_all(searches).await?;
    Ok(merge(answers, namespace_name, query.limit))
}

/// The answers of several searches as one list: each trace once, only the namespace's (or
/// those that do not say), newest first, at most `limit`.
pub fn merge(answers: Vec<Vec<Trace>>, namespace_name: &str, limit: usize) -> Vec<Trace> {
    let mut traces: Vec<Trace> = Vec::new();
    for trace in answers.into_iter().flatten() {
        let elsewhere = namespace(&trace).is_some_and(|ns| ns != namespace_name);
        if !elsewhere && !traces.iter().any(|t| t.id.same(&trace.id)) {
            traces.push(trace);
        }
    }
    traces.sort_by_key(|t| std::cmp::Reverse(t.start_us()));
    traces.truncate(limit.max(1));
    traces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jaeger::model::{Span, SpanId, TagValue, TraceId};

    fn span(service: &str, start_us: i64, tags: &[(&str, &str)]) -> Span {
        Span {
            id: SpanId::new("a1"),
            parent: None,
            trace_id: TraceId::new("1"),
            service: service.into(),
            operation: "queue".into(),
            start_us,
            duration_us: 10,
            kind: Default::default(),
            error: false,
            tags: Vec::new(),
            events: Vec::new(),
            process_tags: tags
                .iter()
                .map(|(k, v)| ((*k).to_owned(), TagValue::Str((*v).to_owned())))
                .collect(),
            warnings: Vec::new(),
        }
    }

    fn trace(id: &str, spans: Vec<Span>) -> Trace {
        Trace {
            id: TraceId::new(id),
            spans,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_functions_services_are_its_name_and_its_revisions_pods() {
        let services: Vec<String> = [
            "activator",
            "cart",
            "cart-sync",
            "cart-00002-deployment-7f9c8d6b5-abcde",
            "cart-sync-00001-deployment-7f9c8d6b5-fghij",
            "cartography-00001-deployment-7f9c8d6b5-klmno",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            function_services(&services, "cart"),
            ["cart", "cart-00002-deployment-7f9c8d6b5-abcde"]
        );
        assert_eq!(
            function_services(&services, "cart-sync"),
            ["cart-sync", "cart-sync-00001-deployment-7f9c8d6b5-fghij"]
        );
    }

    #[test]
    fn merged_answers_keep_each_trace_once_newest_first_in_the_namespace() {
        let shop = [("k8s.namespace.name", "shop")];
        let other = [("k8s.namespace.name", "payments")];
        let answers = vec![
            vec![
                trace("0a", vec![span("cart", 100, &shop)]),
                trace("0b", vec![span("cart", 300, &other)]),
            ],
            vec![
                trace("000a", vec![span("cart", 100, &shop)]),
                trace(
                    "0c",
                    vec![span("cart-00001-deployment-7f9c8d6b5-abcde", 200, &[])],
                ),
            ],
        ];
        let merged = merge(answers, "shop", 10);
        let ids: Vec<&str> = merged.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            ["0c", "0a"],
            "payments' left out, 0a once (as 000a too)"
        );
        assert_eq!(merge(vec![merged], "shop", 1).len(), 1);
    }
}

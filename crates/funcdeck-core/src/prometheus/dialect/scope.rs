//! Queries over every function of a namespace (or of the cluster) at once, one series per
//! function or revision: a list of thousands of functions reads its live columns in two
//! queries, and metering its period in two more, whatever the number of rows.

use super::{Dialect, Era, literal};

/// What one series of a scoped query is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Per {
    Function,
    Revision,
}

/// Which functions a scoped query covers, and what each of its series is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// `None`: every namespace.
    pub namespace: Option<String>,
    /// `None`: every function of the namespace.
    pub function: Option<String>,
    pub per: Per,
}

impl Scope {
    /// Every function of `namespace` (all with `None`), one series each.
    pub fn functions(namespace: Option<&str>) -> Scope {
        Scope {
            namespace: namespace.map(str::to_owned),
            function: None,
            per: Per::Function,
        }
    }

    /// One function's revisions, one series each.
    pub fn revisions_of(namespace: &str, function: &str) -> Scope {
        Scope {
            namespace: Some(namespace.to_owned()),
            function: Some(function.to_owned()),
            per: Per::Revision,
        }
    }
}

impl Dialect {
    /// The request counter of every function in `namespace` (everywhere with `None`).
    pub(super) fn scoped_requests(&self, namespace: Option<&str>) -> String {
        self.request_counter(&self.scope_matchers(namespace, None))
    }

    fn request_counter(&self, m: &str) -> String {
        match self.era {
            Era::OpenCensus => format!("{}revision_request_count{{{m}}}", self.prefix),
            Era::OpenTelemetry => format!("http_server_request_duration_seconds_count{{{m}}}"),
        }
    }

    fn latency_buckets_matching(&self, m: &str) -> String {
        match self.era {
            Era::OpenCensus => format!("{}revision_request_latencies_bucket{{{m}}}", self.prefix),
            Era::OpenTelemetry => format!("http_server_request_duration_seconds_bucket{{{m}}}"),
        }
    }

    /// Matchers for the queue-proxy's request series of `namespace` (and `function`), without
    /// braces. In 1.19 the activator exports the same metric names, so the queue-proxy is
    /// picked out.
    fn scope_matchers(&self, namespace: Option<&str>, function: Option<&str>) -> String {
        let mut m = Vec::new();
        if self.era == Era::OpenTelemetry {
            m.push("k8s_container_name=\"queue-proxy\"".to_owned());
        }
        if let Some(namespace) = namespace {
            m.push(format!("{}={}", self.namespace_label(), literal(namespace)));
        }
        if let Some(function) = function {
            m.push(format!("{}={}", self.function_label(), literal(function)));
        }
        m.join(",")
    }

    /// The labels a scoped query groups by: namespace, then function or revision.
    pub fn labels_per(&self, per: Per) -> String {
        let what = match per {
            Per::Function => self.function_label(),
            Per::Revision => self.revision_label(),
        };
        format!("{}, {what}", self.namespace_label())
    }

    /// Requests per second of each function (or revision) of `scope`, as a rate over `window`.
    pub fn requests_in(&self, scope: &Scope, window: &str) -> String {
        let m = self.scope_matchers(scope.namespace.as_deref(), scope.function.as_deref());
        format!(
            "sum by ({}) (rate({}[{window}]))",
            self.labels_per(scope.per),
            self.request_counter(&m)
        )
    }

    /// The `q` quantile of each function's (or revision's) request latency over `window`, in
    /// milliseconds.
    pub fn latency_in(&self, q: &str, scope: &Scope, window: &str) -> String {
        let m = self.scope_matchers(scope.namespace.as_deref(), scope.function.as_deref());
        let quantile = format!(
            "histogram_quantile({q}, sum by (le, {}) (rate({}[{window}])))",
            self.labels_per(scope.per),
            self.latency_buckets_matching(&m)
        );
        match self.era {
            Era::OpenCensus => quantile,
            Era::OpenTelemetry => format!("{quantile} * 1000"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_function_queries_group_by_namespace_and_function_in_both_eras() {
        let census = Dialect::new(Era::OpenCensus);
        assert_eq!(
            census.requests_in(&Scope::functions(Some("shop")), "1m"),
            "sum by (namespace_name, service_name) (rate(revision_request_count{namespace_name=\"shop\"}[1m]))"
        );
        assert_eq!(
            census.latency_in("0.99", &Scope::functions(None), "5m"),
            "histogram_quantile(0.99, sum by (le, namespace_name, service_name) (rate(revision_request_latencies_bucket{}[5m])))"
        );
        let otel = Dialect::new(Era::OpenTelemetry);
        assert_eq!(
            otel.requests_in(&Scope::functions(None), "1m"),
            "sum by (k8s_namespace_name, kn_service_name) (rate(http_server_request_duration_seconds_count{k8s_container_name=\"queue-proxy\"}[1m]))"
        );
        assert!(
            otel.latency_in("0.99", &Scope::functions(Some("a\"b")), "5m").ends_with(
                "{k8s_container_name=\"queue-proxy\",k8s_namespace_name=\"a\\\"b\"}[5m]))) * 1000"
            )
        );
    }

    #[test]
    fn one_functions_revisions_group_by_revision() {
        let census = Dialect::new(Era::OpenCensus);
        assert_eq!(
            census.requests_in(&Scope::revisions_of("shop", "cart"), "2m"),
            "sum by (namespace_name, revision_name) (rate(revision_request_count{namespace_name=\"shop\",service_name=\"cart\"}[2m]))"
        );
    }

    #[test]
    fn invocations_count_the_same_requests_per_revision() {
        let otel = Dialect::new(Era::OpenTelemetry);
        assert_eq!(
            otel.invocations(Some("shop"), "30d"),
            "sum by (k8s_namespace_name, kn_service_name, kn_revision_name) (increase(http_server_request_duration_seconds_count{k8s_container_name=\"queue-proxy\",k8s_namespace_name=\"shop\"}[30d]))"
        );
        let census = Dialect::new(Era::OpenCensus);
        assert_eq!(
            census.invocations(None, "7d"),
            "sum by (namespace_name, service_name, revision_name) (increase(revision_request_count{}[7d]))"
        );
    }
}

//! The document fields funcdeck filters on, as fluent-bit writes them, and how a field and a
//! value are written into Lucene query syntax.
//!
//! fluent-bit's kubernetes filter nests pod facts under `kubernetes`; with `Replace_Dots On`
//! (and fluentd's `de_dot`) the dots *inside* a label key become `_`, so Knative's
//! `serving.knative.dev/service` label is `kubernetes.labels.serving_knative_dev/service`.
//! The `/` is a Lucene regex delimiter, so in `query_string` it must be escaped.

/// The time of a document, added by fluent-bit's `es`/`opensearch` output.
pub const TIMESTAMP: &str = "@timestamp";
pub const NAMESPACE: &str = "kubernetes.namespace_name";
pub const POD: &str = "kubernetes.pod_name";
pub const CONTAINER: &str = "kubernetes.container_name";
pub const FUNCTION: &str = "kubernetes.labels.serving_knative_dev/service";
pub const CONFIGURATION: &str = "kubernetes.labels.serving_knative_dev/configuration";
pub const REVISION: &str = "kubernetes.labels.serving_knative_dev/revision";
/// The raw line (Docker/CRI), and `stream` (`stdout`/`stderr`).
pub const LOG: &str = "log";
pub const STREAM: &str = "stream";

/// The suffix of the exact-value sub-field that Elasticsearch's dynamic mapping adds to every
/// string (`text` for search, `.keyword` for terms and aggregations).
pub const KEYWORD: &str = ".keyword";

/// Characters with a meaning in Lucene's query syntax (`&&`/`||` are covered by `&`/`|`).
const RESERVED: &[char] = &[
    '+', '-', '=', '&', '|', '>', '<', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?',
    ':', '\\', '/',
];

/// A field name for `query_string`: every reserved character and space backslash-escaped,
/// so `kubernetes.labels.serving_knative_dev/service` is one field, not a regex.
pub fn escape_field(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 4);
    for c in field.chars() {
        if RESERVED.contains(&c) || c.is_whitespace() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A value as a quoted Lucene phrase (`"` and `\` escaped), matched exactly as written.
pub fn quote_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The clause a click in the fields panel adds to the query bar: `field:"value"`, or
/// `NOT field:"value"` to exclude. `field` is as [`crate::elastic::LogLine::fields`] and
/// top-values name it (e.g. `kubernetes.pod_name.keyword` for an exact match).
pub fn clause(field: &str, value: &str, exclude: bool) -> String {
    let not = if exclude { "NOT " } else { "" };
    format!("{not}{}:{}", escape_field(field), quote_value(value))
}

/// `query` AND `clause`, keeping what the user typed intact (parenthesised when needed).
pub fn and(query: &str, clause: &str) -> String {
    let query = query.trim();
    if query.is_empty() {
        clause.to_owned()
    } else {
        format!("({query}) AND {clause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashes_and_other_reserved_characters_in_field_names_are_escaped() {
        assert_eq!(
            escape_field(FUNCTION),
            r"kubernetes.labels.serving_knative_dev\/service"
        );
        assert_eq!(escape_field("a b:c(d)"), r"a\ b\:c\(d\)");
        assert_eq!(escape_field("@timestamp"), "@timestamp");
    }

    #[test]
    fn clauses_quote_values_and_join_what_the_user_typed() {
        assert_eq!(
            clause(REVISION, r#"say "hi" \o/"#, false),
            r#"kubernetes.labels.serving_knative_dev\/revision:"say \"hi\" \\o/""#
        );
        assert_eq!(clause("stream", "stderr", true), r#"NOT stream:"stderr""#);
        assert_eq!(and("  ", "a:\"b\""), "a:\"b\"");
        assert_eq!(
            and("error OR warn", "a:\"b\""),
            "(error OR warn) AND a:\"b\""
        );
    }
}

//! `-q` without Elasticsearch: the pods' logs have no search engine behind them, so a query
//! is matched as text — lines whose message contains it, ignoring case, the way one would
//! `kubectl logs | grep -i`. Surrounding double quotes are dropped (`"connection reset"` reads
//! as a phrase in Lucene and here alike). Lucene's operators and `field:value` are not
//! interpreted; [`TextFilter::lucene_hint`] says when a query looks like it meant them, so
//! the caller can say so instead of silently matching nothing.

use crate::elastic::LogLine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFilter {
    /// Lowercased; empty matches every line.
    needle: String,
    raw: String,
}

impl TextFilter {
    pub fn new(query: &str) -> Self {
        let trimmed = query.trim();
        let bare = trimmed
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(trimmed);
        Self {
            needle: bare.to_lowercase(),
            raw: trimmed.to_owned(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    pub fn matches(&self, line: &LogLine) -> bool {
        self.needle.is_empty() || contains_ignoring_case(&line.message, &self.needle)
    }

    /// Why this query may not do what its author meant without Elasticsearch: it uses
    /// Lucene's boolean operators, a `field:value` term or wildcards.
    pub fn lucene_hint(&self) -> Option<&'static str> {
        if self.raw.starts_with('"') && self.raw.ends_with('"') && self.raw.len() > 1 {
            return None;
        }
        let words: Vec<&str> = self.raw.split_whitespace().collect();
        if words
            .iter()
            .any(|w| matches!(*w, "AND" | "OR" | "NOT" | "&&" | "||"))
        {
            return Some("boolean operators");
        }
        let field = |w: &&str| {
            w.split_once(':').is_some_and(|(k, v)| {
                !k.is_empty()
                    && !v.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
                    && !v.starts_with("//")
            })
        };
        if words.iter().any(field) {
            return Some("field:value terms");
        }
        if words.iter().any(|w| w.contains(['*', '?'])) {
            return Some("wildcards");
        }
        None
    }
}

/// Case-insensitive `contains` without lowercasing every line whole when it is ASCII.
fn contains_ignoring_case(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return n.len() <= h.len()
            && h.windows(n.len())
                .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    haystack.to_lowercase().contains(needle_lower)
}

//! A document's fields as `dotted.key → value` pairs for the fields panel, kept small.
//!
//! A buffer holds up to 100,000 lines, and every fluent-bit document repeats the same keys and
//! mostly the same values (pod labels, host, image). Keys and short values are shared through
//! a bounded interner, and the fields nobody filters on (annotations, container and pod ids,
//! image hashes) are left out, so the buffer's memory stays flat and small.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

/// Key → value, sorted by key.
pub type Fields = Vec<(Arc<str>, Arc<str>)>;

/// At most this many fields per line, and this many characters per value.
const MAX_FIELDS: usize = 64;
const MAX_VALUE_CHARS: usize = 256;
/// Values longer than this are not worth sharing.
const INTERN_MAX_LEN: usize = 96;
const INTERN_CAPACITY: usize = 16_384;

/// Left out: already typed on the line, or never useful to filter by.
fn skipped(key: &str) -> bool {
    matches!(
        key,
        "log"
            | "@timestamp"
            | "time"
            | "kubernetes.docker_id"
            | "kubernetes.container_hash"
            | "kubernetes.pod_id"
    ) || key.starts_with("kubernetes.annotations.")
}

/// Shares equal strings; stops growing at a bound (then simply allocates).
#[derive(Debug, Default)]
pub struct Interner {
    set: HashSet<Arc<str>>,
}

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.set.get(s) {
            return shared.clone();
        }
        let new: Arc<str> = Arc::from(s);
        if s.len() <= INTERN_MAX_LEN && self.set.len() < INTERN_CAPACITY {
            self.set.insert(new.clone());
        }
        new
    }
}

/// The fields of `source`, flattened and sorted.
pub fn flatten(source: &Value, interner: &mut Interner) -> Fields {
    let mut out = Vec::new();
    let mut key = String::new();
    walk(source, &mut key, interner, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    // Kept for the buffer's lifetime: no spare capacity.
    out.shrink_to_fit();
    out
}

fn walk(value: &Value, key: &mut String, interner: &mut Interner, out: &mut Fields) {
    if out.len() >= MAX_FIELDS {
        return;
    }
    match value {
        Value::Object(map) => {
            let len = key.len();
            for (k, v) in map {
                if len > 0 {
                    key.push('.');
                }
                key.push_str(k);
                if !skipped(key) {
                    walk(v, key, interner, out);
                }
                key.truncate(len);
            }
        }
        Value::Null => {}
        _ if key.is_empty() => {}
        leaf => {
            let text = match leaf {
                Value::String(s) => short(s),
                other => short(&other.to_string()),
            };
            out.push((interner.get(key), interner.get(&text)));
        }
    }
}

fn short(s: &str) -> String {
    match s.char_indices().nth(MAX_VALUE_CHARS) {
        None => s.to_owned(),
        Some((cut, _)) => format!("{}…", &s[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_keys_are_dotted_noise_is_left_out_and_strings_are_shared() {
        let doc = json!({
            "log": "hi\n", "stream": "stdout", "@timestamp": "x",
            "kubernetes": {"pod_name": "p", "docker_id": "d", "labels": {"app": "a"},
                           "annotations": {"x": "y"}},
            "httpRequest": {"status": 200, "latency": null}, "tags": ["a", "b"],
        });
        let mut interner = Interner::default();
        let fields = flatten(&doc, &mut interner);
        let keys: Vec<&str> = fields.iter().map(|(k, _)| &**k).collect();
        assert_eq!(
            keys,
            [
                "httpRequest.status",
                "kubernetes.labels.app",
                "kubernetes.pod_name",
                "stream",
                "tags"
            ]
        );
        assert_eq!(&*fields[0].1, "200");
        assert_eq!(&*fields[4].1, r#"["a","b"]"#);
        let again = flatten(&doc, &mut interner);
        assert!(Arc::ptr_eq(&fields[2].0, &again[2].0));
        assert!(Arc::ptr_eq(&fields[2].1, &again[2].1));
    }

    #[test]
    fn long_values_and_many_fields_are_bounded() {
        let mut doc = serde_json::Map::new();
        for i in 0..200 {
            doc.insert(format!("k{i:03}"), json!("v".repeat(1000)));
        }
        let fields = flatten(&Value::Object(doc), &mut Interner::default());
        assert_eq!(fields.len(), MAX_FIELDS);
        assert_eq!(fields[0].1.chars().count(), MAX_VALUE_CHARS + 1);
    }
}

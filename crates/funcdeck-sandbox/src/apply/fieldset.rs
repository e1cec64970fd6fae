//! Field sets as server-side apply tracks them (structured-merge-diff's `fieldpath.Set`), in
//! their `fieldsV1` wire form: `f:<field>` for struct and map members, `k:{"name":"x"}` for
//! items of map lists, `v:<json>` for set items, `{}` for a leaf and `".": {}` for an item that
//! is owned itself as well as through its members. Lists are atomic (one leaf) unless the
//! schema says `x-kubernetes-list-type: map` or `set`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::schema::{ListType, Node};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    /// This path itself is owned (a leaf, or a map-list item's `.`).
    pub own: bool,
    pub children: BTreeMap<String, FieldSet>,
}

/// The members of an object value as `f:` children.
pub fn of_members(v: &Value, node: Option<&Node>) -> BTreeMap<String, FieldSet> {
    let mut out = BTreeMap::new();
    if let Value::Object(m) = v {
        for (k, c) in m {
            let child = node.filter(|n| !n.any).and_then(|n| n.child(k));
            out.insert(format!("f:{k}"), of_value(c, child));
        }
    }
    out
}

/// The field set a value at a path with schema `node` contributes.
pub fn of_value(v: &Value, node: Option<&Node>) -> FieldSet {
    match v {
        Value::Object(m) if !m.is_empty() => FieldSet {
            own: false,
            children: of_members(v, node),
        },
        Value::Array(items) => match node.and_then(|n| n.list.as_ref()) {
            Some(ListType::Map(keys)) => {
                let mut children = BTreeMap::new();
                for item in items {
                    let Some(k) = item_key(item, keys) else {
                        return leaf();
                    };
                    children.insert(
                        k,
                        FieldSet {
                            own: true,
                            children: of_members(item, node),
                        },
                    );
                }
                FieldSet {
                    own: false,
                    children,
                }
            }
            Some(ListType::Set) => FieldSet {
                own: false,
                children: items.iter().map(|i| (format!("v:{i}"), leaf())).collect(),
            },
            _ => leaf(),
        },
        _ => leaf(),
    }
}

fn leaf() -> FieldSet {
    FieldSet {
        own: true,
        children: BTreeMap::new(),
    }
}

/// `k:{"name":"x"}` for a map-list item (keys in schema order), if it has every key.
pub fn item_key(item: &Value, keys: &[String]) -> Option<String> {
    let mut m = Map::new();
    for k in keys {
        m.insert(k.clone(), item.get(k)?.clone());
    }
    Some(format!("k:{}", Value::Object(m)))
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        !self.own && self.children.is_empty()
    }

    pub fn from_json(v: &Value) -> FieldSet {
        let mut s = FieldSet::default();
        if let Value::Object(m) = v {
            if m.is_empty() {
                s.own = true;
            }
            for (k, c) in m {
                if k == "." {
                    s.own = true;
                } else {
                    s.children.insert(k.clone(), FieldSet::from_json(c));
                }
            }
        }
        s
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if self.own && !self.children.is_empty() {
            m.insert(".".into(), Value::Object(Map::new()));
        }
        for (k, c) in &self.children {
            m.insert(k.clone(), c.to_json());
        }
        Value::Object(m)
    }

    pub fn union(&mut self, other: &FieldSet) {
        self.own |= other.own;
        for (k, c) in &other.children {
            self.children.entry(k.clone()).or_default().union(c);
        }
    }

    /// Removes every path owned in `other`; prunes what becomes empty.
    pub fn subtract(&mut self, other: &FieldSet) {
        if other.own {
            self.own = false;
        }
        for (k, c) in &other.children {
            if let Some(mine) = self.children.get_mut(k) {
                mine.subtract(c);
                if mine.is_empty() {
                    self.children.remove(k);
                }
            }
        }
    }

    /// Every owned path, parents before children.
    pub fn paths(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        if self.own && !prefix.is_empty() {
            out.push(prefix.clone());
        }
        for (k, c) in &self.children {
            prefix.push(k.clone());
            c.collect(prefix, out);
            prefix.pop();
        }
    }

    pub fn contains(&self, path: &[String]) -> bool {
        match path.split_first() {
            None => self.own,
            Some((h, rest)) => self.children.get(h).is_some_and(|c| c.contains(rest)),
        }
    }

    pub fn leaf_at(&self, path: &[String]) -> bool {
        match path.split_first() {
            None => self.own && self.children.is_empty(),
            Some((h, rest)) => self.children.get(h).is_some_and(|c| c.leaf_at(rest)),
        }
    }
}

/// The value at a field path, if present.
pub fn get<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    let Some((h, rest)) = path.split_first() else {
        return Some(v);
    };
    let next = if let Some(f) = h.strip_prefix("f:") {
        v.get(f)?
    } else {
        let items = v.as_array()?;
        items.iter().find(|i| item_matches(i, h))?
    };
    get(next, rest)
}

fn item_matches(item: &Value, elem: &str) -> bool {
    if let Some(k) = elem.strip_prefix("k:") {
        let Ok(Value::Object(keys)) = serde_json::from_str::<Value>(k) else {
            return false;
        };
        keys.iter().all(|(k, want)| item.get(k) == Some(want))
    } else if let Some(v) = elem.strip_prefix("v:") {
        serde_json::from_str::<Value>(v).is_ok_and(|want| &want == item)
    } else {
        false
    }
}

/// Removes the value at a field path (a member, or a list item).
pub fn remove(v: &mut Value, path: &[String]) {
    let Some((h, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        if let Some(f) = h.strip_prefix("f:") {
            if let Some(m) = v.as_object_mut() {
                m.remove(f);
            }
        } else if let Some(items) = v.as_array_mut() {
            items.retain(|i| !item_matches(i, h));
        }
        return;
    }
    let next = if let Some(f) = h.strip_prefix("f:") {
        v.get_mut(f)
    } else {
        v.as_array_mut()
            .and_then(|items| items.iter_mut().find(|i| item_matches(i, h)))
    };
    if let Some(n) = next {
        remove(n, rest);
    }
}

/// `.spec.template.spec.containers`, `.spec.env[name="A"]` (fieldpath.Path's String()).
pub fn path_string(path: &[String]) -> String {
    let mut s = String::new();
    for e in path {
        if let Some(f) = e.strip_prefix("f:") {
            s.push('.');
            s.push_str(f);
        } else if let Some(k) = e.strip_prefix("k:") {
            let parts: Vec<String> = match serde_json::from_str::<Value>(k) {
                Ok(Value::Object(m)) => m.iter().map(|(k, v)| format!("{k}={v}")).collect(),
                _ => vec![k.to_string()],
            };
            s.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(v) = e.strip_prefix("v:") {
            s.push_str(&format!("[={v}]"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_and_paths() {
        let node = Node {
            list: Some(ListType::Map(vec!["name".into()])),
            ..Node::default()
        };
        let env = json!([{"name": "A", "value": "1"}]);
        let s = of_value(&env, Some(&node));
        let j = s.to_json();
        assert_eq!(
            j,
            json!({"k:{\"name\":\"A\"}": {".": {}, "f:name": {}, "f:value": {}}})
        );
        assert_eq!(FieldSet::from_json(&j), s);
        let p = vec!["f:env".to_string(), "k:{\"name\":\"A\"}".to_string()];
        assert_eq!(path_string(&p), ".env[name=\"A\"]");
        let doc = json!({"env": env});
        assert_eq!(get(&doc, &p), Some(&json!({"name": "A", "value": "1"})));
        let mut d = doc.clone();
        remove(&mut d, &p);
        assert_eq!(d, json!({"env": []}));
    }

    #[test]
    fn subtract_prunes() {
        let mut a = FieldSet::from_json(&json!({"f:spec": {"f:a": {}, "f:b": {}}}));
        a.subtract(&FieldSet::from_json(&json!({"f:spec": {"f:a": {}}})));
        assert_eq!(a.to_json(), json!({"f:spec": {"f:b": {}}}));
        a.subtract(&FieldSet::from_json(&json!({"f:spec": {"f:b": {}}})));
        assert!(a.is_empty());
    }
}

//! Built-in kinds in protobuf → the JSON the write path expects. Each kind is a table of
//! `(field number, JSON name, shape)` taken from `k8s.io/api/*/generated.proto`; fields we do not
//! list are skipped (server-set metadata such as uid or creationTimestamp included). Empty
//! strings and zero numbers are left out, like `omitempty` JSON. Kinds without a table (and
//! CRDs such as Knative's, which have no protobuf form upstream either) are refused with 415.

use serde_json::{Map, Value, json};

use super::{Reader, Wire, unwrap_envelope};

#[derive(Clone, Copy)]
enum F {
    Str,
    Strs,
    Bool,
    Msg(Schema),
    Msgs(Schema),
    /// `map<string, string>`.
    MapStr,
    /// `map<string, bytes>`, base64 in JSON.
    MapBytes,
    /// `map<string, Quantity{1 string}>`.
    MapQty,
}

type Schema = &'static [(u64, &'static str, F)];

const OWNER_REF: Schema = &[
    (1, "kind", F::Str),
    (3, "name", F::Str),
    (4, "uid", F::Str),
    (5, "apiVersion", F::Str),
    (6, "controller", F::Bool),
    (7, "blockOwnerDeletion", F::Bool),
];
const META: Schema = &[
    (1, "name", F::Str),
    (2, "generateName", F::Str),
    (3, "namespace", F::Str),
    (6, "resourceVersion", F::Str),
    (11, "labels", F::MapStr),
    (12, "annotations", F::MapStr),
    (13, "ownerReferences", F::Msgs(OWNER_REF)),
    (14, "finalizers", F::Strs),
];
const RULE: Schema = &[
    (1, "verbs", F::Strs),
    (2, "apiGroups", F::Strs),
    (3, "resources", F::Strs),
    (4, "resourceNames", F::Strs),
    (5, "nonResourceURLs", F::Strs),
];
const SUBJECT: Schema = &[
    (1, "kind", F::Str),
    (2, "apiGroup", F::Str),
    (3, "name", F::Str),
    (4, "namespace", F::Str),
];
const ROLE_REF: Schema = &[
    (1, "apiGroup", F::Str),
    (2, "kind", F::Str),
    (3, "name", F::Str),
];
const ROLE: Schema = &[(1, "metadata", F::Msg(META)), (2, "rules", F::Msgs(RULE))];
const BINDING: Schema = &[
    (1, "metadata", F::Msg(META)),
    (2, "subjects", F::Msgs(SUBJECT)),
    (3, "roleRef", F::Msg(ROLE_REF)),
];
const CONFIG_MAP: Schema = &[
    (1, "metadata", F::Msg(META)),
    (2, "data", F::MapStr),
    (3, "binaryData", F::MapBytes),
    (4, "immutable", F::Bool),
];
const NAMESPACE: Schema = &[
    (1, "metadata", F::Msg(META)),
    (2, "spec", F::Msg(&[(1, "finalizers", F::Strs)])),
];
const OBJECT_REF: Schema = &[
    (1, "kind", F::Str),
    (2, "namespace", F::Str),
    (3, "name", F::Str),
];
const SERVICE_ACCOUNT: Schema = &[
    (1, "metadata", F::Msg(META)),
    (2, "secrets", F::Msgs(OBJECT_REF)),
    (3, "imagePullSecrets", F::Msgs(&[(1, "name", F::Str)])),
    (4, "automountServiceAccountToken", F::Bool),
];
const QUOTA: Schema = &[
    (1, "metadata", F::Msg(META)),
    (
        2,
        "spec",
        F::Msg(&[(1, "hard", F::MapQty), (2, "scopes", F::Strs)]),
    ),
];
const LIMIT_ITEM: Schema = &[
    (1, "type", F::Str),
    (2, "max", F::MapQty),
    (3, "min", F::MapQty),
    (4, "default", F::MapQty),
    (5, "defaultRequest", F::MapQty),
    (6, "maxLimitRequestRatio", F::MapQty),
];
const LIMIT_RANGE: Schema = &[
    (1, "metadata", F::Msg(META)),
    (2, "spec", F::Msg(&[(1, "limits", F::Msgs(LIMIT_ITEM))])),
];

fn schema(api_version: &str, kind: &str) -> Option<Schema> {
    match (api_version, kind) {
        ("rbac.authorization.k8s.io/v1", "Role" | "ClusterRole") => Some(ROLE),
        ("rbac.authorization.k8s.io/v1", "RoleBinding" | "ClusterRoleBinding") => Some(BINDING),
        ("v1", "ConfigMap") => Some(CONFIG_MAP),
        ("v1", "Namespace") => Some(NAMESPACE),
        ("v1", "ServiceAccount") => Some(SERVICE_ACCOUNT),
        ("v1", "ResourceQuota") => Some(QUOTA),
        ("v1", "LimitRange") => Some(LIMIT_RANGE),
        _ => None,
    }
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A map entry `{1 key, 2 value}`; the value is returned raw.
fn entry(b: &[u8]) -> Result<(String, &[u8]), String> {
    let fs = super::fields(b)?;
    let key = super::first(&fs, 1).unwrap_or_default();
    Ok((text(key), super::first(&fs, 2).unwrap_or_default()))
}

fn decode(buf: &[u8], schema: Schema, depth: usize) -> Result<Value, String> {
    if depth > 16 {
        return Err("message nested too deeply".into());
    }
    let mut out = Map::new();
    let mut r = Reader::new(buf);
    while let Some((n, wire)) = r.field()? {
        let Some((_, name, f)) = schema.iter().find(|(num, _, _)| *num == n) else {
            continue;
        };
        let name = (*name).to_string();
        let push = |out: &mut Map<String, Value>, v: Value| {
            if let Some(a) = out
                .entry(name.clone())
                .or_insert_with(|| json!([]))
                .as_array_mut()
            {
                a.push(v);
            }
        };
        let put = |out: &mut Map<String, Value>, k: String, v: Value| {
            if let Some(m) = out
                .entry(name.clone())
                .or_insert_with(|| json!({}))
                .as_object_mut()
            {
                m.insert(k, v);
            }
        };
        match (f, wire) {
            (F::Str, Wire::Bytes(b)) if !b.is_empty() => {
                out.insert(name, json!(text(b)));
            }
            (F::Str, Wire::Bytes(_)) => {}
            (F::Strs, Wire::Bytes(b)) => push(&mut out, json!(text(b))),
            (F::Bool, Wire::Varint(v)) => {
                out.insert(name, json!(v != 0));
            }
            (F::Msg(s), Wire::Bytes(b)) => {
                out.insert(name, decode(b, s, depth + 1)?);
            }
            (F::Msgs(s), Wire::Bytes(b)) => push(&mut out, decode(b, s, depth + 1)?),
            (F::MapStr, Wire::Bytes(b)) => {
                let (k, v) = entry(b)?;
                put(&mut out, k, json!(text(v)));
            }
            (F::MapBytes, Wire::Bytes(b)) => {
                let (k, v) = entry(b)?;
                put(&mut out, k, json!(base64(v)));
            }
            (F::MapQty, Wire::Bytes(b)) => {
                let (k, q) = entry(b)?;
                let s = super::fields(q)?;
                put(
                    &mut out,
                    k,
                    json!(text(super::first(&s, 1).unwrap_or_default())),
                );
            }
            _ => return Err(format!("field {n} ({name}) has an unexpected wire type")),
        }
    }
    Ok(Value::Object(out))
}

#[derive(Debug, PartialEq, Eq)]
pub enum ObjectError {
    /// Not protobuf we can read (a 400).
    Malformed(String),
    /// A kind with no protobuf form here (a 415).
    Unsupported,
}

/// A protobuf-encoded built-in object as JSON, with `apiVersion` and `kind` set.
pub fn decode_object(body: &[u8]) -> Result<Value, ObjectError> {
    let (api_version, kind, raw) = unwrap_envelope(body).map_err(ObjectError::Malformed)?;
    let schema = schema(&api_version, &kind).ok_or(ObjectError::Unsupported)?;
    let mut v = decode(raw, schema, 0).map_err(ObjectError::Malformed)?;
    v["apiVersion"] = json!(api_version);
    v["kind"] = json!(kind);
    Ok(v)
}

#[cfg(test)]
#[path = "objects_tests.rs"]
mod tests;

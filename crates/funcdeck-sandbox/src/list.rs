//! List with selectors and `limit`/`continue` paging. The continue token is opaque (hex) and pins
//! the snapshot resourceVersion plus the last key; a token older than the retained history gets
//! 410 Expired, which makes kube's watcher relist from scratch (reference §2).

use serde_json::{Value, json};

use crate::request::{Format, Query};
use crate::resources::Res;
use crate::routes::ResPath;
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::ApiError;
use crate::store::{Key, Store};
use crate::table::{self, IncludeObject};

pub struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn from_query(res: Res, q: &Query) -> Result<Self, ApiError> {
        Ok(Filter {
            labels: LabelSelector::parse(q.get("labelSelector").unwrap_or(""))?,
            fields: FieldSelector::parse(q.get("fieldSelector").unwrap_or(""), res.def().kind)?,
        })
    }

    pub fn matches(&self, o: &Value) -> bool {
        self.labels.matches(o) && self.fields.matches(o)
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect();
    String::from_utf8(bytes?).ok()
}

pub fn encode_continue(rv: u64, key: &Key) -> String {
    hex(&format!("{rv}\u{0}{}\u{0}{}", key.0, key.1))
}

pub fn decode_continue(token: &str) -> Option<(u64, Key)> {
    let raw = unhex(token)?;
    let mut it = raw.split('\u{0}');
    let rv = it.next()?.parse().ok()?;
    let ns = it.next()?.to_string();
    let name = it.next()?.to_string();
    Some((rv, (ns, name)))
}

pub struct Page {
    pub rv: u64,
    pub items: Vec<std::sync::Arc<Value>>,
    pub next: Option<String>,
    pub remaining: usize,
}

pub fn page(store: &Store, rp: &ResPath, q: &Query) -> Result<Page, ApiError> {
    let filter = Filter::from_query(rp.res, q)?;
    let limit = match q.get("limit").filter(|s| !s.is_empty()) {
        Some(l) => l
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request(format!("invalid limit: {l}")))?,
        None => 0,
    };
    let limit = if limit <= 0 {
        usize::MAX
    } else {
        limit as usize
    };
    if let Some(s) = q.get("resourceVersion").filter(|s| !s.is_empty())
        && s.parse::<u64>().is_err()
    {
        return Err(ApiError::bad_request(format!(
            "invalid resource version: {s}"
        )));
    }
    if let Some(m) = q.get("resourceVersionMatch").filter(|s| !s.is_empty())
        && !matches!(m, "NotOlderThan" | "Exact")
    {
        return Err(ApiError::bad_request(format!(
            "resourceVersionMatch: Unsupported value: \"{m}\": supported values: \"Exact\", \"NotOlderThan\""
        )));
    }
    let t = store.txn();
    let (rv, after) = match q.get("continue").filter(|s| !s.is_empty()) {
        Some(tok) => {
            let (rv, key) = decode_continue(tok).ok_or_else(|| {
                ApiError::bad_request("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            })?;
            if rv < t.floor() {
                return Err(ApiError::expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                ));
            }
            (rv, Some(key))
        }
        None => (t.rv(), None),
    };
    let ns = rp.namespace.as_deref();
    let (items, next_key, remaining) =
        t.page(rp.res, ns, after.as_ref(), limit, &|o| filter.matches(o));
    Ok(Page {
        rv,
        items,
        next: next_key.map(|k| encode_continue(rv, &k)),
        remaining,
    })
}

/// The list as response bytes. Plain JSON lists are written item by item straight from the
/// stored objects: no deep copy of 10,000 objects into a temporary `Value` first.
pub fn render_bytes(
    rp: &ResPath,
    q: &Query,
    format: Format,
    p: Page,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    if format != Format::Json {
        let mut out = serde_json::to_vec(&render(rp, q, format, p, now)).unwrap_or_default();
        out.push(b'\n');
        return out;
    }
    let def = rp.res.def();
    let mut meta = serde_json::Map::new();
    meta.insert("resourceVersion".into(), json!(p.rv.to_string()));
    if let Some(c) = &p.next {
        meta.insert("continue".into(), json!(c));
        meta.insert("remainingItemCount".into(), json!(p.remaining));
    }
    let head = json!({"apiVersion": def.api_version(), "kind": def.list_kind, "metadata": meta});
    let mut out = serde_json::to_vec(&head).unwrap_or_default();
    // `head` is a non-empty object: reopen it to append the items.
    out.pop();
    out.extend_from_slice(b",\"items\":[");
    for (i, o) in p.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if serde_json::to_writer(&mut out, &**o).is_err() {
            out.extend_from_slice(b"null");
        }
    }
    out.extend_from_slice(b"]}\n");
    out
}

pub fn render(
    rp: &ResPath,
    q: &Query,
    format: Format,
    p: Page,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let def = rp.res.def();
    let mut meta = json!({"resourceVersion": p.rv.to_string()});
    if let Some(c) = &p.next {
        meta["continue"] = json!(c);
        meta["remainingItemCount"] = json!(p.remaining);
    }
    match format {
        Format::Json => json!({
            "apiVersion": def.api_version(),
            "kind": def.list_kind,
            "metadata": meta,
            "items": p.items.iter().map(|o| (**o).clone()).collect::<Vec<_>>(),
        }),
        Format::Metadata => json!({
            "apiVersion": "meta.k8s.io/v1",
            "kind": "PartialObjectMetadataList",
            "metadata": meta,
            "items": p.items.iter().map(|o| table::partial_metadata(o)).collect::<Vec<_>>(),
        }),
        Format::Table { v1beta1 } => {
            let include = IncludeObject::from_query(q.get("includeObject"));
            let rows = p
                .items
                .iter()
                .map(|o| table::row(rp.res, o, now, include))
                .collect();
            table::table(v1beta1, rp.res, rows, meta)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn streamed_list_is_the_same_json() {
        let s = Store::new(1, 100);
        s.txn().put(
            Res::ConfigMap,
            json!({"metadata": {"namespace": "a", "name": "c"}, "data": {"k": "v"}}),
        );
        let rp = ResPath {
            res: Res::ConfigMap,
            namespace: Some("a".into()),
            name: None,
            status: false,
        };
        let q = Query::parse(Some("limit=1"));
        let now = chrono::Utc::now();
        let a = render(&rp, &q, Format::Json, page(&s, &rp, &q).expect("page"), now);
        let b = render_bytes(&rp, &q, Format::Json, page(&s, &rp, &q).expect("page"), now);
        assert_eq!(serde_json::from_slice::<Value>(&b).expect("json"), a);
        let empty = ResPath {
            res: Res::Pod,
            ..rp
        };
        let b = render_bytes(
            &empty,
            &q,
            Format::Json,
            page(&s, &empty, &q).expect("page"),
            now,
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&b).expect("json")["items"],
            json!([])
        );
    }

    #[test]
    fn continue_token_roundtrip() {
        let k = ("shop".to_string(), "cart".to_string());
        let t = encode_continue(42, &k);
        assert_eq!(decode_continue(&t), Some((42, k)));
        assert_eq!(decode_continue("zz"), None);
        assert_eq!(decode_continue("abc"), None);
    }

    #[test]
    fn paging_walks_all_items_with_one_rv() {
        let s = Store::new(1, 100);
        {
            let mut t = s.txn();
            for i in 0..5 {
                t.put(Res::ConfigMap, json!({"metadata": {"namespace": "a", "name": format!("c{i}"), "labels": {"n": i.to_string()}}}));
            }
        }
        let rp = ResPath {
            res: Res::ConfigMap,
            namespace: Some("a".into()),
            name: None,
            status: false,
        };
        let p1 = page(&s, &rp, &Query::parse(Some("limit=2"))).expect("page");
        assert_eq!(p1.items.len(), 2);
        let tok = p1.next.clone().expect("token");
        s.txn().put(
            Res::ConfigMap,
            json!({"metadata": {"namespace": "a", "name": "c9"}}),
        );
        let p2 = page(
            &s,
            &rp,
            &Query::parse(Some(&format!("limit=2&continue={tok}"))),
        )
        .expect("page");
        assert_eq!(p2.rv, p1.rv);
        assert_eq!(crate::obj::name(&p2.items[0]), "c2");
        let sel = page(&s, &rp, &Query::parse(Some("labelSelector=n%20in%20(1,3)"))).expect("page");
        assert_eq!(sel.items.len(), 2);
        assert!(sel.next.is_none());
        s.compact();
        let e = page(&s, &rp, &Query::parse(Some(&format!("continue={tok}"))))
            .err()
            .map(|e| e.code);
        assert_eq!(e, Some(410));
    }
}

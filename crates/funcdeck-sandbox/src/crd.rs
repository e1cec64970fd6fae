//! CustomResourceDefinitions: the apiextensions-apiserver's naming and establishing controllers
//! (status `NamesAccepted`/`Established` with their real reasons, `acceptedNames`,
//! `storedVersions`), serving the kind as a generic object in every served version once
//! Established (discovery, routing, CRUD, watch: see `resources::custom`), and the finalizing
//! controller: deleting the CRD deletes its objects and takes the kind out of discovery.
//! Validation is the part `kubectl apply` of a real manifest can trip over: the name rule.

use serde_json::{Value, json};

use crate::dataplane::workload::condition;
use crate::knative::Controller;
use crate::obj;
use crate::resources::Res;
use crate::resources::custom::{self, Names, Served, version_priority};
use crate::status::ApiError;
use crate::write::{DeleteOptions, WriteOp};

fn names_of(crd: &Value) -> Option<(Names, Vec<String>)> {
    let spec = crd.get("spec")?;
    let n = spec.get("names")?;
    let s = |k: &str| n.get(k).and_then(Value::as_str).map(str::to_string);
    let list = |k: &str| -> Vec<String> {
        n.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let kind = s("kind")?;
    let versions: Vec<&Value> = spec.get("versions")?.as_array()?.iter().collect();
    let storage = versions
        .iter()
        .find(|v| v.get("storage") == Some(&json!(true)))
        .or_else(|| versions.first())?;
    let mut served: Vec<String> = versions
        .iter()
        .filter(|v| v.get("served") != Some(&json!(false)))
        .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    served.sort_by_key(|v| version_priority(v));
    let names = Names {
        group: spec.get("group")?.as_str()?.to_string(),
        version: storage.get("name")?.as_str()?.to_string(),
        plural: s("plural")?,
        singular: s("singular").unwrap_or_else(|| kind.to_ascii_lowercase()),
        list_kind: s("listKind").unwrap_or_else(|| format!("{kind}List")),
        kind,
        namespaced: spec.get("scope").and_then(Value::as_str) != Some("Cluster"),
        short_names: list("shortNames"),
        categories: list("categories"),
        status_subresource: storage.pointer("/subresources/status").is_some(),
    };
    Some((names, served))
}

/// The apiserver's validation of the fields that decide how the kind is served.
pub fn validate(crd: &Value) -> Result<(), ApiError> {
    let def = Res::CustomResourceDefinition.def();
    let name = obj::name(crd);
    let group = obj::str_at(crd, &["spec", "group"]).unwrap_or("");
    let plural = obj::str_at(crd, &["spec", "names", "plural"]).unwrap_or("");
    let mut causes = Vec::new();
    let mut required = |field: &str| {
        causes.push((
            field.to_string(),
            "Required value".to_string(),
            "FieldValueRequired",
        ));
    };
    if group.is_empty() {
        required("spec.group");
    }
    if plural.is_empty() {
        required("spec.names.plural");
    }
    if obj::str_at(crd, &["spec", "names", "kind"]).is_none_or(str::is_empty) {
        required("spec.names.kind");
    }
    if obj::at(crd, &["spec", "versions"])
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        required("spec.versions");
    }
    if !group.is_empty() && !plural.is_empty() && name != format!("{plural}.{group}") {
        causes.push((
            "metadata.name".into(),
            format!("Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"),
            "FieldValueInvalid",
        ));
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(def, name, &causes))
    }
}

pub fn reconcile(ctl: &mut Controller, name: &str) {
    let Some(crd) = ctl.store.get(Res::CustomResourceDefinition, "", name) else {
        let mut gone = None;
        ctl.store.edit_catalog(|c| gone = c.unserve(name));
        if let Some(res) = gone {
            // Collected first: the store's lock must be released before deleting through it.
            let objects = ctl.store.txn().list(res, None);
            for o in objects {
                let _ = ctl.commit(WriteOp::Delete {
                    res,
                    namespace: obj::namespace(&o).to_string(),
                    name: obj::name(&o).to_string(),
                    options: DeleteOptions::default(),
                });
            }
        }
        return;
    };
    let Some((names, versions)) = names_of(&crd) else {
        return;
    };
    let res = custom::intern(&names);
    let crd_name = name.to_string();
    let storage = names.version.clone();
    ctl.store.edit_catalog(|c| {
        c.serve(Served {
            crd: crd_name,
            res,
            versions,
        })
    });
    let now = ctl.now_str();
    let mut stored: Vec<Value> = obj::at(&crd, &["status", "storedVersions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !stored.contains(&json!(storage)) {
        stored.push(json!(storage));
    }
    let mut accepted = json!({"plural": names.plural, "singular": names.singular,
        "kind": names.kind, "listKind": names.list_kind});
    if !names.short_names.is_empty() {
        accepted["shortNames"] = json!(names.short_names);
    }
    if !names.categories.is_empty() {
        accepted["categories"] = json!(names.categories);
    }
    let strip = |mut c: Value| {
        if let Some(m) = c.as_object_mut() {
            m.remove("lastUpdateTime");
        }
        c
    };
    let status = json!({
        "conditions": [
            strip(condition(&crd, "NamesAccepted", "True", "NoConflicts", "no conflicts found", &now, false)),
            strip(condition(&crd, "Established", "True", "InitialNamesAccepted",
                "the initial names have been accepted", &now, false)),
        ],
        "acceptedNames": accepted,
        "storedVersions": stored,
    });
    ctl.write_status(Res::CustomResourceDefinition, &crd, status);
}

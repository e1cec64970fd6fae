//! Helpers for unit tests: the real recorded payloads in `shared/fixtures`, read in place.

use std::path::PathBuf;

use kube::core::ObjectList;
use serde::de::DeserializeOwned;

fn fixtures_dir() -> PathBuf {
    match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
}

/// A file under `fixtures/knative/api-objects/`.
pub(crate) fn knative_fixture(name: &str) -> String {
    let path = fixtures_dir().join("knative/api-objects").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// The items of a recorded `kubectl get -o json` list.
pub(crate) fn fixture_items<K: Clone + DeserializeOwned>(name: &str) -> Vec<K> {
    let list: ObjectList<K> =
        serde_json::from_str(&knative_fixture(name)).expect("fixture list parses");
    list.items
}

//! Edits are never lost: the YAML editor's buffer is kept as a draft file in the state dir until
//! it is applied or discarded, so a crash, a quit or a closed terminal leaves it to be offered
//! again. One JSON file per context/namespace/function, written to a temporary file and renamed
//! so a crash mid-write leaves the previous draft whole.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use funcdeck_core::key::ObjectKey;
use serde::{Deserialize, Serialize};

/// Which function a draft belongs to: the same name in another cluster is another function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftId {
    pub context: String,
    pub key: ObjectKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub context: String,
    pub namespace: String,
    pub name: String,
    /// The text as loaded from the server: the change is computed against it.
    pub base: String,
    /// The version `base` was read at.
    pub resource_version: String,
    /// The buffer as the user left it.
    pub text: String,
    pub saved_at: DateTime<Utc>,
}

impl Draft {
    pub fn id(&self) -> DraftId {
        DraftId {
            context: self.context.clone(),
            key: ObjectKey::new(&self.namespace, &self.name),
        }
    }
}

#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
}

impl DraftStore {
    /// Drafts live in `drafts/` under the state dir.
    pub fn new(state_dir: &Path) -> Self {
        DraftStore {
            dir: state_dir.join("drafts"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Context names can hold `/`, `:` and `@` (cloud providers' ARNs): escaped so each draft
    /// is one file directly in the drafts dir.
    fn path(&self, id: &DraftId) -> PathBuf {
        let escape = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => {
                        (b as char).to_string()
                    }
                    other => format!("%{other:02X}"),
                })
                .collect()
        };
        self.dir.join(format!(
            "{}.{}.{}.json",
            escape(&id.context),
            escape(&id.key.namespace),
            escape(&id.key.name)
        ))
    }

    /// Writes the draft atomically (temporary file, then rename over the old one).
    pub fn save(&self, draft: &Draft) -> Result<(), String> {
        let path = self.path(&draft.id());
        let fail = |e: std::io::Error| format!("cannot save the draft to {}: {e}", path.display());
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let json = serde_json::to_vec_pretty(draft).map_err(|e| e.to_string())?;
        let temp = path.with_extension("json.tmp");
        let mut file = std::fs::File::create(&temp).map_err(fail)?;
        file.write_all(&json).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&temp, &path).map_err(fail)
    }

    /// The draft for a function, if one was left.
    pub fn load(&self, id: &DraftId) -> Result<Option<Draft>, String> {
        let path = self.path(id);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| format!("draft {} is unreadable: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read draft {}: {e}", path.display())),
        }
    }

    /// Deleting a draft that is not there is fine: it is gone either way.
    pub fn delete(&self, id: &DraftId) -> Result<(), String> {
        let path = self.path(id);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("cannot delete draft {}: {e}", path.display())),
        }
    }

    /// Every readable draft, oldest first (unreadable files are skipped: `load` reports them
    /// when their function is opened).
    pub fn list(&self) -> Vec<Draft> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut drafts: Vec<Draft> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
            .collect();
        drafts.sort_by_key(|d| d.saved_at);
        drafts
    }
}

/// "1 unsaved edit: shop/cart" for the start-up notice.
pub fn summary(drafts: &[Draft]) -> Option<String> {
    if drafts.is_empty() {
        return None;
    }
    let names: Vec<String> = drafts
        .iter()
        .map(|d| format!("{}/{}", d.namespace, d.name))
        .collect();
    let plural = if drafts.len() == 1 { "" } else { "s" };
    Some(format!(
        "{} unsaved edit{plural}: {}",
        drafts.len(),
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(context: &str, name: &str, text: &str) -> Draft {
        Draft {
            context: context.into(),
            namespace: "shop".into(),
            name: name.into(),
            base: "kind: Service\n".into(),
            resource_version: "7".into(),
            text: text.into(),
            saved_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn a_draft_survives_a_round_trip_and_goes_when_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path());
        let id = draft("arn:aws:eks:eu/prod", "cart", "").id();
        assert_eq!(store.load(&id), Ok(None));
        let first = draft("arn:aws:eks:eu/prod", "cart", "spec: 1\n");
        store.save(&first).expect("saved");
        let second = draft("arn:aws:eks:eu/prod", "cart", "spec: 2\n");
        store.save(&second).expect("saved over");
        assert_eq!(store.load(&id), Ok(Some(second.clone())));
        // The same function in another cluster is another draft.
        store
            .save(&draft("kind-dev", "cart", "x: 1\n"))
            .expect("saved");
        assert_eq!(store.list().len(), 2);
        let files: Vec<String> = std::fs::read_dir(store.dir())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().all(|f| f.ends_with(".json")),
            "no temp files left: {files:?}"
        );
        assert!(files.contains(&"arn%3Aaws%3Aeks%3Aeu%2Fprod.shop.cart.json".to_owned()));
        store.delete(&id).expect("deleted");
        assert_eq!(store.load(&id), Ok(None));
        assert_eq!(store.delete(&id), Ok(()), "twice is fine");
        assert_eq!(
            summary(&store.list()).as_deref(),
            Some("1 unsaved edit: shop/cart")
        );
    }

    #[test]
    fn a_corrupt_draft_is_reported_not_fatal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path());
        let id = draft("c", "cart", "").id();
        std::fs::create_dir_all(store.dir()).expect("mkdir");
        std::fs::write(store.dir().join("c.shop.cart.json"), "{not json").expect("write");
        let error = store.load(&id).expect_err("unreadable");
        assert!(error.contains("is unreadable"), "{error}");
        assert!(store.list().is_empty());
    }
}

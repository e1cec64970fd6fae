//! The object as text and back: YAML out for the editor, YAML in with the position of the first
//! syntax error, and the line a field sits on (for messages that point at the line to fix).

use serde_json::Value;

/// Where the buffer stops being valid YAML, 1-based as editors count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Renders an object as block YAML (what `kubectl get -o yaml` users read).
pub fn to_text(value: &Value) -> String {
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("# cannot show as YAML: {e}\n"))
}

/// Parses the buffer into a JSON value, or says where and why it is not YAML.
pub fn parse(text: &str) -> Result<Value, (Position, String)> {
    match serde_saphyr::from_str::<Value>(text) {
        Ok(value) => Ok(value),
        Err(error) => {
            let position = error
                .location()
                .map(|l| Position {
                    line: usize::try_from(l.line()).unwrap_or(1).max(1),
                    column: usize::try_from(l.column()).unwrap_or(1).max(1),
                })
                .unwrap_or(Position { line: 1, column: 1 });
            Err((position, plain_message(&error)))
        }
    }
}

/// saphyr's Display adds a source snippet and the position; the editor shows both itself, so
/// keep the first line and drop a trailing " at line L, column C".
fn plain_message(error: &serde_saphyr::Error) -> String {
    let rendered = error.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or("invalid YAML").trim();
    let trimmed = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    trimmed.trim_end_matches(':').to_owned()
}

/// The line and column of the key at `path` (e.g. `["metadata", "name"]`) in block YAML as
/// [`to_text`] writes it and people edit it; `None` when the key is not written in block style.
pub fn find_key(text: &str, path: &[&str]) -> Option<Position> {
    let mut parent_indent: Option<usize> = None;
    let mut lines = text.lines().enumerate();
    let mut found = None;
    for key in path {
        found = None;
        // Keys of one mapping share the indentation of its first line; deeper lines belong
        // to nested values.
        let mut child_indent = None;
        for (index, line) in lines.by_ref() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if parent_indent.is_some_and(|p| indent <= p) {
                // Left the parent's block without finding the key.
                return None;
            }
            if *child_indent.get_or_insert(indent) != indent {
                continue;
            }
            let bare = trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'));
            let quoted = trimmed
                .strip_prefix(&format!("\"{key}\""))
                .is_some_and(|rest| rest.starts_with(':'));
            if bare || quoted {
                parent_indent = Some(indent);
                found = Some(Position {
                    line: index + 1,
                    column: indent + 1,
                });
                break;
            }
        }
        found.as_ref()?;
    }
    found
}

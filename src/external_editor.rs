//! `$EDITOR` as an alternative to the built-in editor: the buffer goes to a temporary file, the
//! user's editor runs on the real terminal (the TUI is suspended around it, see `tui.rs`), and
//! the file comes back as the new buffer. Nothing is applied from here; the user reviews first.

use std::path::PathBuf;
use std::process::Command;

/// The editor command: `$EDITOR` (which may carry arguments, like `code --wait`), else `vi`.
fn editor_command() -> Vec<String> {
    let configured = std::env::var("EDITOR").unwrap_or_default();
    let words: Vec<String> = configured.split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        vec!["vi".to_owned()]
    } else {
        words
    }
}

/// Runs the editor on `text`; the edited text, or why there is none (the buffer stays as it
/// was then). Blocks until the editor exits: call it with the terminal handed over.
pub fn edit(text: &str, name: &str) -> Result<String, String> {
    let path = temp_path(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let result = run(&path);
    let _ = std::fs::remove_file(&path);
    result
}

fn run(path: &PathBuf) -> Result<String, String> {
    let command = editor_command();
    let shown = command.join(" ");
    let status = Command::new(&command[0])
        .args(&command[1..])
        .arg(path)
        .status()
        .map_err(|e| format!("cannot run the editor \"{shown}\": {e}"))?;
    if !status.success() {
        return Err(format!("the editor \"{shown}\" failed ({status})"));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// A file name the editor recognises as YAML (for its highlighting), unique to this process.
fn temp_path(name: &str) -> PathBuf {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    std::env::temp_dir().join(format!("funcdeck-{}-{safe}.yaml", std::process::id()))
}

//! Generated documentation must match the code it is generated from.
//! Run with `UPDATE_DOCS=1` to rewrite the files after changing keys or commands.

use funcdeck::keymap::Keymap;
use funcdeck::ui::help::keys_markdown;

#[test]
fn docs_keys_md_matches_the_default_keymap() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keys.md");
    let expected = keys_markdown(&Keymap::defaults());
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/keys.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/keys.md is out of date; run `UPDATE_DOCS=1 cargo test --test generated_docs`"
    );
}

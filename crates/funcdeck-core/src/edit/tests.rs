use serde_json::{Value, json};

use super::*;
use crate::merge_patch::{apply, diff, rebase as rebase_values};
use crate::testing::knative_fixture;

fn recorded() -> Editable {
    let object: Value =
        serde_saphyr::from_str(&knative_fixture("service.yaml")).expect("fixture parses");
    Editable::from_object(ObjectKey::new("a-serverless-example", "example"), object)
}

#[test]
fn the_editable_text_hides_what_the_server_owns_and_remembers_the_version() {
    let editable = recorded();
    assert_eq!(editable.resource_version, "81373");
    for hidden in [
        "managedFields",
        "resourceVersion",
        "uid:",
        "generation:",
        "status:",
        "\n  creationTimestamp",
    ] {
        assert!(
            !editable.text.contains(hidden),
            "{hidden} shown:\n{}",
            editable.text
        );
    }
    for shown in [
        "apiVersion: serving.knative.dev/v1",
        "name: example",
        "serving.knative.dev/creator: system:admin",
        "image: quay.io/rhdevelopers",
    ] {
        assert!(editable.text.contains(shown), "{shown} missing");
    }
}

#[test]
fn an_unchanged_buffer_plans_an_empty_patch() {
    let editable = recorded();
    let plan = plan(&editable.text, &editable.text).expect("valid");
    assert!(patch::is_empty(&plan.patch));
    assert!(plan.touched.is_empty());
}

#[test]
fn the_patch_carries_only_what_the_user_changed() {
    let editable = recorded();
    let edited = editable
        .text
        .replace(
            "image: quay.io/rhdevelopers",
            "image: quay.io/rhdevelopers:v2",
        )
        .replace(
            "  annotations:\n    serving.knative.dev/creator: system:admin\n",
            "  annotations:\n",
        );
    let plan = plan(&editable.text, &edited).expect("valid");
    let containers = plan
        .patch
        .pointer("/spec/template/spec/containers/0/image")
        .expect("the list is replaced whole");
    assert_eq!(containers, "quay.io/rhdevelopers:v2");
    assert_eq!(
        plan.patch
            .pointer("/metadata/annotations/serving.knative.dev~1creator"),
        Some(&Value::Null),
        "a removed key is written as null"
    );
    assert!(plan.patch.pointer("/metadata/name").is_none());
    assert!(plan.patch.pointer("/spec/traffic").is_none());
    assert_eq!(
        plan.touched,
        vec![
            "metadata.annotations".to_owned(),
            "spec.template".to_owned()
        ]
    );
}

#[test]
fn syntax_errors_say_line_and_column() {
    let editable = recorded();
    let broken = editable
        .text
        .replacen("spec:\n", "spec:\n  template: [unclosed\n", 1);
    let error = plan(&editable.text, &broken).expect_err("not YAML");
    let EditError::Syntax { at, message } = &error else {
        panic!("expected a syntax error, got {error:?}");
    };
    let opened = broken
        .lines()
        .position(|l| l.contains("[unclosed"))
        .expect("line")
        + 1;
    assert!(at.line >= opened, "{at:?} before line {opened}");
    assert!(!message.is_empty() && !message.contains('\n'), "{message}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("line {}, column ", at.line))
    );
    let scalar = plan(&editable.text, "just words").expect_err("not an object");
    assert!(scalar.to_string().contains("one object"), "{scalar}");
}

#[test]
fn changing_the_identity_is_refused_at_its_line() {
    let editable = recorded();
    let renamed = editable
        .text
        .replace("  name: example\n", "  name: other\n");
    let error = plan(&editable.text, &renamed).expect_err("rename refused");
    let line = renamed
        .lines()
        .position(|l| l == "  name: other")
        .expect("line")
        + 1;
    assert_eq!(error.position(), &Position { line, column: 3 });
    assert!(
        error
            .to_string()
            .contains(r#"metadata.name cannot change (was "example", now "other")"#),
        "{error}"
    );
    let kind = editable.text.replace("kind: Service", "kind: Route");
    assert!(
        plan(&editable.text, &kind)
            .expect_err("kind refused")
            .to_string()
            .starts_with("line 2, column 1: kind cannot change")
    );
    let no_namespace = editable
        .text
        .replace("  namespace: a-serverless-example\n", "");
    assert!(
        plan(&editable.text, &no_namespace)
            .expect_err("namespace refused")
            .to_string()
            .contains("now nothing")
    );
}

#[test]
fn find_key_follows_nesting_not_the_first_match() {
    let text = "spec:\n  template:\n    metadata:\n      name: inner\nmetadata:\n  name: outer\n";
    assert_eq!(
        yaml::find_key(text, &["metadata", "name"]),
        Some(Position { line: 6, column: 3 })
    );
    assert_eq!(yaml::find_key(text, &["status"]), None);
}

#[test]
fn merge_patches_round_trip() {
    let a = json!({"a": 1, "b": {"c": [1, 2], "d": "x"}, "e": true});
    let b = json!({"a": 1, "b": {"c": [1, 3]}, "f": null});
    let patch = diff(&a, &b);
    assert_eq!(
        patch,
        json!({"b": {"c": [1, 3], "d": null}, "e": null, "f": null})
    );
    // `f: null` in the target means "absent" to a merge patch, as on the server.
    assert_eq!(apply(&a, &patch), json!({"a": 1, "b": {"c": [1, 3]}}));
}

#[test]
fn rebase_keeps_both_changes_and_names_the_overlap() {
    let base = json!({"metadata": {"labels": {"team": "a"}}, "spec": {"scale": 1, "image": "v1"}});
    let yours = json!({"metadata": {"labels": {"team": "a"}}, "spec": {"scale": 3, "image": "v2"}});
    let theirs =
        json!({"metadata": {"labels": {"team": "b"}}, "spec": {"scale": 1, "image": "v9"}});
    let rebased = rebase_values(&base, &yours, &theirs);
    assert_eq!(
        rebased.value,
        json!({"metadata": {"labels": {"team": "b"}}, "spec": {"scale": 3, "image": "v2"}})
    );
    assert_eq!(rebased.conflicts, vec!["spec.image".to_owned()]);
    let same = rebase_values(&base, &yours, &yours);
    assert!(
        same.conflicts.is_empty(),
        "the same change twice is no conflict"
    );
}

#[test]
fn rebasing_text_gives_the_new_base_and_your_change_on_it() {
    let loaded = recorded();
    let yours = loaded
        .text
        .replace("containerConcurrency: 0", "containerConcurrency: 5");
    let mut theirs = loaded.clone();
    theirs.text = loaded.text.replace(
        "serving.knative.dev/lastModifier: system:admin",
        "serving.knative.dev/lastModifier: someone-else",
    );
    theirs.resource_version = "81400".into();
    let rebased = rebase(&loaded.text, &yours, theirs).expect("valid");
    assert!(rebased.conflicts.is_empty());
    assert!(rebased.text.contains("containerConcurrency: 5"));
    assert!(rebased.text.contains("lastModifier: someone-else"));
    assert_eq!(rebased.theirs.resource_version, "81400");
    let next = plan(&rebased.theirs.text, &rebased.text).expect("valid");
    assert_eq!(
        next.patch,
        json!({"spec": {"template": {"spec": {"containerConcurrency": 5}}}})
    );
}

#[test]
fn hostile_text_reaches_the_editor_escaped_not_raw() {
    let editable = Editable::from_object(
        ObjectKey::new("shop", "cart"),
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
               "metadata": {"name": "cart", "namespace": "shop",
                            "annotations": {"note": "\u{1b}[2J\u{1b}]0;pwned\u{7}bye"}}}),
    );
    assert!(
        !editable.text.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        editable.text
    );
    // And it reads back as the same value: escaping is YAML's, not a lossy filter.
    let back = parse_object(&editable.text).expect("valid");
    assert_eq!(
        back.pointer("/metadata/annotations/note"),
        Some(&json!("\u{1b}[2J\u{1b}]0;pwned\u{7}bye"))
    );
}

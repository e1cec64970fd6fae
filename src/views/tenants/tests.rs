use super::*;

const PRESETS: &[&str] = &["large", "medium", "small"];

#[test]
fn a_new_tenant_is_a_name_with_an_optional_preset_and_owner() {
    assert_eq!(
        parse_new_tenant("team-a", PRESETS),
        Ok(NewTenant {
            name: "team-a".into(),
            preset: "small".into(),
            owner: None
        })
    );
    assert_eq!(
        parse_new_tenant("  team-a owner=carol@example.com large ", PRESETS),
        Ok(NewTenant {
            name: "team-a".into(),
            preset: "large".into(),
            owner: Some("carol@example.com".into())
        })
    );
}

#[test]
fn a_bad_line_says_what_is_wrong() {
    assert_eq!(
        parse_new_tenant("", PRESETS),
        Err("type the tenant's name first".into())
    );
    assert!(
        parse_new_tenant("Team_A", PRESETS)
            .is_err_and(|e| e.starts_with("\"Team_A\" is not a valid tenant name"))
    );
    assert_eq!(
        parse_new_tenant("team-a huge", PRESETS),
        Err("\"huge\" is neither a preset (large, medium, small) nor owner=USER".into())
    );
    assert_eq!(
        parse_new_tenant("team-a owner=", PRESETS),
        Err("owner= needs a user name".into())
    );
}

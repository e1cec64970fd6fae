use serde_json::json;

use super::*;
use crate::function::Quantity;

#[test]
fn the_shipped_presets_parse_and_hold_quantities() {
    let presets = presets();
    assert_eq!(
        presets.keys().map(String::as_str).collect::<Vec<_>>(),
        ["large", "medium", "small"]
    );
    for (name, preset) in &presets {
        let limits = &preset.limits;
        let values = preset
            .quota
            .values()
            .chain(limits.default.values())
            .chain(limits.default_request.values())
            .chain(limits.max.values());
        for value in values {
            assert!(Quantity::parse(value).is_ok(), "{name}: {value}");
        }
        for (resource, max) in &limits.max {
            let default = &limits.default[resource];
            assert!(
                Quantity::parse(default) <= Quantity::parse(max),
                "{name}: a default above the max would be refused by the server"
            );
        }
    }
}

#[test]
fn a_tenant_is_a_labelled_namespace_quota_and_limit_range() {
    let small = &presets()["small"];
    let plan = plan_tenant("team-a", "small", small, None);
    let [ns, quota, limits] = &plan.objects[..] else {
        panic!("three objects without an owner: {:?}", plan.objects);
    };
    assert_eq!(
        ns["metadata"],
        json!({"name": "team-a", "labels": {"funcdeck.dev/tenant": "true"}})
    );
    assert_eq!(quota["metadata"]["namespace"], "team-a");
    assert_eq!(
        quota["spec"]["hard"]["count/services.serving.knative.dev"],
        "10"
    );
    assert_eq!(limits["spec"]["limits"][0]["type"], "Container");
    assert_eq!(limits["spec"]["limits"][0]["defaultRequest"]["cpu"], "100m");
    assert!(
        plan.lines[3].starts_with("no role binding"),
        "{:?}",
        plan.lines
    );
}

#[test]
fn an_owner_is_recorded_and_made_the_tenants_admin() {
    let small = &presets()["small"];
    let plan = plan_tenant("team-a", "small", small, Some("alice"));
    assert_eq!(plan.objects.len(), 4);
    let ns = &plan.objects[0]["metadata"];
    assert_eq!(ns["labels"]["funcdeck.dev/owner"], "alice");
    assert_eq!(ns["annotations"]["funcdeck.dev/owner"], "alice");
    let binding = &plan.objects[3];
    assert_eq!(binding["kind"], "RoleBinding");
    assert_eq!(binding["metadata"]["namespace"], "team-a");
    // The name `rbac grant` gives the same grant, so `rbac revoke` undoes it.
    assert_eq!(
        binding["metadata"]["name"],
        "funcdeck:funcdeck-admin:user:alice"
    );
    assert_eq!(binding["roleRef"]["name"], "funcdeck-admin");
    assert_eq!(binding["subjects"][0]["name"], "alice");
    assert_eq!(
        plan.lines[3],
        "role binding funcdeck:funcdeck-admin:user:alice: funcdeck-admin to user alice in team-a"
    );

    // A name that cannot be a label value is kept in the annotation only, and still listed.
    let plan = plan_tenant("team-b", "small", small, Some("alice@example.com"));
    let ns: Namespace = from(plan.objects[0].clone());
    assert!(
        ns.metadata
            .labels
            .as_ref()
            .is_some_and(|l| !l.contains_key(OWNER_LABEL))
    );
    let tenants = summarize(&TenantInputs {
        namespaces: vec![ns],
        ..TenantInputs::default()
    });
    assert_eq!(tenants[0].owner.as_deref(), Some("alice@example.com"));
}

fn from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a valid object")
}

#[test]
fn tenants_are_labelled_or_host_functions() {
    let inputs = TenantInputs {
        namespaces: vec![
            from(json!({"metadata": {"name": "shop", "labels": {"funcdeck.dev/owner": "alice"}}})),
            from(json!({"metadata": {"name": "fresh", "labels": {"funcdeck.dev/tenant": "true"}}})),
            from(json!({"metadata": {"name": "kube-system"}})),
        ],
        functions: [("shop".to_owned(), 3)].into(),
        quotas: Some(vec![from(json!({
            "metadata": {"name": "funcdeck", "namespace": "shop"},
            "spec": {"hard": {"requests.cpu": "2", "pods": "5", "count/services.serving.knative.dev": "10"}},
            "status": {"used": {"requests.cpu": "500m", "count/services.serving.knative.dev": "3"}}
        }))]),
        bindings: Some(vec![
            from(json!({"metadata": {"name": "devs", "namespace": "shop"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "funcdeck-developer"},
                "subjects": [{"kind": "User", "name": "dev"}, {"kind": "Group", "name": "team"}]})),
            from(
                json!({"metadata": {"name": "other", "namespace": "kube-system"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"}}),
            ),
        ]),
    };
    let tenants = summarize(&inputs);
    assert_eq!(
        tenants.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["fresh", "shop"],
        "kube-system hosts no function and is not labelled"
    );
    let shop = &tenants[1];
    assert_eq!(shop.owner.as_deref(), Some("alice"));
    assert_eq!(shop.functions, 3);
    assert_eq!(
        shop.quota,
        Some(
            [
                ("cpu requests".to_owned(), "500m/2".to_owned()),
                ("functions".to_owned(), "3/10".to_owned())
            ]
            .into()
        )
    );
    assert_eq!(
        shop.roles.as_deref(),
        Some(&["funcdeck-developer (2 subjects)".to_owned()][..])
    );
    assert_eq!(tenants[0].quota, Some(BTreeMap::new()));
    assert_eq!(tenants[0].roles, Some(Vec::new()));

    // What the caller may not read is unknown, not empty.
    let unread = summarize(&TenantInputs {
        quotas: None,
        bindings: None,
        ..inputs
    });
    assert_eq!((&unread[1].quota, &unread[1].roles), (&None, &None));
}

//! Object decoding on bodies captured from kubectl 1.32's `create` subcommands.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

/// Captured from `kubectl` v1.32.4 against a logging server: `create rolebinding rb1
/// --clusterrole=funcdeck:developer --user=carol --group=devs --serviceaccount=ci:bot -n shop`,
/// `create clusterrolebinding crb1 --clusterrole=view --user=carol`, `create role r1
/// --verb=get,list --resource=pods,services.serving.knative.dev --resource-name=a -n shop`,
/// `create clusterrole cr1 --verb=get --non-resource-url=/metrics`, `create configmap cm1
/// --from-literal=k=v --from-literal=a=b -n shop`, `create namespace ns1`, `create
/// serviceaccount sa1 -n shop`, `create quota q1 --hard=pods=3,requests.cpu=500m,
/// count/services.serving.knative.dev=2 -n shop`.
pub const RB_CREATE: &str = concat!(
    "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f",
    "6c6542696e64696e6712cc010a170a0372623112001a0473686f7022002a00320038004200122a0a",
    "04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a056361726f6c22",
    "00122a0a0547726f75701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a0464",
    "6576732200121b0a0e536572766963654163636f756e7412001a03626f74220263691a3c0a197262",
    "61632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a126675",
    "6e636465636b3a646576656c6f7065721a002200",
);
pub const CRB_CREATE: &str = concat!(
    "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c",
    "7573746572526f6c6542696e64696e6712720a140a046372623112001a0022002a00320038004200",
    "122a0a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a05636172",
    "6f6c22001a2e0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c757374",
    "6572526f6c651a04766965771a002200",
);
pub const ROLE_CREATE: &str = concat!(
    "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f",
    "6c65125f0a160a02723112001a0473686f7022002a0032003800420012160a036765740a046c6973",
    "7412001a04706f6473220161122d0a036765740a046c697374121373657276696e672e6b6e617469",
    "76652e6465761a0873657276696365732201611a002200",
);
pub const CLUSTERROLE_CREATE: &str = concat!(
    "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c",
    "7573746572526f6c6512260a130a0363723112001a0022002a00320038004200120f0a036765742a",
    "082f6d6574726963731a002200",
);
pub const CONFIGMAP_CREATE: &str = concat!(
    "6b3873000a0f0a0276311209436f6e6669674d617012290a170a03636d3112001a0473686f702200",
    "2a0032003800420012060a016112016212060a016b1201761a002200",
);
pub const NAMESPACE_CREATE: &str = concat!(
    "6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a003200",
    "3800420012001a020a001a002200",
);
pub const SERVICEACCOUNT_CREATE: &str = concat!(
    "6b3873000a140a027631120e536572766963654163636f756e7412190a170a0373613112001a0473",
    "686f7022002a003200380042001a002200",
);
pub const QUOTA_CREATE: &str = concat!(
    "6b3873000a130a027631120d5265736f7572636551756f7461126c0a160a02713112001a0473686f",
    "7022002a0032003800420012500a290a22636f756e742f73657276696365732e73657276696e672e",
    "6b6e61746976652e64657612030a01320a0b0a04706f647312030a01330a160a0c72657175657374",
    "732e63707512060a043530306d1a001a002200",
);

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn obj(hex: &str) -> Value {
    decode_object(&unhex(hex)).unwrap()
}

#[test]
fn rbac_kinds() {
    let rb = obj(RB_CREATE);
    assert_eq!(rb["kind"], "RoleBinding");
    assert_eq!(rb["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(rb["metadata"], json!({"name": "rb1", "namespace": "shop"}));
    assert_eq!(
        rb["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "funcdeck:developer"})
    );
    assert_eq!(
        rb["subjects"],
        json!([{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "carol"},
            {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "devs"},
            {"kind": "ServiceAccount", "name": "bot", "namespace": "ci"}])
    );
    assert_eq!(obj(CRB_CREATE)["kind"], "ClusterRoleBinding");
    let role = obj(ROLE_CREATE);
    assert_eq!(
        role["rules"],
        json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["a"]},
            {"verbs": ["get", "list"], "apiGroups": ["serving.knative.dev"], "resources": ["services"], "resourceNames": ["a"]}])
    );
    let cr = obj(CLUSTERROLE_CREATE);
    assert_eq!(
        cr["rules"],
        json!([{"verbs": ["get"], "nonResourceURLs": ["/metrics"]}])
    );
}

#[test]
fn core_kinds() {
    let cm = obj(CONFIGMAP_CREATE);
    assert_eq!(cm["data"], json!({"a": "b", "k": "v"}));
    assert_eq!(cm["metadata"]["name"], "cm1");
    let ns = obj(NAMESPACE_CREATE);
    assert_eq!(
        (ns["kind"].as_str(), ns["metadata"]["name"].as_str()),
        (Some("Namespace"), Some("ns1"))
    );
    let sa = obj(SERVICEACCOUNT_CREATE);
    assert_eq!(sa["metadata"], json!({"name": "sa1", "namespace": "shop"}));
    let q = obj(QUOTA_CREATE);
    assert_eq!(
        q["spec"]["hard"],
        json!({"pods": "3", "requests.cpu": "500m", "count/services.serving.knative.dev": "2"})
    );
}

#[test]
fn unsupported_and_malformed() {
    let rb = unhex(RB_CREATE);
    for cut in 0..rb.len() {
        let _ = decode_object(&rb[..cut]);
    }
    assert!(matches!(
        decode_object(b"{}"),
        Err(ObjectError::Malformed(_))
    ));
    let mut ksvc = unhex(NAMESPACE_CREATE);
    // Same envelope, but a kind without a protobuf form.
    let pos = ksvc.windows(9).position(|w| w == b"Namespace").unwrap();
    ksvc[pos..pos + 9].copy_from_slice(b"Nameplace");
    assert_eq!(decode_object(&ksvc), Err(ObjectError::Unsupported));
    assert_eq!(base64(b"hello!?"), "aGVsbG8hPw==");
    assert_eq!(base64(b""), "");
}

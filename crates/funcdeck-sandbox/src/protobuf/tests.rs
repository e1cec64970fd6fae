//! The protobuf reader on hand-built messages and on bytes captured from kubectl 1.32.
#![allow(clippy::unwrap_used)]

use super::*;

fn ld(field: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![(field << 3) | 2];
    let mut n = bytes.len();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(bytes);
    out
}

fn envelope(kind: &str, raw: &[u8]) -> Vec<u8> {
    let type_meta = [ld(1, b"authorization.k8s.io/v1"), ld(2, kind.as_bytes())].concat();
    let unknown = [
        ld(1, &type_meta),
        ld(2, raw),
        ld(3, b""),
        ld(4, b"application/vnd.kubernetes.protobuf"),
    ]
    .concat();
    [MAGIC, &unknown].concat()
}

#[test]
fn hand_built_access_review() {
    let ra = [
        ld(1, b"shop"),
        ld(2, b"create"),
        ld(3, b"serving.knative.dev"),
        ld(5, b"services"),
        vec![0x40, 0x01], // an unknown varint field 8 is skipped
    ]
    .concat();
    let raw = [ld(1, b""), ld(2, &ld(1, &ra)), ld(3, &[0x08, 0x00])].concat();
    let (api_version, kind, spec) =
        decode_review(&envelope("SelfSubjectAccessReview", &raw)).unwrap();
    assert_eq!(api_version, "authorization.k8s.io/v1");
    assert_eq!(kind, "SelfSubjectAccessReview");
    assert_eq!(
        spec,
        json!({"resourceAttributes": {"namespace": "shop", "verb": "create", "group": "serving.knative.dev",
            "version": "", "resource": "services", "subresource": "", "name": ""}})
    );
    let nra = ld(2, &ld(2, &[ld(1, b"/metrics"), ld(2, b"get")].concat()));
    let (_, _, spec) = decode_review(&envelope("SelfSubjectAccessReview", &nra)).unwrap();
    assert_eq!(
        spec,
        json!({"nonResourceAttributes": {"path": "/metrics", "verb": "get"}})
    );
}

#[test]
fn hand_built_rules_review_with_long_length() {
    let ns = "n".repeat(300);
    let raw = ld(2, &ld(1, ns.as_bytes()));
    let (_, kind, spec) = decode_review(&envelope("SelfSubjectRulesReview", &raw)).unwrap();
    assert_eq!(kind, "SelfSubjectRulesReview");
    assert_eq!(spec["namespace"], json!(ns));
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let good = envelope("SelfSubjectRulesReview", &ld(2, &ld(1, b"shop")));
    for cut in 0..good.len() {
        let _ = decode_review(&good[..cut]);
    }
    assert!(decode_review(b"{\"kind\":\"x\"}").is_err());
    assert!(decode_review(&[MAGIC, &[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]].concat()).is_err());
    assert!(decode_review(&[MAGIC, &[0xff; 11]].concat()).is_err());
    assert!(decode_review(&[MAGIC, &[0x0b]].concat()).is_err());
    assert!(decode_review(&envelope("Pod", b"")).is_err());
}

/// Captured from `kubectl` v1.32.4 (`auth can-i create ksvc -n shop`, `auth can-i get /metrics`,
/// `auth can-i --list -n shop`, `auth can-i update pods/status --subresource=status -n shop`,
/// `auth can-i delete ksvc/hello -n default`) against a logging server.
const SSAR_CREATE_KSVC_SHOP: &str = concat!(
    "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562",
    "6a65637441636365737352657669657712530a100a0012001a0022002a0032003800420012350a33",
    "0a0473686f7012066372656174651a1373657276696e672e6b6e61746976652e64657622002a0873",
    "6572766963657332003a001a08080012001a0020001a002200",
);
const SSAR_GET_METRICS: &str = concat!(
    "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562",
    "6a656374416363657373526576696577122f0a100a0012001a0022002a003200380042001211120f",
    "0a082f6d65747269637312036765741a08080012001a0020001a002200",
);
const SSRR_SHOP: &str = concat!(
    "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c66537562",
    "6a65637452756c657352657669657712200a100a0012001a0022002a0032003800420012060a0473",
    "686f701a04180022001a002200",
);
const SSAR_UPDATE_PODS_STATUS: &str = concat!(
    "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562",
    "6a65637441636365737352657669657712480a100a0012001a0022002a00320038004200122a0a28",
    "0a0473686f7012067570646174651a0022002a04706f647332067374617475733a06737461747573",
    "1a08080012001a0020001a002200",
);
const SSAR_DELETE_KSVC_HELLO: &str = concat!(
    "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562",
    "6a656374416363657373526576696577125b0a100a0012001a0022002a00320038004200123d0a3b",
    "0a0764656661756c74120664656c6574651a1373657276696e672e6b6e61746976652e6465762200",
    "2a08736572766963657332003a0568656c6c6f1a08080012001a0020001a002200",
);

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn bytes_captured_from_kubectl() {
    let ra = |hex: &str| decode_review(&unhex(hex)).unwrap().2["resourceAttributes"].clone();
    assert_eq!(
        ra(SSAR_CREATE_KSVC_SHOP),
        json!({"namespace": "shop", "verb": "create", "group": "serving.knative.dev", "version": "",
            "resource": "services", "subresource": "", "name": ""})
    );
    let del = ra(SSAR_DELETE_KSVC_HELLO);
    assert_eq!(
        (&del["verb"], &del["name"], &del["namespace"]),
        (&json!("delete"), &json!("hello"), &json!("default"))
    );
    let st = ra(SSAR_UPDATE_PODS_STATUS);
    assert_eq!(
        (&st["resource"], &st["subresource"], &st["group"]),
        (&json!("pods"), &json!("status"), &json!(""))
    );
    let (_, kind, spec) = decode_review(&unhex(SSAR_GET_METRICS)).unwrap();
    assert_eq!(kind, "SelfSubjectAccessReview");
    assert_eq!(
        spec,
        json!({"nonResourceAttributes": {"path": "/metrics", "verb": "get"}})
    );
    let (api_version, kind, spec) = decode_review(&unhex(SSRR_SHOP)).unwrap();
    assert_eq!(
        (api_version.as_str(), kind.as_str()),
        ("authorization.k8s.io/v1", "SelfSubjectRulesReview")
    );
    assert_eq!(spec, json!({"namespace": "shop"}));
}

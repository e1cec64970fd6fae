//! Fixtures for the kubectl conformance tests: the Knative Service they apply and readers for
//! the fields they check.

use serde_json::Value;

use super::{Env, get_json};

pub const KSVC: &str = "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: conf
  namespace: default
  labels:
    team: a
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/acme/conf:1
        env:
        - name: MODE
          value: one
";

pub async fn ksvc(env: &Env, name: &str) -> Value {
    get_json(
        env.addr(),
        &format!("/apis/serving.knative.dev/v1/namespaces/default/services/{name}"),
    )
    .await
}

pub fn image(o: &Value) -> &str {
    o["spec"]["template"]["spec"]["containers"][0]["image"]
        .as_str()
        .unwrap_or("")
}

pub fn managers(o: &Value) -> Vec<String> {
    o["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}/{}",
                        e["manager"].as_str().unwrap(),
                        e["operation"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The header line's column names (kubectl pads with spaces; multi-word names are kept).
pub fn header(out: &str) -> Vec<String> {
    out.lines()
        .next()
        .unwrap_or("")
        .split("   ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

//! kubectl's built-in printer for core v1 Services (`kubectl get svc`; `-o wide` adds the
//! selector), which the ingress gateway's Service is listed with.

use serde_json::{Value, json};

use super::{AGE, Col, NAME, col};
use crate::obj;

pub(super) fn columns() -> Vec<Col> {
    vec![
        NAME,
        col("Type", "string"),
        col("Cluster-IP", "string"),
        col("External-IP", "string"),
        col("Port(s)", "string"),
        AGE,
        col("Selector", "string"),
    ]
}

pub(super) fn is_wide(name: &str) -> bool {
    name == "Selector"
}

pub(super) fn cells(o: &Value, name: Value, age: Value) -> Vec<Value> {
    let ty = obj::str_at(o, &["spec", "type"]).unwrap_or("ClusterIP");
    let cluster_ip = obj::str_at(o, &["spec", "clusterIP"]).unwrap_or("<none>");
    let external: Vec<&str> = obj::at(o, &["status", "loadBalancer", "ingress"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| {
            i.get("ip")
                .or_else(|| i.get("hostname"))
                .and_then(Value::as_str)
        })
        .collect();
    let external = match (external.is_empty(), ty) {
        (false, _) => external.join(","),
        (true, "LoadBalancer") => "<pending>".to_string(),
        (true, _) => "<none>".to_string(),
    };
    let ports: Vec<String> = obj::at(o, &["spec", "ports"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(node) => format!("{port}:{node}/{proto}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect();
    let selector: Vec<String> = obj::at(o, &["spec", "selector"])
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    let or_none = |s: String| if s.is_empty() { "<none>".into() } else { s };
    vec![
        name,
        json!(ty),
        json!(cluster_ip),
        json!(external),
        json!(or_none(ports.join(","))),
        age,
        json!(or_none(selector.join(","))),
    ]
}

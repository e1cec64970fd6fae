//! The form's fields: what each is called, how it is typed, and how its text is filled from a
//! template or from the live function (and read back into a `SpecChange`).

use std::collections::BTreeMap;

use funcdeck_core::function::Field;
use funcdeck_core::function::spec::{GPU, INITIAL_SCALE, MAX_SCALE, MIN_SCALE, TARGET};
use serde_json::Value;

use crate::templates::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    Namespace,
    Name,
    Template,
    Image,
    Env,
    Requests,
    Limits,
    Concurrency,
    Scale,
    InitialScale,
    Target,
    Timeout,
    Port,
    Labels,
    Annotations,
    RevisionName,
}

/// What a create form asks, in order.
pub const CREATE: &[Slot] = &[
    Slot::Namespace,
    Slot::Name,
    Slot::Template,
    Slot::Image,
    Slot::Env,
    Slot::Requests,
    Slot::Limits,
    Slot::Concurrency,
    Slot::Scale,
    Slot::InitialScale,
    Slot::Target,
    Slot::Timeout,
    Slot::Port,
    Slot::Labels,
    Slot::Annotations,
    Slot::RevisionName,
];

/// An update changes a function that exists: no name, namespace or template.
pub const UPDATE: &[Slot] = &[
    Slot::Image,
    Slot::Env,
    Slot::Requests,
    Slot::Limits,
    Slot::Concurrency,
    Slot::Scale,
    Slot::InitialScale,
    Slot::Target,
    Slot::Timeout,
    Slot::Port,
    Slot::Labels,
    Slot::Annotations,
    Slot::RevisionName,
];

impl Slot {
    pub fn label(self) -> &'static str {
        match self {
            Slot::Namespace => "Namespace",
            Slot::Name => "Name",
            Slot::Template => "Template",
            Slot::Image => "Image",
            Slot::Env => "Env",
            Slot::Requests => "Requests",
            Slot::Limits => "Limits",
            Slot::Concurrency => "Concurrency",
            Slot::Scale => "Scale",
            Slot::InitialScale => "Initial scale",
            Slot::Target => "Target / pod",
            Slot::Timeout => "Timeout (s)",
            Slot::Port => "Port",
            Slot::Labels => "Labels",
            Slot::Annotations => "Annotations",
            Slot::RevisionName => "Revision name",
        }
    }

    /// Shown in an empty field: the shape of what goes there.
    pub fn placeholder(self) -> &'static str {
        match self {
            Slot::Namespace => "the namespace to create it in",
            Slot::Name => "lower-case letters, digits and -",
            Slot::Template => "",
            Slot::Image => "e.g. ghcr.io/acme/hello:1.0",
            Slot::Env => "e.g. LOG_LEVEL=debug, one per line",
            Slot::Requests => "e.g. cpu=250m,memory=256Mi",
            Slot::Limits => "e.g. cpu=1,memory=512Mi,gpu=1",
            Slot::Concurrency => "requests one pod takes at once (0 = unlimited)",
            Slot::Scale => "MIN..MAX pods, e.g. 0..5",
            Slot::InitialScale => "pods a new revision starts with",
            Slot::Target => "concurrent requests per pod the autoscaler aims for",
            Slot::Timeout => "request timeout in seconds",
            Slot::Port => "the port the container listens on",
            Slot::Labels => "KEY=VALUE, one per line",
            Slot::Annotations => "KEY=VALUE, one per line",
            Slot::RevisionName => "optional; Knative numbers revisions otherwise",
        }
    }

    /// Lists of `KEY=VALUE` lines: Enter adds a line instead of moving on.
    pub fn multiline(self) -> bool {
        matches!(self, Slot::Env | Slot::Labels | Slot::Annotations)
    }

    /// The field a checked change names, as a slot of the form.
    pub fn of_field(field: Field) -> Slot {
        match field {
            Field::Name => Slot::Name,
            Field::Image => Slot::Image,
            Field::Env => Slot::Env,
            Field::Requests => Slot::Requests,
            Field::Limits => Slot::Limits,
            Field::Concurrency => Slot::Concurrency,
            Field::MinScale | Field::MaxScale => Slot::Scale,
            Field::InitialScale => Slot::InitialScale,
            Field::Target => Slot::Target,
            Field::Timeout => Slot::Timeout,
            Field::Port => Slot::Port,
            Field::Labels => Slot::Labels,
            Field::Annotations => Slot::Annotations,
            Field::RevisionName => Slot::RevisionName,
        }
    }
}

/// `cpu=250m,memory=256Mi` from a resource map, `nvidia.com/gpu` shortened to `gpu`.
fn resources_text<'a>(map: impl Iterator<Item = (&'a String, &'a str)>) -> String {
    map.map(|(k, v)| {
        let k = if k == GPU { "gpu" } else { k.as_str() };
        format!("{k}={v}")
    })
    .collect::<Vec<_>>()
    .join(",")
}

fn scale_text(min: Option<&str>, max: Option<&str>) -> String {
    match (min, max) {
        (None, None) => String::new(),
        (min, max) => format!("{}..{}", min.unwrap_or(""), max.unwrap_or("")),
    }
}

/// The texts a template fills in.
pub fn from_template(template: &Template) -> BTreeMap<Slot, String> {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let lines = |map: &BTreeMap<String, String>| {
        map.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    BTreeMap::from([
        (Slot::Image, template.image.clone()),
        (Slot::Env, lines(&template.env)),
        (
            Slot::Requests,
            resources_text(template.requests.iter().map(|(k, v)| (k, v.as_str()))),
        ),
        (
            Slot::Limits,
            resources_text(template.limits.iter().map(|(k, v)| (k, v.as_str()))),
        ),
        (Slot::Concurrency, number(template.concurrency)),
        (
            Slot::Scale,
            scale_text(template.min_scale.map(|n| n.to_string()).as_deref(), None),
        ),
        (Slot::Timeout, number(template.timeout_seconds)),
        (
            Slot::Port,
            template.port.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ])
}

/// Annotations with a field of their own, or owned by Knative and kubectl: not shown as text.
fn hidden_annotation(key: &str) -> bool {
    [MIN_SCALE, MAX_SCALE, INITIAL_SCALE, TARGET].contains(&key)
        || key.starts_with("serving.knative.dev/")
        || key.starts_with("kubectl.kubernetes.io/")
}

/// The texts of the live function (a Service as JSON), and how many variables come from
/// secrets or config maps (kept as they are, not shown).
pub fn from_service(service: &Value) -> (BTreeMap<Slot, String>, usize) {
    let template = &service["spec"]["template"];
    let spec = &template["spec"];
    let containers = spec["containers"].as_array().cloned().unwrap_or_default();
    let container = containers
        .iter()
        .find(|c| c.get("ports").is_some())
        .or(containers.first())
        .cloned()
        .unwrap_or(Value::Null);
    let str_map = |v: &Value| -> Vec<(String, String)> {
        v.as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let env = container["env"].as_array().cloned().unwrap_or_default();
    let plain: Vec<String> = env
        .iter()
        .filter_map(|e| Some(format!("{}={}", e["name"].as_str()?, e["value"].as_str()?)))
        .collect();
    let from_refs = env.len() - plain.len();
    let annotations = str_map(&template["metadata"]["annotations"]);
    let annotation = |key: &str| {
        annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let resources = |kind: &str| {
        let map = str_map(&container["resources"][kind]);
        resources_text(map.iter().map(|(k, v)| (k, v.as_str())))
    };
    let number = |v: &Value| v.as_u64().map(|n| n.to_string()).unwrap_or_default();
    let key_lines = |pairs: Vec<(String, String)>, hide: fn(&str) -> bool| {
        pairs
            .into_iter()
            .filter(|(k, _)| !hide(k))
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let texts = BTreeMap::from([
        (
            Slot::Image,
            container["image"].as_str().unwrap_or_default().to_owned(),
        ),
        (Slot::Env, plain.join("\n")),
        (Slot::Requests, resources("requests")),
        (Slot::Limits, resources("limits")),
        (Slot::Concurrency, number(&spec["containerConcurrency"])),
        (
            Slot::Scale,
            scale_text(
                annotation(MIN_SCALE).as_deref(),
                annotation(MAX_SCALE).as_deref(),
            ),
        ),
        (
            Slot::InitialScale,
            annotation(INITIAL_SCALE).unwrap_or_default(),
        ),
        (Slot::Target, annotation(TARGET).unwrap_or_default()),
        (Slot::Timeout, number(&spec["timeoutSeconds"])),
        (Slot::Port, number(&container["ports"][0]["containerPort"])),
        (
            Slot::Labels,
            key_lines(str_map(&template["metadata"]["labels"]), |k| {
                k.contains("knative.dev/")
            }),
        ),
        (
            Slot::Annotations,
            key_lines(annotations.clone(), hidden_annotation),
        ),
    ]);
    (texts, from_refs)
}

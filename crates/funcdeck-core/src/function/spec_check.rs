//! The checks Kubernetes and Knative would make on a function's configuration, made before
//! anything is sent so the form can point at the field and the CLI at the flag.

use super::quantity::check_quantity;
use super::spec::{Field, GPU, SpecChange};

/// One problem, at its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.message)
    }
}

fn at(field: Field, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// A function (Knative Service) name: a DNS-1035 label, since it also names a Kubernetes
/// Service; short enough to leave room for revision names (`NAME-00001`).
pub fn check_function_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name is needed".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "\"{name}\" is {} characters; at most 63 are allowed",
            name.len()
        ));
    }
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_lowercase());
    let ends_alnum = name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if starts_with_letter && ends_alnum && chars_ok {
        Ok(())
    } else {
        Err(format!(
            "\"{name}\" is not a valid name: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit"
        ))
    }
}

/// A container image reference: `[registry[:port]/]path[:tag][@sha256:digest]`.
pub fn check_image(image: &str) -> Result<(), String> {
    if image.is_empty() {
        return Err("an image is needed, e.g. ghcr.io/acme/hello:1.0".into());
    }
    if let Some(c) = image.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "\"{}\" contains {c:?}; an image reference has no spaces",
            image.escape_debug()
        ));
    }
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    if let Some(digest) = digest {
        let valid = digest.split_once(':').is_some_and(|(algo, hex)| {
            !algo.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !valid {
            return Err(format!(
                "\"{digest}\" is not a digest; expected e.g. sha256:<64 hex digits>"
            ));
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let ok = !tag.is_empty()
            && tag.len() <= 128
            && !tag.starts_with(['.', '-'])
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return Err(format!(
                "\"{tag}\" is not a valid tag: letters, digits, '_', '.', '-' (at most 128)"
            ));
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    // A first part with a dot, a colon or "localhost" names a registry, which may hold
    // upper-case letters and a port; the repository path after it may not.
    if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
        parts.remove(0);
    }
    for part in parts {
        let ok = !part.is_empty()
            && part.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && part.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && part.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if !ok {
            return Err(format!(
                "\"{image}\" is not a valid image reference: the repository \"{part}\" must be lower-case letters, digits and . _ -"
            ));
        }
    }
    Ok(())
}

/// An environment variable name as Kubernetes accepts it.
fn check_env_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{name}\" is not a valid variable name: letters, digits, '_', '-', '.', not starting with a digit"
        ))
    }
}

/// A label or annotation key: `[prefix/]name`, the name at most 63 characters.
fn check_key(key: &str) -> Result<(), String> {
    let name = key.rsplit_once('/').map_or(key, |(_, name)| name);
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{key}\" is not a valid key: [prefix/]name, the name letters, digits, '-', '_', '.' (at most 63)"
        ))
    }
}

pub(crate) fn check_label_value(value: &str) -> Result<(), String> {
    let ok = value.is_empty()
        || (value.len() <= 63
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{value}\" is not a valid label value: letters, digits, '-', '_', '.' (at most 63)"
        ))
    }
}

fn check_resources(field: Field, list: &[(String, Option<String>)], out: &mut Vec<FieldError>) {
    for (resource, quantity) in list {
        if !matches!(resource.as_str(), "cpu" | "memory" | GPU) {
            out.push(at(
                field,
                format!("unknown resource \"{resource}\"; use cpu, memory or gpu"),
            ));
        } else if resource == GPU && field == Field::Requests {
            out.push(at(
                field,
                "a GPU is set as a limit (Kubernetes uses the limit as the request)",
            ));
        } else if let Some(quantity) = quantity
            && let Err(why) = check_quantity(quantity)
        {
            out.push(at(field, format!("{resource}: {why}")));
        }
    }
}

pub(super) fn check_change(change: &SpecChange) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(image) = &change.image
        && let Err(why) = check_image(image)
    {
        out.push(at(Field::Image, why));
    }
    for (name, _) in &change.env {
        if let Err(why) = check_env_name(name) {
            out.push(at(Field::Env, why));
        }
    }
    check_resources(Field::Requests, &change.requests, &mut out);
    check_resources(Field::Limits, &change.limits, &mut out);
    if let Some(concurrency) = change.concurrency
        && concurrency > 1000
    {
        out.push(at(
            Field::Concurrency,
            format!("{concurrency} is above Knative's maximum of 1000 (0 means unlimited)"),
        ));
    }
    if let (Some(min), Some(max)) = (change.min_scale, change.max_scale)
        && max != 0
        && min > max
    {
        out.push(at(
            Field::MinScale,
            format!("min scale {min} is above max scale {max}"),
        ));
    }
    if change.target == Some(0) {
        out.push(at(Field::Target, "the target must be at least 1"));
    }
    if let Some(timeout) = change.timeout_seconds
        && timeout == 0
    {
        out.push(at(Field::Timeout, "the timeout must be at least 1 second"));
    }
    if let Some(port) = change.port
        && [8012, 8013, 8022, 9090, 9091].contains(&port)
    {
        out.push(at(
            Field::Port,
            format!("port {port} is reserved by Knative's queue-proxy"),
        ));
    }
    for (field, list) in [
        (Field::Labels, &change.labels),
        (Field::Annotations, &change.annotations),
    ] {
        for (key, value) in list {
            if let Err(why) = check_key(key) {
                out.push(at(field, why));
            } else if field == Field::Labels
                && let Some(value) = value
                && let Err(why) = check_label_value(value)
            {
                out.push(at(field, why));
            }
        }
    }
    if let Some(name) = &change.revision_name {
        let ok = !name.is_empty()
            && name.len() <= 63
            && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            out.push(at(
                Field::RevisionName,
                format!(
                    "\"{name}\" is not a valid revision name: lower-case letters, digits and '-'"
                ),
            ));
        }
    }
    out
}

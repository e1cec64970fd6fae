//! Kubernetes name rules we check before a name reaches a URL.

/// A DNS-1123 label, as namespace names are: lower-case letters, digits and '-', at most 63,
/// starting and ending with a letter or digit.
pub fn is_namespace_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

//! The words of a traffic change as typed (`REV=PCT`, `REV=TAG`, a tag name), checked one by one
//! so a mistake is named where it was made.

/// `REV=PCT` → (REV, PCT); PCT a whole number in 0..=100.
pub fn parse_share(arg: &str) -> Result<(String, u32), String> {
    let Some((target, percent)) = arg.split_once('=') else {
        return Err(format!(
            "\"{arg}\" is not REV=PERCENT (e.g. {}=100)",
            super::LATEST
        ));
    };
    if target.is_empty() {
        return Err(format!("\"{arg}\" names no revision before '='"));
    }
    Ok((target.to_owned(), parse_percent(target, percent)?))
}

/// A percentage for `target`: a whole number from 0 to 100.
pub fn parse_percent(target: &str, percent: &str) -> Result<u32, String> {
    let trimmed = percent.trim().trim_end_matches('%');
    match trimmed.parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => Ok(u32::try_from(p).unwrap_or(0)),
        Ok(p) => Err(format!(
            "the percentage for {target} is {p}, outside 0..100"
        )),
        Err(_) => Err(format!(
            "the percentage for {target} is \"{percent}\", not a whole number from 0 to 100"
        )),
    }
}

/// `REV=TAG` (REV may be `@latest`) → (REV, TAG).
pub fn parse_tag_assignment(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((target, tag)) if !target.is_empty() && !tag.is_empty() => {
            Ok((target.to_owned(), tag.to_owned()))
        }
        _ => Err(format!(
            "\"{arg}\" is not REV=TAG (e.g. --tag {}=candidate)",
            super::LATEST
        )),
    }
}

/// Knative's rule for a tag (a DNS-1035 label, as its webhook says it), and that the tag's host
/// name `TAG-FUNCTION` stays a DNS label, or the tag URL could not be made.
pub fn validate_tag(function: &str, tag: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    if tag.len() > 63 {
        problems.push("must be no more than 63 characters");
    }
    let shaped = tag
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && tag.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && !tag.ends_with('-');
    if !shaped {
        problems.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start \
             with an alphabetic character, and end with an alphanumeric character (e.g. \
             'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        );
    }
    if !problems.is_empty() {
        return Err(format!(
            "invalid tag \"{tag}\": not a DNS 1035 label: [{}]",
            problems.join(" ")
        ));
    }
    let host = format!("{tag}-{function}");
    if host.len() > 63 {
        return Err(format!(
            "tag \"{tag}\" is too long for function \"{function}\": its URL's host \"{host}\" \
             would have {} characters, at most 63",
            host.len()
        ));
    }
    Ok(())
}

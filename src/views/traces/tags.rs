//! The tags filter's text, as Jaeger UI's tags field reads it: `key=value` pairs separated by
//! spaces, a value with spaces in double quotes (`http.url="/a b"`).

/// The pairs of `text`, or why it is not a tags filter.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tags = Vec::new();
    let mut chars = text.trim().chars().peekable();
    while chars.peek().is_some() {
        let mut key = String::new();
        let mut equals = false;
        for c in chars.by_ref() {
            if c == '=' {
                equals = true;
                break;
            }
            key.push(c);
        }
        let key = key.trim();
        if !equals || key.is_empty() || key.contains(char::is_whitespace) {
            return Err(format!(
                "\"{}\" is not key=value (e.g. http.status_code=500 error=true)",
                key.split_whitespace().next().unwrap_or(key)
            ));
        }
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            let value: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return Err(format!("a space must follow the quoted value of {key}"));
            }
            value
        } else {
            chars.by_ref().take_while(|c| !c.is_whitespace()).collect()
        };
        if value.is_empty() {
            return Err(format!("{key} has no value (key=value)"));
        }
        tags.push((key.to_owned(), value));
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
    }
    Ok(tags)
}

/// `tags` as they are typed (what `parse` reads back).
pub fn words(tags: &[(String, String)]) -> String {
    tags.iter()
        .map(|(k, v)| {
            if v.contains(char::is_whitespace) {
                format!("{k}=\"{v}\"")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pairs_are_read_as_jaeger_ui_reads_them() {
        assert_eq!(parse(""), Ok(Vec::new()));
        assert_eq!(
            parse(" http.status_code=500   error=true "),
            Ok(pairs(&[("http.status_code", "500"), ("error", "true")]))
        );
        assert_eq!(
            parse("http.url=\"/a b\" x=1"),
            Ok(pairs(&[("http.url", "/a b"), ("x", "1")]))
        );
        let tags = pairs(&[("http.url", "/a b"), ("x", "1")]);
        assert_eq!(parse(&words(&tags)), Ok(tags));
    }

    #[test]
    fn what_is_not_a_pair_is_said() {
        assert!(parse("error").is_err_and(|e| e.contains("\"error\" is not key=value")));
        assert!(parse("a b=1").is_err_and(|e| e.contains("\"a\" is not key=value")));
        assert_eq!(
            parse("=1"),
            Err("\"\" is not key=value (e.g. http.status_code=500 error=true)".into())
        );
        assert_eq!(
            parse("error="),
            Err("error has no value (key=value)".into())
        );
        assert!(parse("a=\"x\"y").is_err());
    }
}

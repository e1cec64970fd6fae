//! The text forms of a function's settings, shared by the CLI flags and the form's fields:
//! `KEY=VALUE` (or `KEY-` to remove, as kn writes it), `cpu=250m,memory=256Mi,gpu=1`,
//! `MIN..MAX` scale ranges.

use super::spec::GPU;

/// `KEY=VALUE` sets, `KEY-` removes.
pub fn parse_key_value(item: &str) -> Result<(String, Option<String>), String> {
    if let Some((key, value)) = item.split_once('=') {
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("\"{item}\" has no key before '='"));
        }
        return Ok((key.to_owned(), Some(value.to_owned())));
    }
    match item.trim().strip_suffix('-') {
        Some(key) if !key.is_empty() => Ok((key.to_owned(), None)),
        _ => Err(format!(
            "\"{item}\" is not KEY=VALUE (or KEY- to remove the key)"
        )),
    }
}

/// Key/value lines of a form field (blank lines skipped).
pub fn parse_key_value_lines(text: &str) -> Result<Vec<(String, Option<String>)>, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(parse_key_value)
        .collect()
}

/// `cpu=250m,memory=256Mi,gpu=1`; `gpu` stands for `nvidia.com/gpu`, `cpu-` removes cpu.
pub fn parse_resources(text: &str) -> Result<Vec<(String, Option<String>)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, quantity) = parse_key_value(part).map_err(|_| {
                format!("\"{part}\" is not RESOURCE=QUANTITY, e.g. cpu=250m or memory=256Mi")
            })?;
            let name = if name == "gpu" { GPU.to_owned() } else { name };
            Ok((name, quantity.map(|q| q.trim().to_owned())))
        })
        .collect()
}

/// `MIN..MAX`, `MIN..`, `..MAX`, or `N` for exactly N pods (min = max).
pub fn parse_scale(text: &str) -> Result<(Option<u32>, Option<u32>), String> {
    let number = |part: &str| -> Result<Option<u32>, String> {
        let part = part.trim();
        if part.is_empty() {
            return Ok(None);
        }
        part.parse::<u32>().map(Some).map_err(|_| {
            format!("\"{part}\" is not a number of pods; use MIN..MAX, MIN.., ..MAX or N")
        })
    };
    match text.split_once("..") {
        Some((min, max)) => {
            let range = (number(min)?, number(max)?);
            if range == (None, None) {
                return Err("\"..\" names no bound; use MIN..MAX, MIN.., ..MAX or N".into());
            }
            Ok(range)
        }
        None => {
            let exact = number(text)?;
            if exact.is_none() {
                return Err("a scale is needed; use MIN..MAX, MIN.., ..MAX or N".into());
            }
            Ok((exact, exact))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_set_and_remove() {
        assert_eq!(
            parse_key_value("LOG_LEVEL=debug"),
            Ok(("LOG_LEVEL".into(), Some("debug".into())))
        );
        assert_eq!(
            parse_key_value("A=b=c"),
            Ok(("A".into(), Some("b=c".into())))
        );
        assert_eq!(parse_key_value("OLD-"), Ok(("OLD".into(), None)));
        assert!(parse_key_value("novalue").is_err_and(|e| e.contains("KEY=VALUE")));
        assert!(parse_key_value("=x").is_err());
        assert_eq!(
            parse_key_value_lines("A=1\n\n B=2 \n"),
            Ok(vec![
                ("A".into(), Some("1".into())),
                ("B".into(), Some("2".into()))
            ])
        );
    }

    #[test]
    fn resources_read_like_kn() {
        assert_eq!(
            parse_resources("cpu=250m, memory=256Mi,gpu=1"),
            Ok(vec![
                ("cpu".into(), Some("250m".into())),
                ("memory".into(), Some("256Mi".into())),
                (GPU.into(), Some("1".into())),
            ])
        );
        assert_eq!(parse_resources("cpu-"), Ok(vec![("cpu".into(), None)]));
        assert!(parse_resources("cpu").is_err_and(|e| e.contains("RESOURCE=QUANTITY")));
    }

    #[test]
    fn scale_ranges() {
        assert_eq!(parse_scale("1..5"), Ok((Some(1), Some(5))));
        assert_eq!(parse_scale("2.."), Ok((Some(2), None)));
        assert_eq!(parse_scale("..7"), Ok((None, Some(7))));
        assert_eq!(parse_scale("3"), Ok((Some(3), Some(3))));
        assert!(parse_scale("..").is_err());
        assert!(parse_scale("a..b").is_err_and(|e| e.contains("\"a\"")));
        assert!(parse_scale("-1").is_err());
    }
}

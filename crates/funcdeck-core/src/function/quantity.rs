//! Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1e3`), checked before they reach
//! the server so a typo is pointed at in the form or on the command line, not in a 422.

/// Why a quantity was refused, in the words the form and the CLI show.
pub fn check_quantity(text: &str) -> Result<(), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a quantity is needed, e.g. 250m, 1, 512Mi".into());
    }
    let (number, suffix) = split_number(text);
    if number.is_empty() || number == "." || number == "+" || number == "-" {
        return Err(format!(
            "\"{text}\" is not a quantity: it must start with a number, e.g. 250m, 1, 512Mi"
        ));
    }
    if number.starts_with('-') {
        return Err(format!("\"{text}\" is negative; a resource cannot be"));
    }
    if number.matches('.').count() > 1 {
        return Err(format!("\"{text}\" has more than one decimal point"));
    }
    if is_suffix(suffix) {
        Ok(())
    } else {
        Err(format!(
            "\"{text}\" has an unknown unit \"{suffix}\"; use m, k, M, G, T, Ki, Mi, Gi, Ti or an exponent like 1e3"
        ))
    }
}

/// Splits `512Mi` into `512` and `Mi`.
fn split_number(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '+' || c == '-'))))
        .map_or(text.len(), |(i, _)| i);
    text.split_at(end)
}

fn is_suffix(suffix: &str) -> bool {
    const UNITS: [&str; 15] = [
        "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi",
    ];
    if UNITS.contains(&suffix) || suffix == "Ei" {
        return true;
    }
    // Decimal exponent: e3, E-2.
    let Some(exponent) = suffix.strip_prefix(['e', 'E']) else {
        return false;
    };
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_kubernetes_accepts_pass() {
        for ok in [
            "250m", "1", "0.5", "1.5", "512Mi", "2Gi", "100k", "1e3", "1E-2", "+1", ".5",
        ] {
            assert_eq!(check_quantity(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn typos_are_named() {
        assert_eq!(
            check_quantity("lots"),
            Err(
                "\"lots\" is not a quantity: it must start with a number, e.g. 250m, 1, 512Mi"
                    .into()
            )
        );
        assert!(check_quantity("512MB").is_err_and(|e| e.contains("unknown unit \"MB\"")));
        assert!(check_quantity("-1").is_err_and(|e| e.contains("negative")));
        assert!(check_quantity("1.2.3").is_err_and(|e| e.contains("decimal point")));
        assert!(check_quantity("").is_err());
        assert!(check_quantity("1e").is_err());
    }
}

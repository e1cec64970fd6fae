//! Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1e3`), checked before they reach
//! the server so a typo is pointed at in the form or on the command line, not in a 422, and
//! parsed into one exact unit so `500m` and `0.5` (or `1Gi` and `1024Mi`) compare equal.

/// A quantity in billionths of its unit (cores, bytes, pods): exact for every suffix the
/// server accepts down to `n`; anything finer rounds up, as the server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity {
    nanos: i128,
}

impl Quantity {
    pub const ZERO: Quantity = Quantity { nanos: 0 };

    /// Parses what `check_quantity` accepts.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        check_quantity(text)?;
        let (number, suffix) = split_number(text.trim());
        let number = number.strip_prefix('+').unwrap_or(number);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let too_big = || format!("\"{}\" is too large", text.trim());
        let mantissa: i128 = format!("{whole}{fraction}")
            .trim_start_matches('0')
            .parse()
            .or_else(|e: std::num::ParseIntError| {
                if e.kind() == &std::num::IntErrorKind::Empty {
                    Ok(0)
                } else {
                    Err(too_big())
                }
            })?;
        let (binary, decimal) = multiplier(suffix);
        let scaled = mantissa.checked_mul(binary).ok_or_else(too_big)?;
        // value = scaled * 10^(decimal - fraction digits), in nanos: + 9.
        let exponent = decimal + 9 - i32::try_from(fraction.len()).map_err(|_| too_big())?;
        let nanos = if exponent >= 0 {
            10i128
                .checked_pow(exponent.unsigned_abs())
                .and_then(|p| scaled.checked_mul(p))
                .ok_or_else(too_big)?
        } else {
            match 10i128.checked_pow(exponent.unsigned_abs()) {
                Some(p) => (scaled + p - 1) / p,
                // Finer than any power i128 holds: a nonzero value rounds up to one nano.
                None => i128::from(scaled > 0),
            }
        };
        Ok(Quantity { nanos })
    }

    /// How much of `hard` this is, in whole percent (rounded down; 0 of 0 is 0%, anything of
    /// 0 is 100%+).
    pub fn percent_of(self, hard: Quantity) -> u64 {
        if hard.nanos <= 0 {
            return if self.nanos > 0 { 100 } else { 0 };
        }
        u64::try_from(self.nanos.saturating_mul(100) / hard.nanos).unwrap_or(u64::MAX)
    }

    /// `count` whole units (pods, functions).
    pub fn whole(count: u64) -> Quantity {
        Quantity {
            nanos: i128::from(count).saturating_mul(1_000_000_000),
        }
    }

    /// What is left of `self` after `used` (never below zero: over-use leaves nothing).
    pub fn minus(self, used: Quantity) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_sub(used.nanos).max(0),
        }
    }

    /// `count` of this (per-pod requests times pods).
    pub fn times(self, count: u64) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_mul(i128::from(count)),
        }
    }

    /// The shortest exact spelling: `3`, `500m`, `384Mi`, `2Gi` (binary units only for whole
    /// multiples of 1Ki, as memory is written).
    /// The amount in its unit (cores, bytes) as a float, for arithmetic that is not compared
    /// back (GB-seconds).
    pub fn as_f64(self) -> f64 {
        self.nanos as f64 / 1e9
    }

    pub fn text(self) -> String {
        const NANO: i128 = 1_000_000_000;
        if self.nanos % NANO != 0 {
            return match self.nanos % 1_000_000 {
                0 => format!("{}m", self.nanos / 1_000_000),
                _ => format!("{}n", self.nanos),
            };
        }
        let whole = self.nanos / NANO;
        for (suffix, power) in [
            ("Ei", 6),
            ("Pi", 5),
            ("Ti", 4),
            ("Gi", 3),
            ("Mi", 2),
            ("Ki", 1),
        ] {
            let unit = 1i128 << (10 * power);
            if whole >= unit && whole % unit == 0 {
                return format!("{}{suffix}", whole / unit);
            }
        }
        whole.to_string()
    }
}

/// `Ki` → (1024, 0), `m` → (1, -3), `e6` → (1, 6).
fn multiplier(suffix: &str) -> (i128, i32) {
    let binary = |power: u32| (1i128 << (10 * power), 0);
    match suffix {
        "n" => (1, -9),
        "u" => (1, -6),
        "m" => (1, -3),
        "" => (1, 0),
        "k" => (1, 3),
        "M" => (1, 6),
        "G" => (1, 9),
        "T" => (1, 12),
        "P" => (1, 15),
        "E" => (1, 18),
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        exponent => (
            1,
            exponent[1..]
                .parse()
                .unwrap_or(if exponent.contains('-') { -100 } else { 100 }),
        ),
    }
}

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
    fn parsed_quantities_compare_across_units() {
        let q = |s: &str| Quantity::parse(s).expect(s);
        assert_eq!(q("500m"), q("0.5"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("1k"), q("1e3"));
        assert_eq!(q("1E-2"), q("10m"));
        assert_eq!(q(".5"), q("500m"));
        assert_eq!(q("+2"), q("2"));
        assert_eq!(q("0"), Quantity::ZERO);
        assert!(q("1G") < q("1Gi"));
        assert!(q("100m") < q("1"));
        assert!(q("1n") > Quantity::ZERO);
        assert!(q("1e-12") > Quantity::ZERO, "finer than a nano rounds up");
        assert!(Quantity::parse("1e40").is_err_and(|e| e.contains("too large")));
        assert!(Quantity::parse("2 cores").is_err());
        assert_eq!(q("2").minus(q("500m")).text(), "1500m");
        assert_eq!(
            q("1").minus(q("2")),
            Quantity::ZERO,
            "over-use leaves nothing"
        );
        assert_eq!(q("256Mi").times(3).text(), "768Mi");
        assert_eq!(q("1Gi").times(2).text(), "2Gi");
        assert_eq!(q("250m").times(4).text(), "1");
        assert_eq!(q("1000").text(), "1000");
    }

    #[test]
    fn percent_is_of_the_hard_limit() {
        let q = |s: &str| Quantity::parse(s).expect(s);
        assert_eq!(q("4").percent_of(q("8")), 50);
        assert_eq!(q("512Mi").percent_of(q("1Gi")), 50);
        assert_eq!(q("3").percent_of(q("2")), 150);
        assert_eq!(q("0").percent_of(q("0")), 0);
        assert_eq!(q("1").percent_of(q("0")), 100);
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

//! Kubernetes resource quantities (`apimachinery/pkg/api/resource`): `500m`, `1.5`, `2Gi`,
//! `1e3`, `128M`. Values are kept exactly as milli-units (sub-milli suffixes round up, as
//! `MilliValue` does) and printed back in canonical form, so quota messages read like upstream's.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Decimal,
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    pub milli: i128,
    pub form: Form,
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.milli.cmp(&other.milli)
    }
}

const LIMIT: i128 = 1 << 100;

impl Quantity {
    pub const ZERO: Quantity = Quantity {
        milli: 0,
        form: Form::Decimal,
    };

    pub fn count(n: i128) -> Self {
        Quantity {
            milli: n.saturating_mul(1000),
            form: Form::Decimal,
        }
    }

    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
            .unwrap_or(s.len());
        let (num, suffix) = s.split_at(split);
        let (neg, num) = match num.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, num.strip_prefix('+').unwrap_or(num)),
        };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 27
        {
            return None;
        }
        // The number as digits / 10^scale.
        let digits: i128 = format!("{int}{frac}").parse().ok()?;
        let scale = frac.len() as i32;
        let (base, exp, form): (i128, i32, Form) = match suffix {
            "" => (1, 0, Form::Decimal),
            "n" => (1, -9, Form::Decimal),
            "u" => (1, -6, Form::Decimal),
            "m" => (1, -3, Form::Decimal),
            "k" => (1, 3, Form::Decimal),
            "M" => (1, 6, Form::Decimal),
            "G" => (1, 9, Form::Decimal),
            "T" => (1, 12, Form::Decimal),
            "P" => (1, 15, Form::Decimal),
            "E" => (1, 18, Form::Decimal),
            "Ki" => (1 << 10, 0, Form::Binary),
            "Mi" => (1 << 20, 0, Form::Binary),
            "Gi" => (1 << 30, 0, Form::Binary),
            "Ti" => (1 << 40, 0, Form::Binary),
            "Pi" => (1 << 50, 0, Form::Binary),
            "Ei" => (1 << 60, 0, Form::Binary),
            e if e.starts_with(['e', 'E']) => (1, e[1..].parse::<i32>().ok()?, Form::Decimal),
            _ => return None,
        };
        // milli = digits * base * 10^(exp + 3 - scale), rounded up.
        let p = exp + 3 - scale;
        if !(-40..=30).contains(&p) {
            return None;
        }
        let v = digits.checked_mul(base)?;
        let milli = if p >= 0 {
            v.checked_mul(10i128.checked_pow(p as u32)?)?
        } else {
            let d = 10i128.checked_pow((-p) as u32)?;
            (v + d - 1) / d
        };
        (milli < LIMIT).then_some(Quantity {
            milli: if neg { -milli } else { milli },
            form,
        })
    }

    pub fn add(self, o: Quantity) -> Quantity {
        Quantity {
            milli: self.milli.saturating_add(o.milli),
            form: if self.milli == 0 { o.form } else { self.form },
        }
    }

    /// Canonical text: the largest suffix that keeps the value whole.
    pub fn canonical(&self) -> String {
        let m = self.milli;
        if m % 1000 != 0 {
            return format!("{m}m");
        }
        let v = m / 1000;
        if v == 0 {
            return "0".into();
        }
        let (step, suffixes): (i128, &[&str]) = match self.form {
            Form::Binary => (1024, &["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]),
            Form::Decimal => (1000, &["k", "M", "G", "T", "P", "E"]),
        };
        let (mut v, mut suffix) = (v, "");
        for s in suffixes {
            if v % step != 0 {
                break;
            }
            v /= step;
            suffix = s;
        }
        format!("{v}{suffix}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(s: &str) -> i128 {
        Quantity::parse(s).map(|q| q.milli).unwrap_or(-1)
    }

    fn canon(s: &str) -> String {
        Quantity::parse(s)
            .map(|q| q.canonical())
            .unwrap_or_default()
    }

    #[test]
    fn parses_every_suffix() {
        assert_eq!(q("500m"), 500);
        assert_eq!(q("2"), 2000);
        assert_eq!(q("1.5"), 1500);
        assert_eq!(q(".5"), 500);
        assert_eq!(q("1Ki"), 1024 * 1000);
        assert_eq!(q("128Mi"), 128 * (1 << 20) * 1000);
        assert_eq!(q("1Gi"), (1 << 30) * 1000);
        assert_eq!(q("1.5Gi"), 3 * (1 << 29) * 1000);
        assert_eq!(q("1k"), 1_000_000);
        assert_eq!(q("128M"), 128_000_000_000);
        assert_eq!(q("2G"), 2_000_000_000_000);
        assert_eq!(q("1e3"), 1_000_000);
        assert_eq!(q("1E-3"), 1);
        assert_eq!(q("1n"), 1, "sub-milli rounds up");
        assert_eq!(q("1500u"), 2);
        assert_eq!(q("-1"), -1000);
        for bad in [
            "",
            "m",
            "1x",
            "1..5",
            "Gi",
            "1 Gi",
            "1e",
            "99999999999999999999999999999E",
        ] {
            assert!(Quantity::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canon("4"), "4");
        assert_eq!(canon("1500m"), "1500m");
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("1000"), "1k");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1536Mi"), "1536Mi");
        assert_eq!(canon("0.5Gi"), "512Mi");
        assert_eq!(canon("0"), "0");
        let sum = Quantity::ZERO
            .add(Quantity::parse("128Mi").unwrap())
            .add(Quantity::parse("128Mi").unwrap());
        assert_eq!(sum.canonical(), "256Mi");
        assert!(Quantity::parse("2").unwrap() < Quantity::parse("2100m").unwrap());
    }
}

//! A log line's severity, when the line says it.
//!
//! Structured logs name it in a field (`level`, `severity`, `lvl`; pino/bunyan use numbers);
//! plain lines start with a word (`ERROR`, `[WARN]`, `level=warn` in logfmt) or, for Go
//! programs using klog (Knative's own components), a letter and the date: `E1127 10:00:00…`.
//! Anything else has no level: a guess from words in the middle of a sentence would colour
//! "0 errors" red.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    /// A level word in any case: `warning`, `ERR`, `Critical`, ….
    pub fn from_word(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "trace" | "trc" | "finest" | "finer" => Self::Trace,
            "debug" | "dbg" | "fine" => Self::Debug,
            "info" | "inf" | "information" | "informational" | "notice" => Self::Info,
            "warn" | "wrn" | "warning" => Self::Warn,
            "error" | "err" | "eror" | "severe" => Self::Error,
            "fatal" | "ftl" | "critical" | "crit" | "panic" | "dpanic" | "emerg" | "alert" => {
                Self::Fatal
            }
            _ => return None,
        })
    }

    /// pino/bunyan numbers: 10 trace … 60 fatal.
    pub fn from_number(n: f64) -> Option<Self> {
        Some(match n {
            n if n >= 60.0 => Self::Fatal,
            n if n >= 50.0 => Self::Error,
            n if n >= 40.0 => Self::Warn,
            n if n >= 30.0 => Self::Info,
            n if n >= 20.0 => Self::Debug,
            n if n >= 10.0 => Self::Trace,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
            Self::Fatal => "fatal",
        }
    }
}

/// Field names that hold a level in structured logs (`log_level` is `log.level` after
/// fluent-bit's `Replace_Dots`).
const KEYS: &[&str] = &[
    "level",
    "severity",
    "lvl",
    "loglevel",
    "log_level",
    "levelname",
];

/// The level a JSON object names.
pub fn from_json(object: &Map<String, Value>) -> Option<Level> {
    KEYS.iter().find_map(|key| match object.get(*key)? {
        Value::String(word) => Level::from_word(word.trim()),
        Value::Number(n) => n.as_f64().and_then(Level::from_number),
        _ => None,
    })
}

/// The level a plain line starts with (or names in logfmt).
pub fn from_text(line: &str) -> Option<Level> {
    let line = line.trim_start();
    if let Some(level) = klog(line) {
        return Some(level);
    }
    // A leading word, possibly after a timestamp: `2026-11-27T10:00:00Z ERROR …`. Only a
    // word in capitals, or bracketed: `Error:` at the start of a sentence is too common.
    for token in line.split_whitespace().take(3) {
        let bare = token.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | ':' | '<' | '>'));
        let bracketed = bare.len() < token.len() && token.starts_with(['[', '(', '<']);
        let capitals = !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_uppercase());
        if (capitals || bracketed)
            && let Some(level) = Level::from_word(bare)
        {
            return Some(level);
        }
    }
    logfmt(line)
}

/// klog's header: `Lmmdd hh:mm:ss.uuuuuu …` with L one of I, W, E, F.
fn klog(line: &str) -> Option<Level> {
    let b = line.as_bytes();
    if b.len() < 6 || !b[1..5].iter().all(u8::is_ascii_digit) || b[5] != b' ' {
        return None;
    }
    Some(match b[0] {
        b'I' => Level::Info,
        b'W' => Level::Warn,
        b'E' => Level::Error,
        b'F' => Level::Fatal,
        _ => return None,
    })
}

/// `level=warn` / `lvl=error` / `severity="info"` in a logfmt line.
fn logfmt(line: &str) -> Option<Level> {
    line.split_whitespace().find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        KEYS.contains(&key)
            .then(|| Level::from_word(value.trim_matches('"')))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn fields_in_structured_logs_name_the_level() {
        assert_eq!(
            from_json(&obj(json!({"level": "WARNING"}))),
            Some(Level::Warn)
        );
        assert_eq!(
            from_json(&obj(json!({"severity": "error"}))),
            Some(Level::Error)
        );
        assert_eq!(from_json(&obj(json!({"lvl": "dbug"}))), None);
        assert_eq!(from_json(&obj(json!({"level": 50}))), Some(Level::Error));
        assert_eq!(from_json(&obj(json!({"level": 30.0}))), Some(Level::Info));
        assert_eq!(from_json(&obj(json!({"msg": "error"}))), None);
    }

    #[test]
    fn plain_lines_name_it_first_or_in_logfmt_and_klog_by_its_letter() {
        let cases = [
            ("ERROR something broke", Some(Level::Error)),
            ("[warn] disk almost full", Some(Level::Warn)),
            ("2026-11-27T10:00:00Z INFO started", Some(Level::Info)),
            ("10:00:00 [FATAL]: gone", Some(Level::Fatal)),
            (
                "E1127 10:00:00.123456       1 reconcile.go:42] failed",
                Some(Level::Error),
            ),
            ("W0101 00:00:00.000000 x", Some(Level::Warn)),
            ("ts=1 level=debug msg=hi", Some(Level::Debug)),
            ("time=1 lvl=\"warn\"", Some(Level::Warn)),
            // A word at the start of a sentence, or in its middle, is not a level.
            ("Error handling is configured", None),
            ("served 200 requests with 0 errors", None),
            ("E12 is a road", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(from_text(line), want, "{line:?}");
        }
    }
}

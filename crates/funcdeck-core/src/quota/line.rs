//! The values of a `quota set` in two spellings that must mean the same: the CLI's flags
//! (`--cpu 2 --memory 4Gi`) and the TUI's one line (`cpu=2 memory=4Gi gpu=0 pods=20
//! functions=10`). Both go through the parsers here, so a quantity refused in one is refused
//! in the other with the same words.

use k8s_openapi::api::core::v1::ResourceQuota;

use super::QuotaChange;
use crate::function::Quantity;

/// The words of the line, in the order they are written, with the quota key each sets and the
/// older key the server treats as the same.
pub const WORDS: [(&str, &str, Option<&str>); 5] = [
    ("cpu", "requests.cpu", Some("cpu")),
    ("memory", "requests.memory", Some("memory")),
    ("gpu", "requests.nvidia.com/gpu", None),
    ("pods", "pods", None),
    ("functions", "count/services.serving.knative.dev", None),
];

/// `--cpu` / `--memory` / `cpu=` / `memory=`: a Kubernetes quantity, kept as typed (trimmed).
pub fn parse_quantity(value: &str) -> Result<String, String> {
    Quantity::parse(value).map(|_| value.trim().to_owned())
}

/// `--gpu` / `--pods` / `--functions` and their words: a whole number.
pub fn parse_count(value: &str) -> Result<u64, String> {
    let value = value.trim();
    value
        .parse()
        .map_err(|_| format!("\"{value}\" is not a whole number"))
}

impl QuotaChange {
    /// `cpu=2 memory=4Gi gpu=0 pods=20 functions=10` (any subset, any order, commas allowed as
    /// separators); the error names the word and what is wrong with it.
    pub fn parse_line(line: &str) -> Result<QuotaChange, String> {
        let mut change = QuotaChange::default();
        let known = || {
            WORDS
                .iter()
                .map(|(word, _, _)| format!("{word}="))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for item in line
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|item| !item.is_empty())
        {
            let Some((word, value)) = item.split_once('=') else {
                return Err(format!("\"{item}\" is not WORD=VALUE (words: {})", known()));
            };
            let set = |slot_given: bool| -> Result<(), String> {
                if slot_given {
                    Err(format!("{word} is given twice"))
                } else {
                    Ok(())
                }
            };
            let at = |e: String| format!("{word}: {e}");
            match word {
                "cpu" => {
                    set(change.cpu.is_some())?;
                    change.cpu = Some(parse_quantity(value).map_err(at)?);
                }
                "memory" => {
                    set(change.memory.is_some())?;
                    change.memory = Some(parse_quantity(value).map_err(at)?);
                }
                "gpu" => {
                    set(change.gpu.is_some())?;
                    change.gpu = Some(parse_count(value).map_err(at)?);
                }
                "pods" => {
                    set(change.pods.is_some())?;
                    change.pods = Some(parse_count(value).map_err(at)?);
                }
                "functions" => {
                    set(change.functions.is_some())?;
                    change.functions = Some(parse_count(value).map_err(at)?);
                }
                other => {
                    return Err(format!("unknown word \"{other}\" (words: {})", known()));
                }
            }
        }
        if change == QuotaChange::default() {
            return Err(format!("nothing to set: type at least one of {}", known()));
        }
        Ok(change)
    }
}

/// The line for the values in force now: for each word, the lowest hard limit any quota sets
/// (each quota is enforced on its own, so the lowest is the one that bites). Words no quota
/// limits are left out.
pub fn current_line(quotas: &[ResourceQuota]) -> String {
    WORDS
        .iter()
        .filter_map(|(word, key, alias)| {
            let lowest = quotas
                .iter()
                .filter_map(|q| q.spec.as_ref()?.hard.as_ref())
                .filter_map(|hard| {
                    let value = hard.get(*key).or_else(|| hard.get((*alias)?))?;
                    Some((Quantity::parse(&value.0).ok()?, value.0.clone()))
                })
                .min_by_key(|(q, _)| *q)?;
            Some(format!("{word}={}", lowest.1))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

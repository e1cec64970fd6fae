//! Conditions as funcdeck shows them: a typed status and parsed times.
//!
//! Knative and Kubernetes write condition status as the strings `True`/`False`/`Unknown`; a
//! small enum makes "is it failing?" a match instead of a string compare everywhere, and
//! serializes back to the same words for `-o json`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::knative::Condition;
use crate::time::parse_rfc3339;

/// A condition's status. Anything the server writes that is not `True` or `False` is `Unknown`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConditionStatus {
    True,
    False,
    #[default]
    Unknown,
}

impl ConditionStatus {
    pub fn parse(s: &str) -> Self {
        match s {
            "True" => Self::True,
            "False" => Self::False,
            _ => Self::Unknown,
        }
    }

    /// Of an optional condition: a missing one is `Unknown`.
    pub fn of(condition: Option<&Condition>) -> Self {
        condition.map_or(Self::Unknown, |c| Self::parse(&c.status))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::True => "True",
            Self::False => "False",
            Self::Unknown => "Unknown",
        }
    }
}

impl std::fmt::Display for ConditionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One condition of a Service or Revision, flattened for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionSummary {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: ConditionStatus,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub last_transition: Option<DateTime<Utc>>,
}

impl ConditionSummary {
    pub fn from_condition(c: &Condition) -> Self {
        Self {
            type_: c.type_.clone(),
            status: ConditionStatus::parse(&c.status),
            reason: non_empty(c.reason.as_deref()),
            message: non_empty(c.message.as_deref()),
            last_transition: c.last_transition_time.as_deref().and_then(parse_rfc3339),
        }
    }

    /// All conditions of an optional list, in the server's order.
    pub fn all(conditions: Option<&Vec<Condition>>) -> Vec<Self> {
        conditions
            .map(|cs| cs.iter().map(Self::from_condition).collect())
            .unwrap_or_default()
    }
}

pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_round_trip_and_anything_else_is_unknown() {
        for s in ["True", "False", "Unknown"] {
            let parsed = ConditionStatus::parse(s);
            assert_eq!(parsed.as_str(), s);
            assert_eq!(
                serde_json::to_value(parsed).expect("serializes"),
                serde_json::json!(s)
            );
        }
        assert_eq!(ConditionStatus::parse("true"), ConditionStatus::Unknown);
        assert_eq!(ConditionStatus::of(None), ConditionStatus::Unknown);
    }

    #[test]
    fn a_condition_keeps_reason_message_and_a_parsed_time() {
        let c: Condition = serde_json::from_value(serde_json::json!({
            "type": "Ready", "status": "False", "reason": "RevisionMissing",
            "message": "", "lastTransitionTime": "2021-02-24T22:32:46Z"
        }))
        .expect("condition");
        let s = ConditionSummary::from_condition(&c);
        assert_eq!(s.status, ConditionStatus::False);
        assert_eq!(s.reason.as_deref(), Some("RevisionMissing"));
        assert_eq!(s.message, None, "an empty message is no message");
        assert_eq!(
            s.last_transition.map(|t| t.to_rfc3339()),
            Some("2021-02-24T22:32:46+00:00".into())
        );
    }
}

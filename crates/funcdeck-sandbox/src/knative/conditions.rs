//! knative/pkg `apis/condition_set.go` semantics: a "happy" condition (Ready) driven by its
//! dependents. False on a dependent overwrites Ready with the same reason and message; Unknown
//! only when nothing is False; True only when every dependent is True. Conditions are kept
//! sorted by type, keep their lastTransitionTime unless they change, and non-dependent
//! conditions carry `severity: Info`.

use serde_json::{Map, Value, json};

pub struct Conditions {
    list: Vec<Value>,
    now: String,
    happy: &'static str,
    deps: &'static [&'static str],
}

impl Conditions {
    pub fn new(
        status: Option<&Value>,
        now: String,
        happy: &'static str,
        deps: &'static [&'static str],
    ) -> Self {
        let list = status
            .and_then(|s| s.get("conditions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut c = Conditions {
            list,
            now,
            happy,
            deps,
        };
        c.initialize();
        c
    }

    fn initialize(&mut self) {
        if self.get(self.happy).is_none() {
            self.set(self.happy, "Unknown", "", "");
        }
        let status = if self.status(self.happy) == Some("True") {
            "True"
        } else {
            "Unknown"
        };
        for d in self.deps {
            if self.get(d).is_none() {
                self.set(d, status, "", "");
            }
        }
    }

    pub fn get(&self, t: &str) -> Option<&Value> {
        self.list
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some(t))
    }

    pub fn status(&self, t: &str) -> Option<&str> {
        self.get(t)?.get("status")?.as_str()
    }

    fn severity(&self, t: &str) -> &'static str {
        if t == self.happy || self.deps.contains(&t) {
            ""
        } else {
            "Info"
        }
    }

    /// SetCondition: a no-op when nothing but the time would change.
    pub fn set(&mut self, t: &str, status: &str, reason: &str, message: &str) {
        let severity = self.severity(t);
        let mut m = Map::new();
        m.insert("type".into(), json!(t));
        m.insert("status".into(), json!(status));
        if !reason.is_empty() {
            m.insert("reason".into(), json!(reason));
        }
        if !message.is_empty() {
            m.insert("message".into(), json!(message));
        }
        if !severity.is_empty() {
            m.insert("severity".into(), json!(severity));
        }
        let same = |c: &Value| {
            let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
            field("status") == status
                && field("reason") == reason
                && field("message") == message
                && field("severity") == severity
        };
        if let Some(existing) = self.get(t)
            && same(existing)
        {
            return;
        }
        m.insert("lastTransitionTime".into(), json!(self.now));
        self.list
            .retain(|c| c.get("type").and_then(Value::as_str) != Some(t));
        self.list.push(Value::Object(m));
        self.list.sort_by(|a, b| {
            let ta = a.get("type").and_then(Value::as_str).unwrap_or("");
            let tb = b.get("type").and_then(Value::as_str).unwrap_or("");
            ta.cmp(tb)
        });
    }

    pub fn mark_true(&mut self, t: &str) {
        self.set(t, "True", "", "");
        if self.deps.iter().all(|d| self.status(d) == Some("True")) {
            self.set(self.happy, "True", "", "");
        }
    }

    pub fn mark_true_with_reason(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, "True", reason, message);
        if self.deps.iter().all(|d| self.status(d) == Some("True")) {
            self.set(self.happy, "True", "", "");
        }
    }

    pub fn mark_false(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, "False", reason, message);
        if self.deps.contains(&t) {
            self.set(self.happy, "False", reason, message);
        }
    }

    pub fn mark_unknown(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, "Unknown", reason, message);
        for d in self.deps {
            if self.status(d) == Some("False") {
                if self.status(self.happy) != Some("False") {
                    self.set(self.happy, "False", reason, message);
                }
                return;
            }
        }
        if self.deps.contains(&t) || t == self.happy {
            self.set(self.happy, "Unknown", reason, message);
        }
    }

    pub fn to_value(&self) -> Value {
        Value::Array(self.list.clone())
    }

    pub fn into_value(self) -> Value {
        Value::Array(self.list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPS: &[&str] = &["ConfigurationsReady", "RoutesReady"];

    fn c() -> Conditions {
        Conditions::new(None, "t0".into(), "Ready", DEPS)
    }

    #[test]
    fn false_dependent_overwrites_ready_in_order() {
        let mut s = c();
        s.mark_false("ConfigurationsReady", "RevisionFailed", "bad");
        s.mark_false("RoutesReady", "RevisionMissing", "none ready");
        assert_eq!(s.status("Ready"), Some("False"));
        assert_eq!(
            s.get("Ready").and_then(|r| r["reason"].as_str()),
            Some("RevisionMissing")
        );
    }

    #[test]
    fn true_needs_all_and_unknown_does_not_beat_false() {
        let mut s = c();
        s.mark_true("RoutesReady");
        assert_eq!(s.status("Ready"), Some("Unknown"));
        s.mark_false("ConfigurationsReady", "RevisionFailed", "x");
        s.mark_true("RoutesReady");
        assert_eq!(s.status("Ready"), Some("False"));
        s.mark_unknown("RoutesReady", "TrafficNotMigrated", "y");
        assert_eq!(
            s.get("Ready").and_then(|r| r["reason"].as_str()),
            Some("RevisionFailed")
        );
        s.mark_true("ConfigurationsReady");
        s.mark_true("RoutesReady");
        assert_eq!(s.status("Ready"), Some("True"));
        let v = s.into_value();
        let types: Vec<&str> = v
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["type"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(types, vec!["ConfigurationsReady", "Ready", "RoutesReady"]);
    }

    #[test]
    fn transition_time_kept_when_unchanged_and_info_severity() {
        let mut s = Conditions::new(None, "t0".into(), "Ready", &["ContainerHealthy"]);
        s.mark_true("ContainerHealthy");
        let v = s.into_value();
        let status = json!({"conditions": v});
        let mut s2 = Conditions::new(Some(&status), "t1".into(), "Ready", &["ContainerHealthy"]);
        s2.mark_true("ContainerHealthy");
        s2.mark_false(
            "Active",
            "NoTraffic",
            "The target is not receiving traffic.",
        );
        assert_eq!(
            s2.get("Ready")
                .and_then(|r| r["lastTransitionTime"].as_str()),
            Some("t0")
        );
        assert_eq!(
            s2.get("Active").and_then(|r| r["severity"].as_str()),
            Some("Info")
        );
        assert_eq!(s2.status("Ready"), Some("True"));
    }
}

//! The stack's four components, in the order they are installed.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    Metrics,
    Tracing,
    Logging,
    /// Knative's own ConfigMaps pointed at the collector: installed last, after the backends.
    Wiring,
}

impl Component {
    pub const ALL: [Component; 4] = [
        Component::Metrics,
        Component::Tracing,
        Component::Logging,
        Component::Wiring,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Component::Metrics => "metrics",
            Component::Tracing => "tracing",
            Component::Logging => "logging",
            Component::Wiring => "wiring",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == text.trim())
            .ok_or_else(|| {
                format!(
                    "unknown component {:?} (expected one of: {})",
                    text.trim(),
                    Self::ALL.map(Component::name).join(", ")
                )
            })
    }

    /// `metrics,tracing` → the named components in install order, each once.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        let mut chosen = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let component = Self::parse(part)?;
            if !chosen.contains(&component) {
                chosen.push(component);
            }
        }
        if chosen.is_empty() {
            return Err(
                "no component named (expected some of: metrics, tracing, logging, wiring)".into(),
            );
        }
        chosen.sort();
        Ok(chosen)
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

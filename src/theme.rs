//! Themes are TOML data with a palette, semantic style names and `inherits`.
//!
//! Views ask for meanings (`theme.style(StyleName::Muted)`, `theme.readiness(..)`), never for
//! colours, so a theme can change every colour without touching code. Style names are one typed
//! enum, so a typo is a compile error and a test checks every shipped theme defines them all. Shipped themes are embedded; a file of the same
//! name in `<config dir>/themes/` overrides one. A broken user theme falls back with a warning.

use std::collections::HashMap;
use std::path::Path;

use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::function::Readiness;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../themes/default.toml")),
    ("light", include_str!("../themes/light.toml")),
];

const MAX_INHERITANCE_DEPTH: usize = 8;

macro_rules! style_names {
    ($( $variant:ident => $key:literal, )*) => {
        /// Every style the code asks a theme for, with its key in theme files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum StyleName { $($variant),* }

        impl StyleName {
            pub const ALL: &'static [StyleName] = &[$(StyleName::$variant),*];

            /// The key in a theme file's `[styles]` table.
            pub fn key(self) -> &'static str {
                match self { $(StyleName::$variant => $key),* }
            }
        }
    };
}

impl StyleName {
    pub fn for_condition(status: ConditionStatus) -> StyleName {
        match status {
            ConditionStatus::True => StyleName::ReadinessReady,
            ConditionStatus::False => StyleName::ReadinessFailed,
            ConditionStatus::Unknown => StyleName::ReadinessDeploying,
        }
    }

    /// A pod's STATUS word: running and ready is fine, waiting to start is in progress, any
    /// back-off or error is trouble.
    pub fn for_pod_status(status: &str, ready: u32, total: u32) -> StyleName {
        match status {
            "Running" if ready == total => StyleName::ReadinessReady,
            "Running" | "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => {
                StyleName::ReadinessDeploying
            }
            "Completed" | "Succeeded" => StyleName::ReadinessUnknown,
            _ => StyleName::ReadinessFailed,
        }
    }

    pub fn for_readiness(readiness: Readiness) -> StyleName {
        match readiness {
            Readiness::Ready => StyleName::ReadinessReady,
            Readiness::Deploying => StyleName::ReadinessDeploying,
            Readiness::Failed => StyleName::ReadinessFailed,
            Readiness::Unknown => StyleName::ReadinessUnknown,
        }
    }
}

style_names! {
    Text => "text",
    Muted => "muted",
    Header => "header",
    HeaderTitle => "header.title",
    HeaderLabel => "header.label",
    HeaderValue => "header.value",
    Breadcrumb => "header.breadcrumb",
    HealthLive => "health.live",
    HealthConnecting => "health.connecting",
    HealthDegraded => "health.degraded",
    HealthFailed => "health.failed",
    TableTitle => "table.title",
    TableBorder => "table.border",
    TableHeader => "table.header",
    TableHeaderSorted => "table.header.sorted",
    TableSelected => "table.selected",
    TableMarked => "table.marked",
    SectionTitle => "section.title",
    ReadinessReady => "readiness.ready",
    ReadinessDeploying => "readiness.deploying",
    ReadinessFailed => "readiness.failed",
    ReadinessUnknown => "readiness.unknown",
    EventWarning => "event.warning",
    BannerError => "banner.error",
    BannerWarning => "banner.warning",
    Footer => "footer",
    FooterKey => "footer.key",
    Prompt => "prompt",
    Completion => "prompt.completion",
    PopupBorder => "popup.border",
    PopupTitle => "popup.title",
    PopupSelected => "popup.selected",
    DiffAdded => "diff.added",
    DiffRemoved => "diff.removed",
    QuotaOk => "quota.ok",
    QuotaHigh => "quota.high",
    QuotaFull => "quota.full",
    Chart1 => "chart.1",
    Chart2 => "chart.2",
    Chart3 => "chart.3",
    Chart4 => "chart.4",
    Chart5 => "chart.5",
    Chart6 => "chart.6",
    LogError => "log.error",
    LogWarn => "log.warn",
    LogInfo => "log.info",
    LogDebug => "log.debug",
    LogMatch => "log.match",
    LogHistogram => "log.histogram",
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    styles: HashMap<String, Style>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("theme \"{0}\" not found")]
    NotFound(String),
    #[error("theme \"{name}\": not valid TOML: {reason}")]
    Toml { name: String, reason: String },
    #[error("theme \"{name}\": style \"{style}\": {reason}")]
    Style {
        name: String,
        style: String,
        reason: String,
    },
    #[error("theme \"{0}\": inherits too deeply (a cycle?)")]
    TooDeep(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    inherits: Option<String>,
    #[serde(default)]
    palette: HashMap<String, String>,
    #[serde(default)]
    styles: HashMap<String, StyleFile>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

/// Finds theme source text by name: the user's config dir first, then the shipped themes.
pub struct ThemeSource<'a> {
    pub user_dir: Option<&'a Path>,
}

impl ThemeSource<'_> {
    fn text(&self, name: &str) -> Result<String, ThemeError> {
        if let Some(dir) = self.user_dir {
            let path = dir.join(format!("{name}.toml"));
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Ok(text);
            }
        }
        SHIPPED
            .iter()
            .find(|(shipped, _)| *shipped == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| ThemeError::NotFound(name.to_owned()))
    }
}

impl Theme {
    /// The embedded default theme; a test proves it loads.
    pub fn builtin() -> Self {
        Theme::load("default", &ThemeSource { user_dir: None }).unwrap_or_default()
    }

    pub fn load(name: &str, source: &ThemeSource<'_>) -> Result<Self, ThemeError> {
        // Collect the chain child → ancestors, then apply from the oldest ancestor down so that a
        // child's palette also recolours styles it inherits.
        let mut chain = Vec::new();
        let mut next = Some(name.to_owned());
        while let Some(current) = next {
            if chain.len() >= MAX_INHERITANCE_DEPTH {
                return Err(ThemeError::TooDeep(name.to_owned()));
            }
            let text = source.text(&current)?;
            let file: ThemeFile = toml::from_str(&text).map_err(|e| ThemeError::Toml {
                name: current.clone(),
                reason: e.message().to_owned(),
            })?;
            next = file.inherits.clone();
            chain.push((current, file));
        }
        let mut palette = HashMap::new();
        let mut raw_styles: HashMap<String, (String, StyleFile)> = HashMap::new();
        for (theme_name, file) in chain.into_iter().rev() {
            palette.extend(file.palette);
            for (style, spec) in file.styles {
                raw_styles.insert(style, (theme_name.clone(), spec));
            }
        }
        let mut styles = HashMap::new();
        for (style_name, (theme_name, spec)) in raw_styles {
            let style = resolve_style(&spec, &palette).map_err(|reason| ThemeError::Style {
                name: theme_name,
                style: style_name.clone(),
                reason,
            })?;
            styles.insert(style_name, style);
        }
        Ok(Theme { styles })
    }

    pub fn style(&self, name: StyleName) -> Style {
        self.style_by_key(name.key())
    }

    /// The style for a key, falling back to parent keys ("a.b.c" → "a.b" → "a"), so a user
    /// theme may style a whole family at once.
    fn style_by_key(&self, key: &str) -> Style {
        let mut current = key;
        loop {
            if let Some(style) = self.styles.get(current) {
                return *style;
            }
            match current.rsplit_once('.') {
                Some((parent, _)) => current = parent,
                None => return Style::default(),
            }
        }
    }

    /// Whether this theme (with what it inherits) sets `key` itself, not through a parent key:
    /// shipped themes spell out every style so none looks accidentally plain.
    pub fn defines(&self, key: &str) -> bool {
        self.styles.contains_key(key)
    }

    pub fn readiness(&self, readiness: Readiness) -> Style {
        self.style(StyleName::for_readiness(readiness))
    }
}

fn resolve_style(spec: &StyleFile, palette: &HashMap<String, String>) -> Result<Style, String> {
    let mut style = Style::default();
    if let Some(fg) = &spec.fg {
        style = style.fg(resolve_color(fg, palette)?);
    }
    if let Some(bg) = &spec.bg {
        style = style.bg(resolve_color(bg, palette)?);
    }
    for modifier in &spec.modifiers {
        style = style.add_modifier(match modifier.as_str() {
            "bold" => Modifier::BOLD,
            "dim" => Modifier::DIM,
            "italic" => Modifier::ITALIC,
            "underlined" => Modifier::UNDERLINED,
            "reversed" => Modifier::REVERSED,
            "crossed_out" => Modifier::CROSSED_OUT,
            other => return Err(format!("unknown modifier \"{other}\"")),
        });
    }
    Ok(style)
}

fn resolve_color(value: &str, palette: &HashMap<String, String>) -> Result<Color, String> {
    let value = palette.get(value).map(String::as_str).unwrap_or(value);
    value
        .parse::<Color>()
        .map_err(|_| format!("unknown colour \"{value}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_defines_every_style_the_code_uses() {
        for (name, _) in SHIPPED {
            let theme = Theme::load(name, &ThemeSource { user_dir: None })
                .unwrap_or_else(|e| panic!("shipped theme {name} must load: {e}"));
            for style in StyleName::ALL {
                assert!(
                    theme.defines(style.key()),
                    "theme {name} does not define \"{}\"",
                    style.key()
                );
            }
        }
    }

    #[test]
    fn style_keys_are_distinct() {
        let keys: std::collections::HashSet<_> = StyleName::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys.len(), StyleName::ALL.len());
    }

    #[test]
    fn child_palette_recolours_inherited_styles() {
        let light = Theme::load("light", &ThemeSource { user_dir: None }).expect("light loads");
        assert_eq!(
            light.readiness(Readiness::Failed).fg,
            Some(Color::Rgb(0xc6, 0x28, 0x28))
        );
    }

    #[test]
    fn names_fall_back_to_their_parents() {
        let theme = Theme::builtin();
        assert_eq!(
            theme.style_by_key("readiness.failed.extra"),
            theme.style(StyleName::ReadinessFailed)
        );
        assert_eq!(theme.style_by_key("nothing.here"), Style::default());
    }

    #[test]
    fn user_themes_override_and_bad_ones_say_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("mine.toml"),
            "inherits = \"default\"\n[styles]\n\"readiness.failed\" = { fg = \"magenta\" }\n",
        )
        .expect("write theme");
        std::fs::write(
            dir.path().join("broken.toml"),
            "[styles]\n\"x\" = { fg = \"nocolour\" }\n",
        )
        .expect("write theme");
        std::fs::write(dir.path().join("loop.toml"), "inherits = \"loop\"\n").expect("write theme");
        let source = ThemeSource {
            user_dir: Some(dir.path()),
        };
        let mine = Theme::load("mine", &source).expect("user theme loads");
        assert_eq!(mine.readiness(Readiness::Failed).fg, Some(Color::Magenta));
        assert!(matches!(
            Theme::load("broken", &source),
            Err(ThemeError::Style { ref reason, .. }) if reason.contains("nocolour")
        ));
        assert_eq!(
            Theme::load("loop", &source).map(|_| ()),
            Err(ThemeError::TooDeep("loop".into()))
        );
        assert_eq!(
            Theme::load("absent", &source).map(|_| ()),
            Err(ThemeError::NotFound("absent".into()))
        );
    }
}

//! Themes are TOML data with a palette, semantic style names and `inherits`.
//!
//! Views ask for meanings (`theme.readiness(Readiness::Failed)`), never for colours, so a theme
//! can change every colour without touching code. Shipped themes are embedded; a file of the same
//! name in `<config dir>/themes/` overrides one. A broken user theme falls back with a warning.

use std::collections::HashMap;
use std::path::Path;

use funcdeck_core::function::Readiness;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../themes/default.toml")),
    ("light", include_str!("../themes/light.toml")),
];

const MAX_INHERITANCE_DEPTH: usize = 8;

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

    /// The style for a semantic name, falling back to parent names ("a.b.c" → "a.b" → "a").
    pub fn style(&self, name: &str) -> Style {
        let mut current = name;
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

    pub fn readiness(&self, readiness: Readiness) -> Style {
        self.style(match readiness {
            Readiness::Ready => "readiness.ready",
            Readiness::Deploying => "readiness.deploying",
            Readiness::Failed => "readiness.failed",
            Readiness::Unknown => "readiness.unknown",
        })
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
    fn every_shipped_theme_loads_and_defines_the_semantic_styles() {
        for (name, _) in SHIPPED {
            let theme = Theme::load(name, &ThemeSource { user_dir: None })
                .unwrap_or_else(|e| panic!("shipped theme {name} must load: {e}"));
            for style in [
                "readiness.failed",
                "health.live",
                "table.selected",
                "banner.error",
            ] {
                assert_ne!(theme.style(style), Style::default(), "{name} lacks {style}");
            }
        }
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
            theme.style("readiness.failed.extra"),
            theme.style("readiness.failed")
        );
        assert_eq!(theme.style("nothing.here"), Style::default());
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

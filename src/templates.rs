//! Function templates: one TOML file per language in `templates/`, each listing its base-image
//! OS variants. A variant names its runtime image and may override the language's port, env,
//! resources and concurrency. Shipped files are embedded; a file of the same language in
//! `<config dir>/templates/` replaces one (a platform team points them at its own registry), a
//! new file adds a language. A broken user file is skipped with a warning.

use std::collections::BTreeMap;
use std::path::Path;

use funcdeck_core::function::SpecChange;
use serde::{Deserialize, Serialize};

pub const SHIPPED: &[(&str, &str)] = &[
    ("go", include_str!("../templates/go.toml")),
    ("python", include_str!("../templates/python.toml")),
    ("node", include_str!("../templates/node.toml")),
    ("java", include_str!("../templates/java.toml")),
];

/// The settings a language or one of its OS variants may give.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    port: Option<u16>,
    concurrency: Option<u32>,
    min_scale: Option<u32>,
    timeout_seconds: Option<u32>,
    env: Option<BTreeMap<String, String>>,
    requests: Option<BTreeMap<String, String>>,
    limits: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    language: String,
    title: String,
    runtime: String,
    #[serde(flatten)]
    settings: Settings,
    os: Vec<OsFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OsFile {
    name: String,
    title: String,
    image: String,
    #[serde(flatten)]
    settings: Settings,
}

/// One language on one base-image OS, with every setting resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub language: String,
    pub os: String,
    pub title: String,
    pub os_title: String,
    pub runtime: String,
    pub image: String,
    pub port: Option<u16>,
    pub concurrency: Option<u32>,
    pub min_scale: Option<u32>,
    pub timeout_seconds: Option<u32>,
    pub env: BTreeMap<String, String>,
    pub requests: BTreeMap<String, String>,
    pub limits: BTreeMap<String, String>,
}

impl Template {
    /// `go:alpine`
    pub fn id(&self) -> String {
        format!("{}:{}", self.language, self.os)
    }

    /// What creating a function from this template writes.
    pub fn change(&self) -> SpecChange {
        let pairs = |map: &BTreeMap<String, String>| {
            map.iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect::<Vec<_>>()
        };
        let resources = |map: &BTreeMap<String, String>| {
            map.iter()
                .map(|(k, v)| {
                    let name = if k == "gpu" {
                        funcdeck_core::function::spec::GPU
                    } else {
                        k
                    };
                    (name.to_owned(), Some(v.clone()))
                })
                .collect::<Vec<_>>()
        };
        SpecChange {
            image: Some(self.image.clone()),
            env: pairs(&self.env),
            requests: resources(&self.requests),
            limits: resources(&self.limits),
            concurrency: self.concurrency,
            min_scale: self.min_scale,
            timeout_seconds: self.timeout_seconds,
            port: self.port,
            ..SpecChange::default()
        }
    }
}

/// Every template, languages in file order (shipped first), variants as listed.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub templates: Vec<Template>,
}

impl Catalogue {
    /// The shipped templates with the user's laid over them; `warnings` says what was skipped.
    pub fn load(config_dir: &Path, warnings: &mut Vec<String>) -> Catalogue {
        let mut files: Vec<(String, LanguageFile)> = SHIPPED
            .iter()
            .filter_map(|(name, text)| match toml::from_str::<LanguageFile>(text) {
                Ok(file) => Some(((*name).to_owned(), file)),
                Err(error) => {
                    warnings.push(format!("shipped template {name} is broken: {error}"));
                    None
                }
            })
            .collect();
        let dir = config_dir.join("templates");
        let mut user: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect();
        user.sort();
        for path in user {
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| toml::from_str::<LanguageFile>(&text).map_err(|e| e.to_string()));
            match parsed {
                Ok(file) => {
                    let language = file.language.clone();
                    match files.iter_mut().find(|(_, f)| f.language == language) {
                        Some(slot) => slot.1 = file,
                        None => files.push((language, file)),
                    }
                }
                Err(error) => warnings.push(format!(
                    "template {} skipped: {}",
                    path.display(),
                    error.trim()
                )),
            }
        }
        let templates = files
            .into_iter()
            .flat_map(|(_, file)| resolve(file))
            .collect();
        Catalogue { templates }
    }

    /// The shipped templates alone (before the config dir is read, and in tests).
    pub fn shipped() -> Catalogue {
        Catalogue::load(Path::new("/nonexistent"), &mut Vec::new())
    }

    /// `LANG` (its first OS) or `LANG:OS`; an unknown one is named with what exists.
    pub fn find(&self, id: &str) -> Result<&Template, String> {
        let (language, os) = match id.split_once(':') {
            Some((language, os)) => (language, Some(os)),
            None => (id, None),
        };
        let of_language: Vec<&Template> = self
            .templates
            .iter()
            .filter(|t| t.language == language)
            .collect();
        if of_language.is_empty() {
            let mut languages: Vec<&str> =
                self.templates.iter().map(|t| t.language.as_str()).collect();
            languages.dedup();
            return Err(format!(
                "no template for language \"{language}\"; there are: {}",
                languages.join(", ")
            ));
        }
        match os {
            None => Ok(of_language[0]),
            Some(os) => of_language
                .iter()
                .copied()
                .find(|t| t.os == os)
                .ok_or_else(|| {
                    let known: Vec<&str> = of_language.iter().map(|t| t.os.as_str()).collect();
                    format!(
                        "no \"{os}\" variant of the {language} template; there are: {}",
                        known.join(", ")
                    )
                }),
        }
    }
}

fn resolve(file: LanguageFile) -> Vec<Template> {
    let base = file.settings;
    file.os
        .into_iter()
        .map(|os| {
            let own = os.settings;
            Template {
                language: file.language.clone(),
                os: os.name,
                title: file.title.clone(),
                os_title: os.title,
                runtime: file.runtime.clone(),
                image: os.image,
                port: own.port.or(base.port),
                concurrency: own.concurrency.or(base.concurrency),
                min_scale: own.min_scale.or(base.min_scale),
                timeout_seconds: own.timeout_seconds.or(base.timeout_seconds),
                env: own.env.or_else(|| base.env.clone()).unwrap_or_default(),
                requests: own
                    .requests
                    .or_else(|| base.requests.clone())
                    .unwrap_or_default(),
                limits: own
                    .limits
                    .or_else(|| base.limits.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalogue {
        let mut warnings = Vec::new();
        let catalogue = Catalogue::load(Path::new("/nonexistent"), &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        catalogue
    }

    #[test]
    fn every_shipped_template_is_a_valid_function() {
        let catalogue = shipped();
        for language in ["go", "python", "node", "java"] {
            let variants: Vec<&str> = catalogue
                .templates
                .iter()
                .filter(|t| t.language == language)
                .map(|t| t.os.as_str())
                .collect();
            assert_eq!(variants, ["debian", "alpine", "distroless"], "{language}");
        }
        for template in &catalogue.templates {
            let errors = template.change().check();
            assert!(errors.is_empty(), "{}: {errors:?}", template.id());
        }
    }

    #[test]
    fn a_variant_overrides_its_language() {
        let catalogue = shipped();
        let slim = catalogue.find("python:distroless").expect("exists");
        assert_eq!(slim.concurrency, Some(2));
        assert_eq!(slim.requests["memory"], "128Mi", "inherited");
        assert_eq!(catalogue.find("go").expect("exists").os, "debian");
    }

    #[test]
    fn unknown_names_say_what_exists() {
        let catalogue = shipped();
        assert_eq!(
            catalogue.find("cobol").map(Template::id),
            Err("no template for language \"cobol\"; there are: go, python, node, java".into())
        );
        assert_eq!(
            catalogue.find("go:windows").map(Template::id),
            Err(
                "no \"windows\" variant of the go template; there are: debian, alpine, distroless"
                    .into()
            )
        );
    }

    #[test]
    fn a_user_file_replaces_or_adds_a_language_and_a_broken_one_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let templates = dir.path().join("templates");
        std::fs::create_dir(&templates).expect("mkdir");
        std::fs::write(
            templates.join("go.toml"),
            "language = \"go\"\ntitle = \"Go\"\nruntime = \"Go 1.24\"\n\
             [[os]]\nname = \"ubi\"\ntitle = \"UBI 9\"\nimage = \"registry.acme.local/go:ubi9\"\n",
        )
        .expect("write");
        std::fs::write(templates.join("rust.toml"), "language = 1").expect("write");
        let mut warnings = Vec::new();
        let catalogue = Catalogue::load(dir.path(), &mut warnings);
        assert_eq!(
            catalogue.find("go").map(|t| t.image.as_str()),
            Ok("registry.acme.local/go:ubi9")
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("rust.toml skipped"), "{warnings:?}");
    }
}

//! What every view shares: the cluster connection and its health, the namespace scope, the
//! keymap, the clock and the terminal size. Views read it through [`Ctx`](crate::views::Ctx);
//! only the app's routing changes it.

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;

use super::health::Health;
use super::layout;
use super::msg::ContextInfo;
use super::ticket::Generation;
use crate::keymap::Keymap;

#[derive(Debug)]
pub struct Shell {
    pub keymap: Keymap,
    pub context: Option<ContextInfo>,
    /// `:ctx NAME` chose another context than the one the app started with.
    pub context_choice: Option<String>,
    pub scope: NamespaceScope,
    /// `-n` given on the command line or a namespace picked; otherwise the context's namespace is
    /// used once known.
    pub scope_chosen: bool,
    pub health: Health,
    /// Config, theme or keymap problems that fell back to defaults; shown until dismissed.
    pub warnings: Vec<String>,
    /// The newest notice from a command (an unknown `:` command, a view that could not open).
    pub notice: Option<String>,
    pub now: DateTime<Utc>,
    pub terminal_size: (u16, u16),
    /// The height the current view draws in (the terminal less header, banner and footer),
    /// brought up to date before every frame.
    pub body_height: u16,
    /// `--readonly`: every mutation is disabled (the header says so).
    pub readonly: bool,
    /// Contexts marked `readonly = true` in config.toml: read-only while connected to one.
    pub readonly_contexts: std::collections::BTreeSet<String>,
    /// The user's rules per namespace (SelfSubjectRulesReview), for this connection.
    pub access: std::collections::BTreeMap<String, funcdeck_core::access::AccessRules>,
    /// Namespaces whose rules were asked for (answered or not), so each is asked once.
    pub(super) access_asked: std::collections::BTreeSet<String>,
    pub should_quit: bool,
    /// Something on screen changed since the last draw.
    pub dirty: bool,
    /// Namespaces last listed, for `:ns` completion.
    pub namespaces: Vec<String>,
    /// The function templates the create form offers (shipped, plus the user's).
    pub templates: crate::templates::Catalogue,
    /// Lines a logs pane keeps at most (`[logs] buffer_lines`).
    pub log_buffer_lines: usize,
    pub(super) generation: Generation,
    pub(super) last_probe: Option<DateTime<Utc>>,
}

impl Shell {
    pub fn new(keymap: Keymap, scope: Option<NamespaceScope>, now: DateTime<Utc>) -> Self {
        Shell {
            keymap,
            context: None,
            context_choice: None,
            templates: crate::templates::Catalogue::shipped(),
            log_buffer_lines: funcdeck_core::elastic::DEFAULT_CAPACITY,
            scope_chosen: scope.is_some(),
            scope: scope.unwrap_or_else(|| NamespaceScope::One("default".into())),
            health: Health::Connecting,
            warnings: Vec::new(),
            notice: None,
            now,
            terminal_size: (80, 24),
            body_height: layout::body_height(24, 0),
            readonly: false,
            readonly_contexts: std::collections::BTreeSet::new(),
            access: std::collections::BTreeMap::new(),
            access_asked: std::collections::BTreeSet::new(),
            should_quit: false,
            dirty: true,
            namespaces: Vec::new(),
            generation: Generation::default(),
            last_probe: None,
        }
    }

    /// Why changes are refused now, if they are: `--readonly`, or the context connected to
    /// is marked read-only in config.toml.
    pub fn read_only(&self) -> Option<String> {
        if self.readonly {
            return Some("funcdeck runs read-only (--readonly)".to_owned());
        }
        let context = &self.context.as_ref()?.context;
        self.readonly_contexts
            .contains(context)
            .then(|| format!("context {context} is read-only (readonly = true in config.toml)"))
    }

    /// "context sandbox-viewer may not delete services.serving.knative.dev in namespace shop"
    pub fn missing(
        &self,
        permission: &funcdeck_core::access::Permission,
        namespace: &str,
    ) -> String {
        let who = self
            .context
            .as_ref()
            .map_or_else(|| "you".to_owned(), |c| format!("context {}", c.context));
        if permission.is_cluster_scoped() {
            // Not a matter of the namespace in view: only a cluster-wide binding would allow it.
            format!("{who} may not {permission} (cluster-wide)")
        } else {
            format!("{who} may not {permission} in namespace {namespace}")
        }
    }

    /// Why a change needing `permission` in `namespace` is refused now, for a view that asks
    /// before it starts one (a grant's typing): read-only, or the user's rules there deny it.
    /// Rules not known yet refuse nothing; the gate and the server decide.
    pub fn refusal(
        &self,
        permission: &funcdeck_core::access::Permission,
        namespace: &str,
    ) -> Option<String> {
        if let Some(why) = self.read_only() {
            return Some(why);
        }
        let rules = self.access.get(namespace)?;
        (rules.verdict(permission) == funcdeck_core::access::Verdict::Denied)
            .then(|| self.missing(permission, namespace))
    }

    /// The namespace a view for "the namespace in scope" shows: the one chosen, or with all
    /// namespaces the context's own.
    pub fn namespace_in_scope(&self) -> String {
        match &self.scope {
            NamespaceScope::One(namespace) => namespace.clone(),
            NamespaceScope::All => self
                .context
                .as_ref()
                .map_or_else(|| "default".to_owned(), |c| c.default_namespace.clone()),
        }
    }

    pub fn all_namespaces(&self) -> bool {
        self.scope == NamespaceScope::All
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    Error(String),
    Notice(String),
    Warning(String),
}

impl Banner {
    pub fn text(&self) -> &str {
        match self {
            Banner::Error(text) | Banner::Notice(text) | Banner::Warning(text) => text,
        }
    }
}

//! The registry of kinds the sandbox serves. Discovery, routing, Status messages, tables and the
//! OpenAPI stub are all generated from this one table, so a kind is added in exactly one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Res {
    Namespace,
    Pod,
    Event,
    ConfigMap,
    KService,
    KConfiguration,
    KRevision,
    KRoute,
    ServiceAccount,
    ResourceQuota,
    LimitRange,
    Deployment,
    ReplicaSet,
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
    SelfSubjectAccessReview,
    SelfSubjectRulesReview,
    /// A core v1 Service: the ingress gateway's (`kourier-system/kourier`) and the
    /// observability backends' are seeded.
    Service,
    StatefulSet,
    DaemonSet,
    Secret,
    PersistentVolumeClaim,
    CustomResourceDefinition,
    MutatingWebhookConfiguration,
    ValidatingWebhookConfiguration,
    /// A kind defined by a CustomResourceDefinition applied at run time: an index into the
    /// process-wide table of interned definitions (see [`custom`]); which of them a sandbox
    /// serves is its store's [`Catalog`].
    Custom(u16),
}

#[derive(Debug)]
pub struct ResourceDef {
    pub res: Res,
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub list_kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    /// Defined by a CustomResourceDefinition (no strategic merge patch, has `metadata.generation`).
    pub crd: bool,
    pub status_subresource: bool,
}

pub mod custom;
mod registry;

pub use custom::Catalog;
pub use registry::{CREATE_ONLY, REGISTRY, STATUS_VERBS, VERBS};

impl Res {
    /// The verbs discovery advertises for this resource.
    pub fn verbs(self) -> &'static [&'static str] {
        if self.is_review() { CREATE_ONLY } else { VERBS }
    }

    /// SelfSubjectAccessReview / SelfSubjectRulesReview: answered, never stored.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Res::SelfSubjectAccessReview | Res::SelfSubjectRulesReview
        )
    }

    pub fn def(self) -> &'static ResourceDef {
        if let Res::Custom(i) = self {
            return custom::def(i);
        }
        REGISTRY
            .iter()
            .find(|d| d.res == self)
            .unwrap_or(&REGISTRY[0])
    }

    /// The built-in kinds (custom ones are per sandbox: [`Catalog::custom`]).
    pub fn all() -> impl Iterator<Item = Res> {
        REGISTRY.iter().map(|d| d.res)
    }
}

impl ResourceDef {
    /// `v1` or `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `services.serving.knative.dev`, or `pods` for the core group: the form used in messages.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// Whether the apiserver keeps `metadata.generation` (bumped on spec changes): custom
    /// resources and the apps/v1 workloads, whose controllers report `observedGeneration`.
    pub fn has_generation(&self) -> bool {
        self.crd
            || self.group == "apps"
            || self.group == "apiextensions.k8s.io"
            || self.group == "admissionregistration.k8s.io"
    }

    /// `Service.serving.knative.dev`, or `Pod`: the form used in Invalid messages.
    pub fn qualified_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_string()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }
}

/// The resource served at `group/version/plural`, if any.
pub fn lookup(group: &str, version: &str, plural: &str) -> Option<Res> {
    REGISTRY
        .iter()
        .find(|d| d.group == group && d.version == version && d.plural == plural)
        .map(|d| d.res)
}

/// The API groups served besides the core group, in discovery order (one version each).
pub fn groups() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for d in REGISTRY.iter().filter(|d| !d.group.is_empty()) {
        if !out.iter().any(|(g, _)| *g == d.group) {
            out.push((d.group, d.version));
        }
    }
    out
}

pub fn in_group(group: &str, version: &str) -> impl Iterator<Item = &'static ResourceDef> {
    let group = group.to_string();
    let version = version.to_string();
    REGISTRY
        .iter()
        .filter(move |d| d.group == group && d.version == version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn def_matches_enum() {
        for r in Res::all() {
            assert_eq!(r.def().res, r);
        }
        assert_eq!(
            Res::KService.def().qualified(),
            "services.serving.knative.dev"
        );
        assert_eq!(Res::Pod.def().qualified(), "pods");
        assert_eq!(
            lookup("serving.knative.dev", "v1", "routes"),
            Some(Res::KRoute)
        );
        assert_eq!(lookup("", "v1", "services"), Some(Res::Service));
        assert_eq!(
            groups(),
            vec![
                ("serving.knative.dev", "v1"),
                ("apps", "v1"),
                ("rbac.authorization.k8s.io", "v1"),
                ("authorization.k8s.io", "v1"),
                ("apiextensions.k8s.io", "v1"),
                ("admissionregistration.k8s.io", "v1")
            ]
        );
        assert_eq!(Res::SelfSubjectAccessReview.verbs(), &["create"]);
    }
}

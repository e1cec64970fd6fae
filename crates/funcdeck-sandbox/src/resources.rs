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
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
    SelfSubjectAccessReview,
    SelfSubjectRulesReview,
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

pub const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
pub const STATUS_VERBS: &[&str] = &["get", "patch", "update"];

const KNATIVE: &str = "serving.knative.dev";
const KN_CATEGORIES: &[&str] = &["all", "knative", "serving"];
const RBAC: &str = "rbac.authorization.k8s.io";
const AUTHZ: &str = "authorization.k8s.io";
/// The access reviews only accept `create` (they are questions, not stored objects).
pub const CREATE_ONLY: &[&str] = &["create"];

pub static REGISTRY: [ResourceDef; 17] = [
    ResourceDef {
        res: Res::Namespace,
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        kind: "Namespace",
        list_kind: "NamespaceList",
        namespaced: false,
        short_names: &["ns"],
        categories: &[],
        crd: false,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::Pod,
        group: "",
        version: "v1",
        plural: "pods",
        singular: "pod",
        kind: "Pod",
        list_kind: "PodList",
        namespaced: true,
        short_names: &["po"],
        categories: &["all"],
        crd: false,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::Event,
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        kind: "Event",
        list_kind: "EventList",
        namespaced: true,
        short_names: &["ev"],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::ConfigMap,
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        kind: "ConfigMap",
        list_kind: "ConfigMapList",
        namespaced: true,
        short_names: &["cm"],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::KService,
        group: KNATIVE,
        version: "v1",
        plural: "services",
        singular: "service",
        kind: "Service",
        list_kind: "ServiceList",
        namespaced: true,
        short_names: &["kservice", "ksvc"],
        categories: KN_CATEGORIES,
        crd: true,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::KConfiguration,
        group: KNATIVE,
        version: "v1",
        plural: "configurations",
        singular: "configuration",
        kind: "Configuration",
        list_kind: "ConfigurationList",
        namespaced: true,
        short_names: &["config", "cfg"],
        categories: KN_CATEGORIES,
        crd: true,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::KRevision,
        group: KNATIVE,
        version: "v1",
        plural: "revisions",
        singular: "revision",
        kind: "Revision",
        list_kind: "RevisionList",
        namespaced: true,
        short_names: &["rev"],
        categories: KN_CATEGORIES,
        crd: true,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::KRoute,
        group: KNATIVE,
        version: "v1",
        plural: "routes",
        singular: "route",
        kind: "Route",
        list_kind: "RouteList",
        namespaced: true,
        short_names: &["rt"],
        categories: KN_CATEGORIES,
        crd: true,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::ServiceAccount,
        group: "",
        version: "v1",
        plural: "serviceaccounts",
        singular: "serviceaccount",
        kind: "ServiceAccount",
        list_kind: "ServiceAccountList",
        namespaced: true,
        short_names: &["sa"],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::ResourceQuota,
        group: "",
        version: "v1",
        plural: "resourcequotas",
        singular: "resourcequota",
        kind: "ResourceQuota",
        list_kind: "ResourceQuotaList",
        namespaced: true,
        short_names: &["quota"],
        categories: &[],
        crd: false,
        status_subresource: true,
    },
    ResourceDef {
        res: Res::LimitRange,
        group: "",
        version: "v1",
        plural: "limitranges",
        singular: "limitrange",
        kind: "LimitRange",
        list_kind: "LimitRangeList",
        namespaced: true,
        short_names: &["limits"],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::Role,
        group: RBAC,
        version: "v1",
        plural: "roles",
        singular: "role",
        kind: "Role",
        list_kind: "RoleList",
        namespaced: true,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::ClusterRole,
        group: RBAC,
        version: "v1",
        plural: "clusterroles",
        singular: "clusterrole",
        kind: "ClusterRole",
        list_kind: "ClusterRoleList",
        namespaced: false,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::RoleBinding,
        group: RBAC,
        version: "v1",
        plural: "rolebindings",
        singular: "rolebinding",
        kind: "RoleBinding",
        list_kind: "RoleBindingList",
        namespaced: true,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::ClusterRoleBinding,
        group: RBAC,
        version: "v1",
        plural: "clusterrolebindings",
        singular: "clusterrolebinding",
        kind: "ClusterRoleBinding",
        list_kind: "ClusterRoleBindingList",
        namespaced: false,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::SelfSubjectAccessReview,
        group: AUTHZ,
        version: "v1",
        plural: "selfsubjectaccessreviews",
        singular: "selfsubjectaccessreview",
        kind: "SelfSubjectAccessReview",
        list_kind: "SelfSubjectAccessReviewList",
        namespaced: false,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
    ResourceDef {
        res: Res::SelfSubjectRulesReview,
        group: AUTHZ,
        version: "v1",
        plural: "selfsubjectrulesreviews",
        singular: "selfsubjectrulesreview",
        kind: "SelfSubjectRulesReview",
        list_kind: "SelfSubjectRulesReviewList",
        namespaced: false,
        short_names: &[],
        categories: &[],
        crd: false,
        status_subresource: false,
    },
];

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
        // The registry is ordered like the enum; fall back to a search if that ever drifts.
        let idx = self as usize;
        match REGISTRY.get(idx) {
            Some(d) if d.res == self => d,
            _ => REGISTRY
                .iter()
                .find(|d| d.res == self)
                .unwrap_or(&REGISTRY[0]),
        }
    }

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
        assert_eq!(lookup("", "v1", "services"), None);
        assert_eq!(
            groups(),
            vec![
                ("serving.knative.dev", "v1"),
                ("rbac.authorization.k8s.io", "v1"),
                ("authorization.k8s.io", "v1")
            ]
        );
        assert_eq!(Res::SelfSubjectAccessReview.verbs(), &["create"]);
    }
}

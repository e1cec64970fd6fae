//! Grants as bindings: one binding per (role, subject), named from both so that granting
//! twice finds the binding it made, and revoking finds it again.

use k8s_openapi::api::rbac::v1::Subject;
use serde_json::{Value, json};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Who a role is granted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectRef {
    User(String),
    Group(String),
    ServiceAccount { namespace: String, name: String },
}

impl SubjectRef {
    /// `NS/NAME` for `--sa`.
    pub fn service_account(text: &str) -> Result<Self, String> {
        match text.split_once('/') {
            Some((namespace, name))
                if !namespace.is_empty() && !name.is_empty() && !name.contains('/') =>
            {
                Ok(SubjectRef::ServiceAccount {
                    namespace: namespace.to_owned(),
                    name: name.to_owned(),
                })
            }
            _ => Err(format!(
                "{text:?} is not a service account: write it as NAMESPACE/NAME"
            )),
        }
    }

    /// One subject as the grant flags name it: `user` / `group` take a name, `sa` takes
    /// `NS/NAME`. The CLI's `--user U | --group G | --sa NS/NAME` and the console's typed
    /// `user:NAME | group:NAME | sa:NS/NAME` both come through here, so they accept the same.
    pub fn from_kind(kind: &str, value: &str) -> Result<Self, String> {
        let named = |v: &str| {
            if v.trim().is_empty() {
                Err(format!("a {kind} needs a name"))
            } else {
                Ok(v.to_owned())
            }
        };
        match kind {
            "user" => named(value).map(SubjectRef::User),
            "group" => named(value).map(SubjectRef::Group),
            "sa" => SubjectRef::service_account(value),
            other => Err(format!(
                "{other:?} is not a kind of subject: write user:NAME, group:NAME or sa:NS/NAME"
            )),
        }
    }

    /// `user:NAME`, `group:NAME` or `sa:NS/NAME`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text.split_once(':') {
            Some((kind, value)) => SubjectRef::from_kind(kind.trim(), value.trim()),
            None if text.is_empty() => {
                Err("name a subject: user:NAME, group:NAME or sa:NS/NAME".into())
            }
            None => Err(format!(
                "{text:?} names no kind: write user:{text}, group:{text} or sa:NS/{text}"
            )),
        }
    }

    pub fn to_subject(&self) -> Subject {
        let rbac = |kind: &str, name: &str| Subject {
            api_group: Some(RBAC_GROUP.into()),
            kind: kind.into(),
            name: name.into(),
            namespace: None,
        };
        match self {
            SubjectRef::User(name) => rbac("User", name),
            SubjectRef::Group(name) => rbac("Group", name),
            SubjectRef::ServiceAccount { namespace, name } => Subject {
                api_group: None,
                kind: "ServiceAccount".into(),
                name: name.clone(),
                namespace: Some(namespace.clone()),
            },
        }
    }

    /// A binding's subject as a grant names it (`None` for a kind RBAC does not know, or a
    /// service account without its namespace).
    pub fn from_subject(subject: &Subject) -> Option<Self> {
        match subject.kind.as_str() {
            "User" => Some(SubjectRef::User(subject.name.clone())),
            "Group" => Some(SubjectRef::Group(subject.name.clone())),
            "ServiceAccount" => Some(SubjectRef::ServiceAccount {
                namespace: subject.namespace.clone()?,
                name: subject.name.clone(),
            }),
            _ => None,
        }
    }

    /// Whether a binding's subject is this one (apiGroup spelled or not).
    pub fn is(&self, subject: &Subject) -> bool {
        let mine = self.to_subject();
        subject.kind == mine.kind
            && subject.name == mine.name
            && (mine.kind != "ServiceAccount" || subject.namespace == mine.namespace)
    }
}

impl std::fmt::Display for SubjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubjectRef::User(name) => write!(f, "user {name}"),
            SubjectRef::Group(name) => write!(f, "group {name}"),
            SubjectRef::ServiceAccount { namespace, name } => {
                write!(f, "service account {namespace}/{name}")
            }
        }
    }
}

/// Where a grant holds: in one namespace (a RoleBinding) or everywhere (ClusterRoleBinding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingScope {
    Namespace(String),
    Cluster,
}

/// A role granted to a subject in a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: String,
    pub subject: SubjectRef,
    pub scope: BindingScope,
}

/// `funcdeck:ROLE:user:alice`: every character a binding name may not hold (RBAC names are
/// path segments: no `/` or `%`) and anything unusual becomes `-`, capped at 253.
pub fn binding_name(role: &str, subject: &SubjectRef) -> String {
    let who = match subject {
        SubjectRef::User(name) => format!("user:{name}"),
        SubjectRef::Group(name) => format!("group:{name}"),
        SubjectRef::ServiceAccount { namespace, name } => format!("sa:{namespace}:{name}"),
    };
    let raw = format!("funcdeck:{role}:{who}");
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '.' | '_' | '@') {
                c
            } else {
                '-'
            }
        })
        .take(253)
        .collect()
}

impl Grant {
    pub fn binding_name(&self) -> String {
        binding_name(&self.role, &self.subject)
    }

    pub fn kind(&self) -> &'static str {
        match self.scope {
            BindingScope::Namespace(_) => "RoleBinding",
            BindingScope::Cluster => "ClusterRoleBinding",
        }
    }

    /// The binding as it is written, holding `subjects`.
    pub fn binding(&self, subjects: &[Subject]) -> Value {
        let mut metadata = json!({
            "name": self.binding_name(),
            "labels": {"app.kubernetes.io/managed-by": "funcdeck"},
        });
        if let BindingScope::Namespace(namespace) = &self.scope {
            metadata["namespace"] = json!(namespace);
        }
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": self.kind(),
            "metadata": metadata,
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": self.role},
            "subjects": subjects,
        })
    }
}

/// The subjects with `subject` added, or `None` if it is there already.
pub fn with_subject(subjects: &[Subject], subject: &SubjectRef) -> Option<Vec<Subject>> {
    if subjects.iter().any(|s| subject.is(s)) {
        return None;
    }
    let mut out = subjects.to_vec();
    out.push(subject.to_subject());
    Some(out)
}

/// The subjects without `subject`, or `None` if it was not there.
pub fn without_subject(subjects: &[Subject], subject: &SubjectRef) -> Option<Vec<Subject>> {
    let out: Vec<Subject> = subjects
        .iter()
        .filter(|s| !subject.is(s))
        .cloned()
        .collect();
    (out.len() != subjects.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_and_valid_path_segments() {
        let alice = SubjectRef::User("alice@example.com".into());
        assert_eq!(
            binding_name("funcdeck-developer", &alice),
            "funcdeck:funcdeck-developer:user:alice@example.com"
        );
        let odd = SubjectRef::Group("ops/team 100%\u{1b}[31m".into());
        let name = binding_name("funcdeck-viewer", &odd);
        assert_eq!(name, "funcdeck:funcdeck-viewer:group:ops-team-100---31m");
        let sa = SubjectRef::service_account("shop/deployer").expect("parses");
        assert_eq!(binding_name("r", &sa), "funcdeck:r:sa:shop:deployer");
        assert_eq!(
            binding_name("r", &SubjectRef::User("x".repeat(400))).len(),
            253
        );
    }

    #[test]
    fn service_accounts_need_a_namespace_and_a_name() {
        for bad in ["shop", "/x", "shop/", "a/b/c"] {
            assert!(SubjectRef::service_account(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn typed_subjects_follow_the_flags_rules() {
        assert_eq!(
            SubjectRef::parse("user:carol"),
            Ok(SubjectRef::User("carol".into()))
        );
        assert_eq!(
            SubjectRef::parse(" group: devs "),
            Ok(SubjectRef::Group("devs".into()))
        );
        assert_eq!(
            SubjectRef::parse("sa:ci/bot"),
            SubjectRef::service_account("ci/bot")
        );
        assert_eq!(
            SubjectRef::parse("user:alice@example.com:x"),
            Ok(SubjectRef::User("alice@example.com:x".into())),
            "only the first colon separates the kind"
        );
        let err = |text: &str| SubjectRef::parse(text).expect_err(text);
        assert_eq!(err("user:"), "a user needs a name");
        assert_eq!(err("group:  "), "a group needs a name");
        assert!(err("sa:bot").contains("NAMESPACE/NAME"));
        assert!(err("robot:x").starts_with("\"robot\" is not a kind of subject"));
        assert!(err("carol").contains("user:carol"));
        assert!(err("").starts_with("name a subject"));
        let sa = SubjectRef::parse("sa:ci/bot").expect("parses");
        assert_eq!(SubjectRef::from_subject(&sa.to_subject()), Some(sa));
        assert_eq!(
            SubjectRef::from_kind("user", "bob"),
            Ok(SubjectRef::User("bob".into()))
        );
    }

    #[test]
    fn granting_twice_adds_once_and_revoking_removes_only_that_subject() {
        let alice = SubjectRef::User("alice".into());
        let devs = SubjectRef::Group("alice".into());
        let one = with_subject(&[], &alice).expect("added");
        assert_eq!(with_subject(&one, &alice), None, "already there");
        let two = with_subject(&one, &devs).expect("a group of the same name is another subject");
        assert_eq!(two.len(), 2);
        let left = without_subject(&two, &alice).expect("removed");
        assert!(left.iter().all(|s| s.kind == "Group"));
        assert_eq!(without_subject(&left, &alice), None);
    }

    #[test]
    fn the_binding_refers_to_the_cluster_role_in_its_scope() {
        let grant = Grant {
            role: "funcdeck-viewer".into(),
            subject: SubjectRef::User("bob".into()),
            scope: BindingScope::Namespace("shop".into()),
        };
        let b = grant.binding(&[grant.subject.to_subject()]);
        assert_eq!(b["kind"], "RoleBinding");
        assert_eq!(b["metadata"]["namespace"], "shop");
        assert_eq!(b["roleRef"]["name"], "funcdeck-viewer");
        assert_eq!(b["subjects"][0]["name"], "bob");
        let cluster = Grant {
            scope: BindingScope::Cluster,
            ..grant
        };
        let b = cluster.binding(&[]);
        assert_eq!(b["kind"], "ClusterRoleBinding");
        assert!(b["metadata"].get("namespace").is_none());
    }
}

//! Who is making a request. Over plain http kubectl sends no bearer token, so identity travels in
//! impersonation headers (reference §4). Everyone is allowed for now; RBAC plugs in at the single
//! write path (`write.rs`) and the read handlers, keyed on this type.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub groups: Vec<String>,
    /// Writes made by the simulated controllers and the seeder, not by an API client.
    pub internal: bool,
}

pub const ADMIN_USER: &str = "sandbox-admin";

impl Identity {
    pub fn admin() -> Self {
        Identity {
            user: ADMIN_USER.to_string(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
            internal: false,
        }
    }

    pub fn controller() -> Self {
        Identity {
            user: "system:serviceaccount:knative-serving:controller".to_string(),
            groups: vec![
                "system:serviceaccounts".into(),
                "system:serviceaccounts:knative-serving".into(),
                "system:authenticated".into(),
            ],
            internal: true,
        }
    }

    /// From `Impersonate-User` / `Impersonate-Group` header values; no user means the admin.
    pub fn from_impersonation(user: Option<&str>, groups: &[&str]) -> Self {
        match user {
            Some(u) if !u.is_empty() => {
                let mut g: Vec<String> = groups.iter().map(|s| s.to_string()).collect();
                if !g.iter().any(|x| x == "system:authenticated") {
                    g.push("system:authenticated".into());
                }
                Identity {
                    user: u.to_string(),
                    groups: g,
                    internal: false,
                }
            }
            _ => Identity::admin(),
        }
    }
}

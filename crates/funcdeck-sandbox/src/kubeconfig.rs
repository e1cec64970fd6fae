//! The kubeconfig that points kubectl (and kube) at the sandbox. Over plain http no token is
//! sent (trap 3), so the admin user entry is empty (the unauthenticated caller is the sandbox
//! admin) and each demo persona is its own user entry with `as:` / `as-groups:`, which both
//! kubectl and kube turn into impersonation headers. `funcdeck-sandbox` stays the current
//! context (admin, namespace `default`): other code relies on it.

use std::fmt::Write;
use std::net::SocketAddr;

pub const CLUSTER: &str = "funcdeck-sandbox";
pub const USER: &str = "sandbox-admin";

/// `(context, kubeconfig user, impersonated user, groups, namespace)`.
pub const PERSONAS: &[(&str, &str, &str, &[&str], &str)] = &[
    (
        "sandbox-admin",
        "alice",
        "alice",
        &["platform-admins"],
        "default",
    ),
    ("sandbox-developer", "dev", "dev", &[], "shop"),
    ("sandbox-viewer", "viewer", "viewer", &[], "default"),
];

pub fn render(addr: SocketAddr) -> String {
    let mut contexts = format!(
        "- context:
    cluster: {CLUSTER}
    namespace: default
    user: {USER}
  name: {CLUSTER}
"
    );
    let mut users = format!(
        "- name: {USER}
  user: {{}}
"
    );
    for (ctx, entry, user, groups, ns) in PERSONAS {
        let _ = write!(
            contexts,
            "- context:
    cluster: {CLUSTER}
    namespace: {ns}
    user: {entry}
  name: {ctx}
"
        );
        let _ = write!(users, "- name: {entry}\n  user:\n    as: {user}\n");
        if !groups.is_empty() {
            users.push_str("    as-groups:\n");
            for g in *groups {
                let _ = writeln!(users, "    - {g}");
            }
        }
    }
    format!(
        "apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://{addr}
  name: {CLUSTER}
contexts:
{contexts}current-context: {CLUSTER}
preferences: {{}}
users:
{users}"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kubeconfig_shape() {
        let y = render(SocketAddr::from(([127, 0, 0, 1], 4321)));
        assert!(y.contains("server: http://127.0.0.1:4321\n"));
        assert!(y.contains("current-context: funcdeck-sandbox\n"));
        assert!(y.contains("- name: sandbox-admin\n  user: {}\n"));
        assert!(y.contains(
            "    namespace: default\n    user: sandbox-admin\n  name: funcdeck-sandbox\n"
        ));
        assert!(y.contains(
            "- name: alice\n  user:\n    as: alice\n    as-groups:\n    - platform-admins\n"
        ));
        assert!(y.contains("    namespace: shop\n    user: dev\n  name: sandbox-developer\n"));
        assert!(y.contains("- name: viewer\n  user:\n    as: viewer\n"));
    }
}

//! The kubeconfig that points kubectl (and kube) at the sandbox. Over plain http no token is
//! sent (trap 3), so the user entry is empty; personas will be extra users with `as:` later.

use std::net::SocketAddr;

pub const CLUSTER: &str = "funcdeck-sandbox";
pub const USER: &str = "sandbox-admin";

pub fn render(addr: SocketAddr) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://{addr}
  name: {CLUSTER}
contexts:
- context:
    cluster: {CLUSTER}
    namespace: default
    user: {USER}
  name: {CLUSTER}
current-context: {CLUSTER}
preferences: {{}}
users:
- name: {USER}
  user: {{}}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubeconfig_shape() {
        let y = render(SocketAddr::from(([127, 0, 0, 1], 4321)));
        assert!(y.contains("server: http://127.0.0.1:4321\n"));
        assert!(y.contains("current-context: funcdeck-sandbox\n"));
        assert!(y.contains("  user: {}\n"));
        assert!(y.contains("    namespace: default\n"));
    }
}

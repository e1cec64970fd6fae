//! The observability stack's Prometheus as the sandbox publishes it while one is configured.

use std::sync::Arc;

use chrono::Utc;
use serde_json::json;

use super::Seeder;
use super::rbac::subject;
use crate::knative::Controller;
use crate::resources::Res;
use crate::rng::Rng;
use crate::store::Store;

/// The Prometheus the sandbox serves: namespace `monitoring`, Service `prometheus` (port 9090),
/// and a Role + RoleBinding letting everyone signed in use it through the service proxy (as
/// many platforms allow for their metrics), so every persona's metrics pane works.
pub fn prometheus(store: &Arc<Store>, ctl: &mut Controller) {
    let at = Utc::now() - chrono::Duration::days(45);
    let mut s = Seeder {
        store,
        ctl,
        rng: Rng::new(0),
    };
    s.at(at);
    s.prometheus(at);
    store.set_clock(None);
    s.ctl.run_until_idle();
}

impl Seeder<'_> {
    pub(super) fn prometheus(&mut self, at: chrono::DateTime<chrono::Utc>) {
        use crate::prometheus::{NAMESPACE, PORT, SERVICE};
        self.internal(Res::Namespace, "", json!({"metadata": {"name": NAMESPACE}}));
        let created = crate::obj::format_time(at);
        self.internal(
            Res::Service,
            NAMESPACE,
            crate::prometheus::proxy::service_object(&created),
        );
        let names: Vec<String> = vec![
            SERVICE.into(),
            format!("{SERVICE}:{PORT}"),
            format!("http:{SERVICE}:{PORT}"),
            format!("{SERVICE}:http-web"),
            format!("http:{SERVICE}:http-web"),
        ];
        self.internal(
            Res::Role,
            NAMESPACE,
            json!({"metadata": {"name": "prometheus-reader"}, "rules": [
                {"apiGroups": [""], "resources": ["services"], "resourceNames": [SERVICE], "verbs": ["get"]},
                {"apiGroups": [""], "resources": ["services/proxy"], "resourceNames": names, "verbs": ["get", "create"]}]}),
        );
        self.internal(
            Res::RoleBinding,
            NAMESPACE,
            json!({"metadata": {"name": "prometheus-reader"},
                "subjects": [subject("Group", "system:authenticated")],
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "prometheus-reader"}}),
        );
    }
}

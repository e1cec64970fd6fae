//! One seeded Knative service and its history.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::plan::{PEOPLE, Plan, RUNTIMES, Scenario};
use super::{Seeder, rev_name};
use crate::admission::webhook::defaults::{CREATOR, LAST_MODIFIER};
use crate::identity::Identity;
use crate::knative::{L_ROUTING_STATE, configuration, service};
use crate::obj;
use crate::resources::Res;
use crate::write::{self, Outcome, WriteCtx, WriteOp};

impl Seeder<'_> {
    fn image(&self, p: &Plan, rev: u64, last: bool) -> String {
        let version = format!("1.{}.{}", rev, (rev * 7) % 10);
        match (p.scenario, last) {
            (Scenario::NeverReady, _) => {
                format!("registry.acme.dev/does-not-exist/{}:{version}", p.name)
            }
            (Scenario::LatestMissing, true) => {
                format!("registry.acme.dev/does-not-exist/{}:{version}", p.name)
            }
            (Scenario::LatestCrash, true) => format!("ghcr.io/acme/{}:crashloop", p.name),
            _ => format!("ghcr.io/acme/{}:{version}", p.name),
        }
    }

    fn template(&self, p: &Plan, rev: u64, last: bool, min_scale: bool) -> Value {
        let mut template = json!({
            "metadata": {"annotations": {"autoscaling.knative.dev/target": "100"}},
            "spec": {"containers": [{
                "image": self.image(p, rev, last),
                "env": [
                    {"name": "LOG_LEVEL", "value": if rev.is_multiple_of(3) { "debug" } else { "info" }},
                    {"name": "APP_VERSION", "value": format!("1.{rev}")}
                ],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                "ports": [{"containerPort": 8080}],
            }]},
        });
        if min_scale {
            obj::set(
                &mut template,
                &[
                    "metadata",
                    "annotations",
                    "autoscaling.knative.dev/min-scale",
                ],
                json!("1"),
            );
        }
        template
    }

    fn create(&mut self, res: Res, ns: &str, object: Value) -> Option<Arc<Value>> {
        let id = Identity {
            internal: true,
            ..Identity::admin()
        };
        let op = WriteOp::Create {
            res,
            namespace: ns.to_string(),
            object,
        };
        match write::commit(self.store, &WriteCtx::new(&id), op) {
            Ok(Outcome::Stored { object, .. }) => Some(object),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e.message, "seed write failed");
                None
            }
        }
    }

    /// Writes a service's history the way the controllers would have left it (service,
    /// configuration at generation R, route, revisions 1..R-1 with their routing state), then
    /// lets the real controllers create and settle revision R. Replaying every generation
    /// through the controllers is ~3x more writes, which matters for 10,000 services.
    pub(super) fn service(&mut self, p: &Plan, now: DateTime<Utc>) {
        let user = *self.rng.pick(PEOPLE).unwrap_or(&"alice@acme.dev");
        let runtime = *self.rng.pick(RUNTIMES).unwrap_or(&"go");
        let age_hours = self.rng.range(6 * 24, 28 * 24) as i64;
        let min_scale = self.rng.chance(25);
        let r = p.revisions;
        let t0 = now - chrono::Duration::hours(age_hours);
        let step = chrono::Duration::hours((age_hours / (r as i64 + 1)).max(1));
        let mut times: Vec<DateTime<Utc>> = (0..r).map(|k| t0 + step * k as i32).collect();
        if p.scenario == Scenario::Deploying
            && let Some(last) = times.last_mut()
        {
            // Still rolling out: the newest revision resolves a little after startup.
            *last = now - chrono::Duration::seconds(self.rng.range(5, 40) as i64);
            let at = Instant::now() + Duration::from_secs(self.rng.range(20, 40));
            self.ctl
                .schedule_ready(p.namespace, &rev_name(&p.name, r), at);
        }
        let templates: Vec<Value> = (1..=r)
            .map(|k| self.template(p, k, k == r, min_scale))
            .collect();
        let previous = rev_name(&p.name, r.saturating_sub(1));
        let traffic = match p.scenario {
            Scenario::Canary => Some(json!([
                {"revisionName": previous, "percent": 80},
                {"latestRevision": true, "percent": 20, "tag": "canary"}
            ])),
            Scenario::TaggedPrev => Some(json!([
                {"latestRevision": true, "percent": 100},
                {"revisionName": previous, "percent": 0, "tag": "prev"}
            ])),
            _ => None,
        };
        let generation = r as i64 + i64::from(traffic.is_some());
        let time = |t: DateTime<Utc>| json!(obj::format_time(t));
        self.at(t0);
        let mut spec = json!({"template": templates.last().cloned().unwrap_or_default()});
        if let Some(t) = traffic {
            spec["traffic"] = t;
        }
        let Some(svc) = self.create(
            Res::KService,
            p.namespace,
            json!({
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Service",
                "metadata": {
                    "name": p.name,
                    "generation": generation,
                    "creationTimestamp": time(t0),
                    "labels": {"app.kubernetes.io/part-of": p.namespace, "funcdeck.dev/runtime": runtime},
                    "annotations": {CREATOR: user, LAST_MODIFIER: user},
                },
                "spec": spec,
            }),
        ) else {
            return;
        };
        let mut cfg = service::desired_configuration(&svc);
        obj::set(&mut cfg, &["metadata", "generation"], json!(r));
        obj::set(&mut cfg, &["metadata", "creationTimestamp"], time(t0));
        let Some(cfg) = self.create(Res::KConfiguration, p.namespace, cfg) else {
            return;
        };
        let mut route = service::desired_route(&svc);
        obj::set(&mut route, &["metadata", "creationTimestamp"], time(t0));
        self.create(Res::KRoute, p.namespace, route);
        let routed_previous = matches!(
            p.scenario,
            Scenario::Canary
                | Scenario::TaggedPrev
                | Scenario::LatestMissing
                | Scenario::LatestCrash
                | Scenario::Deploying
        );
        for k in 1..r {
            let mut at_k = (*cfg).clone();
            obj::set(&mut at_k, &["metadata", "generation"], json!(k));
            if let Some(t) = templates.get(k as usize - 1) {
                at_k["spec"]["template"] = t.clone();
            }
            let name = rev_name(&p.name, k);
            let created = times.get(k as usize - 1).copied().unwrap_or(t0);
            let mut rev = configuration::make_revision(&at_k, &name, &obj::format_time(created));
            obj::set(&mut rev, &["metadata", "creationTimestamp"], time(created));
            let active = routed_previous && k + 1 == r;
            let state = if active { "active" } else { "reserve" };
            obj::set(
                &mut rev,
                &["metadata", "labels", L_ROUTING_STATE],
                json!(state),
            );
            if active {
                obj::set(
                    &mut rev,
                    &["metadata", "annotations", "serving.knative.dev/routes"],
                    json!(p.name),
                );
            }
            self.create(Res::KRevision, p.namespace, rev);
        }
        self.at(times.last().copied().unwrap_or(t0));
        self.ctl.run_until_idle();
    }
}

//! Deterministic demo content: tenant namespaces, system pods and config maps, and N Knative
//! services with realistic names, 1–5 revisions each, backdated over the past weeks, in a mix of
//! states (ready, traffic splits with tags, failed latest revision, never ready, deploying).
//! Writes go through the real write path with a pinned clock, and the real controllers settle
//! every status before `Sandbox::start` returns.

mod monitoring;
mod plan;
mod rbac;
mod services;
mod system;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::identity::Identity;
use crate::knative::Controller;
use crate::resources::Res;
use crate::rng::Rng;
use crate::store::Store;
use crate::write::{self, Outcome, WriteCtx, WriteOp};

pub use monitoring::{elasticsearch, jaeger, prometheus};
use plan::plan;

struct Seeder<'a> {
    store: &'a Arc<Store>,
    ctl: &'a mut Controller,
    rng: Rng,
}

impl Seeder<'_> {
    fn at(&self, t: DateTime<Utc>) {
        self.store.set_clock(Some(t));
    }

    fn write(&mut self, user: &str, op: WriteOp) -> Option<Arc<Value>> {
        let id = Identity {
            user: user.to_string(),
            groups: vec!["system:authenticated".into()],
            internal: false,
        };
        let out = write::commit(self.store, &WriteCtx::new(&id), op);
        self.ctl.run_until_idle();
        match out {
            Ok(Outcome::Stored { object, .. }) => Some(object),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e.message, "seed write failed");
                None
            }
        }
    }

    fn internal(&mut self, res: Res, ns: &str, object: Value) {
        let id = Identity {
            internal: true,
            ..Identity::admin()
        };
        let _ = write::commit(
            self.store,
            &WriteCtx::new(&id),
            WriteOp::Create {
                res,
                namespace: ns.to_string(),
                object,
            },
        );
    }
}

fn rev_name(service: &str, generation: u64) -> String {
    format!("{service}-{generation:05}")
}

/// `gateway_port` is where the ingress gateway listens; its Service publishes it. `release`
/// is the Knative version the cluster runs (`1.19.0`).
pub fn seed(
    store: &Arc<Store>,
    ctl: &mut Controller,
    (functions, seed): (usize, u64),
    gateway_port: u16,
    release: &str,
) {
    let now = Utc::now();
    let delay = ctl.ready_delay;
    ctl.set_ready_delay(Duration::ZERO);
    let mut s = Seeder {
        store,
        ctl,
        rng: Rng::new(seed.wrapping_add(0x5eed)),
    };
    s.namespaces(now - chrono::Duration::days(45), release);
    s.gateway(now - chrono::Duration::days(45), gateway_port, release);
    for p in plan(functions, seed) {
        s.service(&p, now);
    }
    s.access(now);
    store.set_clock(None);
    ctl.run_until_idle();
    ctl.set_ready_delay(delay);
}

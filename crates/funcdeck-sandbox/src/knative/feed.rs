//! Which store events wake which reconcilers: a change to an object enqueues its own key and
//! the keys of the objects whose status depends on it (a revision's configuration and route,
//! a configuration's routes), as the real controllers' informers and trackers do.

use serde_json::{Value, json};

use super::*;

impl Controller {
    pub(super) fn on_event(&mut self, ev: &Event) {
        let ns = ev.namespace.clone();
        let o = &ev.object;
        let name = obj::name(o).to_string();
        let svc = obj::label(o, L_SERVICE).map(str::to_string);
        // A status-only change is the object's own reconciler reporting: it concerns the
        // parents, not the object itself (timers re-enqueue what still has to progress).
        // (Only computed for the Knative kinds: comparing big pods and deployments is not free.)
        let knative = matches!(
            ev.res,
            Res::KService | Res::KConfiguration | Res::KRevision | Res::KRoute
        );
        let own = knative
            && !(ev.kind == EventKind::Modified
                && ev
                    .old
                    .as_ref()
                    .is_some_and(|old| write::only_status_changed(old, o)));
        match ev.res {
            Res::KService if own => self.enqueue(Key::Service(ns, name)),
            Res::KService => {}
            Res::KConfiguration => {
                if own {
                    self.enqueue(Key::Configuration(ns.clone(), name.clone()));
                }
                if let Some(s) = &svc {
                    self.enqueue(Key::Service(ns.clone(), s.clone()));
                }
                self.enqueue_routes_for(&ns, &name, svc.as_deref());
            }
            Res::KRevision => {
                if own {
                    self.enqueue(Key::Revision(ns.clone(), name));
                }
                if let Some(c) = obj::label(o, L_CONFIGURATION) {
                    self.enqueue(Key::Configuration(ns.clone(), c.to_string()));
                    self.enqueue_routes_for(&ns, c, svc.as_deref());
                }
            }
            Res::ConfigMap
                if ns == scenario::CONFIGMAP_NAMESPACE && name == scenario::CONFIGMAP =>
            {
                let data = (ev.kind != EventKind::Deleted)
                    .then(|| o.get("data"))
                    .flatten();
                let keys = &mut self.cm_keys;
                self.scenarios
                    .modify(|a| scenario::apply_configmap(a, data, keys));
            }
            // A quota whose limits changed (or that is gone) may now admit the pods it
            // refused: try again at once. Its usage changing is no reason; the back-off is.
            Res::ResourceQuota
                if ev.kind == EventKind::Deleted
                    || ev.old.as_ref().and_then(|old| old.get("spec")) != o.get("spec") =>
            {
                let now = Instant::now();
                let retry: Vec<Key> = self
                    .plane
                    .failed_create
                    .iter_mut()
                    .filter(|((n, _), _)| *n == ns)
                    .map(|((n, r), f)| {
                        f.next = now;
                        Key::Revision(n.clone(), r.clone())
                    })
                    .collect();
                for k in retry {
                    self.enqueue(k);
                }
            }
            Res::Deployment | Res::StatefulSet | Res::DaemonSet
                if !crate::apps::knative_owned(o) && !self.status_only(ev) =>
            {
                self.enqueue(Key::Apps(ev.res, ns, name));
            }
            Res::PersistentVolumeClaim
                if ev.kind != EventKind::Deleted
                    && obj::str_at(o, &["status", "phase"]) != Some("Bound") =>
            {
                self.enqueue(Key::Apps(ev.res, ns, name));
            }
            Res::Pod
                if ev.kind == EventKind::Deleted && obj::label(o, L_REVISION_UID).is_none() =>
            {
                self.pod_gone(o);
            }
            Res::CustomResourceDefinition if !self.status_only(ev) => {
                self.enqueue(Key::Crd(name));
            }
            Res::KRoute => {
                self.plane.note_route(&ns, o, ev.kind == EventKind::Deleted);
                if own {
                    self.enqueue(Key::Route(ns.clone(), name));
                }
                if let Some(s) = svc {
                    self.enqueue(Key::Service(ns, s));
                }
            }
            _ => {}
        }
    }

    fn status_only(&self, ev: &Event) -> bool {
        ev.kind == EventKind::Modified
            && ev
                .old
                .as_ref()
                .is_some_and(|old| write::only_status_changed(old, &ev.object))
    }

    /// A plain workload's pod was deleted: its controller makes another.
    fn pod_gone(&mut self, pod: &Value) {
        let ns = obj::namespace(pod).to_string();
        let Some(owner) = obj::at(pod, &["metadata", "ownerReferences"])
            .and_then(Value::as_array)
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.get("controller") == Some(&json!(true)))
            })
        else {
            return;
        };
        let kind = owner.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = owner
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match kind {
            "StatefulSet" => self.enqueue(Key::Apps(Res::StatefulSet, ns, name)),
            "DaemonSet" => self.enqueue(Key::Apps(Res::DaemonSet, ns, name)),
            "ReplicaSet" => {
                let deploy = self.store.get(Res::ReplicaSet, &ns, &name).and_then(|rs| {
                    obj::at(&rs, &["metadata", "ownerReferences"])
                        .and_then(Value::as_array)
                        .and_then(|a| a.first())
                        .and_then(|r| r.get("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                });
                if let Some(d) = deploy {
                    self.enqueue(Key::Apps(Res::Deployment, ns, d));
                }
            }
            _ => {}
        }
    }

    /// Routes that may reference configuration `cfg`: the Service's own route, or (for
    /// standalone configurations) any route in the namespace naming it.
    fn enqueue_routes_for(&mut self, ns: &str, cfg: &str, svc: Option<&str>) {
        if let Some(s) = svc {
            self.enqueue(Key::Route(ns.to_string(), s.to_string()));
            return;
        }
        let routes = self.store.txn().list(Res::KRoute, Some(ns));
        for r in routes {
            let refs = obj::at(&r, &["spec", "traffic"])
                .and_then(Value::as_array)
                .is_some_and(|ts| {
                    ts.iter()
                        .any(|t| t.get("configurationName").and_then(Value::as_str) == Some(cfg))
                });
            if refs {
                self.enqueue(Key::Route(ns.to_string(), obj::name(&r).to_string()));
            }
        }
    }
}

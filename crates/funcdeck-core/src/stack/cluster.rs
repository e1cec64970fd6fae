//! The stack's reads and writes against the cluster: any kind by its apiVersion and kind
//! (found through discovery, so CRDs the stack itself installs work once established),
//! server-side apply under the `funcdeck` field manager, and the backend check through the
//! service proxy.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};

use super::bundle::Verify;
use super::machine::Outcome;
use super::object::ObjectRef;
use crate::CoreError;
use crate::backend::ServiceRef;
use crate::backend::transport::{Endpoint, RawRequest};
use crate::cluster::Connection;

const FIELD_MANAGER: &str = "funcdeck";
const VERIFY_TIMEOUT: Duration = Duration::from_secs(5);

/// A kind as the API serves it.
#[derive(Debug, Clone)]
struct Served {
    resource: ApiResource,
    namespaced: bool,
}

pub struct StackCluster {
    conn: Connection,
    kinds: Mutex<HashMap<(String, String), Served>>,
}

impl StackCluster {
    pub fn new(conn: &Connection) -> Self {
        StackCluster {
            conn: conn.clone(),
            kinds: Mutex::new(HashMap::new()),
        }
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    async fn served(&self, r: &ObjectRef) -> Result<Served, CoreError> {
        let key = (r.api_version.clone(), r.kind.clone());
        if let Some(found) = self.kinds.lock().ok().and_then(|k| k.get(&key).cloned()) {
            return Ok(found);
        }
        let gvk = GroupVersionKind::gvk(r.group(), r.version(), &r.kind);
        let (resource, caps) = kube::discovery::pinned_kind(&self.conn.client, &gvk)
            .await
            .map_err(|e| self.conn.error(e))?;
        let served = Served {
            resource,
            namespaced: caps.scope == kube::discovery::Scope::Namespaced,
        };
        if let Ok(mut kinds) = self.kinds.lock() {
            kinds.insert(key, served.clone());
        }
        Ok(served)
    }

    fn api(&self, served: &Served, namespace: Option<&str>) -> Api<DynamicObject> {
        let client = self.conn.client.clone();
        match (served.namespaced, namespace) {
            (true, Some(ns)) => Api::namespaced_with(client, ns, &served.resource),
            _ => Api::all_with(client, &served.resource),
        }
    }

    /// The object, or `None` when it (or its kind) does not exist.
    pub async fn get(&self, r: &ObjectRef) -> Result<Option<Value>, CoreError> {
        let served = match self.served(r).await {
            Ok(s) => s,
            Err(CoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        match self
            .api(&served, r.namespace.as_deref())
            .get_opt(&r.name)
            .await
        {
            Ok(found) => Ok(found.and_then(|o| serde_json::to_value(o).ok())),
            Err(e) => match self.conn.error(e) {
                CoreError::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Server-side apply of `body` (forcing: the plan showed what changes, and an installer
    /// re-asserts its own fields the way `kubectl apply --server-side --force-conflicts` does).
    pub async fn apply(&self, r: &ObjectRef, body: &Value) -> Outcome {
        let served = match self.served(r).await {
            Ok(s) => s,
            Err(e) => return refused(e),
        };
        let params = PatchParams::apply(FIELD_MANAGER).force();
        match self
            .api(&served, r.namespace.as_deref())
            .patch(&r.name, &params, &Patch::Apply(body))
            .await
        {
            Ok(_) => Outcome::Applied,
            Err(e) => refused(self.conn.error(e)),
        }
    }

    /// Gives up funcdeck's fields of a shared object: applying nothing under the same field
    /// manager removes what only funcdeck set, and leaves the object to its owner.
    pub async fn release(&self, r: &ObjectRef) -> Outcome {
        let mut body =
            json!({"apiVersion": r.api_version, "kind": r.kind, "metadata": {"name": r.name}});
        if let Some(ns) = &r.namespace {
            body["metadata"]["namespace"] = json!(ns);
        }
        match self.get(r).await {
            Ok(None) => Outcome::Applied,
            Ok(Some(_)) => self.apply(r, &body).await,
            Err(e) => refused(e),
        }
    }

    pub async fn delete(&self, r: &ObjectRef) -> Outcome {
        let served = match self.served(r).await {
            Ok(s) => s,
            Err(CoreError::NotFound { .. }) => return Outcome::Deleted,
            Err(e) => return refused(e),
        };
        let params = DeleteParams::background();
        match self
            .api(&served, r.namespace.as_deref())
            .delete(&r.name, &params)
            .await
        {
            Ok(_) => Outcome::Deleted,
            Err(e) => match self.conn.error(e) {
                CoreError::NotFound { .. } => Outcome::Deleted,
                other => refused(other),
            },
        }
    }

    /// The pods a workload's selector matches (where its readiness problems show).
    pub async fn pods_of(&self, workload: &Value) -> Vec<Value> {
        let Some(ns) = workload
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
        else {
            return Vec::new();
        };
        let Some(labels) = workload
            .pointer("/spec/selector/matchLabels")
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let selector: Vec<String> = labels
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
            .collect();
        let pods: Api<k8s_openapi::api::core::v1::Pod> =
            Api::namespaced(self.conn.client.clone(), ns);
        match pods
            .list(&ListParams::default().labels(&selector.join(",")))
            .await
        {
            Ok(list) => list
                .items
                .into_iter()
                .filter_map(|p| serde_json::to_value(p).ok())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Every object of `r`'s kind carrying `selector`, across namespaces.
    pub async fn list_labelled(
        &self,
        r: &ObjectRef,
        selector: &str,
    ) -> Result<Vec<Value>, CoreError> {
        let served = match self.served(r).await {
            Ok(s) => s,
            Err(CoreError::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let list = match Api::<DynamicObject>::all_with(self.conn.client.clone(), &served.resource)
            .list(&ListParams::default().labels(selector))
            .await
        {
            Ok(list) => list,
            // The kind went away with its CRD (an uninstall): none of it is left.
            Err(e) => match self.conn.error(e) {
                CoreError::NotFound { .. } => return Ok(Vec::new()),
                other => return Err(other),
            },
        };
        Ok(list
            .items
            .into_iter()
            .filter_map(|o| {
                let mut v = serde_json::to_value(o).ok()?;
                v["apiVersion"] = json!(r.api_version);
                v["kind"] = json!(r.kind);
                Some(v)
            })
            .collect())
    }

    /// Whether the backend answers through the API server's service proxy.
    pub async fn verify(&self, v: &Verify) -> Result<(), String> {
        let service = ServiceRef::new(&v.namespace, &v.service, v.port);
        let endpoint = Endpoint::service(self.conn.client.clone(), service, VERIFY_TIMEOUT);
        match endpoint.send(&RawRequest::get(&v.path)).await {
            Ok(r) if (200..300).contains(&r.status) => Ok(()),
            Ok(r) => Err(format!(
                "HTTP {}: {}",
                r.status,
                crate::backend::error::snippet(&r.body)
            )),
            Err(failure) => Err(failure.to_string()),
        }
    }

    /// Whether the user may `verb` the objects of `r`'s kind (in its namespace); `None` when
    /// the kind is not served yet (a custom resource whose CRD the stack installs).
    pub async fn may(&self, verb: &str, r: &ObjectRef) -> Option<Result<bool, CoreError>> {
        let served = self.served(r).await.ok()?;
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    verb: Some(verb.into()),
                    group: Some(served.resource.group.clone()),
                    resource: Some(served.resource.plural.clone()),
                    namespace: r.namespace.clone().filter(|_| served.namespaced),
                    ..ResourceAttributes::default()
                }),
                ..SelfSubjectAccessReviewSpec::default()
            },
            ..SelfSubjectAccessReview::default()
        };
        let api: Api<SelfSubjectAccessReview> = Api::all(self.conn.client.clone());
        Some(
            api.create(&PostParams::default(), &review)
                .await
                .map(|r| r.status.is_some_and(|s| s.allowed))
                .map_err(|e| self.conn.error(e)),
        )
    }

    /// The plural and group of `r`'s kind, for messages about permissions.
    pub async fn resource_name(&self, r: &ObjectRef) -> String {
        match self.served(r).await {
            Ok(s) if s.resource.group.is_empty() => s.resource.plural,
            Ok(s) => format!("{}.{}", s.resource.plural, s.resource.group),
            Err(_) => r.kind.to_lowercase(),
        }
    }
}

/// A refused write, and whether trying again may pass: a webhook whose pod is not up yet, a
/// kind whose CRD discovery does not serve yet, a server busy or briefly out of reach.
fn refused(error: CoreError) -> Outcome {
    let retryable = match &error {
        CoreError::Unreachable { .. } | CoreError::NotFound { .. } | CoreError::Conflict { .. } => {
            true
        }
        CoreError::Api { code, message, .. } => {
            *code >= 500 || *code == 429 || message.contains("failed calling webhook")
        }
        _ => false,
    };
    Outcome::Refused {
        reason: error.to_string(),
        retryable,
    }
}

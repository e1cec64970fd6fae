//! The stack against one cluster: what the chosen components want there (the Knative era
//! detected, third-party releases obtained), the plan, the objects to uninstall, and driving a
//! run to its end.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use super::bundle::{Bundle, Verify};
use super::cluster::StackCluster;
use super::component::Component;
use super::machine::{Next, Outcome, Run};
use super::object::{COMPONENT_LABEL, Desired, MANAGED_BY, MANAGER, ObjectRef};
use super::options::{KnativeEra, Options};
use super::plan::{Plan, plan};
use super::readiness::readiness;
use super::render::desired;
use super::upstream::obtain;

/// What the chosen components want on this cluster.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub components: Vec<Component>,
    pub era: KnativeEra,
    /// How the era was found, for the plan's header.
    pub era_source: String,
    pub desired: Vec<Desired>,
    pub verifies: Vec<(Component, Verify)>,
}

/// Detects the Knative era, obtains the third-party releases (from `from` when given) and
/// renders every chosen component.
pub async fn prepare(
    cluster: &StackCluster,
    bundle: &Bundle,
    options: &Options,
    from: Option<&Path>,
) -> Result<Prepared, String> {
    prepare_with(cluster, bundle, options, Some(from)).await
}

/// Renders only funcdeck's own manifests (status and uninstall need no third-party release:
/// its objects are found by funcdeck's labels).
pub async fn prepare_own(
    cluster: &StackCluster,
    bundle: &Bundle,
    options: &Options,
) -> Result<Prepared, String> {
    prepare_with(cluster, bundle, options, None).await
}

async fn prepare_with(
    cluster: &StackCluster,
    bundle: &Bundle,
    options: &Options,
    upstream_from: Option<Option<&Path>>,
) -> Result<Prepared, String> {
    options.validate()?;
    let (era, era_source) = detect_era(cluster).await;
    let vars = options.vars(era);
    let mut upstream = BTreeMap::new();
    for &component in options
        .components
        .iter()
        .filter(|_| upstream_from.is_some())
    {
        let spec = bundle
            .spec(component)
            .ok_or_else(|| format!("the manifests have no {component} component"))?;
        for name in &spec.upstream {
            let pin = &bundle.upstream[name];
            let text = obtain(name, pin, upstream_from.flatten())
                .await
                .map_err(|e| e.to_string())?;
            upstream.insert(name.clone(), text);
        }
    }
    let desired = desired(
        bundle,
        &options.components,
        &vars,
        upstream_from.is_some().then_some(&upstream),
    )?;
    let verifies = options
        .components
        .iter()
        .filter_map(|&c| {
            let v = bundle.spec(c)?.verify.clone()?;
            let fill =
                |t: &str| super::render::substitute(t, &vars).unwrap_or_else(|_| t.to_string());
            Some((
                c,
                Verify {
                    namespace: fill(&v.namespace),
                    service: fill(&v.service),
                    port: v.port,
                    path: v.path,
                },
            ))
        })
        .collect();
    Ok(Prepared {
        components: options.components.clone(),
        era,
        era_source,
        desired,
        verifies,
    })
}

/// The Knative release from the labels its install puts on `knative-serving` (the namespace,
/// then its ConfigMaps), else from its controllers' image tags; 1.18's wiring when unknown.
pub async fn detect_era(cluster: &StackCluster) -> (KnativeEra, String) {
    let r = |api: &str, kind: &str, ns: Option<&str>, name: &str| ObjectRef {
        api_version: api.into(),
        kind: kind.into(),
        namespace: ns.map(str::to_string),
        name: name.into(),
    };
    let labelled = [
        r("v1", "Namespace", None, "knative-serving"),
        r(
            "v1",
            "ConfigMap",
            Some("knative-serving"),
            "config-observability",
        ),
    ];
    for object in labelled {
        if let Ok(Some(found)) = cluster.get(&object).await {
            let labels = found.pointer("/metadata/labels");
            for key in ["app.kubernetes.io/version", "serving.knative.dev/release"] {
                if let Some(version) = labels.and_then(|l| l.get(key)).and_then(Value::as_str)
                    && let Some(era) = KnativeEra::from_version(version)
                {
                    return (era, format!("Knative {version} ({object} label {key})"));
                }
            }
        }
    }
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
        kube::Api::namespaced(cluster.connection().client.clone(), "knative-serving");
    if let Ok(list) = pods.list(&kube::api::ListParams::default()).await {
        for pod in list.items {
            let images = pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .filter_map(|c| c.image.clone());
            for image in images {
                if image.contains("knative.dev/serving/cmd/")
                    && let Some(tag) = image.rsplit(':').next()
                    && let Some(era) = KnativeEra::from_version(tag)
                {
                    return (
                        era,
                        format!("Knative {tag} (image of a knative-serving pod)"),
                    );
                }
            }
        }
    }
    (
        KnativeEra::OpenCensus,
        "Knative version not found; wiring written for 1.18 (config-tracing)".into(),
    )
}

/// What the cluster holds at every desired object's name.
pub async fn observe(
    cluster: &StackCluster,
    desired: &[Desired],
) -> Result<BTreeMap<ObjectRef, Value>, String> {
    let mut observed = BTreeMap::new();
    for d in desired {
        let found = cluster.get(&d.reference).await.map_err(|e| match e {
            crate::CoreError::Forbidden { .. } => format!(
                "cannot read {} to plan the stack ({e}); installing it takes a cluster administrator's rights (CRDs, cluster roles, namespaces)",
                d.reference
            ),
            other => format!("cannot read {}: {other}", d.reference),
        })?;
        if let Some(found) = found {
            observed.insert(d.reference.clone(), found);
        }
    }
    Ok(observed)
}

pub async fn plan_for(cluster: &StackCluster, prepared: &Prepared) -> Result<Plan, String> {
    let observed = observe(cluster, &prepared.desired).await?;
    Ok(plan(&prepared.desired, &observed))
}

/// Writes the user may not make, found before anything is written (so a cluster that forbids
/// creating CRDs refuses the install up front instead of half-way).
pub async fn preflight(cluster: &StackCluster, plan: &Plan) -> Vec<String> {
    let mut asked = BTreeMap::new();
    let mut denied = Vec::new();
    for p in &plan.objects {
        let verb = match p.action {
            super::plan::Action::Create => "create",
            super::plan::Action::Change { .. } => "patch",
            _ => continue,
        };
        let r = &p.desired.reference;
        let key = (
            verb,
            r.api_version.clone(),
            r.kind.clone(),
            r.namespace.clone(),
        );
        if asked.insert(key, ()).is_some() {
            continue;
        }
        if let Some(Ok(false)) = cluster.may(verb, r).await {
            let scope = r
                .namespace
                .as_ref()
                .map_or("cluster-wide".to_string(), |ns| {
                    format!("in namespace {ns}")
                });
            denied.push(format!(
                "you may not {verb} {} {scope} (needed for {r})",
                cluster.resource_name(r).await
            ));
        }
    }
    denied
}

/// Kinds an install may have created that uninstall looks for by funcdeck's labels (the
/// third-party releases' objects are found this way, without their manifests at hand).
const SWEPT: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("v1", "ServiceAccount"),
    ("v1", "Namespace"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
];

/// What uninstalling `components` removes: every object carrying funcdeck's labels for them
/// (of the swept kinds and the kinds of our own manifests), and the shared objects to release.
pub async fn found_for_uninstall(
    cluster: &StackCluster,
    prepared_own: &[Desired],
    components: &[Component],
) -> Result<Vec<(ObjectRef, Component, bool)>, String> {
    let names: Vec<&str> = components.iter().map(|c| c.name()).collect();
    let selector = format!(
        "{MANAGED_BY}={MANAGER},{COMPONENT_LABEL} in ({})",
        names.join(",")
    );
    let mut kinds: Vec<(String, String)> = SWEPT
        .iter()
        .map(|(a, k)| (a.to_string(), k.to_string()))
        .collect();
    for d in prepared_own.iter().filter(|d| !d.shared) {
        let key = (d.reference.api_version.clone(), d.reference.kind.clone());
        if !kinds.contains(&key) {
            kinds.insert(0, key);
        }
    }
    let mut found = Vec::new();
    for (api_version, kind) in kinds {
        let probe = ObjectRef {
            api_version,
            kind,
            namespace: None,
            name: String::new(),
        };
        for object in cluster
            .list_labelled(&probe, &selector)
            .await
            .map_err(|e| e.to_string())?
        {
            let Ok(reference) = ObjectRef::of(&object) else {
                continue;
            };
            let component = object
                .pointer("/metadata/labels")
                .and_then(|l| l.get(COMPONENT_LABEL))
                .and_then(Value::as_str)
                .and_then(|c| Component::parse(c).ok());
            if let Some(component) = component
                && !found.iter().any(|(r, _, _)| *r == reference)
            {
                found.push((reference, component, false));
            }
        }
    }
    for d in prepared_own
        .iter()
        .filter(|d| d.shared && components.contains(&d.component))
    {
        if cluster
            .get(&d.reference)
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {
            found.push((d.reference.clone(), d.component, true));
        }
    }
    Ok(found)
}

/// Runs `run` to its end against the cluster, calling `progress` after every change.
pub async fn drive(run: &mut Run, cluster: &StackCluster, progress: impl FnMut(&Run)) {
    drive_until(run, cluster, progress, |_| false).await;
}

/// As `drive`, but stops (and marks the run interrupted) as soon as `stop` says so after a
/// step: what a cancelled install or a lost session leaves behind.
pub async fn drive_until(
    run: &mut Run,
    cluster: &StackCluster,
    mut progress: impl FnMut(&Run),
    stop: impl Fn(&Run) -> bool,
) {
    let start = Instant::now();
    loop {
        if stop(run) {
            run.interrupt();
            progress(run);
            return;
        }
        let next = run.next(start.elapsed());
        let outcome = match &next {
            Next::Done | Next::Failed => {
                progress(run);
                return;
            }
            Next::Sleep(d) => {
                if !d.is_zero() {
                    tokio::time::sleep(*d).await;
                }
                continue;
            }
            Next::Apply(i) => {
                let step = &run.steps[*i];
                match &step.body {
                    Some(body) => cluster.apply(&step.reference, body).await,
                    None => Outcome::Applied,
                }
            }
            Next::Check(i) => {
                let reference = run.steps[*i].reference.clone();
                match cluster.get(&reference).await {
                    Ok(Some(object)) => {
                        let pods = cluster.pods_of(&object).await;
                        Outcome::Readiness(readiness(&object, &pods))
                    }
                    Ok(None) => Outcome::Readiness(super::readiness::Readiness::Progressing(
                        "not found yet".into(),
                    )),
                    Err(e) => {
                        Outcome::Readiness(super::readiness::Readiness::Progressing(e.to_string()))
                    }
                }
            }
            Next::Verify(_, verify) => Outcome::Verified(cluster.verify(verify).await),
            Next::Delete(i) => cluster.delete(&run.steps[*i].reference).await,
            Next::Release(i) => cluster.release(&run.steps[*i].reference).await,
            Next::CheckGone(i) => match cluster.get(&run.steps[*i].reference).await {
                Ok(found) => Outcome::Present(found.is_some()),
                Err(_) => Outcome::Present(true),
            },
        };
        run.record(&next, outcome, start.elapsed());
        progress(run);
    }
}

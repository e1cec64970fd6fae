//! funcdeck's traffic and visibility writes on functions other tools wrote: `kubectl apply`
//! (client-side), `kubectl apply --server-side`, and a third writer under its own field manager
//! (`kn`, here `kubectl create/patch --field-manager kn` standing in for it). Each is checked with
//! the real kubectl: only spec.traffic or the label and annotation change, every other field and
//! its manager stays, and the other tool's next write still works.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::wait_for;

fn manifest(name: &str, image: &str, traffic: Option<Value>) -> Value {
    let mut m = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "default", "labels": {"team": "web"},
                     "annotations": {"owner": "alice"}},
        "spec": {"template": {"metadata": {"annotations": {"autoscaling.knative.dev/target": "50"}},
                              "spec": {"containers": [{"image": image}]}}}});
    if let Some(traffic) = traffic {
        m["spec"]["traffic"] = traffic;
    }
    m
}

struct Fixture {
    c: Cluster,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            c: Cluster::start(0, 4),
        }
    }

    /// Runs kubectl with `manifest` as its file; returns (status, stderr).
    fn kubectl_file(&self, args: &[&str], manifest: &Value) -> (i32, String) {
        let path = self.c.home.path().join("coexist.json");
        std::fs::write(&path, manifest.to_string()).expect("write manifest");
        let file = path.to_str().expect("utf8 path");
        let out = self.c.kubectl(&[args, &["-f", file]].concat());
        (out.status, out.stderr)
    }

    fn ok(&self, args: &[&str], manifest: &Value) {
        let (status, stderr) = self.kubectl_file(args, manifest);
        assert_eq!(status, 0, "kubectl {args:?}: {stderr}");
    }

    fn wait_ready(&self, revision: &str) {
        wait_for(Duration::from_secs(20), "the revision to be ready", || {
            let ready = self.c.kubectl(&[
                "get",
                "revision",
                revision,
                "-n",
                "default",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}",
            ]);
            (ready.stdout == "True").then_some(())
        });
    }

    fn ksvc(&self, name: &str) -> Value {
        self.c.kubectl_json(&[
            "get",
            "ksvc",
            name,
            "-n",
            "default",
            "--show-managed-fields",
        ])
    }

    fn funcdeck_ok(&self, args: &[&str]) {
        let out = self.c.funcdeck(&[args, &["-n", "default"]].concat());
        assert_eq!(out.status, 0, "funcdeck {args:?}: {}", out.stderr);
    }
}

/// The fields manager `name` holds, as the server reports them.
fn managed_by(svc: &Value, name: &str) -> Value {
    svc["metadata"]["managedFields"]
        .as_array()
        .expect("managedFields")
        .iter()
        .filter(|m| m["manager"] == name)
        .map(|m| m["fieldsV1"].clone())
        .next()
        .unwrap_or(Value::Null)
}

/// Everything but what funcdeck may change (traffic, the visibility label and its record) and
/// what the server keeps (resourceVersion, managedFields, status).
fn untouched_part(svc: &Value) -> Value {
    let mut svc = svc.clone();
    let meta = &mut svc["metadata"];
    for key in ["resourceVersion", "managedFields", "generation"] {
        meta.as_object_mut().expect("metadata").remove(key);
    }
    if let Some(labels) = meta["labels"].as_object_mut() {
        labels.remove("networking.knative.dev/visibility");
    }
    if let Some(annotations) = meta["annotations"].as_object_mut() {
        annotations.remove("funcdeck.dev/offline");
    }
    let root = svc.as_object_mut().expect("object");
    root.remove("status");
    root["spec"]
        .as_object_mut()
        .expect("spec")
        .remove("traffic");
    svc
}

/// fn traffic, offline, online and rollback on `name` (two ready revisions, 00001 and 00002):
/// each changes only its part, and the other manager's fields stay theirs.
fn exercise(f: &Fixture, name: &str, other_manager: &str) {
    let original = f.ksvc(name);
    let mut theirs = managed_by(&original, other_manager);
    assert_ne!(theirs, Value::Null, "{other_manager} manages fields");
    // Knative's defaulting wrote spec.traffic in the other tool's create; writing it moves that
    // one field's ownership to funcdeck (an update's fields belong to their last writer), and
    // every other field stays theirs.
    if let Some(spec) = theirs["f:spec"].as_object_mut() {
        spec.remove("f:traffic");
    }
    let (r1, r2) = (format!("{name}-00001"), format!("{name}-00002"));

    f.funcdeck_ok(&[
        "fn",
        "traffic",
        name,
        &format!("{r1}=50"),
        &format!("{r2}=50"),
    ]);
    let split = f.ksvc(name);
    assert_eq!(
        split["spec"]["traffic"],
        json!([{"revisionName": r1, "latestRevision": false, "percent": 50},
               {"revisionName": r2, "latestRevision": false, "percent": 50}])
    );
    assert_eq!(untouched_part(&split), untouched_part(&original));
    assert_eq!(
        managed_by(&split, other_manager),
        theirs,
        "theirs stay theirs"
    );
    assert_eq!(
        managed_by(&split, "funcdeck"),
        json!({"f:spec": {"f:traffic": {}}}),
        "funcdeck owns what it wrote, nothing more"
    );

    f.funcdeck_ok(&["fn", "offline", name]);
    let offline = f.ksvc(name);
    assert_eq!(
        offline["metadata"]["labels"]["networking.knative.dev/visibility"],
        "cluster-local"
    );
    assert_eq!(untouched_part(&offline), untouched_part(&original));
    assert_eq!(offline["spec"], split["spec"], "the split is kept");
    assert_eq!(managed_by(&offline, other_manager), theirs);

    f.funcdeck_ok(&["fn", "online", name]);
    let online = f.ksvc(name);
    assert_eq!(online["metadata"]["labels"], original["metadata"]["labels"]);
    assert_eq!(
        online["metadata"]["annotations"],
        original["metadata"]["annotations"]
    );
    assert_eq!(managed_by(&online, other_manager), theirs);

    f.funcdeck_ok(&["fn", "rollback", name, "--to", &r1, "--yes"]);
    let rolled = f.ksvc(name);
    assert_eq!(
        rolled["spec"]["traffic"],
        json!([{"revisionName": r1, "latestRevision": false, "percent": 100}])
    );
    assert_eq!(untouched_part(&rolled), untouched_part(&original));
    assert_eq!(managed_by(&rolled, other_manager), theirs);
}

#[test]
fn on_a_function_written_by_client_side_kubectl_apply() {
    let f = Fixture::new();
    f.ok(&["apply"], &manifest("csa", "ghcr.io/acme/csa:1", None));
    f.wait_ready("csa-00001");
    let v2 = manifest("csa", "ghcr.io/acme/csa:2", None);
    f.ok(&["apply"], &v2);
    f.wait_ready("csa-00002");
    exercise(&f, "csa", "kubectl-client-side-apply");
    // The user's next apply of their manifest works and keeps the split (their manifest says
    // nothing about traffic, so kubectl's three-way merge leaves it alone).
    let before = f.ksvc("csa");
    f.ok(&["apply"], &v2);
    let after = f.ksvc("csa");
    assert_eq!(after["spec"], before["spec"]);
    assert_eq!(
        after["metadata"]["generation"],
        before["metadata"]["generation"]
    );
}

#[test]
fn on_a_function_written_by_server_side_kubectl_apply() {
    let f = Fixture::new();
    let ssa = ["apply", "--server-side"];
    f.ok(&ssa, &manifest("ssa", "ghcr.io/acme/ssa:1", None));
    f.wait_ready("ssa-00001");
    let v2 = manifest("ssa", "ghcr.io/acme/ssa:2", None);
    f.ok(&ssa, &v2);
    f.wait_ready("ssa-00002");
    exercise(&f, "ssa", "kubectl");
    // Re-applying a manifest without traffic: no conflict (kubectl does not own spec.traffic),
    // the split stays.
    let before = f.ksvc("ssa");
    f.ok(&ssa, &v2);
    assert_eq!(f.ksvc("ssa")["spec"], before["spec"]);
}

#[test]
fn server_side_apply_of_a_manifest_that_owns_traffic_conflicts_as_it_should() {
    // A GitOps manifest that states the traffic owns spec.traffic. After funcdeck changes it,
    // the next server-side apply is refused with a conflict naming funcdeck: the server keeps
    // kubectl from silently undoing the split. That is server-side apply working as designed,
    // not something funcdeck can or should hide.
    let f = Fixture::new();
    let ssa = ["apply", "--server-side"];
    let all_latest = json!([{"latestRevision": true, "percent": 100}]);
    f.ok(
        &ssa,
        &manifest("gitops", "ghcr.io/acme/g:1", Some(all_latest.clone())),
    );
    f.wait_ready("gitops-00001");
    let v2 = manifest("gitops", "ghcr.io/acme/g:2", Some(all_latest.clone()));
    f.ok(&ssa, &v2);
    f.wait_ready("gitops-00002");
    f.funcdeck_ok(&["fn", "traffic", "gitops", "gitops-00001=100"]);
    let (status, stderr) = f.kubectl_file(&ssa, &v2);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("conflict with \"funcdeck\"") && stderr.contains(".spec.traffic"),
        "{stderr}"
    );
    assert_eq!(
        f.ksvc("gitops")["spec"]["traffic"][0]["revisionName"],
        "gitops-00001",
        "nothing was undone"
    );
    // What a user who wants their manifest's traffic back must do: take the field over.
    f.ok(&["apply", "--server-side", "--force-conflicts"], &v2);
    let svc = f.ksvc("gitops");
    assert_eq!(svc["spec"]["traffic"], all_latest);
    assert_eq!(managed_by(&svc, "funcdeck"), Value::Null);
}

#[test]
fn on_a_function_written_by_another_field_manager() {
    // `kn service create/update` write with their own field manager; kubectl create and patch
    // with --field-manager kn do the same kind of writes (create, then merge patches).
    let f = Fixture::new();
    f.ok(
        &["create", "--field-manager", "kn"],
        &manifest("byk", "ghcr.io/acme/byk:1", None),
    );
    f.wait_ready("byk-00001");
    let image = |tag: &str| {
        json!({"spec": {"template": {"spec": {"containers": [{"image": format!("ghcr.io/acme/byk:{tag}")}]}}}})
            .to_string()
    };
    let kn_update = |tag: &str| {
        let out = f.c.kubectl(&[
            "patch",
            "ksvc",
            "byk",
            "-n",
            "default",
            "--type",
            "merge",
            "--field-manager",
            "kn",
            "-p",
            &image(tag),
        ]);
        assert_eq!(out.status, 0, "{}", out.stderr);
    };
    kn_update("2");
    f.wait_ready("byk-00002");
    exercise(&f, "byk", "kn");
    // kn's next update (a new image) goes through and leaves funcdeck's split alone.
    f.funcdeck_ok(&["fn", "offline", "byk"]);
    kn_update("3");
    let svc = f.ksvc("byk");
    assert_eq!(
        svc["spec"]["traffic"][0]["revisionName"], "byk-00001",
        "the split stays"
    );
    assert_eq!(
        svc["metadata"]["labels"]["networking.knative.dev/visibility"],
        "cluster-local"
    );
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/acme/byk:3"
    );
}

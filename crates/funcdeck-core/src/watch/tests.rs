use kube::core::Status;
use kube::runtime::watcher::{Error, Event};
use serde_json::json;

use super::Relist;
use crate::CoreError;
use crate::function::{FunctionKey, FunctionSummary};
use crate::functions::FunctionEvent;
use crate::knative::Service;
use crate::pods::PodSummary;

fn svc(ns: &str, name: &str) -> Service {
    serde_json::from_value(json!({"metadata": {"namespace": ns, "name": name}})).expect("service")
}

const SERVER: &str = "http://127.0.0.1:1";

fn functions() -> Relist<Service, FunctionSummary> {
    Relist::new(FunctionSummary::from_service)
}

#[test]
fn a_relist_is_buffered_into_one_sorted_synced() {
    let mut r = functions();
    assert!(r.step(Ok(Event::Init), SERVER).is_none());
    assert!(
        r.step(Ok(Event::InitApply(svc("shop", "b"))), SERVER)
            .is_none()
    );
    assert!(
        r.step(Ok(Event::InitApply(svc("default", "z"))), SERVER)
            .is_none()
    );
    assert!(
        r.step(Ok(Event::InitApply(svc("shop", "a"))), SERVER)
            .is_none()
    );
    let Some(FunctionEvent::Synced(all)) = r.step(Ok(Event::InitDone), SERVER) else {
        panic!("expected Synced");
    };
    let keys: Vec<_> = all.iter().map(|s| s.key.to_string()).collect();
    assert_eq!(keys, ["default/z", "shop/a", "shop/b"]);
}

#[test]
fn a_restarted_relist_drops_what_the_aborted_one_buffered() {
    let mut r = functions();
    r.step(Ok(Event::Init), SERVER);
    r.step(Ok(Event::InitApply(svc("a", "stale"))), SERVER);
    r.step(Ok(Event::Init), SERVER);
    r.step(Ok(Event::InitApply(svc("a", "fresh"))), SERVER);
    let Some(FunctionEvent::Synced(all)) = r.step(Ok(Event::InitDone), SERVER) else {
        panic!("expected Synced");
    };
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].key.name, "fresh");
}

#[test]
fn changes_pass_through_as_applied_and_deleted() {
    let mut r = functions();
    assert!(matches!(
        r.step(Ok(Event::Apply(svc("a", "x"))), SERVER),
        Some(FunctionEvent::Applied(s)) if s.key == FunctionKey::new("a", "x")
    ));
    assert!(matches!(
        r.step(Ok(Event::Delete(svc("a", "x"))), SERVER),
        Some(FunctionEvent::Deleted(k)) if k == FunctionKey::new("a", "x")
    ));
}

#[test]
fn gone_is_silent_but_other_errors_are_reported() {
    let mut r = functions();
    let gone = Error::WatchError(Status::failure("too old", "Expired").with_code(410).boxed());
    assert!(r.step(Err(gone), SERVER).is_none());

    let forbidden = Error::InitialListFailed(kube::Error::Api(
        Status::failure("cannot list", "Forbidden")
            .with_code(403)
            .boxed(),
    ));
    assert!(matches!(
        r.step(Err(forbidden), SERVER),
        Some(FunctionEvent::Failed(CoreError::Forbidden { message })) if message == "cannot list"
    ));

    let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let refused = Error::WatchFailed(kube::Error::ReadEvents(io));
    assert!(matches!(
        r.step(Err(refused), SERVER),
        Some(FunctionEvent::Failed(CoreError::Unreachable { server, reason }))
            if server == SERVER && reason == "connection refused"
    ));
}

#[test]
fn any_kind_maps_through_its_own_function_and_sorts_by_key() {
    use super::WatchEvent;
    use k8s_openapi::api::core::v1::Pod;
    let pod = |ns: &str, name: &str| -> Pod {
        serde_json::from_value(json!({"metadata": {"namespace": ns, "name": name}})).expect("pod")
    };
    let mut r: Relist<Pod, PodSummary> = Relist::new(PodSummary::from_pod);
    r.step(Ok(Event::Init), SERVER);
    r.step(Ok(Event::InitApply(pod("b", "p2"))), SERVER);
    r.step(Ok(Event::InitApply(pod("a", "p9"))), SERVER);
    r.step(Ok(Event::InitApply(pod("b", "p1"))), SERVER);
    let Some(WatchEvent::Synced(all)) = r.step(Ok(Event::InitDone), SERVER) else {
        panic!("expected Synced");
    };
    let keys: Vec<_> = all.iter().map(|p| p.key.to_string()).collect();
    assert_eq!(keys, ["a/p9", "b/p1", "b/p2"]);
    assert!(matches!(
        r.step(Ok(Event::Delete(pod("b", "p1"))), SERVER),
        Some(WatchEvent::Deleted(k)) if k.to_string() == "b/p1"
    ));
}

//! `kube::Resource` for the Knative kinds, written out instead of derived: two fixed,
//! namespaced kinds with a static type need no code generation.

use std::borrow::Cow;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{GROUP, Revision, Service, VERSION};

macro_rules! knative_resource {
    ($ty:ty, $kind:literal, $plural:literal) => {
        impl kube::Resource for $ty {
            type DynamicType = ();
            type Scope = NamespaceResourceScope;

            fn kind(_: &()) -> Cow<'_, str> {
                Cow::Borrowed($kind)
            }
            fn group(_: &()) -> Cow<'_, str> {
                Cow::Borrowed(GROUP)
            }
            fn version(_: &()) -> Cow<'_, str> {
                Cow::Borrowed(VERSION)
            }
            fn plural(_: &()) -> Cow<'_, str> {
                Cow::Borrowed($plural)
            }
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    };
}

knative_resource!(Service, "Service", "services");
knative_resource!(Revision, "Revision", "revisions");

#[cfg(test)]
mod tests {
    use kube::Resource;

    use super::{Revision, Service};

    #[test]
    fn urls_point_at_knative_serving_v1() {
        assert_eq!(
            Service::url_path(&(), Some("shop")),
            "/apis/serving.knative.dev/v1/namespaces/shop/services"
        );
        assert_eq!(
            Service::url_path(&(), None),
            "/apis/serving.knative.dev/v1/services"
        );
        assert_eq!(Service::api_version(&()), "serving.knative.dev/v1");
        assert_eq!(
            Revision::url_path(&(), Some("a")),
            "/apis/serving.knative.dev/v1/namespaces/a/revisions"
        );
    }

    #[test]
    fn a_new_service_serializes_with_type_meta() {
        let svc = Service::new("default", "hello", "ghcr.io/x/hello:1");
        let json = serde_json::to_value(&svc).expect("serializes");
        assert_eq!(json["apiVersion"], "serving.knative.dev/v1");
        assert_eq!(json["kind"], "Service");
        assert_eq!(json["metadata"]["name"], "hello");
        assert_eq!(
            json["spec"]["template"]["spec"]["containers"][0]["image"],
            "ghcr.io/x/hello:1"
        );
        assert!(json.get("status").is_none());
    }
}

//! Which function an event's object belongs to, from the names Knative gives what it creates
//! for function `f`: Service, Configuration, Route and Ingress `f`; Revision `f-00001`;
//! Deployment `f-00001-deployment`, ReplicaSet `f-00001-deployment-<hash>`, Pod
//! `f-00001-deployment-<hash>-<id>`. A revision with a name of its own (`spec.template.metadata
//! .name`) cannot be traced this way; those events say so instead of guessing.

pub fn function_of(kind: &str, name: &str) -> Option<String> {
    let revision = match kind {
        "Service" | "Configuration" | "Route" | "Ingress" => return Some(name.to_owned()),
        "Revision" | "PodAutoscaler" | "ServerlessService" => name,
        "Deployment" => name.strip_suffix("-deployment")?,
        "ReplicaSet" => name.rsplit_once("-deployment-")?.0,
        "Pod" => name.rsplit_once("-deployment-")?.0,
        _ => return None,
    };
    let (function, number) = revision.rsplit_once('-')?;
    (number.len() == 5 && number.bytes().all(|b| b.is_ascii_digit()) && !function.is_empty())
        .then(|| function.to_owned())
}

#[cfg(test)]
mod tests {
    use super::function_of;

    #[test]
    fn knative_names_lead_back_to_their_function() {
        for (kind, name, expected) in [
            ("Service", "cart-sync", Some("cart-sync")),
            ("Route", "cart-sync", Some("cart-sync")),
            ("Revision", "cart-sync-00003", Some("cart-sync")),
            (
                "Deployment",
                "cart-sync-00003-deployment",
                Some("cart-sync"),
            ),
            (
                "ReplicaSet",
                "cart-sync-00003-deployment-7d9f8b6c5d",
                Some("cart-sync"),
            ),
            (
                "Pod",
                "cart-sync-00003-deployment-7d9f8b6c5d-x2x9z",
                Some("cart-sync"),
            ),
            ("Revision", "cart-sync-blue", None),
            ("Pod", "coredns-5d78c9869d-abcde", None),
            ("Node", "worker-1", None),
        ] {
            assert_eq!(
                function_of(kind, name).as_deref(),
                expected,
                "{kind} {name}"
            );
        }
    }
}

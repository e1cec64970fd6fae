use super::*;
use crate::function::rollback::describe_split;
use crate::key::ObjectKey;
use crate::knative::Revision;

fn revision(number: i64, ready: bool) -> RevisionSummary {
    let mut r = RevisionSummary::from_revision(&Revision::default());
    r.key = ObjectKey::new("shop", format!("cart-0000{number}"));
    r.configuration_generation = Some(number);
    r.ready = if ready {
        ConditionStatus::True
    } else {
        ConditionStatus::False
    };
    r.reason = (!ready).then(|| "ContainerMissing".to_owned());
    r
}

fn revisions() -> Vec<RevisionSummary> {
    vec![
        revision(1, true),
        revision(2, true),
        revision(3, true),
        revision(4, false),
    ]
}

fn service(traffic: serde_json::Value) -> Service {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": "7"},
        "spec": {"traffic": traffic},
        "status": {"latestReadyRevisionName": "cart-00003"}
    }))
    .expect("a service")
}

/// 00003 takes everything through @latest; 00002 is tagged `candidate`.
fn canary() -> Service {
    service(serde_json::json!([
        {"latestRevision": true, "percent": 100},
        {"revisionName": "cart-00002", "latestRevision": false, "percent": 0, "tag": "candidate"},
    ]))
}

fn change(shares: &[(&str, u32)], tags: &[(&str, &str)], untags: &[&str]) -> TrafficChange {
    TrafficChange {
        shares: shares.iter().map(|(n, p)| ((*n).to_owned(), *p)).collect(),
        tags: tags
            .iter()
            .map(|(r, t)| ((*r).to_owned(), (*t).to_owned()))
            .collect(),
        untags: untags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

fn plan(svc: &Service, c: TrafficChange) -> Result<(String, String), String> {
    plan_traffic(svc, &revisions(), &c)
        .map(|p| {
            (
                describe_split("cart", &p.before),
                describe_split("cart", &p.after),
            )
        })
        .map_err(|e| e.to_string())
}

#[test]
fn splits_between_two_revisions_keeping_the_tag_at_zero() {
    let p = plan_traffic(
        &canary(),
        &revisions(),
        &change(&[("cart-00001", 50), ("cart-00003", 50)], &[], &[]),
    )
    .expect("a plan");
    assert_eq!(
        describe_split("cart", &p.before),
        "@latest 100% · 00002 0% #candidate"
    );
    assert_eq!(
        describe_split("cart", &p.after),
        "00001 50% · 00003 50% · 00002 0% #candidate",
        "@latest was not named and is untagged: it drops out"
    );
    assert_eq!(p.resource_version.as_deref(), Some("7"));
    let json = serde_json::to_value(&p.traffic).expect("json");
    assert_eq!(
        json,
        serde_json::json!([
            {"revisionName": "cart-00001", "latestRevision": false, "percent": 50},
            {"revisionName": "cart-00003", "latestRevision": false, "percent": 50},
            {"revisionName": "cart-00002", "latestRevision": false, "percent": 0, "tag": "candidate"},
        ])
    );
}

#[test]
fn latest_follows_without_a_revision_name() {
    let p = plan_traffic(
        &canary(),
        &revisions(),
        &change(&[("@latest", 90), ("cart-00001", 10)], &[], &[]),
    )
    .expect("a plan");
    assert_eq!(
        (
            p.traffic[0].revision_name.as_deref(),
            p.traffic[0].latest_revision,
            p.traffic[0].percent
        ),
        (None, Some(true), Some(90)),
        "Knative refuses a revisionName beside latestRevision: true"
    );
}

#[test]
fn a_tag_name_promotes_the_revision_it_tags() {
    assert_eq!(
        plan(&canary(), change(&[("candidate", 100)], &[], &[])),
        Ok((
            "@latest 100% · 00002 0% #candidate".into(),
            "00002 100% #candidate".into()
        ))
    );
}

#[test]
fn tags_are_set_on_revisions_or_latest_and_removed() {
    assert_eq!(
        plan(&canary(), change(&[], &[("@latest", "current")], &[])),
        Ok((
            "@latest 100% · 00002 0% #candidate".into(),
            "@latest 100% #current · 00002 0% #candidate".into()
        )),
        "without shares the percentages stay"
    );
    assert_eq!(
        plan(
            &canary(),
            change(&[], &[("cart-00001", "old")], &["candidate"])
        ),
        Ok((
            "@latest 100% · 00002 0% #candidate".into(),
            "@latest 100% · 00001 0% #old".into()
        )),
        "an untagged 0% target drops out"
    );
    assert_eq!(
        plan(
            &canary(),
            change(&[], &[("cart-00003", "blue")], &["candidate"])
        ),
        Ok((
            "@latest 100% · 00002 0% #candidate".into(),
            "@latest 100% · 00003 0% #blue".into()
        ))
    );
}

#[test]
fn percentages_must_be_whole_numbers_in_range_that_sum_to_100() {
    assert_eq!(
        plan(
            &canary(),
            change(&[("cart-00001", 50), ("cart-00003", 40)], &[], &[])
        ),
        Err("the percentages sum to 90, not 100 (cart-00001=50 cart-00003=40)".into())
    );
    assert_eq!(
        parse_share("cart-00001=150"),
        Err("the percentage for cart-00001 is 150, outside 0..100".into())
    );
    assert_eq!(
        parse_share("cart-00001=-5"),
        Err("the percentage for cart-00001 is -5, outside 0..100".into())
    );
    assert_eq!(
        parse_share("cart-00001=12.5"),
        Err("the percentage for cart-00001 is \"12.5\", not a whole number from 0 to 100".into())
    );
    assert_eq!(
        parse_share("cart-00001"),
        Err("\"cart-00001\" is not REV=PERCENT (e.g. @latest=100)".into())
    );
    assert_eq!(parse_share("@latest=100"), Ok(("@latest".into(), 100)));
    assert_eq!(
        parse_tag_assignment("cart-00001"),
        Err("\"cart-00001\" is not REV=TAG (e.g. --tag @latest=candidate)".into())
    );
}

#[test]
fn unknown_names_list_the_functions_revisions_and_tags() {
    let error = plan_traffic(&canary(), &revisions(), &change(&[("nope", 100)], &[], &[]))
        .expect_err("unknown");
    assert_eq!(
        error,
        TrafficError::Unknown {
            name: "nope".into(),
            message: "no revision or tag \"nope\" in function \"cart\" (its revisions: \
                      cart-00004, cart-00003, cart-00002, cart-00001; tags: candidate)"
                .into()
        }
    );
    assert_eq!(
        plan(&canary(), change(&[], &[], &["nope"])),
        Err("function \"cart\" has no tag \"nope\" to remove (tags: candidate)".into())
    );
}

#[test]
fn a_revision_named_twice_or_failed_is_refused() {
    assert_eq!(
        plan(&canary(), change(&[("candidate", 50), ("cart-00002", 50)], &[], &[])),
        Err("cart-00002 is named twice (as \"candidate\" and \"cart-00002\"); give each revision one percentage".into())
    );
    assert_eq!(
        plan(&canary(), change(&[("cart-00004", 100)], &[], &[])),
        Err("revision cart-00004 is not ready (ContainerMissing); traffic cannot go to it".into())
    );
    assert!(
        plan(
            &canary(),
            change(&[("cart-00004", 0), ("@latest", 100)], &[], &[])
        )
        .is_err(),
        "0% to a failed revision changes nothing: nothing to change"
    );
}

#[test]
fn tags_are_checked_like_knatives_webhook() {
    assert_eq!(
        plan(&canary(), change(&[], &[("cart-00001", "candidate")], &[])),
        Err("tag \"candidate\" already names cart-00002; remove it with --untag candidate to move it".into())
    );
    assert_eq!(
        plan(
            &canary(),
            change(&[], &[("cart-00001", "a"), ("cart-00003", "a")], &[])
        ),
        Err("tag \"a\" is given twice; a tag names one revision".into())
    );
    assert_eq!(
        plan(
            &canary(),
            change(&[], &[("cart-00001", "candidate")], &["candidate"])
        )
        .map(|(_, after)| after),
        Ok("@latest 100% · 00001 0% #candidate".into()),
        "untag then tag moves it"
    );
    let bad = plan(&canary(), change(&[], &[("cart-00001", "Blue_1")], &[]));
    assert_eq!(
        bad,
        Err(
            "invalid tag \"Blue_1\": not a DNS 1035 label: [a DNS-1035 label must consist of \
             lower case alphanumeric characters or '-', start with an alphabetic character, and \
             end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for \
             validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]"
                .into()
        )
    );
    assert!(validate_tag("cart", "1st").is_err(), "starts with a digit");
    assert!(validate_tag("cart", "blue-").is_err(), "ends with '-'");
    assert!(validate_tag("cart", &"a".repeat(64)).is_err());
    assert_eq!(
        validate_tag(&"f".repeat(60), "blue"),
        Err(format!(
            "tag \"blue\" is too long for function \"{0}\": its URL's host \"blue-{0}\" would \
             have 65 characters, at most 63",
            "f".repeat(60)
        ))
    );
}

#[test]
fn no_change_is_said_so() {
    assert_eq!(
        plan(&canary(), change(&[("@latest", 100)], &[], &[])),
        Err("nothing to change: the traffic is already @latest 100% · 00002 0% #candidate".into())
    );
}

#[test]
fn an_empty_spec_means_all_to_latest() {
    let svc = service(serde_json::json!([]));
    assert_eq!(
        plan(&svc, change(&[("cart-00002", 100)], &[], &[])),
        Ok(("@latest 100%".into(), "00002 100%".into()))
    );
}

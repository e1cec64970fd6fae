//! Where a change to a function stands once written: not yet seen by Knative, its new revision
//! deploying, ready and serving, or failed and why. Pure, so the CLI's `--wait` and the TUI's
//! follow line read the same facts the same way.

use serde::Serialize;

use super::FunctionDetail;
use super::rollback::{Split, describe_split};
use crate::condition::ConditionStatus;
use crate::knative::Service;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Rollout {
    /// Knative has not yet observed the written generation.
    Pending,
    Deploying {
        revision: String,
        /// Ready pods of all pods, e.g. `0/1`.
        pods: String,
        /// What it is waiting on, in words, when something looks wrong already.
        waiting: Option<String>,
    },
    Ready {
        revision: String,
        url: Option<String>,
        /// The split as it now stands, e.g. `00002 100%`.
        traffic: String,
    },
    Failed {
        revision: Option<String>,
        why: String,
        /// The revision still taking the traffic, if any.
        serving: Option<String>,
    },
}

impl Rollout {
    pub fn is_done(&self) -> bool {
        matches!(self, Rollout::Ready { .. } | Rollout::Failed { .. })
    }

    /// One line for a progress log.
    pub fn describe(&self) -> String {
        match self {
            Rollout::Pending => "waiting for Knative to see the change".into(),
            Rollout::Deploying {
                revision,
                pods,
                waiting,
            } => match waiting {
                Some(why) => format!("{revision}: deploying, pods {pods}: {why}"),
                None => format!("{revision}: deploying, pods {pods}"),
            },
            Rollout::Ready {
                revision, traffic, ..
            } => format!("{revision} is ready; traffic: {traffic}"),
            Rollout::Failed {
                revision,
                why,
                serving,
            } => {
                let what = revision.as_deref().unwrap_or("the new revision");
                match serving {
                    Some(old) => format!("{what} failed: {why}; {old} keeps the traffic"),
                    None => format!("{what} failed: {why}"),
                }
            }
        }
    }
}

/// The state of the rollout of `generation` (the `metadata.generation` the write returned);
/// `previous` is the latest created revision before the write: until Knative names another,
/// the new one does not exist yet (the Service may have observed its generation before its
/// Configuration has made the revision).
pub fn rollout(
    service: &Service,
    generation: i64,
    previous: Option<&str>,
    detail: &FunctionDetail,
) -> Rollout {
    let status = service.status.as_ref();
    let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);
    if observed < generation {
        return Rollout::Pending;
    }
    let config_failed = status
        .and_then(|s| s.condition("ConfigurationsReady"))
        .filter(|c| c.status == "False");
    let serving = detail.latest_ready.clone();
    let Some(revision) = detail.latest_created.clone() else {
        return match config_failed {
            Some(c) => Rollout::Failed {
                revision: None,
                why: c.message.clone().or(c.reason.clone()).unwrap_or_default(),
                serving,
            },
            None => Rollout::Pending,
        };
    };
    if previous == Some(revision.as_str()) {
        return Rollout::Pending;
    }
    let serving = serving.filter(|s| *s != revision);
    let Some(row) = detail
        .revisions
        .iter()
        .find(|r| r.revision.key.name == revision)
    else {
        return Rollout::Deploying {
            revision,
            pods: "0/0".into(),
            waiting: None,
        };
    };
    match row.revision.ready {
        ConditionStatus::True => Rollout::Ready {
            traffic: split_text(detail),
            revision,
            url: detail.url.clone(),
        },
        ConditionStatus::False => Rollout::Failed {
            why: row
                .why
                .clone()
                .or_else(|| row.revision.message.clone())
                .or_else(|| row.revision.reason.clone())
                .unwrap_or_else(|| "not ready".into()),
            revision: Some(revision),
            serving,
        },
        ConditionStatus::Unknown => Rollout::Deploying {
            pods: row.pods_text(),
            // The bare reason ("Deploying") adds nothing to "deploying".
            waiting: row
                .why
                .clone()
                .filter(|w| Some(w) != row.revision.reason.as_ref()),
            revision,
        },
    }
}

/// The split as the detail shows it, in the rollback preview's words.
fn split_text(detail: &FunctionDetail) -> String {
    let split: Vec<Split> = detail
        .traffic
        .iter()
        .map(|t| Split {
            revision: t.revision.clone().unwrap_or_else(|| "@latest".into()),
            percent: t.percent,
            tag: t.tag.clone(),
        })
        .collect();
    describe_split(&detail.key.name, &split)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::knative::Revision;
    use crate::revisions::RevisionSummary;

    fn service(observed: i64, latest: &str, ready: &str, traffic: Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "hello", "namespace": "shop", "generation": 3},
            "status": {"observedGeneration": observed, "latestCreatedRevisionName": latest,
                       "latestReadyRevisionName": ready, "traffic": traffic,
                       "url": "http://hello.shop.svc.cluster.local"}
        }))
        .expect("a Service")
    }

    fn revision(
        name: &str,
        ready: &str,
        reason: Option<&str>,
        message: Option<&str>,
    ) -> RevisionSummary {
        let rev: Revision = serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "shop",
                         "labels": {"serving.knative.dev/service": "hello"}},
            "status": {"conditions": [{"type": "Ready", "status": ready,
                                        "reason": reason, "message": message}]}
        }))
        .expect("a Revision");
        RevisionSummary::from_revision(&rev)
    }

    fn state(service: &Service, revisions: &[RevisionSummary]) -> Rollout {
        let detail = FunctionDetail::build(service, revisions, &[], &[]);
        rollout(service, 3, Some("hello-00002"), &detail)
    }

    #[test]
    fn waits_until_knative_names_a_new_revision() {
        let old = json!([{"revisionName": "hello-00002", "percent": 100, "latestRevision": true}]);
        let two = [revision("hello-00002", "True", None, None)];
        assert_eq!(
            state(&service(2, "hello-00002", "hello-00002", old.clone()), &two),
            Rollout::Pending
        );
        assert_eq!(
            state(&service(3, "hello-00002", "hello-00002", old.clone()), &two),
            Rollout::Pending,
            "generation observed, but the revision is still the old one"
        );
        assert_eq!(
            state(&service(3, "hello-00003", "hello-00002", old), &two),
            Rollout::Deploying {
                revision: "hello-00003".into(),
                pods: "0/0".into(),
                waiting: None
            }
        );
    }

    #[test]
    fn ends_ready_with_the_split_or_failed_with_who_keeps_the_traffic() {
        let new = json!([{"revisionName": "hello-00003", "percent": 100, "latestRevision": true}]);
        let revisions = [
            revision("hello-00002", "True", None, None),
            revision("hello-00003", "True", None, None),
        ];
        let ready = state(&service(3, "hello-00003", "hello-00003", new), &revisions);
        assert_eq!(
            ready.describe(),
            "hello-00003 is ready; traffic: 00003 100%"
        );
        assert!(ready.is_done());

        let old = json!([{"revisionName": "hello-00002", "percent": 100, "latestRevision": true}]);
        let revisions = [
            revision("hello-00002", "True", None, None),
            revision(
                "hello-00003",
                "False",
                Some("ExitCode1"),
                Some("Container failed with: boom"),
            ),
        ];
        let failed = state(&service(3, "hello-00003", "hello-00002", old), &revisions);
        let Rollout::Failed {
            revision, serving, ..
        } = &failed
        else {
            panic!("failed: {failed:?}");
        };
        assert_eq!(
            (revision.as_deref(), serving.as_deref()),
            (Some("hello-00003"), Some("hello-00002"))
        );
        assert!(
            failed
                .describe()
                .ends_with("; hello-00002 keeps the traffic"),
            "{}",
            failed.describe()
        );
    }
}

//! The form watches the quotas of the namespace it deploys into, so it can warn while the user
//! types that the change would not fit — before the server refuses it. Only a warning: the
//! estimate is a lower bound and the server decides, so submit is never blocked by it.

use funcdeck_core::function::spec_parse::{parse_resources, parse_scale};
use funcdeck_core::quota::{Demand, Shortfall, shortfalls, unspecified};

use super::slots::Slot;
use super::{FormView, Purpose};
use crate::app::{Polled, Reply, Ticket, Watch};
use crate::views::{Action, Ctx};
use funcdeck_core::names::is_namespace_name;

impl FormView {
    /// The namespace the change goes to: the field's (create), the function's (update).
    pub fn target_namespace(&self) -> Option<String> {
        let namespace = match &self.purpose {
            Purpose::Create => self.text(Slot::Namespace).trim().to_owned(),
            Purpose::Update { key, .. } => key.namespace.clone(),
        };
        is_namespace_name(&namespace).then_some(namespace)
    }

    /// Polls the target namespace's quotas (again: on open, on reconnect).
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(namespace) = self.target_namespace() else {
            return Vec::new();
        };
        if self.quota_namespace.as_ref() != Some(&namespace) {
            self.quota.restart();
        }
        self.quota_namespace = Some(namespace.clone());
        vec![Action::watch(
            &mut self.polling,
            ctx,
            Watch::Polled(Polled::Quota { namespace }),
        )]
    }

    /// Follows the namespace field: a second after it names another namespace, that one's
    /// quotas are polled instead.
    pub fn on_tick(&mut self, ctx: &Ctx<'_>) -> (bool, Vec<Action>) {
        match self.target_namespace() {
            Some(namespace) if self.quota_namespace.as_ref() != Some(&namespace) => {
                (true, self.subscribe(ctx))
            }
            _ => (false, Vec::new()),
        }
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.polling.is_current(ticket)
    }

    /// A poll's answer. A failure (a persona that may not read quotas) only means there is
    /// nothing to warn with: the form does not depend on it, so it is kept quiet.
    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::Quota(Ok(quotas))
                if self.polling.is_current(ticket)
                    && self.quota_namespace.as_ref() == Some(&quotas.namespace) =>
            {
                self.quota.succeed(quotas);
            }
            Reply::Quota(Err(error)) if self.polling.is_current(ticket) => {
                tracing::debug!(%error, "the form cannot read the quotas");
                self.quota.fail(error);
            }
            _ => {}
        }
        Vec::new()
    }

    /// What the change would exceed, by the estimate: the new revision's first pods
    /// (max(min-scale, initial-scale, 1)) × the container's requests and limits (the limit
    /// range's defaults where none is typed), plus one function for a create. Fields that do
    /// not parse count as not given (their problem is shown at the field).
    pub fn quota_shortfalls(&self) -> Vec<Shortfall> {
        self.demand()
            .map(|(quotas, demand)| shortfalls(quotas, &demand))
            .unwrap_or_default()
    }

    /// The lines of the quota warning (none when the change fits, or nothing is known).
    pub fn quota_warning(&self) -> Vec<String> {
        let Some((quotas, demand)) = self.demand() else {
            return Vec::new();
        };
        let namespace = self.quota_namespace.as_deref().unwrap_or_default();
        warning_lines(
            namespace,
            &shortfalls(quotas, &demand),
            &unspecified(quotas, &demand),
        )
    }

    /// The quotas in force and what the form's change asks of them.
    fn demand(&self) -> Option<(&[funcdeck_core::quota::ResourceQuota], Demand)> {
        let data = self.quota.data()?;
        if self.quota_namespace.as_ref() != Some(&data.namespace) || data.quotas.is_empty() {
            return None;
        }
        let resources = |slot| parse_resources(&self.text(slot)).unwrap_or_default();
        let scale = self.text(Slot::Scale);
        let min_scale = if scale.trim().is_empty() {
            None
        } else {
            parse_scale(&scale).ok().and_then(|(min, _)| min)
        };
        let initial_scale = self.text(Slot::InitialScale).trim().parse().ok();
        let demand = Demand::new(
            matches!(self.purpose, Purpose::Create),
            min_scale,
            initial_scale,
            &resources(Slot::Requests),
            &resources(Slot::Limits),
            &data.limit_ranges,
        );
        Some((&data.quotas, demand))
    }
}

/// The warning in lines: what it is (an estimate, the server decides), then one per resource.
fn warning_lines(
    namespace: &str,
    shortfalls: &[Shortfall],
    unspecified: &[(&str, String)],
) -> Vec<String> {
    if shortfalls.is_empty() && unspecified.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "⚠ the quota of namespace {namespace} would refuse this (a warning: the server decides)"
    )];
    lines.extend(shortfalls.iter().map(|s| {
        format!(
            "  {} ({}): needs at least {}, {} left of {} in quota {}",
            s.resource, s.key, s.need, s.left, s.hard, s.quota
        )
    }));
    lines.extend(unspecified.iter().map(|(resource, key)| {
        let field = if key.starts_with("limits.") {
            "Limits"
        } else {
            "Requests"
        };
        format!(
            "  {resource} ({key}): the quota counts it, so a container that sets none is refused; \
             set it in {field}"
        )
    }));
    lines.push(
        "  an estimate, at least: first pods × requests; Knative's queue-proxy sidecar adds its own"
            .to_owned(),
    );
    lines
}

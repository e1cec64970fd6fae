//! Reading the form back: every field parsed with the same rules as the CLI flags, each
//! problem kept at its field; an update sends only the fields (and list keys) that changed.

use std::collections::{BTreeMap, BTreeSet};

use funcdeck_core::function::spec_parse::{parse_key_value_lines, parse_resources, parse_scale};
use funcdeck_core::function::{SpecChange, check_function_name, new_service};
use funcdeck_core::key::ObjectKey;

use super::slots::Slot;
use super::{FormView, Purpose};
use crate::app::Mutation;
use funcdeck_core::names::is_namespace_name;

type Problems = BTreeMap<Slot, String>;
type Pairs = Vec<(String, Option<String>)>;
/// How a `KEY=VALUE` list field is read.
type ParseList = fn(&str) -> Result<Pairs, String>;

fn number<T: std::str::FromStr>(text: &str) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("\"{text}\" is not a whole number"))
}

/// Keys removed from `before` (as removals) and keys added or changed in `after`.
fn pairs_diff(before: &Pairs, after: &Pairs) -> Pairs {
    let old: BTreeMap<&String, &Option<String>> = before.iter().map(|(k, v)| (k, v)).collect();
    let new_keys: BTreeSet<&String> = after.iter().map(|(k, _)| k).collect();
    let mut out: Pairs = before
        .iter()
        .filter(|(k, _)| !new_keys.contains(k))
        .map(|(k, _)| (k.clone(), None))
        .collect();
    out.extend(
        after
            .iter()
            .filter(|(k, v)| old.get(k) != Some(&v))
            .cloned(),
    );
    out
}

impl FormView {
    /// The change the form asks for, or the problems at each field.
    /// `Ok(None)`: an update form nothing was changed in yet.
    pub(super) fn change(&self) -> Result<Option<Mutation>, Problems> {
        let mut problems = Problems::new();
        let initial = match &self.purpose {
            Purpose::Update { initial, .. } => Some(initial),
            Purpose::Create => None,
        };
        // In an update, an untouched field is not sent at all.
        let touched = |slot: Slot| {
            initial.is_none_or(|i| i.get(&slot).cloned().unwrap_or_default() != self.text(slot))
        };
        let mut note = |slot: Slot, why: String| {
            problems.entry(slot).or_insert(why);
        };
        let mut change = SpecChange::default();

        let image = self.text(Slot::Image).trim().to_owned();
        if image.is_empty() {
            note(Slot::Image, "an image is needed".into());
        } else if touched(Slot::Image) {
            change.image = Some(image);
        }
        let lists: [(Slot, ParseList); 5] = [
            (Slot::Env, parse_key_value_lines),
            (Slot::Requests, parse_resources),
            (Slot::Limits, parse_resources),
            (Slot::Labels, parse_key_value_lines),
            (Slot::Annotations, parse_key_value_lines),
        ];
        for (slot, parse) in lists {
            if !touched(slot) {
                continue;
            }
            let after = match parse(&self.text(slot)) {
                Ok(pairs) => pairs,
                Err(why) => {
                    note(slot, why);
                    continue;
                }
            };
            let pairs = match initial.and_then(|i| i.get(&slot)) {
                Some(before) => pairs_diff(&parse(before).unwrap_or_default(), &after),
                None => after,
            };
            match slot {
                Slot::Env => change.env = pairs,
                Slot::Requests => change.requests = pairs,
                Slot::Limits => change.limits = pairs,
                Slot::Labels => change.labels = pairs,
                _ => change.annotations = pairs,
            }
        }
        if touched(Slot::Scale) {
            let text = self.text(Slot::Scale);
            if !text.trim().is_empty() {
                match parse_scale(&text) {
                    Ok((min, max)) => (change.min_scale, change.max_scale) = (min, max),
                    Err(why) => note(Slot::Scale, why),
                }
            }
        }
        let numbers = [
            Slot::Concurrency,
            Slot::InitialScale,
            Slot::Target,
            Slot::Timeout,
        ];
        for slot in numbers {
            if !touched(slot) {
                continue;
            }
            match number::<u32>(&self.text(slot)) {
                Ok(value) => match slot {
                    Slot::Concurrency => change.concurrency = value,
                    Slot::InitialScale => change.initial_scale = value,
                    Slot::Target => change.target = value,
                    _ => change.timeout_seconds = value,
                },
                Err(why) => note(slot, why),
            }
        }
        if touched(Slot::Port) {
            match number::<u16>(&self.text(Slot::Port)) {
                Ok(port) => change.port = port,
                Err(why) => note(Slot::Port, why),
            }
        }
        let revision = self.text(Slot::RevisionName).trim().to_owned();
        change.revision_name = (!revision.is_empty()).then_some(revision);
        for problem in change.check() {
            note(Slot::of_field(problem.field), problem.message);
        }
        match &self.purpose {
            Purpose::Create => {
                let namespace = self.text(Slot::Namespace).trim().to_owned();
                if !is_namespace_name(&namespace) {
                    note(
                        Slot::Namespace,
                        format!("\"{namespace}\" is not a valid namespace name"),
                    );
                }
                let name = self.text(Slot::Name).trim().to_owned();
                if let Err(why) = check_function_name(&name) {
                    note(Slot::Name, why);
                }
                if !problems.is_empty() {
                    return Err(problems);
                }
                Ok(Some(Mutation::CreateFunction {
                    key: ObjectKey::new(&namespace, &name),
                    service: new_service(&namespace, &name, &change),
                    summary: change.summary(),
                }))
            }
            Purpose::Update { key, from_refs, .. } => {
                if !problems.is_empty() {
                    return Err(problems);
                }
                if change == SpecChange::default() {
                    return Ok(None);
                }
                let mut summary = change.summary();
                if *from_refs > 0 && !change.env.is_empty() {
                    summary.push_str(&format!(
                        " ({from_refs} variable{} from secrets or config maps kept)",
                        if *from_refs == 1 { "" } else { "s" }
                    ));
                }
                Ok(Some(Mutation::UpdateFunction {
                    key: key.clone(),
                    change: Box::new(change),
                    summary,
                }))
            }
        }
    }
}

//! How `funcdeck stack` prints: the plan as a table with diffs (or JSON listing each object
//! with its action), the status table, and a run's result.

use std::io::Write;

use funcdeck_core::stack::status::ComponentStatus;
use funcdeck_core::stack::{Action, Run};
use funcdeck_core::text::sanitize;
use serde_json::{Value, json};

use super::OutputFormat;
use super::output::write_table;
use crate::stack_flow::Checked;
use crate::stack_flow::{action_name, state_name};

pub fn plan_table(out: &mut impl Write, checked: &Checked) -> std::io::Result<()> {
    let Checked { prepared, plan, .. } = checked;
    writeln!(out, "# {}", sanitize(&prepared.era_source))?;
    let rows: Vec<Vec<String>> = plan
        .objects
        .iter()
        .map(|p| {
            let r = &p.desired.reference;
            vec![
                p.desired.component.name().to_string(),
                action_name(&p.action).to_string(),
                r.kind.clone(),
                r.namespace.clone().unwrap_or_default(),
                r.name.clone(),
            ]
        })
        .collect();
    write_table(
        out,
        &["COMPONENT", "ACTION", "KIND", "NAMESPACE", "NAME"],
        &rows,
    )?;
    for p in &plan.objects {
        match &p.action {
            Action::Change { diff } => {
                writeln!(out, "\n~ {}", p.desired.reference)?;
                for line in diff.lines() {
                    writeln!(out, "{}", sanitize(line))?;
                }
            }
            Action::Foreign { owner } => writeln!(
                out,
                "\n! {} is managed by {}: install refuses to take it over",
                p.desired.reference,
                sanitize(owner)
            )?,
            _ => {}
        }
    }
    for denied in &checked.denied {
        writeln!(out, "\n! {}", sanitize(denied))?;
    }
    writeln!(out, "\n{}", crate::stack_flow::plan_lines(plan)[0])
}

pub fn plan_json(checked: &Checked) -> Value {
    let Checked { prepared, plan, .. } = checked;
    let objects: Vec<Value> = plan
        .objects
        .iter()
        .map(|p| {
            let r = &p.desired.reference;
            let mut o = json!({
                "component": p.desired.component,
                "apiVersion": r.api_version,
                "kind": r.kind,
                "namespace": r.namespace,
                "name": r.name,
                "source": p.desired.source,
                "action": action_name(&p.action),
            });
            match &p.action {
                Action::Change { diff } => o["diff"] = json!(diff),
                Action::Foreign { owner } => o["owner"] = json!(owner),
                _ => {}
            }
            o
        })
        .collect();
    json!({
        "knative": {"era": prepared.era.name(), "detected": prepared.era_source},
        "components": prepared.components,
        "objects": objects,
        "refusals": checked.refusals,
        "denied": checked.denied,
    })
}

pub fn status_table(out: &mut impl Write, states: &[ComponentStatus]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = states
        .iter()
        .map(|s| {
            vec![
                s.component.name().to_string(),
                s.state.name().to_string(),
                s.objects.to_string(),
                sanitize(&s.reason).into_owned(),
            ]
        })
        .collect();
    write_table(out, &["COMPONENT", "STATE", "OBJECTS", "REASON"], &rows)
}

/// The run's end: a line for a table, every object's state as JSON.
pub fn run_result(out: &mut impl Write, format: OutputFormat, run: &Run) -> anyhow::Result<()> {
    if format == OutputFormat::Table {
        if let Some(Ok(())) = &run.outcome {
            let (done, _) = run.progress();
            writeln!(
                out,
                "{}: {done} objects",
                run.log.last().map_or("done", String::as_str)
            )?;
        }
        return Ok(());
    }
    let steps: Vec<Value> = run
        .steps
        .iter()
        .map(|s| {
            let (state, reason) = state_name(&s.state);
            json!({
                "component": s.component,
                "apiVersion": s.reference.api_version,
                "kind": s.reference.kind,
                "namespace": s.reference.namespace,
                "name": s.reference.name,
                "state": state,
                "reason": reason,
            })
        })
        .collect();
    let (result, reason) = match &run.outcome {
        Some(Ok(())) => ("succeeded", None),
        Some(Err(r)) if r == "interrupted" => ("interrupted", Some(r.as_str())),
        Some(Err(r)) => ("failed", Some(r.as_str())),
        None => ("unfinished", None),
    };
    let left: Vec<String> = run.left().iter().map(|r| r.to_string()).collect();
    structured(
        out,
        format,
        &json!({"mode": run.mode, "result": result, "reason": reason, "objects": steps, "left": left, "log": run.log}),
    )
}

pub fn structured(out: &mut impl Write, format: OutputFormat, value: &Value) -> anyhow::Result<()> {
    match format {
        OutputFormat::Yaml => write!(out, "{}", serde_saphyr::to_string(value)?)?,
        _ => writeln!(out, "{}", serde_json::to_string_pretty(value)?)?,
    }
    Ok(())
}

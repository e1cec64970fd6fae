//! The wizard's transitions, through the app as keys and answers reach it: plans and runs are
//! built by hand (no manifests, no cluster).

use funcdeck_core::error::CoreError;
use funcdeck_core::stack::object::{Desired, Wave, label};
use funcdeck_core::stack::status::{ComponentStatus, State};
use funcdeck_core::stack::{
    Action as PlanAction, Component, ObjectRef, Options, Plan, Planned, Run, Timing,
};
use serde_json::json;

use super::{Field, StackView, Step};
use crate::app::test_support::{loaded_app, press, press_named, prompt, ticket};
use crate::app::{App, Effect, Msg, Mutation, Overlay, Reply, StackPreview};
use crate::keymap::Keymap;
use crate::views::View;

fn view(app: &App) -> &StackView {
    match &app.top().view {
        View::Stack(view) => view,
        other => panic!("not the stack wizard: {}", other.title()),
    }
}

fn statuses() -> Vec<ComponentStatus> {
    Component::ALL
        .into_iter()
        .map(|component| ComponentStatus {
            component,
            state: State::NotInstalled,
            reason: "not installed".into(),
            objects: if component == Component::Metrics {
                3
            } else {
                0
            },
        })
        .collect()
}

fn deployment(name: &str) -> Planned {
    let mut object = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "monitoring"}});
    label(&mut object, Component::Metrics);
    Planned {
        desired: Desired {
            component: Component::Metrics,
            source: "metrics/prometheus.yaml".into(),
            stage: 0,
            wave: Wave::Objects,
            reference: ObjectRef::of(&object).expect("identity"),
            object,
            shared: false,
        },
        action: PlanAction::Create,
    }
}

fn preview(refusals: Vec<String>) -> StackPreview {
    StackPreview {
        era: "Knative v1.19.0".into(),
        plan: Plan {
            objects: vec![deployment("prometheus"), deployment("grafana")],
        },
        refusals,
        denied: Vec::new(),
    }
}

/// `:stack`, its status read.
fn wizard() -> App {
    let mut app = loaded_app(Keymap::defaults());
    let effects = prompt(&mut app, "stack");
    let asked: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StackStatus { ticket, options } => Some((ticket.generation, options.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [(1, Box::new(Options::default()))], "{effects:?}");
    reply(&mut app, 1, Reply::StackStatus(Ok(statuses())));
    app
}

fn reply(app: &mut App, generation: u64, reply: Reply) {
    let id = app.top().id;
    app.update(Msg::Reply {
        ticket: ticket(id, generation),
        reply: Box::new(reply),
    });
    app.settle();
}

/// The wizard at its plan step, the plan answered.
fn planned(refusals: Vec<String>) -> App {
    let mut app = wizard();
    let effects = press(&mut app, "p");
    assert!(
        matches!(&effects[..], [Effect::StackPlan { ticket, options, from: None }]
            if ticket.generation == 1 && options.components == Component::ALL),
        "{effects:?}"
    );
    assert_eq!(view(&app).step, Step::Plan);
    reply(&mut app, 1, Reply::StackPlan(Ok(preview(refusals))));
    app
}

fn confirming(app: &App) -> Option<&Mutation> {
    match &app.overlay {
        Some(Overlay::Confirm(confirm)) => Some(&confirm.mutation),
        _ => None,
    }
}

/// A metrics install of two Deployments that failed on the second.
fn failed_run() -> Run {
    let plan = Plan {
        objects: vec![deployment("prometheus"), deployment("grafana")],
    };
    let mut run = Run::install(&plan, Vec::new(), Timing::default()).expect("no refusal");
    run.steps[1].state = funcdeck_core::stack::StepState::Failed("image cannot be pulled".into());
    run.interrupt();
    run
}

#[test]
fn space_chooses_components_and_none_chosen_blocks_the_plan() {
    let mut app = wizard();
    press_named(&mut app, "<Space>");
    assert_eq!(
        view(&app).chosen,
        [Component::Tracing, Component::Logging, Component::Wiring]
    );
    for _ in 0..3 {
        press(&mut app, "j");
        press_named(&mut app, "<Space>");
    }
    assert!(view(&app).chosen.is_empty());
    assert!(press(&mut app, "p").is_empty(), "nothing to plan");
    assert_eq!(view(&app).step, Step::Choose);
    assert_eq!(
        view(&app).problem.as_deref(),
        Some("choose at least one component")
    );
    // Back in, in install order whatever the order of the keys.
    press_named(&mut app, "<Space>");
    press(&mut app, "kkk");
    press_named(&mut app, "<Space>");
    assert_eq!(view(&app).chosen, [Component::Metrics, Component::Wiring]);
    assert_eq!(view(&app).problem, None);
}

#[test]
fn an_invalid_option_says_why_and_blocks_next_until_fixed() {
    let mut app = wizard();
    press(&mut app, "jjjj");
    assert_eq!(Field::at(view(&app).cursor), Some(Field::MetricsNamespace));
    press_named(&mut app, "<Enter>");
    assert_eq!(view(&app).editing.as_deref(), Some("monitoring"));
    for _ in 0.."monitoring".len() {
        press_named(&mut app, "<Backspace>");
    }
    // Keys that are commands elsewhere type while a field is edited.
    press(&mut app, "Mon p");
    press_named(&mut app, "<Enter>");
    assert_eq!(view(&app).options.metrics_namespace, "Mon p");
    let problem = view(&app).problem.clone().expect("invalid");
    assert!(problem.starts_with("metrics namespace"), "{problem}");
    assert!(press(&mut app, "p").is_empty());
    // Esc drops an edit; Enter keeps it (trimmed).
    press_named(&mut app, "<Enter>");
    press(&mut app, "x");
    press_named(&mut app, "<Esc>");
    assert_eq!(view(&app).options.metrics_namespace, "Mon p");
    press_named(&mut app, "<Enter>");
    for _ in 0.."Mon p".len() {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, " metrics ");
    press_named(&mut app, "<Enter>");
    assert_eq!(view(&app).options.metrics_namespace, "metrics");
    assert_eq!(view(&app).problem, None);
    let effects = press(&mut app, "p");
    assert!(
        matches!(&effects[..], [Effect::StackPlan { options, .. }] if options.metrics_namespace == "metrics"),
        "{effects:?}"
    );
}

#[test]
fn the_log_store_flips_and_the_releases_directory_is_passed_on() {
    let mut app = wizard();
    for _ in 0..(super::COMPONENT_ROWS + 6) {
        press(&mut app, "j");
    }
    assert_eq!(Field::at(view(&app).cursor), Some(Field::LogStore));
    press_named(&mut app, "<Space>");
    assert_eq!(
        view(&app).options.log_store,
        funcdeck_core::stack::LogStore::OpenSearch
    );
    press(&mut app, "jj");
    press_named(&mut app, "<Enter>");
    press(&mut app, "/srv/releases");
    press_named(&mut app, "<Enter>");
    let effects = press(&mut app, "p");
    assert!(
        matches!(&effects[..], [Effect::StackPlan { from: Some(dir), options, .. }]
            if dir.as_os_str() == "/srv/releases" && options.log_store.name() == "opensearch"),
        "{effects:?}"
    );
}

#[test]
fn a_refused_plan_is_not_offered_to_the_gate() {
    let mut app = planned(vec![
        "Deployment monitoring/prometheus already exists and is managed by Helm, not funcdeck"
            .into(),
    ]);
    assert!(press_named(&mut app, "<Enter>").is_empty());
    assert!(confirming(&app).is_none());
    let notice = app.shell.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("refusing to install"), "{notice}");
    // Esc goes back a step, not out of the wizard.
    press_named(&mut app, "<Esc>");
    assert_eq!(view(&app).step, Step::Choose);
}

#[test]
fn install_goes_through_the_gate_and_progress_comes_to_the_wizard() {
    let mut app = planned(Vec::new());
    let id = app.top().id;
    press_named(&mut app, "<Enter>");
    let Some(Mutation::InstallStack {
        components,
        lines,
        progress,
        ..
    }) = confirming(&app)
    else {
        panic!("not confirming an install: {:?}", app.overlay);
    };
    assert_eq!(components, &Component::ALL);
    assert_eq!(lines, &["2 to create, 0 to change, 0 unchanged"]);
    assert_eq!(*progress, Some(ticket(id, 1)));
    let effects = press_named(&mut app, "<Enter>");
    assert!(
        matches!(
            &effects[..],
            [Effect::Mutate {
                mutation: Mutation::InstallStack { .. },
                ..
            }]
        ),
        "{effects:?}"
    );
    // A run snapshot for an older ticket is not this run.
    reply(&mut app, 0, Reply::StackRun(Box::new(failed_run())));
    assert_eq!(view(&app).step, Step::Plan);
    reply(&mut app, 1, Reply::StackRun(Box::new(failed_run())));
    assert_eq!(view(&app).step, Step::Run);
    assert_eq!(view(&app).active(), Some(0), "the first object left");
}

#[test]
fn read_only_refuses_the_install_at_the_gate() {
    let mut app = planned(Vec::new());
    app.shell.readonly = true;
    assert!(press_named(&mut app, "<Enter>").is_empty());
    assert!(confirming(&app).is_none());
    assert_eq!(
        app.shell.notice.as_deref(),
        Some(
            "cannot install the stack's metrics, tracing, logging and wiring: funcdeck runs read-only (--readonly)"
        )
    );
}

#[test]
fn after_a_failure_r_retries_and_u_rolls_back_through_the_gate() {
    let mut app = planned(Vec::new());
    press_named(&mut app, "<Enter>");
    press_named(&mut app, "<Enter>");
    reply(&mut app, 1, Reply::StackRun(Box::new(failed_run())));
    press(&mut app, "r");
    assert!(
        matches!(confirming(&app), Some(Mutation::InstallStack { progress: Some(t), .. }) if t.generation == 2),
        "{:?}",
        app.overlay
    );
    press_named(&mut app, "<Esc>");
    press(&mut app, "u");
    let Some(Mutation::UninstallStack { lines, .. }) = confirming(&app) else {
        panic!("not confirming an uninstall: {:?}", app.overlay);
    };
    assert!(lines[0].starts_with("Deletes 3 objects"), "{lines:?}");
    // Uninstalling asks for `stack` to be typed.
    assert!(press_named(&mut app, "<Enter>").is_empty());
    press(&mut app, "stack");
    let effects = press_named(&mut app, "<Enter>");
    assert!(
        matches!(
            &effects[..],
            [Effect::Mutate {
                mutation: Mutation::UninstallStack { .. },
                ..
            }]
        ),
        "{effects:?}"
    );
}

#[test]
fn a_run_refused_before_it_starts_says_why_and_the_status_is_read_again() {
    let mut app = planned(Vec::new());
    let id = app.top().id;
    press_named(&mut app, "<Enter>");
    let mutation = confirming(&app).cloned().expect("confirming");
    press_named(&mut app, "<Enter>");
    let effects = app.update(Msg::Mutated {
        ticket: ticket(crate::app::ViewId::SHELL, 1),
        mutation,
        result: Err(CoreError::Api {
            code: 0,
            reason: String::new(),
            message: "you may not create customresourcedefinitions".into(),
        }),
    });
    assert!(
        matches!(&effects[..], [Effect::StackStatus { ticket, .. }] if *ticket == crate::app::Ticket { view: id, generation: 2 }),
        "{effects:?}"
    );
    assert_eq!(
        view(&app).problem.as_deref(),
        Some("you may not create customresourcedefinitions")
    );
    assert_eq!(view(&app).step, Step::Plan);
}

#[test]
fn uninstall_from_the_first_step_needs_something_found() {
    let mut app = wizard();
    // Only tracing chosen: nothing of it was found.
    press_named(&mut app, "<Space>");
    press(&mut app, "jj");
    press_named(&mut app, "<Space>");
    press(&mut app, "j");
    press_named(&mut app, "<Space>");
    assert_eq!(view(&app).chosen, [Component::Tracing]);
    press(&mut app, "U");
    assert!(confirming(&app).is_none());
    assert_eq!(
        app.shell.notice.as_deref(),
        Some("nothing to uninstall: no object funcdeck installed for tracing was found")
    );
}

//! Screens of the stack wizard (`:stack`): the components with their status and the options,
//! the plan with a diff and a refusal, a run under way (an object waiting, one failed), and
//! the result of a failed and of a successful install.
//!
//! Rendered on ratatui's TestBackend; plans and runs are built by hand (no manifests, no
//! cluster), and a hostile reason from the cluster shows inert.

mod screens;

use funcdeck::app::{App, Reply, StackPreview};
use funcdeck::views::{StackView, View};
use funcdeck_core::stack::object::{Desired, Wave, label};
use funcdeck_core::stack::status::{ComponentStatus, State};
use funcdeck_core::stack::{Action, Component, ObjectRef, Plan, Planned, Run, StepState, Timing};
use screens::{all, press, press_named, render_sized, reply};
use serde_json::{Value, json};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 26;

fn planned(component: Component, object: Value, action: Action) -> Planned {
    let mut object = object;
    label(&mut object, component);
    let reference = ObjectRef::of(&object).expect("identity");
    let wave = if reference.kind == "Namespace" {
        Wave::Foundations
    } else {
        Wave::Objects
    };
    Planned {
        desired: Desired {
            component,
            source: format!("{component}/objects.yaml"),
            stage: 0,
            wave,
            reference,
            object,
            shared: false,
        },
        action,
    }
}

fn object(api: &str, kind: &str, ns: Option<&str>, name: &str) -> Value {
    let mut o = json!({"apiVersion": api, "kind": kind, "metadata": {"name": name}});
    if let Some(ns) = ns {
        o["metadata"]["namespace"] = json!(ns);
    }
    o
}

fn metrics_plan() -> Plan {
    Plan {
        objects: vec![
            planned(
                Component::Metrics,
                object("v1", "Namespace", None, "monitoring"),
                Action::Kept,
            ),
            planned(
                Component::Metrics,
                object("v1", "ConfigMap", Some("monitoring"), "prometheus-config"),
                Action::Change {
                    diff: "  data:\n    prometheus.yml: |\n-     scrape_interval: 30s\n+     scrape_interval: 15s\n".into(),
                },
            ),
            planned(
                Component::Metrics,
                object("v1", "Service", Some("monitoring"), "prometheus"),
                Action::Unchanged,
            ),
            planned(
                Component::Metrics,
                object("apps/v1", "Deployment", Some("monitoring"), "prometheus"),
                Action::Create,
            ),
            planned(
                Component::Metrics,
                object("apps/v1", "Deployment", Some("monitoring"), "grafana"),
                Action::Create,
            ),
        ],
    }
}

fn statuses() -> Vec<ComponentStatus> {
    let status = |component, state, objects, reason: &str| ComponentStatus {
        component,
        state,
        reason: reason.into(),
        objects,
    };
    vec![
        status(
            Component::Metrics,
            State::Ready,
            9,
            "monitoring/prometheus:9090 answers",
        ),
        status(
            Component::Tracing,
            State::Failed,
            14,
            "Deployment observability/jaeger: ErrImagePull \u{1b}[31mjaegertracing/all-in-one:9.9\u{1b}[0m",
        ),
        status(
            Component::Logging,
            State::Progressing,
            4,
            "StatefulSet logging/elasticsearch: 0/1 ready",
        ),
        status(Component::Wiring, State::NotInstalled, 0, "not installed"),
    ]
}

/// The wizard open, its status read.
fn wizard() -> App {
    let mut app = all();
    app.push(View::Stack(Box::<StackView>::default()));
    reply(&mut app, 1, Reply::StackStatus(Ok(statuses())));
    app
}

fn view_mut(app: &mut App) -> &mut StackView {
    match &mut app.stack.last_mut().expect("a view").view {
        View::Stack(view) => view,
        _ => panic!("not the wizard"),
    }
}

/// A run of the metrics plan with its steps put in the given states.
fn run(states: Vec<StepState>, log: &[&str], outcome: Option<Result<(), String>>) -> Run {
    let mut run = Run::install(&metrics_plan(), Vec::new(), Timing::default()).expect("planned");
    for (step, state) in run.steps.iter_mut().zip(states) {
        step.state = state;
    }
    run.log = log.iter().map(|l| l.to_string()).collect();
    run.outcome = outcome;
    run
}

#[test]
fn choose_shows_each_component_with_its_status_and_the_options() {
    let mut app = wizard();
    // Leave out wiring and select the log store.
    press(&mut app, "jjj");
    press_named(&mut app, "<Space>");
    press(&mut app, "jjjjjjj");
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(!screen.contains('\u{1b}'), "escape sequences shown inert");
    insta::assert_snapshot!(screen);
}

#[test]
fn choose_says_why_an_option_is_invalid() {
    let mut app = wizard();
    press(&mut app, "jjjjjjjjj");
    press_named(&mut app, "<Enter>");
    for _ in 0..4 {
        press_named(&mut app, "<Backspace>");
    }
    press(&mut app, "lots");
    press_named(&mut app, "<Enter>");
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("log storage \"lots\" is not a size (e.g. 10Gi, 500Mi)"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn plan_shows_the_refusal_first_and_the_selected_change_as_a_diff() {
    let mut app = wizard();
    press(&mut app, "p");
    let mut plan = metrics_plan();
    plan.objects.push(planned(
        Component::Logging,
        object("apps/v1", "StatefulSet", Some("logging"), "elasticsearch"),
        Action::Foreign {
            owner: "Helm".into(),
        },
    ));
    let refusals = plan.refusals();
    reply(
        &mut app,
        1,
        Reply::StackPlan(Ok(StackPreview {
            era: "Knative v1.19.0 (Namespace knative-serving label app.kubernetes.io/version)"
                .into(),
            plan,
            refusals,
            denied: Vec::new(),
        })),
    );
    press(&mut app, "j");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn progress_follows_the_object_being_worked_on() {
    let mut app = wizard();
    reply(
        &mut app,
        0,
        Reply::StackRun(Box::new(run(
            vec![
                StepState::Kept,
                StepState::Failed("the API server refused: admission webhook \"validate.monitoring\" is not ready".into()),
                StepState::Unchanged,
                StepState::Waiting("0/1 pods ready: ContainerCreating".into()),
                StepState::Pending,
            ],
            &[
                "applied ConfigMap monitoring/prometheus-config",
                "applied Deployment monitoring/prometheus",
                "waiting for Deployment monitoring/prometheus: 0/1 pods ready: ContainerCreating",
            ],
            None,
        ))),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_failed_install_says_why_what_is_left_and_how_to_retry_or_roll_back() {
    let mut app = wizard();
    let reason = "Deployment monitoring/grafana: PersistentVolumeClaim monitoring/grafana is Pending: no persistent volume to bind";
    reply(
        &mut app,
        0,
        Reply::StackRun(Box::new(run(
            vec![
                StepState::Kept,
                StepState::Applied,
                StepState::Unchanged,
                StepState::Ready,
                StepState::Failed("PersistentVolumeClaim monitoring/grafana is Pending: no persistent volume to bind".into()),
            ],
            &["ready: Deployment monitoring/prometheus", &format!("failed: {reason}")],
            Some(Err(reason.into())),
        ))),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("r plans again and resumes"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_finished_install_says_what_is_ready_and_where_the_panes_find_it() {
    let mut app = wizard();
    view_mut(&mut app).chosen = vec![Component::Metrics];
    reply(
        &mut app,
        0,
        Reply::StackRun(Box::new(run(
            vec![
                StepState::Kept,
                StepState::Applied,
                StepState::Unchanged,
                StepState::Ready,
                StepState::Ready,
            ],
            &[
                "ready: Deployment monitoring/grafana",
                "metrics: monitoring/prometheus:9090 answers through the service proxy",
                "installed",
            ],
            Some(Ok(())),
        ))),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

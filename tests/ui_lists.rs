//! Screens of the Revisions, Pods and Events lists, and the `:` prompt that jumps to them.
//!
//! Rendered at 150x40 on ratatui's TestBackend; time is pinned (`fixed_now`).

mod screens;

use funcdeck::app::{App, Msg, Reply, Ticket, ViewId};
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::FunctionEvent;
use funcdeck_core::knative::Revision;
use funcdeck_core::watch::WatchEvent;
use screens::objects::{
    crash_looping, event, image_pull_backoff, pod, revision, revision_failed, revision_idle,
    revision_ready, running, summary_of,
};
use screens::testing::summary;
use screens::{all, press, press_named, render_tall, reply};

fn revisions() -> Vec<Revision> {
    vec![
        revision(
            "shop",
            "cart",
            1,
            3 * 24 * 60,
            "ghcr.io/acme/cart:1.4.0",
            revision_ready(),
        ),
        revision(
            "shop",
            "cart",
            2,
            45,
            "ghcr.io/acme/cart:1.5.0",
            revision_ready(),
        ),
        revision(
            "payments",
            "refund",
            7,
            20,
            "ghcr.io/acme/refund:7",
            revision_failed("ExitCode1", "Container failed with: panic"),
        ),
        revision(
            "analytics",
            "report-export",
            3,
            6 * 60,
            "ghcr.io/acme/report:3",
            revision_idle(),
        ),
    ]
}

/// The Functions view with a few functions, under the prompt.
fn listed() -> App {
    let mut app = all();
    screens::deliver(
        &mut app,
        FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("payments", "refund", Readiness::Failed),
            summary("platform-tools", "report-export", Readiness::Ready),
        ]),
    );
    app
}

/// `:line` typed and run.
fn jump(app: &mut App, line: &str) {
    press(app, ":");
    press(app, line);
    press_named(app, "<Enter>");
}

#[test]
fn revisions_view_in_all_namespaces() {
    let mut app = all();
    jump(&mut app, "rev");
    reply(
        &mut app,
        1,
        Reply::Revisions(WatchEvent::Synced(
            revisions().iter().map(summary_of).collect(),
        )),
    );
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn pods_view_in_all_namespaces() {
    let mut app = all();
    jump(&mut app, "po");
    reply(
        &mut app,
        1,
        Reply::Pods(WatchEvent::Synced(vec![
            pod("shop", "cart", "cart-00002", "abcde", 44, running()),
            pod("shop", "cart", "cart-00002", "fghij", 12, running()),
            pod(
                "payments",
                "refund",
                "refund-00007",
                "vwxyz",
                18,
                crash_looping(1, 7),
            ),
            pod(
                "analytics",
                "report-export",
                "report-export-00003",
                "pqrst",
                3,
                image_pull_backoff("ghcr.io/acme/report:3"),
            ),
        ])),
    );
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn events_view_in_all_namespaces() {
    let mut app = all();
    jump(&mut app, "ev");
    reply(
        &mut app,
        1,
        Reply::Events(WatchEvent::Synced(vec![
            event(
                "payments",
                "Pod",
                "refund-00007-deployment-7f9c8d6b5-vwxyz",
                "Warning",
                "BackOff",
                "Back-off restarting failed container user-container",
                1,
            ),
            event(
                "shop",
                "Revision",
                "cart-00002",
                "Normal",
                "RevisionReady",
                "Revision becomes ready upon all resources being ready",
                44,
            ),
            event(
                "analytics",
                "Pod",
                "report-export-00003-deployment-7f9c8d6b5-pqrst",
                "Warning",
                "Failed",
                "Failed to pull image \"ghcr.io/acme/report:3\": not found",
                3,
            ),
            event(
                "default",
                "Node",
                "worker-1",
                "Normal",
                "NodeReady",
                "Node worker-1 status is now: NodeReady",
                120,
            ),
        ])),
    );
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn prompt_with_a_half_typed_command_and_its_completion() {
    let mut app = listed();
    app.update(Msg::Namespaces {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(vec![
            "analytics".into(),
            "payments".into(),
            "platform-tools".into(),
            "shop".into(),
        ]),
    });
    press(&mut app, ":ns p");
    insta::assert_snapshot!(render_tall(&mut app));
}

#[test]
fn prompt_completed_with_tab() {
    let mut app = listed();
    press(&mut app, ":re");
    press_named(&mut app, "<Tab>");
    let screen = render_tall(&mut app);
    assert!(screen.contains(":rev"), "{screen}");
    insta::assert_snapshot!(screen);
}

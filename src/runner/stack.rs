//! The stack wizard's I/O: each component's status, the checked plan, and the install and
//! uninstall runs. A run plans again right before it writes (what is already there is
//! unchanged and skipped, so a run after a failure resumes), refuses as the command line does,
//! streams its progress to the wizard (a copy of the run after its changes, at most every
//! `THROTTLE` unless its log grew, and always its end) and ends with the usual
//! `Msg::Mutated`. The run goes on if the wizard is closed: the banner says how it ended.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::stack::cluster::StackCluster;
use funcdeck_core::stack::session;
use funcdeck_core::stack::{Options, Run, status};
use tokio::sync::mpsc::UnboundedSender;

use super::Backends;
use crate::app::{Msg, Mutation, Reply, StackPreview, Ticket};
use crate::stack_flow;

/// How often the wizard is sent the run at most while nothing new is logged (a waiting
/// object's reason may still change).
const THROTTLE: Duration = Duration::from_millis(250);

fn reply(tx: &UnboundedSender<Msg>, ticket: Ticket, reply: Reply) {
    let _ = tx.send(Msg::Reply {
        ticket,
        reply: Box::new(reply),
    });
}

pub(super) fn status(
    conn: Option<Connection>,
    backends: Backends,
    ticket: Ticket,
    options: Options,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = async {
            let cluster = StackCluster::new(&conn.ok_or_else(not_connected)?);
            let bundle = stack_flow::bundle(backends.stack_pins())?;
            let prepared = session::prepare_own(&cluster, &bundle, &options).await?;
            status::status(&cluster, &prepared).await
        }
        .await;
        reply(&tx, ticket, Reply::StackStatus(result));
    });
}

pub(super) fn plan(
    conn: Option<Connection>,
    backends: Backends,
    ticket: Ticket,
    (options, from): (Options, Option<std::path::PathBuf>),
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = async {
            let cluster = StackCluster::new(&conn.ok_or_else(not_connected)?);
            let bundle = stack_flow::bundle(backends.stack_pins())?;
            let checked =
                stack_flow::checked_plan(&cluster, &bundle, &options, from.as_deref()).await?;
            Ok(StackPreview {
                era: checked.prepared.era_source,
                plan: checked.plan,
                refusals: checked.refusals,
                denied: checked.denied,
            })
        }
        .await;
        reply(&tx, ticket, Reply::StackPlan(result));
    });
}

/// One stack run at a time: two would race over the same objects (a second `:stack` while the
/// first still runs in the background is refused, not queued).
static RUNNING: AtomicBool = AtomicBool::new(false);

struct RunGuard;

impl RunGuard {
    fn take() -> Option<RunGuard> {
        (!RUNNING.swap(true, Ordering::SeqCst)).then_some(RunGuard)
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        RUNNING.store(false, Ordering::SeqCst);
    }
}

/// Runs an `InstallStack` or `UninstallStack` to its end; the answer is `Msg::Mutated`.
pub(super) fn run(
    conn: Option<Connection>,
    backends: Backends,
    ticket: Ticket,
    mutation: Mutation,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match (conn, RunGuard::take()) {
            (_, None) => Err(
                "another stack install or uninstall is still running; its banner says when it ends"
                    .to_string(),
            ),
            (Some(conn), Some(_running)) => {
                drive(&StackCluster::new(&conn), &backends, &mutation, &tx).await
            }
            (None, Some(_)) => Err(not_connected()),
        };
        if let Err(error) = &result {
            tracing::warn!(%error, change = %mutation.describe(), "stack run failed");
        }
        let result = result.map_err(|message| CoreError::Stack { message });
        let _ = tx.send(Msg::Mutated {
            ticket,
            mutation,
            result,
        });
    });
}

async fn drive(
    cluster: &StackCluster,
    backends: &Backends,
    mutation: &Mutation,
    tx: &UnboundedSender<Msg>,
) -> Result<(), String> {
    let bundle = stack_flow::bundle(backends.stack_pins())?;
    let (mut run, progress) = match mutation {
        Mutation::InstallStack {
            options,
            from,
            timing,
            progress,
            ..
        } => {
            let checked =
                stack_flow::checked_plan(cluster, &bundle, options, from.as_deref()).await?;
            if let Some(blocked) = checked.blocked() {
                return Err(blocked);
            }
            let run = Run::install(&checked.plan, checked.prepared.verifies, *timing)
                .map_err(|refusals| refusals.join("; "))?;
            (run, *progress)
        }
        Mutation::UninstallStack {
            options,
            timing,
            progress,
            ..
        } => {
            let prepared = session::prepare_own(cluster, &bundle, options).await?;
            let found =
                session::found_for_uninstall(cluster, &prepared.desired, &prepared.components)
                    .await?;
            (Run::uninstall(found, *timing), *progress)
        }
        other => return Err(format!("{} is not a stack run", other.describe())),
    };
    let mut sent: Option<(Instant, usize)> = None;
    let show = move |run: &Run| {
        let Some(ticket) = progress else { return };
        let due = match sent {
            None => true,
            Some((at, logged)) => {
                run.is_finished() || run.log.len() != logged || at.elapsed() >= THROTTLE
            }
        };
        if due {
            sent = Some((Instant::now(), run.log.len()));
            reply(tx, ticket, Reply::StackRun(Box::new(snapshot(run))));
        }
    };
    session::drive(&mut run, cluster, show).await;
    match run.outcome {
        Some(Ok(())) => Ok(()),
        Some(Err(reason)) => Err(reason),
        None => Err("the run stopped before its end".into()),
    }
}

/// The run without the bodies it applies (the wizard shows states, not manifests; a
/// release's CRDs are megabytes).
fn snapshot(run: &Run) -> Run {
    let mut copy = run.clone();
    for step in &mut copy.steps {
        step.body = None;
    }
    copy
}

fn not_connected() -> String {
    CoreError::NotConnected.to_string()
}

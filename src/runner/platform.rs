//! The platform views' data (tenants, roles and bindings, quotas, a function's metrics,
//! usage): each is made of several kinds of object with no single watch, so it is read again
//! every few seconds (a minute for usage) for as long as its view is open. A poll is a "watch" to the registry: replaced by the view's next one,
//! aborted when the view is popped or the connection changes.

use std::future::Future;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::{quota, rbac, tenant};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::{Msg, Polled, Quotas, Reply, Tenants, Ticket};

/// How often an open platform view reads its objects again. Short enough that a grant or a
/// quota change made elsewhere (kubectl) shows up while one looks, long enough to cost little.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// One read longer than this is reported as the server being unreachable.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Starts reading `polled` over and over for the ticket's view.
pub(super) fn poll(
    conn: Connection,
    backends: super::Backends,
    ticket: Ticket,
    polled: Polled,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    match polled {
        Polled::Tenants => repeat(ticket, tx, move || {
            let conn = conn.clone();
            async move {
                let read = bounded(&conn, tenant::read_tenants(&conn)).await;
                Reply::Tenants(read.map(|(inputs, missing)| Tenants {
                    tenants: tenant::summarize(&inputs),
                    missing,
                }))
            }
        }),
        Polled::Rbac { namespace } => repeat(ticket, tx, move || {
            let conn = conn.clone();
            let namespace = namespace.clone();
            async move { Reply::Rbac(bounded(&conn, rbac::snapshot(&conn, &namespace)).await) }
        }),
        Polled::Quota { namespace } => repeat(ticket, tx, move || {
            let conn = conn.clone();
            let namespace = namespace.clone();
            async move {
                let read = bounded(&conn, quota::read_quotas(&conn, &namespace)).await;
                Reply::Quota(read.map(|(quotas, limit_ranges)| Quotas {
                    namespace,
                    quotas,
                    limit_ranges,
                }))
            }
        }),
        Polled::Metrics {
            key,
            revision,
            range,
        } => super::metrics::poll(conn, backends, ticket, (key, revision), range, tx),
        Polled::Pulse { scope } => super::metrics::poll_pulse(conn, backends, ticket, scope, tx),
        Polled::Traces { key, since, filter } => {
            let ask = super::traces::Ask { key, since, filter };
            super::traces::poll(conn, backends, ticket, ask, tx)
        }
        Polled::Logs {
            target,
            text,
            since,
        } => super::logs::poll(conn, backends, ticket, target, text, since, tx),
        Polled::Usage { scope, since } => {
            super::usage::poll(conn, backends, ticket, scope, since, tx)
        }
    }
}

/// A read that gives up after `READ_TIMEOUT`, saying so.
async fn bounded<T>(
    conn: &Connection,
    read: impl Future<Output = Result<T, CoreError>>,
) -> Result<T, CoreError> {
    match tokio::time::timeout(READ_TIMEOUT, read).await {
        Ok(result) => result,
        Err(_) => Err(CoreError::Unreachable {
            server: conn.cluster.clone(),
            reason: format!("no answer within {} s", READ_TIMEOUT.as_secs()),
        }),
    }
}

/// Reads now and then every `POLL_INTERVAL` until the view goes (the task is aborted) or the UI
/// stops listening.
fn repeat<F, Fut>(ticket: Ticket, tx: UnboundedSender<Msg>, read: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Reply> + Send,
{
    repeat_every(POLL_INTERVAL, ticket, tx, read)
}

/// Reads now and then every `interval`, as [`repeat`].
pub(super) fn repeat_every<F, Fut>(
    interval: Duration,
    ticket: Ticket,
    tx: UnboundedSender<Msg>,
    read: F,
) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Reply> + Send,
{
    repeat_paced(move |_| interval, ticket, tx, read)
}

/// Reads now and then again after the wait `pace` gives for each answer (a failed read may be
/// worth trying again sooner than a good one is worth refreshing).
pub(super) fn repeat_paced<P, F, Fut>(
    pace: P,
    ticket: Ticket,
    tx: UnboundedSender<Msg>,
    read: F,
) -> JoinHandle<()>
where
    P: Fn(&Reply) -> Duration + Send + 'static,
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Reply> + Send,
{
    tokio::spawn(async move {
        loop {
            let reply = Box::new(read().await);
            let wait = pace(&reply);
            if tx.send(Msg::Reply { ticket, reply }).is_err() {
                break;
            }
            tokio::time::sleep(wait).await;
        }
    })
}

//! Effects of the YAML editor: reading the function (with its draft), reading the server's
//! version after a conflict, and keeping drafts on disk. File work runs on the blocking pool;
//! the handles are kept so a quit waits for the last draft to be written.

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::{Msg, Reply, Ticket};
use crate::drafts::{Draft, DraftId, DraftStore};

const NO_STORE: &str = "drafts are not kept in this session (no state directory)";

pub(super) fn load(
    conn: Option<Connection>,
    store: Option<DraftStore>,
    ticket: Ticket,
    id: DraftId,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let object = match &conn {
            None => Err(CoreError::NotConnected),
            Some(conn) => funcdeck_core::edit::load(conn, &id.key).await,
        };
        let draft = match store {
            None => Err(NO_STORE.to_owned()),
            Some(store) => tokio::task::spawn_blocking(move || store.load(&id))
                .await
                .unwrap_or_else(|e| Err(e.to_string())),
        };
        let reply = Box::new(Reply::EditLoaded { object, draft });
        let _ = tx.send(Msg::Reply { ticket, reply });
    });
}

pub(super) fn load_theirs(
    conn: Option<Connection>,
    ticket: Ticket,
    key: ObjectKey,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match &conn {
            None => Err(CoreError::NotConnected),
            Some(conn) => funcdeck_core::edit::load(conn, &key).await,
        };
        let reply = Box::new(Reply::Theirs(result));
        let _ = tx.send(Msg::Reply { ticket, reply });
    });
}

/// Writes or deletes a draft off the UI task, after the `previous` write (so an older buffer
/// never lands over a newer one); a failure is told to the user.
pub(super) fn write(
    store: Option<DraftStore>,
    change: DraftChange,
    previous: Option<JoinHandle<()>>,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Some(previous) = previous {
            let _ = previous.await;
        }
        let result = tokio::task::spawn_blocking(move || match (&store, &change) {
            (None, _) => Err(NO_STORE.to_owned()),
            (Some(store), DraftChange::Save(draft)) => store.save(draft),
            (Some(store), DraftChange::Delete(id)) => store.delete(id),
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        if let Err(error) = result {
            tracing::warn!(%error, "draft");
            let _ = tx.send(Msg::DraftFailed(error));
        }
    })
}

pub(super) enum DraftChange {
    Save(Draft),
    Delete(DraftId),
}

pub(super) fn list(store: Option<DraftStore>, ticket: Ticket, tx: UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let drafts = store.map(|s| s.list()).unwrap_or_default();
        let _ = tx.send(Msg::Drafts { ticket, drafts });
    });
}

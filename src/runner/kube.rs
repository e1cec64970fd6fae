//! Effects that talk to the Kubernetes API: connecting, watches, one-shot lists, probes.

use std::time::Duration;

use funcdeck_core::cluster::{self, ClusterTarget};
use funcdeck_core::error::CoreError;
use funcdeck_core::functions;
use funcdeck_core::{events, pods, revisions};
use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::ConnectionSlot;
use crate::app::{ContextInfo, Msg, Mutation, Reply, Ticket, Watch};
use funcdeck_core::cluster::Connection;

const NAMESPACE_LIST_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn connect(
    target: ClusterTarget,
    ticket: Ticket,
    slot: ConnectionSlot,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = cluster::connect(&target).await.map(|conn| {
            let info = ContextInfo {
                context: conn.context.clone(),
                server: conn.cluster.clone(),
                default_namespace: conn.default_namespace.clone(),
                contexts: conn.contexts.clone(),
            };
            // A slower, older connect must not replace a newer one.
            if let Ok(mut slot) = slot.lock()
                && slot
                    .as_ref()
                    .is_none_or(|(newest, _)| *newest < ticket.generation)
            {
                *slot = Some((ticket.generation, conn));
            }
            info
        });
        if let Err(error) = &result {
            tracing::warn!(%error, "connect failed");
        }
        let _ = tx.send(Msg::Connected { ticket, result });
    });
}

/// Starts a watch and forwards its events as replies until the receiver or the task goes.
pub(super) fn watch(
    conn: Option<Connection>,
    backends: super::Backends,
    ticket: Ticket,
    watch: Watch,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let Some(conn) = conn else {
        let reply = Reply::failed(&watch, CoreError::NotConnected);
        let reply = Box::new(reply);
        let _ = tx.send(Msg::Reply { ticket, reply });
        return tokio::spawn(async {});
    };
    let stream: BoxStream<'static, Reply> = match watch {
        Watch::Functions { scope } => functions::watch_functions(&conn, scope)
            .map(Reply::Functions)
            .boxed(),
        Watch::Revisions { scope } => revisions::watch_revisions(&conn, &scope, None)
            .map(Reply::Revisions)
            .boxed(),
        Watch::Pods { scope, selector } => pods::watch_pods(&conn, &scope, selector.as_deref())
            .map(Reply::Pods)
            .boxed(),
        Watch::Events { scope } => events::watch_events(&conn, &scope)
            .map(Reply::Events)
            .boxed(),
        Watch::Function { key } => functions::watch_function(&conn, &key.namespace, &key.name)
            .map(Reply::Function)
            .boxed(),
        Watch::FunctionRevisions { key } => {
            revisions::watch_function_revisions(&conn, &key.namespace, &key.name)
                .map(Reply::FunctionRevisions)
                .boxed()
        }
        Watch::Polled(polled) => {
            return super::platform::poll(conn, backends, ticket, polled, tx);
        }
    };
    forward(stream, ticket, tx)
}

fn forward(
    mut stream: BoxStream<'static, Reply>,
    ticket: Ticket,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(reply) = stream.next().await {
            let reply = Box::new(reply);
            if tx.send(Msg::Reply { ticket, reply }).is_err() {
                break;
            }
        }
    })
}

pub(super) fn load_namespaces(conn: Option<Connection>, ticket: Ticket, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = match conn {
            None => Err(CoreError::NotConnected),
            Some(conn) => {
                match tokio::time::timeout(
                    NAMESPACE_LIST_TIMEOUT,
                    functions::list_namespaces(&conn),
                )
                .await
                {
                    Ok(result) => result,
                    Err(_) => Err(CoreError::Unreachable {
                        server: conn.cluster.clone(),
                        reason: "listing namespaces timed out".into(),
                    }),
                }
            }
        };
        let _ = tx.send(Msg::Namespaces { ticket, result });
    });
}

pub(super) fn probe(conn: Option<Connection>, ticket: Ticket, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = match conn {
            None => Err(CoreError::NotConnected),
            Some(conn) => cluster::probe(&conn).await,
        };
        let _ = tx.send(Msg::Probed { ticket, result });
    });
}

/// Asks for the user's rules in `namespace`.
pub(super) fn review_access(
    conn: Option<Connection>,
    ticket: Ticket,
    namespace: String,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match conn {
            None => Err(CoreError::NotConnected),
            Some(conn) => funcdeck_core::access::review_access(&conn, &namespace).await,
        };
        let _ = tx.send(Msg::Access {
            ticket,
            namespace,
            result,
        });
    });
}

/// Carries out a change the user confirmed and reports how it went.
pub(super) fn mutate(
    conn: Option<Connection>,
    ticket: Ticket,
    mutation: Mutation,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        // What a write that deploys a revision returned: the generation written and the
        // revision it replaces, so the function's detail can follow the new one.
        let mut written: Option<(i64, Option<String>)> = None;
        let deploys = |service: &funcdeck_core::knative::Service| {
            Some((
                service.metadata.generation.unwrap_or(1),
                service
                    .status
                    .as_ref()
                    .and_then(|s| s.latest_created_revision_name.clone()),
            ))
        };
        let result = match (&conn, &mutation) {
            (None, _) => Err(CoreError::NotConnected),
            (Some(conn), Mutation::DeleteFunction { key }) => {
                functions::delete_function(conn, &key.namespace, &key.name).await
            }
            (Some(conn), Mutation::PruneRevisions { key, revisions }) => {
                prune(conn, &key.namespace, revisions).await
            }
            (
                Some(conn),
                Mutation::Rollback {
                    key,
                    traffic,
                    resource_version,
                    generation,
                    ..
                },
            ) => functions::set_traffic(
                conn,
                &key.namespace,
                &key.name,
                traffic,
                resource_version.as_deref(),
                *generation,
            )
            .await
            .map(|_| ()),
            (Some(conn), Mutation::CreateFunction { key, service, .. }) => {
                functions::create_function(conn, &key.namespace, service)
                    .await
                    .map(|created| written = deploys(&created).map(|(g, _)| (g, None)))
            }
            (Some(conn), Mutation::UpdateFunction { key, change, .. }) => {
                functions::update_function(conn, &key.namespace, &key.name, change)
                    .await
                    .map(|updated| {
                        if let functions::Updated::Changed { service, .. } = updated {
                            written = deploys(&service);
                        }
                    })
            }
            (
                Some(conn),
                Mutation::EditFunction {
                    key,
                    patch,
                    resource_version,
                    ..
                },
            ) => funcdeck_core::edit::apply(conn, key, patch, resource_version)
                .await
                .map(|_| ()),
            (
                Some(conn),
                Mutation::SetTraffic {
                    key,
                    traffic,
                    resource_version,
                    generation,
                    ..
                },
            ) => functions::set_traffic(
                conn,
                &key.namespace,
                &key.name,
                traffic,
                resource_version.as_deref(),
                *generation,
            )
            .await
            .map(|_| ()),
            (Some(conn), Mutation::SetVisibility { key, patch, .. }) => {
                functions::patch_metadata(conn, &key.namespace, &key.name, patch)
                    .await
                    .map(|_| ())
            }
            (Some(conn), Mutation::InstallRoles { roles, .. }) => install_roles(conn, roles).await,
            (
                Some(conn),
                Mutation::SetBinding {
                    grant,
                    subjects,
                    resource_version,
                    revoke,
                    ..
                },
            ) => set_binding(conn, grant, subjects, resource_version.as_deref(), *revoke).await,
            (Some(conn), Mutation::SetQuota { key, body, .. }) => {
                funcdeck_core::quota::apply_quota(conn, &key.namespace, body)
                    .await
                    .map(|_| ())
            }
            (Some(conn), Mutation::CreateTenant { objects, .. }) => {
                funcdeck_core::tenant::apply_tenant(conn, objects).await
            }
            // Runs with progress: `Runner::run` hands them to `runner::stack`, never here.
            (Some(_), Mutation::InstallStack { .. } | Mutation::UninstallStack { .. }) => {
                Err(CoreError::Stack {
                    message: "a stack run is not a one-shot write".into(),
                })
            }
        };
        if let Err(error) = &result {
            tracing::warn!(%error, change = %mutation.describe(), "change refused");
        }
        let key = mutation.key().clone();
        let _ = tx.send(Msg::Mutated {
            ticket,
            mutation,
            result,
        });
        // After `Mutated`: a created function's detail is open by then to take it.
        if let Some((generation, previous)) = written {
            let _ = tx.send(Msg::Written {
                key,
                generation,
                previous,
            });
        }
    });
}

/// Deletes each revision; one that fails does not stop the others (each deletion stands on its
/// own, and the detail shows live which are left). The first failure is reported.
async fn prune(conn: &Connection, namespace: &str, revisions: &[String]) -> Result<(), CoreError> {
    let mut first_error = None;
    for name in revisions {
        match revisions::delete_revision(conn, namespace, name).await {
            Ok(()) | Err(CoreError::NotFound { .. }) => {}
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Applies each role in turn; the first refusal stops (the rest would be refused alike).
async fn install_roles(
    conn: &Connection,
    roles: &[funcdeck_core::rbac::ClusterRole],
) -> Result<(), CoreError> {
    for role in roles {
        funcdeck_core::rbac::apply_role(conn, role).await?;
    }
    Ok(())
}

/// Writes a grant's binding: a revoke that leaves nobody deletes it.
async fn set_binding(
    conn: &Connection,
    grant: &funcdeck_core::rbac::Grant,
    subjects: &[funcdeck_core::rbac::Subject],
    resource_version: Option<&str>,
    revoke: bool,
) -> Result<(), CoreError> {
    if revoke && subjects.is_empty() {
        funcdeck_core::rbac::delete_binding(conn, grant).await
    } else {
        funcdeck_core::rbac::apply_binding(conn, grant, subjects, resource_version).await
    }
}

/// One invocation; the answer (or why there is none) comes back as a reply to the view.
pub(super) fn invoke(
    conn: Option<Connection>,
    ticket: Ticket,
    key: funcdeck_core::key::ObjectKey,
    request: funcdeck_core::invoke::InvokeRequest,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match conn {
            Some(conn) => {
                funcdeck_core::invoke::invoke(&conn, &key.namespace, &key.name, &request).await
            }
            None => Err(CoreError::NotConnected.into()),
        };
        let reply = Box::new(Reply::Invoked(result));
        let _ = tx.send(Msg::Reply { ticket, reply });
    });
}

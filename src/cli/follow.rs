//! `--wait`: follows a function's new revision to Ready or to its failure, printing each change
//! of state as a progress line, like `kn service create --wait` but saying why it fails.

use std::io::Write;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::function::{FunctionDetail, Rollout, rollout};
use funcdeck_core::functions::fetch_function;
use funcdeck_core::knative::Service;
use funcdeck_core::text::sanitize;

/// How often the function is read again while following it.
const POLL: Duration = Duration::from_millis(500);

/// Follows the rollout of `generation` (replacing revision `previous`) until it is done or `timeout` passes; a failure or a
/// timeout is an error saying what happened (and which revision keeps the traffic).
pub(super) async fn follow(
    conn: &Connection,
    namespace: &str,
    name: &str,
    generation: i64,
    previous: Option<&str>,
    timeout: Duration,
    progress: &mut impl Write,
) -> anyhow::Result<(Rollout, Service)> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut last_line = String::new();
    loop {
        let parts = fetch_function(conn, namespace, name).await?;
        let detail = FunctionDetail::build(
            &parts.service,
            parts.revisions.as_deref().unwrap_or_default(),
            parts.pods.as_deref().unwrap_or_default(),
            parts.events.as_deref().unwrap_or_default(),
        );
        let state = rollout(&parts.service, generation, previous, &detail);
        let line = sanitize(&state.describe()).into_owned();
        if line != last_line {
            writeln!(progress, "  {line}")?;
            progress.flush()?;
            last_line = line;
        }
        match state {
            Rollout::Failed { .. } => anyhow::bail!("{last_line}"),
            Rollout::Ready { .. } => return Ok((state, parts.service)),
            _ if tokio::time::Instant::now() >= deadline => {
                anyhow::bail!("gave up waiting after {}s: {last_line}", timeout.as_secs())
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

//! Points in time: a search context that keeps the documents as they were when it was opened
//! (here, the ring's `Arc`s), so paging with `search_after` neither repeats nor misses a
//! document while new ones arrive; it lapses `keep_alive` after its last use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Line;

pub struct Pit {
    pub lines: Arc<Vec<Arc<Line>>>,
    pub shards: usize,
    expires: Instant,
}

#[derive(Default)]
pub struct Pits {
    open: Mutex<HashMap<String, Pit>>,
    next: Mutex<u64>,
}

/// `1m`, `30s`, `500ms`, `1h`, `1d` (Elasticsearch's time units).
pub fn keep_alive(s: &str) -> Option<Duration> {
    let i = s.find(|c: char| !c.is_ascii_digit())?;
    let n: u64 = s[..i].parse().ok()?;
    Some(match &s[i..] {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return None,
    })
}

impl Pits {
    pub fn open(&self, lines: Vec<Arc<Line>>, shards: usize, keep: Duration) -> String {
        let n = self.next.lock().map(|mut n| {
            *n += 1;
            *n
        });
        let n = n.unwrap_or(0);
        // Opaque like the real ids (base64 of the shard contexts); unique per sandbox.
        let id = format!(
            "46ToAwMDaWR5BXV1aWQy{n:08x}KwZub2RlXzMAAAAAAAAAACoBYwADaWR4BXV1aWQxAgZub2RlXzE="
        );
        if let Ok(mut m) = self.open.lock() {
            let now = Instant::now();
            m.retain(|_, p| p.expires > now);
            m.insert(
                id.clone(),
                Pit {
                    lines: Arc::new(lines),
                    shards,
                    expires: now + keep,
                },
            );
        }
        id
    }

    /// The context of `id`, its life extended by `keep` when given.
    pub fn get(&self, id: &str, keep: Option<Duration>) -> Option<(Arc<Vec<Arc<Line>>>, usize)> {
        let mut m = self.open.lock().ok()?;
        let now = Instant::now();
        let p = m.get_mut(id).filter(|p| p.expires > now)?;
        if let Some(k) = keep {
            p.expires = now + k;
        }
        Some((p.lines.clone(), p.shards))
    }

    pub fn close(&self, id: &str) -> bool {
        self.open.lock().is_ok_and(|mut m| m.remove(id).is_some())
    }
}

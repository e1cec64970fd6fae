//! Lines out of a pod-log byte stream, each bounded, and the kubelet's timestamp prefix.
//!
//! A container may write a megabyte without a newline (a stack dump, a binary blob); the
//! reader keeps at most `limit` bytes of a line and counts the rest, so memory stays bounded
//! whatever the container does. Its state lives in the reader, not in a future: a
//! `next_line` cancelled at its await point (a `select!`, `now_or_never`) loses no bytes.

use chrono::{DateTime, Utc};
use futures::io::{AsyncBufRead, AsyncBufReadExt};

/// One physical line as read: the bytes kept and how many more were dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    pub bytes: Vec<u8>,
    pub dropped: usize,
}

#[derive(Debug)]
pub struct LineReader {
    limit: usize,
    line: Vec<u8>,
    dropped: usize,
}

impl LineReader {
    /// Keeps at most `limit` bytes of each line (plus room for the timestamp prefix).
    pub fn new(limit: usize) -> Self {
        Self {
            limit: limit + TIMESTAMP_ROOM,
            line: Vec::new(),
            dropped: 0,
        }
    }

    /// The next line, `None` at the end of the stream (a last line without a newline is
    /// still given).
    pub async fn next_line<R>(&mut self, reader: &mut R) -> std::io::Result<Option<RawLine>>
    where
        R: AsyncBufRead + Unpin,
    {
        loop {
            let chunk = reader.fill_buf().await?;
            if chunk.is_empty() {
                return Ok((!self.line.is_empty() || self.dropped > 0).then(|| self.take()));
            }
            let (part, used, done) = match chunk.iter().position(|b| *b == b'\n') {
                Some(at) => (&chunk[..at], at + 1, true),
                None => (chunk, chunk.len(), false),
            };
            let room = self.limit.saturating_sub(self.line.len());
            let kept = part.len().min(room);
            self.line.extend_from_slice(&part[..kept]);
            self.dropped += part.len() - kept;
            reader.consume_unpin(used);
            if done {
                return Ok(Some(self.take()));
            }
        }
    }

    fn take(&mut self) -> RawLine {
        RawLine {
            bytes: std::mem::take(&mut self.line),
            dropped: std::mem::take(&mut self.dropped),
        }
    }
}

/// `2026-11-30T06:20:24.123456789Z ` is at most this long.
const TIMESTAMP_ROOM: usize = 40;

/// Splits the kubelet's `timestamps=true` prefix (RFC3339, nanoseconds) off a line; a line
/// without a readable one keeps its text whole and gets no time.
pub fn split_timestamp(line: &[u8]) -> (Option<DateTime<Utc>>, &[u8]) {
    let Some(space) = line.iter().take(TIMESTAMP_ROOM).position(|b| *b == b' ') else {
        return (None, line);
    };
    let parsed = std::str::from_utf8(&line[..space])
        .ok()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    match parsed {
        Some(at) => (Some(at), &line[space + 1..]),
        None => (None, line),
    }
}

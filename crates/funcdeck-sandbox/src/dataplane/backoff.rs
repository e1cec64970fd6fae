//! The kubelet's container restart back-off (`flowcontrol.Backoff` as `kuberuntime` uses it):
//! a container that exits is restarted at once the first time, then only after a delay that
//! starts at 10 s and doubles per restart up to 5 min; a container that ran for twice the
//! maximum (10 min) since its last restart starts again from 10 s. The initial delay is
//! configurable (`SandboxConfig::crash_every`) so tests can run the same rhythm fast; the
//! maximum is always 30 times it and the reset window 60 times.

use std::time::Duration;

use tokio::time::Instant;

/// One crash-looping container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crash {
    /// `restartCount` as the pod shows it.
    pub restarts: u64,
    /// The back-off now in force (the `back-off 20s …` of the waiting message).
    pub delay: Duration,
    /// When the container is started again.
    pub next: Instant,
    /// The last restart (the back-off entry's `lastUpdate`).
    pub last: Instant,
}

#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub initial: Duration,
}

impl Backoff {
    pub fn max(self) -> Duration {
        self.initial * 30
    }

    /// The delay after `restarts` restarts: initial · 2^(restarts-1), capped.
    pub fn delay_after(self, restarts: u64) -> Duration {
        let doublings = restarts.saturating_sub(1).min(16) as u32;
        (self.initial * 2u32.pow(doublings)).min(self.max())
    }

    /// A container that has just crashed after `restarts` restarts. Without a back-off entry
    /// (the first crash, or 10 min of running since the last restart) it is restarted at once
    /// (`restartCount` + 1) and then held back for the initial delay; within 10 min of its
    /// last restart (`before`) it waits out the delay it had.
    pub fn first_crash(self, now: Instant, restarts: u64, before: Option<&Crash>) -> Crash {
        match before {
            Some(b) if now.saturating_duration_since(b.last) <= self.max() * 2 => Crash {
                restarts,
                delay: b.delay,
                next: now + b.delay,
                last: b.last,
            },
            _ => Crash {
                restarts: restarts + 1,
                delay: self.initial,
                next: now + self.initial,
                last: now,
            },
        }
    }

    /// The back-off expired: the container starts, crashes, and waits twice as long.
    pub fn restart(self, c: &mut Crash, now: Instant) {
        let expired = now.saturating_duration_since(c.last) > self.max() * 2;
        c.restarts += 1;
        c.delay = if expired {
            self.initial
        } else {
            (c.delay * 2).min(self.max())
        };
        c.last = now;
        c.next = now + c.delay;
    }
}

/// Go's `time.Duration.String()` for the durations a back-off takes: `10s`, `1m20s`, `5m0s`,
/// `200ms`, `1.6s`.
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let secs = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        let frac = format!("{:03}", rest % 1000);
        format!("{}.{}s", rest / 1000, frac.trim_end_matches('0'))
    };
    match (h, m) {
        (0, 0) => secs,
        (0, m) => format!("{m}m{secs}"),
        (h, m) => format!("{h}h{m}m{secs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBELET: Backoff = Backoff {
        initial: Duration::from_secs(10),
    };

    #[test]
    fn doubles_from_ten_seconds_to_five_minutes() {
        let t0 = Instant::now();
        let mut c = KUBELET.first_crash(t0, 0, None);
        assert_eq!((c.restarts, c.delay), (1, Duration::from_secs(10)));
        let mut seen = vec![go_duration(c.delay)];
        let mut at = vec![0];
        for _ in 0..7 {
            let now = c.next;
            KUBELET.restart(&mut c, now);
            seen.push(go_duration(c.delay));
            at.push(now.duration_since(t0).as_secs());
        }
        assert_eq!(
            seen,
            [
                "10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"
            ]
        );
        // restartCount 1 at once, then 2 after 10 s, 3 after 30 s, … every 5 min.
        assert_eq!(at, [0, 10, 30, 70, 150, 310, 610, 910]);
        assert_eq!(c.restarts, 8);
        assert_eq!(KUBELET.delay_after(3), Duration::from_secs(40));
        assert_eq!(KUBELET.delay_after(40), Duration::from_secs(300));
    }

    #[test]
    fn resets_after_ten_minutes_of_running() {
        let t0 = Instant::now();
        let mut c = KUBELET.first_crash(t0, 0, None);
        for _ in 0..4 {
            let now = c.next;
            KUBELET.restart(&mut c, now);
        }
        assert_eq!(c.delay, Duration::from_secs(160));
        // Recovered, ran fine for 5 minutes, crashed again: the back-off carries on.
        let mut again =
            KUBELET.first_crash(c.last + Duration::from_secs(300), c.restarts, Some(&c));
        assert_eq!(
            (again.restarts, again.delay),
            (c.restarts, Duration::from_secs(160))
        );
        let now = again.next;
        KUBELET.restart(&mut again, now);
        assert_eq!(again.delay, Duration::from_secs(300));
        // Ran fine for just over 10 minutes: back to 10 s.
        let fresh = KUBELET.first_crash(c.last + Duration::from_secs(601), c.restarts, Some(&c));
        assert_eq!(fresh.delay, Duration::from_secs(10));
        assert_eq!(fresh.restarts, c.restarts + 1);
        let mut late = c;
        KUBELET.restart(&mut late, c.last + Duration::from_secs(601));
        assert_eq!(late.delay, Duration::from_secs(10));
    }

    #[test]
    fn go_durations() {
        for (ms, s) in [
            (100, "100ms"),
            (1600, "1.6s"),
            (3000, "3s"),
            (80_000, "1m20s"),
            (300_000, "5m0s"),
            (3_723_000, "1h2m3s"),
        ] {
            assert_eq!(go_duration(Duration::from_millis(ms)), s);
        }
    }
}

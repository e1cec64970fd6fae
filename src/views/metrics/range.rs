//! The time range the metrics pane shows: presets from 5 minutes to 7 days (`[` / `]`), and zoom
//! (`+` halves the range, `-` doubles it) between them. The step keeps about 120 points across
//! any range, never finer than the scrape interval allows (15 s).

use std::time::Duration;

pub const PRESETS: [Duration; 7] = [
    Duration::from_secs(5 * 60),
    Duration::from_secs(15 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(24 * 3600),
    Duration::from_secs(2 * 86_400),
    Duration::from_secs(7 * 86_400),
];

const MIN: Duration = Duration::from_secs(60);
const MAX: Duration = Duration::from_secs(30 * 86_400);
/// Points across the chart: a little more than a wide terminal has cells.
const POINTS: u64 = 120;
const MIN_STEP: u64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub length: Duration,
}

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange { length: PRESETS[1] }
    }
}

impl TimeRange {
    /// The next longer preset (`]`), or the longest.
    pub fn longer(self) -> TimeRange {
        self.longer_in(&PRESETS)
    }

    /// The next shorter preset (`[`), or the shortest.
    pub fn shorter(self) -> TimeRange {
        self.shorter_in(&PRESETS)
    }

    /// The next longer of `presets` (sorted, shortest first), or the longest: the same keys
    /// move other views' periods through presets of their own (metering: 24h, 7d, 30d).
    pub fn longer_in(self, presets: &[Duration]) -> TimeRange {
        let length = presets
            .iter()
            .copied()
            .find(|p| *p > self.length)
            .or(presets.last().copied())
            .unwrap_or(self.length);
        TimeRange { length }
    }

    /// The next shorter of `presets`, or the shortest.
    pub fn shorter_in(self, presets: &[Duration]) -> TimeRange {
        let length = presets
            .iter()
            .rev()
            .copied()
            .find(|p| *p < self.length)
            .or(presets.first().copied())
            .unwrap_or(self.length);
        TimeRange { length }
    }

    /// Half the range (`+`), down to a minute.
    pub fn zoom_in(self) -> TimeRange {
        TimeRange {
            length: (self.length / 2).max(MIN),
        }
    }

    /// Twice the range (`-`), up to 30 days.
    pub fn zoom_out(self) -> TimeRange {
        TimeRange {
            length: (self.length * 2).min(MAX),
        }
    }

    /// Seconds between points.
    pub fn step(self) -> u64 {
        (self.length.as_secs() / POINTS).max(MIN_STEP)
    }

    /// The window rates are taken over: four steps, at least a minute (Prometheus needs two
    /// samples in it).
    pub fn rate_window(self) -> Duration {
        Duration::from_secs((self.step() * 4).max(60))
    }

    /// `15m`, `1h30m`, as the title says it.
    /// `15m`, `24h`, `7d`: as the presets are named (whole days in days, not `1w`).
    pub fn words(self) -> String {
        funcdeck_core::duration::human(self.length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_step_and_zoom_stays_within_bounds() {
        let r = TimeRange::default();
        assert_eq!(r.words(), "15m");
        assert_eq!(r.longer().words(), "1h");
        assert_eq!(r.shorter().shorter().words(), "5m", "the shortest stays");
        let week = TimeRange { length: PRESETS[6] };
        assert_eq!(week.longer(), week);
        assert_eq!(week.zoom_out().words(), "14d");
        assert_eq!(
            week.zoom_out().zoom_out().zoom_out().words(),
            "30d",
            "30 days at most"
        );
        assert_eq!(r.zoom_in().zoom_in().zoom_in().zoom_in().words(), "1m");
        // A zoomed range moves to the neighbouring presets.
        assert_eq!(r.zoom_in().longer().words(), "15m");
        assert_eq!((r.step(), r.rate_window().as_secs()), (15, 60));
        assert_eq!((week.step(), week.rate_window().as_secs()), (5040, 20_160));
    }
}

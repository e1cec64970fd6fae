//! A function's metrics over a time range, as the pane charts them: one line per revision (or
//! per quantile, per pod count), points as (unix seconds, value). Non-finite samples (NaN from
//! a quantile of no requests, ±Inf) are gaps, never drawn as zeros. A chart keeps at most
//! [`MAX_LINES`] lines, the busiest, and says how many it left out, so a function with hundreds
//! of revisions stays readable and cheap to draw.

use serde::Serialize;

use super::dialect::Era;

/// Lines a chart shows at most.
pub const MAX_LINES: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// A revision, `p95`, `desired`…
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

impl Line {
    /// A line from samples, dropping the non-finite ones (gaps).
    pub fn new(name: impl Into<String>, samples: impl IntoIterator<Item = (f64, f64)>) -> Line {
        Line {
            name: name.into(),
            points: samples
                .into_iter()
                .filter(|(t, v)| t.is_finite() && v.is_finite())
                .collect(),
        }
    }

    /// The newest value, for legends.
    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|(_, v)| *v)
    }

    fn weight(&self) -> f64 {
        self.points.iter().map(|(_, v)| v.abs()).sum()
    }
}

/// One chart's lines, the busiest first when some had to be left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChartLines {
    pub lines: Vec<Line>,
    /// Lines left out (more than [`MAX_LINES`]).
    pub hidden: usize,
}

impl ChartLines {
    /// Keeps the [`MAX_LINES`] lines with the most weight (sum of values), in name order.
    pub fn new(mut lines: Vec<Line>) -> ChartLines {
        let hidden = lines.len().saturating_sub(MAX_LINES);
        if hidden > 0 {
            lines.sort_by(|a, b| b.weight().total_cmp(&a.weight()));
            lines.truncate(MAX_LINES);
        }
        lines.sort_by(|a, b| a.name.cmp(&b.name));
        ChartLines { lines, hidden }
    }

    /// The smallest and largest value drawn (`None` without a point).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        let mut values = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let first = values.next()?;
        Some(values.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }
}

/// Everything the metrics pane draws for one function and range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionCharts {
    /// Where the data came from, in words (`service monitoring/prometheus:9090 via the API server`).
    pub source: String,
    pub era: Era,
    /// The range drawn, unix seconds.
    pub start: f64,
    pub end: f64,
    pub requests_per_second: ChartLines,
    /// p50, p95, p99 of the whole function, in milliseconds.
    pub latency_ms: ChartLines,
    /// Share of 5xx responses per revision (0–1).
    pub error_ratio: ChartLines,
    pub concurrency: ChartLines,
    /// `desired` and `actual` pods of the whole function.
    pub pods: ChartLines,
    /// Scale-ups from zero in the range, per revision.
    pub cold_starts: Vec<(String, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_dropped_and_the_busiest_lines_kept() {
        let line = Line::new(
            "p99",
            [
                (1.0, 5.0),
                (2.0, f64::NAN),
                (3.0, f64::INFINITY),
                (4.0, 7.0),
            ],
        );
        assert_eq!(line.points, [(1.0, 5.0), (4.0, 7.0)]);
        assert_eq!(line.last(), Some(7.0));

        let lines = (0..12)
            .map(|i| Line::new(format!("r-{i:02}"), [(0.0, f64::from(i))]))
            .collect();
        let chart = ChartLines::new(lines);
        assert_eq!(chart.hidden, 4);
        assert_eq!(chart.lines.len(), MAX_LINES);
        assert_eq!(chart.lines[0].name, "r-04", "the quietest four left out");
        assert_eq!(chart.bounds(), Some((4.0, 11.0)));
        assert_eq!(ChartLines::default().bounds(), None);
    }
}

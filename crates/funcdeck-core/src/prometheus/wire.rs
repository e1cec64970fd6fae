//! The shapes of Prometheus' `/api/v1` answers (the `data` of the envelope).
//!
//! Sample values travel as strings so that `NaN`, `+Inf` and `-Inf` survive JSON; they are
//! read into `f64` here. Native histogram samples (`histogram`/`histograms`, which a classic
//! Knative setup never produces) are kept apart from float samples instead of being forced
//! into a number.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A series' labels (`__name__` included when Prometheus keeps it).
pub type Labels = BTreeMap<String, String>;

/// One float sample: Unix time in seconds (fractional) and the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time: f64,
    pub value: f64,
}

impl Sample {
    /// The sample time as a UTC timestamp (None if out of range).
    pub fn at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let ms = (self.time * 1000.0).round();
        if !ms.is_finite() {
            return None;
        }
        chrono::DateTime::from_timestamp_millis(ms as i64)
    }
}

/// Reads a Prometheus sample value: a decimal, `NaN`, `+Inf` or `-Inf`.
pub fn parse_value(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => text.parse::<f64>().ok().filter(|v| v.is_finite()),
    }
}

impl<'de> Deserialize<'de> for Sample {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (time, text): (f64, String) = Deserialize::deserialize(d)?;
        let value = parse_value(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("sample value {text:?} is not a number"))
        })?;
        Ok(Sample { time, value })
    }
}

/// A native histogram sample.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramPoint {
    pub time: f64,
    pub count: f64,
    pub sum: f64,
    pub buckets: Vec<HistogramBucket>,
}

/// One native histogram bucket; `boundaries` says which ends are inclusive (0: upper, 1:
/// lower, 2: both, 3: neither — Prometheus' encoding).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistogramBucket {
    pub boundaries: u8,
    pub lower: f64,
    pub upper: f64,
    pub count: f64,
}

impl<'de> Deserialize<'de> for HistogramPoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Body {
            count: String,
            sum: String,
            #[serde(default)]
            buckets: Vec<(u8, String, String, String)>,
        }
        let (time, body): (f64, Body) = Deserialize::deserialize(d)?;
        let num = |s: &str| {
            parse_value(s).ok_or_else(|| {
                serde::de::Error::custom(format!("histogram value {s:?} is not a number"))
            })
        };
        let buckets = body
            .buckets
            .iter()
            .map(|(b, lower, upper, count)| {
                Ok(HistogramBucket {
                    boundaries: *b,
                    lower: num(lower)?,
                    upper: num(upper)?,
                    count: num(count)?,
                })
            })
            .collect::<Result<_, D::Error>>()?;
        Ok(HistogramPoint {
            time,
            count: num(&body.count)?,
            sum: num(&body.sum)?,
            buckets,
        })
    }
}

/// One series of an instant vector: a float `value`, or a native `histogram`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InstantSeries {
    #[serde(default)]
    pub metric: Labels,
    pub value: Option<Sample>,
    pub histogram: Option<HistogramPoint>,
}

/// One series of a range matrix: float `values`, native `histograms`, or both.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RangeSeries {
    #[serde(default)]
    pub metric: Labels,
    #[serde(default)]
    pub values: Vec<Sample>,
    #[serde(default)]
    pub histograms: Vec<HistogramPoint>,
}

/// The `data` of a query answer, by `resultType`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
pub enum QueryData {
    Vector(Vec<InstantSeries>),
    Matrix(Vec<RangeSeries>),
    Scalar(Sample),
    String(StringSample),
}

/// A string result: `[time, "text"]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StringSample(pub f64, pub String);

impl QueryData {
    /// The result type as Prometheus names it.
    pub fn result_type(&self) -> &'static str {
        match self {
            Self::Vector(_) => "vector",
            Self::Matrix(_) => "matrix",
            Self::Scalar(_) => "scalar",
            Self::String(_) => "string",
        }
    }
}

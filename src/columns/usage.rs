//! Metering's columns: `funcdeck usage` and the Usage view (`:usage`), per function and per
//! tenant. A figure that cannot be known (a revision without requests) is `-`, never 0; numbers
//! sort most first, unknown last.

use std::cmp::Ordering;

use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::metering::{FunctionUsage, TenantUsage};

use super::{
    Column, Keyed, Shown, Tenanted, Width, function_count_column, name_column, namespace_column,
    plain, tenant_column,
};

/// One function's usage, with the key the function's other views are opened by.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionUsageRow {
    pub key: ObjectKey,
    pub usage: FunctionUsage,
}

impl From<FunctionUsage> for FunctionUsageRow {
    fn from(usage: FunctionUsage) -> Self {
        FunctionUsageRow {
            key: ObjectKey::new(&usage.namespace, &usage.function),
            usage,
        }
    }
}

impl Keyed for FunctionUsageRow {
    fn object_key(&self) -> &ObjectKey {
        &self.key
    }
}

/// The figures every usage row has, whatever it totals.
pub trait Metered {
    fn invocations(&self) -> f64;
    fn pod_seconds(&self) -> f64;
    fn gb_seconds(&self) -> Option<f64>;
    fn cpu_seconds(&self) -> Option<f64>;
}

macro_rules! metered {
    ($row:ty, $($usage:tt)*) => {
        impl Metered for $row {
            fn invocations(&self) -> f64 {
                self$($usage)*.invocations
            }
            fn pod_seconds(&self) -> f64 {
                self$($usage)*.pod_seconds
            }
            fn gb_seconds(&self) -> Option<f64> {
                self$($usage)*.gb_seconds
            }
            fn cpu_seconds(&self) -> Option<f64> {
                self$($usage)*.cpu_seconds
            }
        }
    };
}

metered!(FunctionUsageRow, .usage);
metered!(TenantUsage,);

/// Whole counts: invocations and pod-seconds.
fn count(v: f64) -> String {
    format!("{v:.0}")
}

/// An allocated figure to a tenth, `-` when unknown.
pub fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

/// Most first; unknown after every known figure.
fn most_first(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

const fn invocations<T: Metered>() -> Column<T> {
    Column {
        title: "INVOCATIONS",
        cell: |r, _| count(r.invocations()),
        sort: Some(|a, b| most_first(Some(a.invocations()), Some(b.invocations()))),
        width: Width::Max(12),
        drop_rank: None,
        shown: Shown::Always,
        tone: plain,
    }
}

const fn pod_seconds<T: Metered>() -> Column<T> {
    Column {
        title: "POD-SECONDS",
        cell: |r, _| count(r.pod_seconds()),
        sort: Some(|a, b| most_first(Some(a.pod_seconds()), Some(b.pod_seconds()))),
        width: Width::Max(12),
        drop_rank: Some(1),
        shown: Shown::Always,
        tone: plain,
    }
}

const fn gb_seconds<T: Metered>() -> Column<T> {
    Column {
        title: "GB-SECONDS",
        cell: |r, _| figure(r.gb_seconds()),
        sort: Some(|a, b| most_first(a.gb_seconds(), b.gb_seconds())),
        width: Width::Max(12),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: plain,
    }
}

const fn cpu_seconds<T: Metered>() -> Column<T> {
    Column {
        title: "CPU-SECONDS",
        cell: |r, _| figure(r.cpu_seconds()),
        sort: Some(|a, b| most_first(a.cpu_seconds(), b.cpu_seconds())),
        width: Width::Max(12),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: plain,
    }
}

pub const FUNCTION_USAGE_COLUMNS: &[Column<FunctionUsageRow>] = &[
    namespace_column(),
    name_column(40),
    invocations(),
    pod_seconds(),
    gb_seconds(),
    cpu_seconds(),
];

impl Tenanted for TenantUsage {
    fn tenant(&self) -> &str {
        &self.namespace
    }

    fn function_count(&self) -> usize {
        self.functions
    }
}

pub const TENANT_USAGE_COLUMNS: &[Column<TenantUsage>] = &[
    tenant_column("TENANT"),
    function_count_column(),
    invocations(),
    pod_seconds(),
    gb_seconds(),
    cpu_seconds(),
];

//! The tenant table's columns: the Tenants view and `tenant list`.

use std::collections::BTreeMap;

use funcdeck_core::tenant::TenantSummary;
use funcdeck_core::text::sanitize;

use super::{Column, Shown, Tenanted, Width, function_count_column, plain, tenant_column};
use crate::theme::StyleName;

/// `used/hard` of one quota figure, `-` where no quota limits it, `?` where quotas could not
/// be read.
fn quota_cell(t: &TenantSummary, figure: &str) -> String {
    match &t.quota {
        None => "?".to_owned(),
        Some(quota) => quota
            .get(figure)
            .map_or_else(|| "-".to_owned(), |v| sanitize(v).into_owned()),
    }
}

/// A tenant at or past a quota figure stands out.
fn quota_tone(t: &TenantSummary) -> Option<StyleName> {
    let full = t.quota.iter().flat_map(BTreeMap::values).any(|v| {
        v.split_once('/').is_some_and(|(used, hard)| {
            let parse = funcdeck_core::function::Quantity::parse;
            matches!((parse(used), parse(hard)), (Ok(u), Ok(h)) if u >= h)
        })
    });
    full.then_some(StyleName::ReadinessFailed)
}

impl Tenanted for TenantSummary {
    fn tenant(&self) -> &str {
        &self.name
    }

    fn function_count(&self) -> usize {
        self.functions
    }
}

pub const TENANT_COLUMNS: &[Column<TenantSummary>] = &[
    tenant_column("NAME"),
    Column {
        title: "OWNER",
        cell: |t, _| {
            t.owner
                .as_deref()
                .map_or_else(|| "-".into(), |o| sanitize(o).into_owned())
        },
        sort: Some(|a, b| a.owner.cmp(&b.owner)),
        width: Width::Max(24),
        drop_rank: Some(2),
        shown: Shown::Always,
        tone: plain,
    },
    function_count_column(),
    Column {
        title: "CPU",
        cell: |t, _| quota_cell(t, "cpu requests"),
        sort: None,
        width: Width::Max(12),
        drop_rank: Some(3),
        shown: Shown::Always,
        tone: quota_tone,
    },
    Column {
        title: "MEMORY",
        cell: |t, _| quota_cell(t, "memory requests"),
        sort: None,
        width: Width::Max(14),
        drop_rank: Some(3),
        shown: Shown::Always,
        tone: quota_tone,
    },
    Column {
        title: "FN QUOTA",
        cell: |t, _| quota_cell(t, "functions"),
        sort: None,
        width: Width::Max(9),
        drop_rank: Some(4),
        shown: Shown::Always,
        tone: quota_tone,
    },
    Column {
        title: "ROLES",
        cell: |t, _| match &t.roles {
            None => "?".into(),
            Some(roles) if roles.is_empty() => "-".into(),
            Some(roles) => sanitize(&roles.join(", ")).into_owned(),
        },
        sort: None,
        width: Width::Fill { min: 16 },
        drop_rank: Some(1),
        shown: Shown::Always,
        tone: plain,
    },
];

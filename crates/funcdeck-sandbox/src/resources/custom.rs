//! Kinds defined at run time by CustomResourceDefinitions. `Res` is `Copy` and `def()` hands out
//! `&'static ResourceDef` everywhere, so a custom kind's definition is interned once per process
//! (leaked: there are as many as distinct CRD shapes ever applied, a handful) and named by
//! `Res::Custom(index)`. Whether a sandbox *serves* it is per sandbox: its store's [`Catalog`],
//! which the CRD controller fills when a CRD becomes Established and empties when it is deleted.

use std::sync::RwLock;

use super::{REGISTRY, Res, ResourceDef};

static INTERNED: RwLock<Vec<&'static ResourceDef>> = RwLock::new(Vec::new());

/// The names and scope a CRD gives its kind (`spec.names`, `spec.scope`, the storage version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub group: String,
    pub version: String,
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub list_kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub status_subresource: bool,
}

fn same(d: &ResourceDef, n: &Names) -> bool {
    d.group == n.group
        && d.version == n.version
        && d.plural == n.plural
        && d.singular == n.singular
        && d.kind == n.kind
        && d.list_kind == n.list_kind
        && d.namespaced == n.namespaced
        && d.short_names
            .iter()
            .copied()
            .eq(n.short_names.iter().map(String::as_str))
        && d.categories
            .iter()
            .copied()
            .eq(n.categories.iter().map(String::as_str))
        && d.status_subresource == n.status_subresource
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn leak_all(v: &[String]) -> &'static [&'static str] {
    Box::leak(
        v.iter()
            .map(|s| leak(s))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

/// The `Res` for these names, interning a definition the first time they are seen.
pub fn intern(n: &Names) -> Res {
    let mut table = INTERNED.write().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = table.iter().find(|d| same(d, n)) {
        return d.res;
    }
    let Ok(i) = u16::try_from(table.len()) else {
        // 65,536 distinct CRD shapes in one process: reuse the last slot rather than panic.
        return table.last().map_or(Res::Namespace, |d| d.res);
    };
    let def: &'static ResourceDef = Box::leak(Box::new(ResourceDef {
        res: Res::Custom(i),
        group: leak(&n.group),
        version: leak(&n.version),
        plural: leak(&n.plural),
        singular: leak(&n.singular),
        kind: leak(&n.kind),
        list_kind: leak(&n.list_kind),
        namespaced: n.namespaced,
        short_names: leak_all(&n.short_names),
        categories: leak_all(&n.categories),
        crd: true,
        status_subresource: n.status_subresource,
    }));
    table.push(def);
    def.res
}

pub fn def(i: u16) -> &'static ResourceDef {
    let table = INTERNED.read().unwrap_or_else(|e| e.into_inner());
    table.get(usize::from(i)).copied().unwrap_or(&REGISTRY[0])
}

/// One served custom kind: the CRD that defines it and its served versions, most preferred
/// first (objects are stored once, under the storage version's `Res`).
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub crd: String,
    pub res: Res,
    pub versions: Vec<String>,
}

/// What one sandbox serves beyond the built-in kinds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    served: Vec<Served>,
}

impl Catalog {
    pub fn serve(&mut self, s: Served) {
        self.served.retain(|x| x.crd != s.crd);
        self.served.push(s);
    }

    /// Stops serving the kind of CRD `crd`; returns it.
    pub fn unserve(&mut self, crd: &str) -> Option<Res> {
        let i = self.served.iter().position(|s| s.crd == crd)?;
        Some(self.served.remove(i).res)
    }

    pub fn custom(&self) -> impl Iterator<Item = Res> + '_ {
        self.served.iter().map(|s| s.res)
    }

    /// Built-in and custom kinds.
    pub fn all(&self) -> Vec<Res> {
        Res::all().chain(self.custom()).collect()
    }

    /// The kind served at `group/version/plural`.
    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<Res> {
        super::lookup(group, version, plural).or_else(|| {
            self.served
                .iter()
                .find(|s| {
                    let d = s.res.def();
                    d.group == group
                        && d.plural == plural
                        && s.versions.iter().any(|v| v == version)
                })
                .map(|s| s.res)
        })
    }

    /// Every API group besides the core one with its versions, most preferred first: the
    /// built-ins in registry order, then the custom groups in the order they were established.
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = super::groups()
            .into_iter()
            .map(|(g, v)| (g.to_string(), vec![v.to_string()]))
            .collect();
        for s in &self.served {
            let g = s.res.def().group.to_string();
            match out.iter_mut().find(|(x, _)| *x == g) {
                Some((_, vs)) => {
                    for v in &s.versions {
                        if !vs.contains(v) {
                            vs.push(v.clone());
                        }
                    }
                    vs.sort_by_key(|v| version_priority(v));
                }
                None => out.push((g, s.versions.clone())),
            }
        }
        out
    }

    /// The kinds served in `group/version`.
    pub fn in_group(&self, group: &str, version: &str) -> Vec<&'static ResourceDef> {
        let mut out: Vec<&'static ResourceDef> = super::in_group(group, version).collect();
        for s in &self.served {
            let d = s.res.def();
            if d.group == group && s.versions.iter().any(|v| v == version) {
                out.push(d);
            }
        }
        out
    }
}

/// Kubernetes' version order as a sort key (smaller sorts first): GA before beta before
/// alpha, higher numbers first within each, then anything not Kubernetes-like, by name.
pub fn version_priority(v: &str) -> (u8, i64, i64, String) {
    let kube_like = || -> Option<(u8, i64, i64)> {
        let rest = v.strip_prefix('v')?;
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let major: i64 = rest.get(..digits)?.parse().ok()?;
        let tail = rest.get(digits..)?;
        if tail.is_empty() {
            return Some((0, -major, 0));
        }
        for (rank, word) in [(1u8, "beta"), (2u8, "alpha")] {
            if let Some(n) = tail.strip_prefix(word) {
                let minor: i64 = n.parse().ok()?;
                return Some((rank, -major, -minor));
            }
        }
        None
    };
    match kube_like() {
        Some((rank, major, minor)) => (rank, major, minor, String::new()),
        None => (3, 0, 0, v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(plural: &str) -> Names {
        Names {
            group: "example.dev".into(),
            version: "v1beta1".into(),
            plural: plural.into(),
            singular: plural.trim_end_matches('s').into(),
            kind: "Widget".into(),
            list_kind: "WidgetList".into(),
            namespaced: true,
            short_names: vec!["wd".into()],
            categories: vec![],
            status_subresource: true,
        }
    }

    #[test]
    fn interning_is_stable_and_catalog_serves_per_version() {
        let a = intern(&names("widgets"));
        assert_eq!(intern(&names("widgets")), a);
        assert_ne!(intern(&names("gadgets")), a);
        assert_eq!(a.def().plural, "widgets");
        assert_eq!(a.def().short_names, &["wd"]);
        let mut c = Catalog::default();
        assert_eq!(c.lookup("example.dev", "v1beta1", "widgets"), None);
        c.serve(Served {
            crd: "widgets.example.dev".into(),
            res: a,
            versions: vec!["v1beta1".into(), "v1alpha1".into()],
        });
        assert_eq!(c.lookup("example.dev", "v1alpha1", "widgets"), Some(a));
        assert_eq!(c.lookup("example.dev", "v1", "widgets"), None);
        assert_eq!(c.lookup("apps", "v1", "deployments"), Some(Res::Deployment));
        assert!(
            c.groups()
                .iter()
                .any(|(g, vs)| g == "example.dev" && vs.len() == 2)
        );
        assert_eq!(c.in_group("example.dev", "v1beta1").len(), 1);
        assert_eq!(c.unserve("widgets.example.dev"), Some(a));
        assert_eq!(c.lookup("example.dev", "v1beta1", "widgets"), None);
    }

    #[test]
    fn versions_sort_like_kubernetes() {
        let mut v = vec!["v1alpha1", "foo", "v1", "v2beta1", "v1beta2", "v2"];
        v.sort_by_key(|x| version_priority(x));
        assert_eq!(v, vec!["v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo"]);
    }
}

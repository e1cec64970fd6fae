//! Line diffs of two texts (revision specs, an edit against the live object, a stack plan),
//! from the longest common subsequence: small inputs, exact minimal output, no dependency.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// The lines of `old` and `new` in order, each marked kept, removed or added.
pub fn line_diff<'a>(old: &'a str, new: &'a str) -> Vec<(Change, &'a str)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push((Change::Same, a[i]));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push((Change::Removed, a[i]));
            i += 1;
        } else {
            out.push((Change::Added, b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| (Change::Removed, *l)));
    out.extend(b[j..].iter().map(|l| (Change::Added, *l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_a_removal_and_an_addition_in_place() {
        let old = "a\nimage: v1\nc\n";
        let new = "a\nimage: v2\nc\nd\n";
        assert_eq!(
            line_diff(old, new),
            vec![
                (Change::Same, "a"),
                (Change::Removed, "image: v1"),
                (Change::Added, "image: v2"),
                (Change::Same, "c"),
                (Change::Added, "d"),
            ]
        );
        assert!(line_diff(old, old).iter().all(|(c, _)| *c == Change::Same));
        assert_eq!(line_diff("", "x"), vec![(Change::Added, "x")]);
    }
}

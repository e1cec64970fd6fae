//! Printing lists the way kubectl does: aligned columns, or whole objects as JSON / YAML.

use std::io::{self, Write};

/// Columns separated by three spaces and padded to the widest cell, like kubectl's tabwriter.
pub fn write_table(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = String::new();
    let mut emit = |cells: &mut dyn Iterator<Item = &str>, out: &mut dyn Write| -> io::Result<()> {
        line.clear();
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            if i + 1 == widths.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 3));
            }
        }
        writeln!(out, "{}", line.trim_end())
    };
    emit(&mut headers.iter().copied(), out)?;
    for row in rows {
        emit(&mut row.iter().map(String::as_str), out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_the_widest_cell() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["NAME", "READY"],
            &[
                vec!["a".into(), "True".into()],
                vec!["longer-name".into(), "False".into()],
            ],
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "NAME          READY\na             True\nlonger-name   False\n"
        );
    }
}

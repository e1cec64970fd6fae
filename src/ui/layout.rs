//! Screen geometry shared by drawing and by scrolling logic, so both agree on how many rows fit.

/// Lines taken by the header, the footer and the table's border and column titles.
const CHROME: u16 = 1 + 1 + 2 + 1;

/// How many function rows fit in a terminal `height` lines tall with a banner of `banner_lines`.
pub fn table_body_rows(height: u16, banner_lines: u16) -> u16 {
    height.saturating_sub(CHROME + banner_lines)
}

//! Screen geometry shared by drawing and by scrolling logic, so both agree on how many rows fit.
//! It lives with the state (not in `ui`) because paging and scrolling need it.

/// Lines taken by the header and the footer around a view's body.
const CHROME: u16 = 1 + 1;
/// Lines a table's border and column titles take inside the body.
pub const TABLE_CHROME: u16 = 2 + 1;

/// The height left for the current view under the header and a banner, above the footer.
pub fn body_height(terminal_height: u16, banner_lines: u16) -> u16 {
    terminal_height.saturating_sub(CHROME + banner_lines)
}

/// How many rows a full-body table shows in a body this tall.
pub fn table_rows(body_height: u16) -> u16 {
    body_height.saturating_sub(TABLE_CHROME)
}

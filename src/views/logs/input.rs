//! What leaves the pane as text: one line whole (for Enter) and the loaded lines as a file.

use funcdeck_core::elastic::LogLine;
use funcdeck_core::text::reveal;

use super::rows::pretty_json;
use crate::theme::StyleName;
use crate::views::TextView;

/// The line whole, inert: when, where from, its level and trace, the message (pretty-printed
/// when JSON, one row per line of it), then every field the document has.
pub fn line_text(line: &LogLine) -> TextView {
    let mut lines: Vec<(String, Option<StyleName>)> = Vec::new();
    let mut fact = |label: &str, value: &str| {
        lines.push((format!("{label:<10} {}", reveal(value)), None));
    };
    fact("time", &line.timestamp.to_rfc3339());
    fact("pod", &line.pod);
    fact("container", &line.container);
    if !line.stream.is_empty() {
        fact("stream", &line.stream);
    }
    if let Some(level) = line.level {
        fact("level", &format!("{level:?}").to_lowercase());
    }
    if let Some(trace) = &line.trace_id {
        fact("trace", trace);
    }
    lines.push((String::new(), None));
    let tone = Some(super::rows::level_style(line.level));
    let message = pretty_json(&line.message).unwrap_or_else(|| line.message.clone());
    lines.extend(message.split('\n').map(|l| (reveal(l).into_owned(), tone)));
    if !line.fields.is_empty() {
        lines.push((String::new(), None));
        lines.push(("fields".to_owned(), Some(StyleName::SectionTitle)));
        lines.extend(line.fields.iter().map(|(key, value)| {
            (
                format!("  {} = {}", reveal(key), reveal(value)),
                Some(StyleName::Muted),
            )
        }));
    }
    TextView {
        title: format!(
            "Log line {} {}",
            reveal(&line.pod),
            line.timestamp.to_rfc3339()
        ),
        lines,
        scroll: 0,
    }
}

/// The lines as a file: `TIME POD CONTAINER MESSAGE`, one per line, the message as the
/// program wrote it (a file is for grep and editors, which show escapes themselves) except
/// that its own newlines are kept inside the line as `\n`.
pub fn saved_text<'a>(lines: impl Iterator<Item = &'a LogLine>) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(
            &line
                .timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        );
        out.push(' ');
        out.push_str(&line.pod);
        out.push(' ');
        out.push_str(&line.container);
        out.push(' ');
        out.push_str(&line.message.replace('\n', "\\n"));
        out.push('\n');
    }
    out
}

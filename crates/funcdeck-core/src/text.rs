//! Making text from the cluster inert before it reaches the terminal.
//!
//! Names, messages, logs and YAML come from people and programs we do not control. A stray
//! escape sequence could clear the screen, retitle the window, plant a hyperlink or reorder
//! what the user reads (bidi overrides). Every such sequence or character is replaced by a
//! visible marker, so hostile input is shown, never interpreted.

use std::borrow::Cow;

/// Marks a removed escape sequence.
const ESC_MARK: char = '␛';
/// Marks a C1 control or a bidi override.
const BAD_MARK: char = '\u{FFFD}';

/// Returns `s` safe for a single-line cell: escape sequences (CSI, OSC, DCS, SOS, PM, APC and
/// two-byte ESC sequences, 7- and 8-bit) become `␛`; other C0 controls become their control
/// picture (`␇`), except tab, newline and carriage return, which become a space; DEL becomes
/// `␡`; C1 controls and bidi embedding/override/isolate characters become `�`.
/// Borrows when nothing needs changing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    match s.char_indices().find(|&(_, c)| needs_change(c)) {
        None => Cow::Borrowed(s),
        Some((first, _)) => {
            let mut out = String::with_capacity(s.len() + 8);
            out.push_str(&s[..first]);
            sanitize_into(&s[first..], &mut out);
            Cow::Owned(out)
        }
    }
}

fn needs_change(c: char) -> bool {
    c < ' ' || c == '\u{7F}' || is_c1(c) || is_bidi_control(c)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

fn is_bidi_control(c: char) -> bool {
    ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn sanitize_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        rest = match c {
            '\x1B' => {
                out.push(ESC_MARK);
                skip_escape(after)
            }
            '\u{9B}' => {
                out.push(ESC_MARK);
                skip_csi(after).unwrap_or(after)
            }
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => {
                out.push(ESC_MARK);
                skip_string(after).unwrap_or(after)
            }
            '\t' | '\n' | '\r' => {
                out.push(' ');
                after
            }
            '\u{7F}' => {
                out.push('␡');
                after
            }
            c if c < ' ' => {
                // U+2400 + n is the control picture for C0 control n (␀, ␇, ␛ …).
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or(BAD_MARK));
                after
            }
            c if is_c1(c) || is_bidi_control(c) => {
                out.push(BAD_MARK);
                after
            }
            c => {
                out.push(c);
                after
            }
        };
    }
}

/// Returns `s` with every control character *shown* instead of acted on, keeping the rest of
/// an escape sequence as plain text so the reader sees what the program tried to do (logs,
/// where `sanitize`'s removal would hide it): ESC becomes `␛`, so `\x1b[31m` reads `␛[31m`
/// and an OSC 52 clipboard write reads `␛]52;c;…␇`; every other C0 control becomes its
/// control picture (`␇`, `␉`, `␊`, `␍`, …); DEL becomes `␡`; C1 controls and bidi
/// embedding/override/isolate characters become their code written out, `<U+009B>`. Without
/// its introducer the rest of a sequence is inert text, so nothing in the result can move the
/// cursor, recolour, retitle or reach the clipboard. Borrows when nothing needs changing.
pub fn reveal(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(needs_change) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '\u{7F}' => out.push('␡'),
            c if c < ' ' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or(BAD_MARK)),
            c if is_c1(c) || is_bidi_control(c) => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// After an ESC: skips a whole well-formed sequence, or nothing (the remaining characters are
/// then shown as text, which is inert without their ESC).
fn skip_escape(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        Some('[') => skip_csi(chars.as_str()).unwrap_or(s),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars.as_str()).unwrap_or(s),
        // nF / Fp / Fe / Fs: intermediates 0x20–0x2F, then one final 0x30–0x7E.
        Some(_) => {
            let rest = s.trim_start_matches(|c: char| (' '..='/').contains(&c));
            match rest.chars().next() {
                Some(f) if ('0'..='~').contains(&f) => &rest[1..],
                _ => s,
            }
        }
        None => s,
    }
}

/// CSI body: parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
fn skip_csi(s: &str) -> Option<&str> {
    for (i, c) in s.char_indices() {
        match c {
            '0'..='?' | ' '..='/' => continue,
            '@'..='~' => return Some(&s[i + 1..]),
            _ => return None,
        }
    }
    None
}

/// A control string (OSC, DCS, SOS, PM, APC), ended by BEL, ESC `\` or 8-bit ST.
fn skip_string(s: &str) -> Option<&str> {
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '\x07' | '\u{9C}' => return Some(&s[i + c.len_utf8()..]),
            '\x1B' if matches!(iter.peek(), Some((_, '\\'))) => return Some(&s[i + 2..]),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;

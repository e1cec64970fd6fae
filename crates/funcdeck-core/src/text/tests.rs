use std::borrow::Cow;

use super::sanitize;

fn clean(s: &str) -> String {
    sanitize(s).into_owned()
}

#[test]
fn plain_text_is_borrowed_unchanged() {
    for s in [
        "hello-00001",
        "",
        "ünïcödé ✓ 日本語 🚀",
        "a – b · c",
        "100%",
    ] {
        assert!(matches!(sanitize(s), Cow::Borrowed(b) if b == s), "{s:?}");
    }
}

#[test]
fn csi_sequences_collapse_to_one_marker() {
    assert_eq!(clean("\x1b[31mERROR\x1b[0m done"), "␛ERROR␛ done");
    assert_eq!(clean("x\x1b[2J\x1b[H"), "x␛␛");
    assert_eq!(clean("\x1b[?1049h"), "␛");
}

#[test]
fn osc_title_and_hyperlinks_are_removed_whatever_the_terminator() {
    assert_eq!(clean("\x1b]0;pwned\x07ok"), "␛ok");
    assert_eq!(
        clean("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"),
        "␛click␛"
    );
    assert_eq!(clean("\x1b]52;c;ZXZpbA==\u{9c}x"), "␛x");
}

#[test]
fn dcs_apc_pm_sos_strings_are_removed() {
    assert_eq!(clean("a\x1bPq#0;2;0;0;0\x1b\\b"), "a␛b");
    assert_eq!(clean("a\x1b_hidden\x07b"), "a␛b");
    assert_eq!(clean("a\x1b^pm\x07b\x1bXsos\x07c"), "a␛b␛c");
}

#[test]
fn eight_bit_c1_introducers_are_handled_like_their_esc_forms() {
    assert_eq!(clean("\u{9b}31mred"), "␛red");
    assert_eq!(clean("\u{9d}0;title\u{9c}after"), "␛after");
    assert_eq!(clean("a\u{85}b"), "a\u{FFFD}b", "NEL is a C1 control");
}

#[test]
fn unterminated_sequences_leave_the_text_visible_and_inert() {
    assert_eq!(clean("\x1b]0;no end"), "␛]0;no end");
    assert_eq!(clean("\x1b[12"), "␛[12");
    assert_eq!(clean("\x1b[1\n"), "␛[1 ");
    assert_eq!(clean("end\x1b"), "end␛");
}

#[test]
fn two_byte_escapes_are_removed() {
    assert_eq!(clean("a\x1bcb"), "a␛b", "RIS full reset");
    assert_eq!(clean("a\x1b(Bb"), "a␛b", "charset designation");
    assert_eq!(clean("a\x1b7b\x1b8"), "a␛b␛");
}

#[test]
fn c0_controls_become_pictures_and_whitespace_becomes_space() {
    assert_eq!(clean("a\x07b\x00c\x08d"), "a␇b␀c␈d");
    assert_eq!(clean("line1\nline2\r\n\tx"), "line1 line2   x");
    assert_eq!(clean("del\x7f"), "del␡");
}

#[test]
fn bidi_overrides_and_isolates_are_neutralised() {
    assert_eq!(clean("invoice\u{202e}fdp.exe"), "invoice\u{FFFD}fdp.exe");
    assert_eq!(clean("\u{2066}a\u{2069}"), "\u{FFFD}a\u{FFFD}");
    assert_eq!(
        clean("\u{202a}\u{202b}\u{202c}\u{202d}"),
        "\u{FFFD}".repeat(4)
    );
}

#[test]
fn output_never_contains_anything_a_terminal_would_act_on() {
    let hostile =
        "\x1b[31m\x1b]0;t\x07\u{9b}2J\x1bP+q\x1b\\\u{202e}\x00\x1b[\x1b]\u{9d}\u{85}\x7f\x1b";
    let out = clean(hostile);
    assert!(
        !out.chars().any(super::needs_change),
        "left something live: {out:?}"
    );
}

#[test]
fn reveal_shows_every_control_and_keeps_the_rest_of_a_sequence_as_text() {
    use super::reveal;
    assert!(matches!(
        reveal("plain ünïcode"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(reveal("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
    assert_eq!(reveal("\x1b]52;c;aGk=\x07"), "␛]52;c;aGk=␇");
    assert_eq!(reveal("\x1b]0;title\x1b\\"), "␛]0;title␛\\");
    assert_eq!(reveal("a\tb\r\nc\x7f"), "a␉b␍␊c␡");
    assert_eq!(reveal("\u{9b}2J \u{202e}txt"), "<U+009B>2J <U+202E>txt");
    // Nothing a terminal would act on is left.
    let hostile: String = (0u32..0x200)
        .filter_map(char::from_u32)
        .chain(['\u{2066}', '\u{2069}'])
        .collect();
    let shown = reveal(&hostile);
    assert!(
        !shown.chars().any(|c| c < ' '
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)),
        "{shown:?}"
    );
}

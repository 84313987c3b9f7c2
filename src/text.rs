//! Making mail text safe to print.
//!
//! Header text is attacker-controlled. Before any of it reaches a terminal, control characters
//! (ESC sequences could recolour, retitle or rewrite the screen), C1 controls and bidirectional
//! overrides (which can make a subject read backwards) are replaced by visible, inert symbols.

use std::borrow::Cow;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// One line of inert text: controls shown as Unicode control pictures (`␛`), folding and tabs
/// become spaces, bidi controls become `�`.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_replacing) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7f}' => out.push('\u{2421}'),
            c if needs_replacing(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like `sanitize`, but keeps line breaks (for the raw-headers view).
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n')
        .map(|l| sanitize(l.trim_end_matches('\r')).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_inert() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\u{1b}[31mred"), "a\u{241b}[31mred");
        assert_eq!(sanitize("x\u{202E}gnp.exe"), "x\u{FFFD}gnp.exe");
        assert_eq!(sanitize("a\r\n\tb"), "a   b");
        assert_eq!(sanitize("\u{9b}2J"), "\u{FFFD}2J");
        assert!(!sanitize("\u{7}\u{8}\u{7f}").chars().any(char::is_control));
    }
}

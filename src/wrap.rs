//! Wrapping one line of text into rows of a terminal's width, with a hanging indent: the raw
//! headers in the UI's detail pane, and the reasons `hopscope analyze` prints on a terminal.
//!
//! Raw headers are wrapped rather than cut, since the end of a long Received line is often its
//! TLS note. Their rows after the first are indented deeper than a header's own folding (one
//! space or tab), so a wrapped row is never mistaken for a new field or a folded line. Our own
//! rather than ratatui's wrapping for that indent, and because the view scrolls by rows: it needs
//! to know exactly how many each line takes.

use unicode_width::UnicodeWidthChar;

/// The indent of a wrapped raw header line's continuation rows.
pub const CONTINUATION: &str = "    ";

/// `text` (one sanitized line, no control characters) as rows of at most `width` columns:
/// broken after the last space that fits, else within a word; rows after the first start with
/// `continuation` (spaces). Every character is kept, in order; an empty line is one empty row.
pub fn wrap_line(text: &str, width: usize, continuation: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut rest = text;
    let mut indent = "";
    // Below this the indent would leave no room for text: wrap without it.
    let continuation = if width > continuation.len() * 2 {
        continuation
    } else {
        ""
    };
    loop {
        let room = width.saturating_sub(indent.len()).max(1);
        let (row, next) = split_row(rest, room);
        rows.push(format!("{indent}{row}"));
        if next.is_empty() {
            return rows;
        }
        rest = next;
        indent = continuation;
    }
}

/// The longest head of `text` that fits in `room` columns, broken after a space when one is in
/// it, and the rest. Always takes at least one character, so wrapping ends.
fn split_row(text: &str, room: usize) -> (&str, &str) {
    let mut used = 0;
    let mut last_space = None;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > room && i > 0 {
            let cut = last_space.unwrap_or(i);
            return text.split_at(cut);
        }
        used += w;
        if c == ' ' {
            last_space = Some(i + 1);
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn a_line_that_fits_is_one_row() {
        assert_eq!(
            wrap_line("Subject: hello", 20, CONTINUATION),
            ["Subject: hello"]
        );
        assert_eq!(wrap_line("", 20, CONTINUATION), [""]);
    }

    #[test]
    fn long_lines_break_after_a_space_and_indent_the_rest() {
        let rows = wrap_line(
            "Received: from mx.example.org (mx.example.org [2001:db8::2])",
            32,
            CONTINUATION,
        );
        assert_eq!(
            rows,
            [
                "Received: from mx.example.org ",
                "    (mx.example.org ",
                "    [2001:db8::2])"
            ]
        );
    }

    #[test]
    fn a_word_longer_than_the_row_is_cut() {
        assert_eq!(
            wrap_line("abcdefghij", 12 - 2, CONTINUATION),
            ["abcdefghij"]
        );
        assert_eq!(
            wrap_line("id=abcdefghijklmnop", 12, CONTINUATION),
            ["id=abcdefghi", "    jklmnop"]
        );
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        // Each ideograph takes two columns: five fit in ten.
        assert_eq!(
            wrap_line("Subject:漢字漢字漢字", 12, CONTINUATION),
            ["Subject:漢字", "    漢字漢字"]
        );
    }

    proptest! {
        #[test]
        fn rows_fit_and_keep_every_character(text in "[ a-z漢é\\[\\]();:.=-]{0,200}", width in 1usize..120) {
            let rows = wrap_line(&text, width, CONTINUATION);
            let mut joined = String::new();
            for (i, row) in rows.iter().enumerate() {
                let body = if i == 0 { row.as_str() } else { row.strip_prefix(CONTINUATION).unwrap_or(row) };
                // A row may overflow only when one character is wider than the room.
                prop_assert!(row.width() <= width.max(2), "{row:?} wider than {width}");
                prop_assert!(!body.is_empty() || rows.len() == 1);
                joined.push_str(body);
            }
            prop_assert_eq!(joined, text);
        }
    }
}

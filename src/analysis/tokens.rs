//! A forgiving tokenizer for Received field bodies.
//!
//! Received lines follow RFC 5321's grammar only loosely, so the tokenizer knows just three
//! shapes: words (with `[...]` and `<...>` groups kept whole, spaces and all), comments (balanced
//! parentheses, nested content kept as text) and the `;` before the date. It never fails: an
//! unbalanced parenthesis runs to the end of the text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Word(&'a str),
    Comment(&'a str),
    Semicolon,
}

/// A token with its byte offset in the body, so callers can slice the text after a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spanned<'a> {
    pub token: Token<'a>,
    pub start: usize,
}

/// A Received line has a few dozen tokens: kept on the stack, one heap list per hop was a
/// measurable share of the analysis.
pub type Tokens<'a> = smallvec::SmallVec<[Spanned<'a>; 32]>;

pub fn tokenize(text: &str) -> Tokens<'_> {
    let mut out = Tokens::new();
    tokenize_into(text, &mut out);
    out
}

/// `tokenize` into the caller's list: returning a list of 32 inline tokens by value copied a
/// kilobyte per Received line.
pub fn tokenize_into<'a>(text: &'a str, out: &mut Tokens<'a>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'(' {
            let end = comment_end(bytes, i);
            if end == bytes.len() && bytes.last() != Some(&b')') {
                // An unclosed comment is a writer's mistake, not a comment: read on as words.
                i += 1;
                continue;
            }
            let inner_end = if end > i + 1 && bytes.get(end - 1) == Some(&b')') {
                end - 1
            } else {
                end
            };
            out.push(Spanned {
                token: Token::Comment(&text[i + 1..inner_end.max(i + 1)]),
                start: i,
            });
            i = end;
        } else if b == b';' {
            out.push(Spanned {
                token: Token::Semicolon,
                start: i,
            });
            i += 1;
        } else if b == b')' {
            i += 1;
        } else {
            let end = word_end(bytes, i);
            out.push(Spanned {
                token: Token::Word(&text[i..end]),
                start: i,
            });
            i = end;
        }
    }
}

/// The tokens of `text` up to its last top-level `;` (the one before a Received line's date),
/// or all of them: what comes after that `;` is the date, which callers read from the text, so
/// tokenising it (a fifth of a line's tokens) was wasted.
///
/// The text is cut after its last `;` byte when nothing after it can close a comment or a
/// bracket group (no `)`, `]` or `>`): then that `;` is a top-level token, and every token before
/// it is the same as in the whole text's tokens (a comment left open before it runs to the end
/// either way, and is read on as words either way, since neither text ends in `)`). Otherwise
/// the whole text is tokenised.
pub fn tokenize_before_date_into<'a>(text: &'a str, out: &mut Tokens<'a>) {
    let bytes = text.as_bytes();
    let cut = memchr::memrchr(b';', bytes).filter(|&k| {
        !bytes[k + 1..]
            .iter()
            .any(|b| matches!(b, b')' | b']' | b'>'))
    });
    match cut {
        // `;` is ASCII: the cut is a character boundary.
        Some(k) => tokenize_into(text.get(..=k).unwrap_or(text), out),
        None => tokenize_into(text, out),
    }
}

/// Index just past the `)` that closes the comment opened at `start` (or the end of the text).
fn comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    // Jumps from one parenthesis or backslash to the next: comments are long and mostly text.
    while let Some(p) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr3(b'(', b')', b'\\', rest))
    {
        i += p;
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
        i += 1;
    }
    bytes.len()
}

/// Bytes that end a word.
const fn word_breaks() -> [bool; 256] {
    let mut table = [false; 256];
    let breaks = *b" \t\r\n();";
    let mut k = 0;
    while k < breaks.len() {
        table[breaks[k] as usize] = true;
        k += 1;
    }
    table
}

static WORD_BREAK: [bool; 256] = word_breaks();

fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let close = match bytes[start] {
        b'[' => Some(b']'),
        b'<' => Some(b'>'),
        _ => None,
    };
    if let Some(close) = close
        && let Some(p) = bytes[start + 1..]
            .iter()
            .position(|&c| c == close || c == b'\n')
        && bytes[start + 1 + p] == close
    {
        i = start + 1 + p + 1;
    }
    i = next_break(bytes, i);
    i.max(start + 1).min(bytes.len())
}

/// Index of the first word-breaking byte at or after `i` (or the end). Eight bytes at a time:
/// a Received line is mostly words, and a table lookup per byte was most of tokenising.
fn next_break(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    // Per byte, the top bit is set at the first byte equal to `b` (bytes after it may be set
    // too, which is fine: only the lowest one is used).
    let equal = |x: u64, b: u8| {
        let v = x ^ (ONES * u64::from(b));
        v.wrapping_sub(ONES) & !v & HIGHS
    };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Blanks and line ends are all below 0x21: one test finds them (and other control
        // bytes, which the table check below turns down).
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGHS;
        let hits = low | equal(x, b'(') | equal(x, b')') | equal(x, b';');
        if hits == 0 {
            i += 8;
            continue;
        }
        let at = i + (hits.trailing_zeros() / 8) as usize;
        // Everything before `at` is a word byte; `at` may be a control byte that is not a break.
        if WORD_BREAK[usize::from(bytes[at])] {
            return at;
        }
        i = at + 1;
    }
    while i < bytes.len() && !WORD_BREAK[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|s| match s.token {
                Token::Word(w) => format!("W:{w}"),
                Token::Comment(c) => format!("C:{c}"),
                Token::Semicolon => ";".into(),
            })
            .collect()
    }

    #[test]
    fn groups_comments_brackets_and_semicolon() {
        assert_eq!(
            words("from a (b [1.2.3.4] (x)) by [IPv6:::1]:25 with [XMail 1 ESMTP]; Mon"),
            [
                "W:from",
                "W:a",
                "C:b [1.2.3.4] (x)",
                "W:by",
                "W:[IPv6:::1]:25",
                "W:with",
                "W:[XMail 1 ESMTP]",
                ";",
                "W:Mon"
            ]
        );
    }

    /// The byte-at-a-time readers these replaced: the jumping ones must agree with them.
    fn plain_comment_end(bytes: &[u8], start: usize) -> usize {
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b'\\' => i += 1,
                _ => {}
            }
            i += 1;
        }
        bytes.len()
    }

    fn plain_word_end(bytes: &[u8], start: usize) -> usize {
        let mut i = start;
        let close = match bytes[start] {
            b'[' => Some(b']'),
            b'<' => Some(b'>'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(p) = bytes[start + 1..]
                .iter()
                .position(|&c| c == close || c == b'\n')
            && bytes[start + 1 + p] == close
        {
            i = start + 1 + p + 1;
        }
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b';' => break,
                _ => i += 1,
            }
        }
        i.max(start + 1).min(bytes.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Up to the last top-level `;`, the shortened tokenisation gives exactly the whole
        /// text's tokens, and that `;` is its last token.
        #[test]
        fn tokens_before_the_date_are_the_whole_texts(
            text in "[a( );\\\\<>\\[\\]\t\né]{0,30}"
        ) {
            let full = tokenize(&text);
            let mut short = Tokens::new();
            tokenize_before_date_into(&text, &mut short);
            let last = |t: &Tokens<'_>| t.iter().rposition(|s| s.token == Token::Semicolon);
            let date_at = last(&full);
            proptest::prop_assert_eq!(last(&short), date_at);
            let upto = date_at.map_or(full.len(), |i| i + 1);
            proptest::prop_assert_eq!(&short[..upto.min(short.len())], &full[..upto]);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn readers_agree_with_the_plain_ones(text in "[a( )\\\\;<>\\[\\]\t\r\né\x00\x0b\x1f!~]{1,40}", at in 0usize..40) {
            let bytes = text.as_bytes();
            let start = at % bytes.len();
            proptest::prop_assert_eq!(comment_end(bytes, start), plain_comment_end(bytes, start));
            proptest::prop_assert_eq!(word_end(bytes, start), plain_word_end(bytes, start));
        }
    }

    #[test]
    fn unbalanced_input_does_not_panic() {
        for t in [
            "(",
            ")",
            "[",
            "<",
            "a (b (c",
            "[x",
            "\\",
            "(\\",
            "\u{fffd}(",
        ] {
            let _ = tokenize(t);
        }
        assert_eq!(words("x(y"), ["W:x", "W:y"]);
    }
}

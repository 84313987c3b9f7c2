//! Splits a raw header block into fields. Bytes in, borrowed field slices out.
//!
//! Mail is not always UTF-8 and not always well formed: the caller converts with
//! `String::from_utf8_lossy` once, and this module only ever slices that text.
//! Lines that are neither a field nor a continuation (an mbox `From ` line, garbage) are skipped.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// One header field: its name as written and its body with folding kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    pub name: &'a str,
    pub body: &'a str,
}

impl Field<'_> {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// The header part of a message: everything before the first empty line (`\n` or `\r\n` right
/// after a line end; an empty first line does not count).
pub fn header_part(raw: &[u8]) -> &[u8] {
    // SIMD searches instead of one search per line. The ending the first line uses is looked
    // for first; the other only before that match, so a big body is not scanned for nothing.
    // The searchers are built once: `memmem::find` builds one per call, which for these short
    // needles cost more than searching a whole header.
    static LF_LF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n\n"));
    static LF_CRLF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n\r\n"));
    let crlf_mail = memchr_newline(raw).is_some_and(|i| i > 0 && raw[i - 1] == b'\r');
    let (likely, other) = if crlf_mail {
        (&*LF_CRLF, &*LF_LF)
    } else {
        (&*LF_LF, &*LF_CRLF)
    };
    let first = likely.find(raw);
    let window = first.map_or(raw.len(), |p| (p + other.needle().len()).min(raw.len()));
    let earlier = other.find(&raw[..window]);
    // A lone `\r` on the last line is an empty line too.
    let cr_at_end = raw.ends_with(b"\n\r").then(|| raw.len() - 2);
    match [first, earlier, cr_at_end].into_iter().flatten().min() {
        Some(line_end) => &raw[..line_end + 1],
        None => raw,
    }
}

/// The header fields hopscope reads (the IMAP sync fetches exactly these).
pub const FIELDS_READ: [&str; 10] = [
    "Received",
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "Authentication-Results",
    "ARC-Authentication-Results",
    "Received-SPF",
];

/// The lines of a header block that belong to `FIELDS_READ`, folding and line endings kept, in
/// their original order. File sources keep only these, like the IMAP fetch: a DKIM signature or
/// a list footer costs memory in a 50,000-message list and says nothing about transport.
pub fn fields_read(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len());
    let mut keep = false;
    let mut start = 0;
    while start < head.len() {
        let end = memchr_newline(&head[start..]).map_or(head.len(), |i| start + i + 1);
        let line = &head[start..end];
        match line.first() {
            Some(b' ' | b'\t') => {}
            _ => {
                let name = line
                    .iter()
                    .position(|&b| b == b':')
                    .map(|colon| line[..colon].trim_ascii_end());
                keep = name.is_some_and(|n| {
                    FIELDS_READ
                        .iter()
                        .any(|f| n.eq_ignore_ascii_case(f.as_bytes()))
                });
            }
        }
        if keep {
            out.extend_from_slice(line);
        }
        start = end;
    }
    out
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// A header block's fields. The fields hopscope keeps are a dozen or so: they stay on the stack.
pub type Fields<'a> = smallvec::SmallVec<[Field<'a>; 16]>;

/// Iterates the fields of a header block (the text may include the body: it stops at the first
/// empty line). Byte by byte: every delimiter is ASCII, so every cut is a character boundary.
pub fn fields(text: &str) -> Fields<'_> {
    let bytes = text.as_bytes();
    let mut out = Fields::new();
    let mut current: Option<Open> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let line_end = memchr_newline(&bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let content_end = if line_end > pos && bytes[line_end - 1] == b'\r' {
            line_end - 1
        } else {
            line_end
        };
        if content_end == pos {
            if pos > 0 || current.is_some() {
                break;
            }
        } else if matches!(bytes[pos], b' ' | b'\t') {
            if let Some(cur) = current.as_mut() {
                cur.body_end = content_end;
            }
        } else if let Some((name_len, colon)) = field_name_end(&bytes[pos..content_end]) {
            flush(text, current.take(), &mut out);
            current = Some(Open {
                start: pos,
                name_end: pos + name_len,
                colon: pos + colon,
                body_end: content_end,
            });
        } else {
            flush(text, current.take(), &mut out);
        }
        pos = line_end + 1;
    }
    flush(text, current, &mut out);
    out
}

/// A field whose continuation lines may still follow.
struct Open {
    start: usize,
    name_end: usize,
    colon: usize,
    body_end: usize,
}

fn flush<'a>(text: &'a str, open: Option<Open>, out: &mut Fields<'a>) {
    if let Some(f) = open {
        let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let raw = &text.as_bytes()[f.colon + 1..f.body_end];
        let lead = raw.iter().take_while(|b| blank(b)).count();
        let trail = raw[lead..].iter().rev().take_while(|b| blank(b)).count();
        out.push(Field {
            name: &text[f.start..f.name_end],
            body: &text[f.colon + 1 + lead..f.body_end - trail],
        });
    }
}

/// Whether `line` starts with a field name and its colon, as `fields` reads one.
pub fn starts_with_field(line: &[u8]) -> bool {
    field_name_end(line).is_some()
}

/// When the line starts with a valid field name (printable ASCII, then at most blanks before
/// the colon, which some old software writes): the name's length and the colon's position.
fn field_name_end(line: &[u8]) -> Option<(usize, usize)> {
    let name_len = line
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    let blanks = line[name_len..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let colon = name_len + blanks;
    (name_len > 0 && line.get(colon) == Some(&b':')).then_some((name_len, colon))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line-by-line splitter over `str` that the byte-wise one replaced.
    fn str_wise_fields(text: &str) -> Vec<Field<'_>> {
        let name_end = |line: &str| -> Option<usize> {
            let colon = line.find(':')?;
            let name = line[..colon].trim_end_matches([' ', '\t']);
            let valid =
                !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':');
            valid.then_some(colon)
        };
        fn flush<'a>(text: &'a str, cur: Option<(usize, usize, usize)>, out: &mut Vec<Field<'a>>) {
            if let Some((start, colon, end)) = cur {
                out.push(Field {
                    name: text[start..colon].trim_end(),
                    body: text[colon + 1..end].trim_matches([' ', '\t', '\r', '\n']),
                });
            }
        }
        let mut out = Vec::new();
        let mut current: Option<(usize, usize, usize)> = None;
        let mut pos = 0;
        while pos < text.len() {
            let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let line = &text[pos..line_end];
            let content = line.strip_suffix('\r').unwrap_or(line);
            if content.is_empty() {
                if pos > 0 || current.is_some() {
                    break;
                }
            } else if content.starts_with([' ', '\t']) {
                if let Some(cur) = current.as_mut() {
                    cur.2 = pos + content.len();
                }
            } else if let Some(colon) = name_end(content) {
                flush(text, current.take(), &mut out);
                current = Some((pos, pos + colon, pos + content.len()));
            } else {
                flush(text, current.take(), &mut out);
            }
            pos = line_end + 1;
        }
        flush(text, current, &mut out);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The byte-wise splitter gives the fields the `str`-wise one gave.
        #[test]
        fn byte_wise_fields_match_the_str_wise_ones(
            text in "([A-Za-z:é>-]{0,6}[ \t]{0,2}:?[ \tab:é]{0,6}\r?\n?){0,8}"
        ) {
            proptest::prop_assert_eq!(fields(&text).to_vec(), str_wise_fields(&text));
        }
    }

    #[test]
    fn splits_folded_fields_and_stops_at_body() {
        let text = "Received: from a\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: hi\r\n\r\nbody: no\r\n";
        let f = fields(text);
        assert_eq!(f.len(), 2);
        assert!(f[0].is("received"));
        assert_eq!(
            f[0].body,
            "from a\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000"
        );
        assert_eq!(f[1].body, "hi");
    }

    #[test]
    fn skips_mbox_from_line_and_garbage() {
        let f = fields("From someone Mon Jan  1 00:00:00 2024\nX-A: 1\n>>> junk line\nX-B: 2\n");
        let names: Vec<_> = f.iter().map(|f| f.name).collect();
        assert_eq!(names, ["X-A", "X-B"]);
    }

    /// The line-by-line reader `header_part` replaced.
    fn line_wise_header_part(raw: &[u8]) -> &[u8] {
        let mut start = 0;
        while start < raw.len() {
            let end = raw[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(raw.len(), |i| start + i);
            let line = &raw[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() && start > 0 {
                return &raw[..start];
            }
            start = end + 1;
        }
        raw
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The two searches cut where reading line by line does.
        #[test]
        fn header_part_cuts_where_the_line_reader_does(raw in "[a:\r\n]{0,24}") {
            proptest::prop_assert_eq!(
                header_part(raw.as_bytes()),
                line_wise_header_part(raw.as_bytes())
            );
        }
    }

    #[test]
    fn header_part_cuts_at_blank_line() {
        assert_eq!(
            header_part(b"A: 1\r\nB: 2\r\n\r\nbody"),
            b"A: 1\r\nB: 2\r\n"
        );
        assert_eq!(header_part(b"A: 1\nB: 2"), b"A: 1\nB: 2");
    }

    #[test]
    fn fields_read_keeps_what_is_analysed_with_its_folding() {
        let head = b"DKIM-Signature: v=1;\r\n\tb=abc\r\nReceived: from a\r\n\tby b; x\r\nX-Junk: 1\r\n>>> garbage\r\n  folded garbage\r\nsubject : Hi\r\nFrom: A <a@b>\n";
        assert_eq!(
            fields_read(head),
            b"Received: from a\r\n\tby b; x\r\nsubject : Hi\r\nFrom: A <a@b>\n".to_vec()
        );
        // Nothing the analysis reads is lost: same fields, same bodies.
        let all = String::from_utf8_lossy(head);
        let kept = String::from_utf8(fields_read(head)).unwrap_or_default();
        let read = |t: &str| -> Vec<(String, String)> {
            fields(t)
                .into_iter()
                .filter(|f| FIELDS_READ.iter().any(|n| f.is(n)))
                .map(|f| (f.name.to_string(), f.body.to_string()))
                .collect()
        };
        assert_eq!(read(&all), read(&kept));
    }
}

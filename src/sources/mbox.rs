//! mbox splitting (mboxo/mboxrd): a message starts at a `From ` line at the start of the file or
//! after an empty line. Escaped `>From ` lines in bodies are not separators.
//!
//! The file is read line by line and only each message's header is kept: a mailbox of several
//! gigabytes is never in memory, and its first messages are listed while the rest is read.

use std::io::{self, BufRead};

use super::{Head, RawMessage};

pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// `From sender@example.org Mon Jan  1 00:00:00 2024`: the time of day tells a separator from an
/// unescaped body line that happens to start with "From ".
fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"From ")
        && line
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// Calls `each` with every message of the mbox whose first line is `line` and whose remaining
/// lines come from `reader`, labelled `label#1`, `label#2`... Returns false when `each` asked
/// to stop.
pub fn visit(
    label: &str,
    mut line: Vec<u8>,
    reader: &mut dyn BufRead,
    each: &mut dyn FnMut(RawMessage) -> bool,
) -> io::Result<bool> {
    // The header of the message being read; `None` before the first separator.
    let mut current: Option<Head> = None;
    let mut prev_blank = true;
    let mut count = 0;
    while !line.is_empty() {
        let content = line.strip_suffix(b"\n").unwrap_or(&line);
        if prev_blank && is_separator(content) {
            if let Some(head) = current.take() {
                count += 1;
                if !each(head.into_message(format!("{label}#{count}"))) {
                    return Ok(false);
                }
            }
            current = Some(Head::default());
        } else if let Some(head) = current.as_mut() {
            head.push(&line);
        }
        prev_blank = content.is_empty() || content == b"\r";
        line.clear();
        reader.read_until(b'\n', &mut line)?;
    }
    Ok(match current {
        Some(head) => each(head.into_message(format!("{label}#{}", count + 1))),
        None => true,
    })
}

/// The splitter this module had before it streamed: the whole file in memory, cut at every
/// separator. Kept for tests, which check that streaming finds exactly the same messages.
#[cfg(test)]
pub fn split_whole(bytes: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut line_start = 0;
    let mut prev_blank = true;
    while line_start < bytes.len() {
        let end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| line_start + i);
        let line = &bytes[line_start..end];
        if prev_blank && is_separator(line) {
            starts.push(line_start);
        }
        prev_blank = line.is_empty() || line == b"\r";
        line_start = end + 1;
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let msg = &bytes[s..e];
        // Drop the separator line itself.
        let body_start = msg
            .iter()
            .position(|&b| b == b'\n')
            .map_or(msg.len(), |p| p + 1);
        out.push(&msg[body_start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::split_file;

    #[test]
    fn splits_on_separator_after_blank_line() {
        let mbox = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nFrom here on, body\n\nFrom c@d Mon Jan  1 00:00:00 2024\r\nSubject: two\r\n\r\nx\r\n";
        let parts = split_file("box", mbox);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].source, "box#1");
        assert_eq!(parts[0].headers, b"Subject: one\n");
        assert_eq!(parts[1].source, "box#2");
        assert_eq!(parts[1].headers, b"Subject: two\r\n");
    }
}

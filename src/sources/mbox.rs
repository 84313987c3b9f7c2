//! mbox splitting (mboxo/mboxrd): a message starts at a `From ` line at the start of the file or
//! after an empty line. Escaped `>From ` lines in bodies are not separators.

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

pub fn split(bytes: &[u8]) -> Vec<&[u8]> {
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
    use super::*;

    #[test]
    fn splits_on_separator_after_blank_line() {
        let mbox = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nFrom here on, body\n\nFrom c@d Mon Jan  1 00:00:00 2024\r\nSubject: two\r\n\r\nx\r\n";
        let parts = split(mbox);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with(b"Subject: one"));
        assert!(parts[1].starts_with(b"Subject: two"));
    }
}

//! Readers that turn files into raw header blocks for the analysis core.
//!
//! Accepted inputs: a single message (`.eml` or header-only text), an mbox file, a Maildir
//! (`cur/` and `new/`), a folder of message files, and standard input (`-`). Only the header
//! fields hopscope reads are kept in memory (`analysis::FIELDS_READ`, the same fields the IMAP
//! sync fetches); bodies are dropped as soon as a message is split off.

mod mbox;

use std::{
    fs,
    io::{self, BufRead, BufReader},
    path::{Path, PathBuf},
};

use crate::analysis::{fields_read, starts_with_field};

/// One message's header block and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// A path, `path#N` for the N-th message of an mbox, or `-#N` for stdin.
    pub source: String,
    pub headers: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {path}: {error} (check the path and its permissions)")]
    Io { path: PathBuf, error: io::Error },
    #[error("cannot read standard input: {0}")]
    Stdin(io::Error),
}

/// The error for an IO failure on `path`, as a `map_err` argument.
fn io_error(path: &Path) -> impl Fn(io::Error) -> SourceError + '_ {
    move |source| SourceError::Io {
        path: path.to_path_buf(),
        error: source,
    }
}

/// Where the readers hand what they find: each message, and the label of each file that holds
/// none (no header field; a picture or a note saved beside the mail).
pub struct Found<'a> {
    /// Called with every message in order; returns false to stop reading.
    pub each: &'a mut dyn FnMut(RawMessage) -> bool,
    pub not_mail: Vec<String>,
}

impl<'a> Found<'a> {
    pub fn new(each: &'a mut dyn FnMut(RawMessage) -> bool) -> Self {
        Self {
            each,
            not_mail: Vec::new(),
        }
    }
}

/// Calls `found.each` with every message under `path` in order, reading one file at a time, so
/// a large Maildir is never held in memory whole. Returns false when `each` asked to stop.
pub fn visit_path(path: &Path, found: &mut Found<'_>) -> Result<bool, SourceError> {
    if path.as_os_str() == "-" {
        return visit_reader("-", &mut io::stdin().lock(), found).map_err(SourceError::Stdin);
    }
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_dir() {
        return visit_file(path, found);
    }
    let maildir_parts: Vec<PathBuf> = ["cur", "new"]
        .iter()
        .map(|d| path.join(d))
        .filter(|p| p.is_dir())
        .collect();
    let dirs = if maildir_parts.is_empty() {
        vec![path.to_path_buf()]
    } else {
        maildir_parts
    };
    for dir in dirs {
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(io_error(&dir))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && !is_hidden(p))
            .collect();
        files.sort();
        for file in files {
            if !visit_file(&file, found)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn visit_file(path: &Path, found: &mut Found<'_>) -> Result<bool, SourceError> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    visit_reader(
        &path.display().to_string(),
        &mut BufReader::with_capacity(64 * 1024, file),
        found,
    )
    .map_err(io_error(path))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Reads one file or stream. It is an mbox when it starts with a `From ` separator line, read
/// message by message; otherwise it is one message, of which only the header is read (a message
/// file's attachments are never read), or no message at all when it does not start with a mail
/// header (a header field, and among its fields one of `FIELDS_READ`, the only ones kept).
pub fn visit_reader(
    label: &str,
    reader: &mut dyn BufRead,
    found: &mut Found<'_>,
) -> io::Result<bool> {
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    // A byte-order mark (some Windows tools write one) would hide the first field's name.
    if line.starts_with(BOM) {
        line.drain(..BOM.len());
    }
    if mbox::is_mbox(&line) {
        return mbox::visit(label, line, reader, found.each);
    }
    let mut head = Head::default();
    head.push(&line);
    while !head.complete {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        head.push(&line);
    }
    // Blank space before an empty line is no message, unless something follows it.
    if head.bytes.iter().all(u8::is_ascii_whitespace) && !has_content(reader)? {
        return Ok(true);
    }
    // A note or a config file can start with `word:` too: it is mail only when one of its
    // fields is one a message has (`FIELDS_READ`: From, Date, Received...). A message with none
    // would be listed with nothing to show.
    let message = starts_with_a_field(&head.bytes)
        .then(|| head.into_message(label.to_string()))
        .filter(|m| !m.headers.is_empty());
    match message {
        Some(m) => Ok((found.each)(m)),
        None => {
            found.not_mail.push(label.to_string());
            Ok(true)
        }
    }
}

/// UTF-8's byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a message's text starts (after blank lines) with a header field, as the analysis
/// reads one. A file that does not is not mail: taking it as a message with no header would
/// list it.
fn starts_with_a_field(text: &[u8]) -> bool {
    text.iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .is_some_and(|start| starts_with_field(&text[start..]))
}

/// True when anything but whitespace is left in `reader`.
fn has_content(reader: &mut dyn BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if !buf.iter().all(u8::is_ascii_whitespace) {
            return Ok(true);
        }
        let n = buf.len();
        reader.consume(n);
    }
}

/// The lines of a message up to the empty line that ends its header (the same place
/// `header_part` cuts: an empty first line does not end it).
#[derive(Default)]
struct Head {
    bytes: Vec<u8>,
    /// The empty line that ends the header has been pushed; later lines are body.
    complete: bool,
}

impl Head {
    /// Adds one line (with its line ending) while the header lasts; ignores body lines.
    fn push(&mut self, line: &[u8]) {
        if self.complete {
            return;
        }
        let first = self.bytes.is_empty();
        self.bytes.extend_from_slice(line);
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        self.complete = content.is_empty() && !first;
    }

    fn into_message(self, source: String) -> RawMessage {
        // `push` stopped at the header's end already; the empty line that ended it is no field,
        // so `fields_read` drops it and nothing needs cutting again.
        RawMessage {
            source,
            headers: fields_read(&self.bytes),
        }
    }
}

/// Every message in `bytes` (a whole file already in memory), as `visit_reader` reads them.
pub fn split_file(label: &str, bytes: &[u8]) -> Vec<RawMessage> {
    let mut out = Vec::new();
    let mut keep = |m| {
        out.push(m);
        true
    };
    // Reading from a byte slice cannot fail.
    let _ = visit_reader(label, &mut &*bytes, &mut Found::new(&mut keep));
    out
}

/// What `read_paths` read: the messages, and the files that hold none.
#[derive(Debug, Default)]
pub struct ReadPaths {
    pub messages: Vec<RawMessage>,
    pub not_mail: Vec<String>,
}

/// Reads several paths in order; the first unreadable one stops the run with its error.
pub fn read_paths(paths: &[PathBuf]) -> Result<ReadPaths, SourceError> {
    let mut messages = Vec::new();
    let mut keep = |m| {
        messages.push(m);
        true
    };
    let mut found = Found::new(&mut keep);
    visit_paths(paths, &mut found)?;
    let not_mail = found.not_mail;
    Ok(ReadPaths { messages, not_mail })
}

/// The paths as a user typed them, for labels and notes: `a.mbox, Maildir`.
pub fn paths_label(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line about what reading `label` found when it is worth saying: files that hold no
/// message, or no message at all (`messages` is how many were found). `None` otherwise.
pub fn reading_note(label: &str, not_mail: &[String], messages: usize) -> Option<String> {
    const READS: &str =
        "hopscope reads .eml files, header-only text, mbox files and Maildir folders";
    match (not_mail_note(not_mail), messages) {
        (Some(note), 0) => Some(format!("no messages: {note}; {READS}")),
        (Some(note), _) => Some(note),
        (None, 0) => Some(format!("no messages found in {label} ({READS})")),
        (None, _) => None,
    }
}

/// One line naming the files that were read but hold no message, or `None` when there were none.
fn not_mail_note(not_mail: &[String]) -> Option<String> {
    const NAMED: usize = 3;
    // Standard input is labelled `-` in reports; here it is named.
    let name = |label: &String| {
        if label == "-" {
            "standard input".to_string()
        } else {
            label.clone()
        }
    };
    let first = not_mail.first()?;
    Some(match not_mail.len() {
        1 => format!(
            "skipped {}: not a message (it does not start with a mail header)",
            name(first)
        ),
        n => {
            let named = not_mail[..n.min(NAMED)]
                .iter()
                .map(name)
                .collect::<Vec<_>>()
                .join(", ");
            let more = if n > NAMED {
                format!(" and {} more", n - NAMED)
            } else {
                String::new()
            };
            format!(
                "skipped {n} files that are not messages (they do not start with a mail header): {named}{more}"
            )
        }
    })
}

/// `visit_path` over several paths in order.
pub fn visit_paths(paths: &[PathBuf], found: &mut Found<'_>) -> Result<bool, SourceError> {
    for p in paths {
        if !visit_path(p, found)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The bundled demo mailbox (a fictional clinic's inbox, see `assets/demo/make_demo.py`).
const DEMO_MBOX: &[u8] = include_bytes!("../../assets/demo/demo.mbox");

/// Label used as the source of the demo mailbox.
pub const DEMO_LABEL: &str = "demo";

pub fn demo() -> Vec<RawMessage> {
    split_file(DEMO_LABEL, DEMO_MBOX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{RawMessage, fields_read, mbox, split_file};
    use crate::analysis::header_part;

    #[test]
    fn a_message_starts_with_a_header_field() {
        for text in [
            &b"Received: from a by b; Mon, 2 Nov 2026 10:00:00 +0000\n"[..],
            b"Subject : the old syntax allows blanks before the colon\n",
            b"\r\n\r\nX-Header: after blank lines\n",
            b"Return-Path:<a@b>",
        ] {
            assert!(
                super::starts_with_a_field(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        for text in [
            &b"call the lab\n"[..],
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            b": no name\n",
            b"  Subject: folded, not a field\n",
            b">From a@b Mon Jan  1 00:00:00 2024\n",
            b"",
            b"\r\n",
        ] {
            assert!(
                !super::starts_with_a_field(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_field() {
        let got = split_file(
            "bom.eml",
            b"\xEF\xBB\xBFSubject: saved on Windows\r\n\r\nbody",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].headers, b"Subject: saved on Windows\r\n");
    }

    #[test]
    fn a_file_with_no_field_a_message_has_is_not_mail() {
        for text in [
            &b"root:x:0:\ndaemon:x:1:\n"[..],
            b"TODO: call the lab\nThen: write to the insurer\n",
            b"X-Only: a field no message needs\n\nbody",
        ] {
            assert!(
                split_file("notes.txt", text).is_empty(),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        for text in [
            &b"Date: Mon, 2 Nov 2026 10:00:00 +0000\n"[..],
            b"X-Mailer: x\nreceived: from a by b; Mon, 2 Nov 2026 10:00:00 +0000\n",
        ] {
            assert_eq!(split_file("m.eml", text).len(), 1);
        }
    }

    /// What reading a whole file gave before files were streamed.
    fn whole_file(label: &str, bytes: &[u8]) -> Vec<RawMessage> {
        if mbox::is_mbox(bytes) {
            return mbox::split_whole(bytes)
                .into_iter()
                .enumerate()
                .map(|(i, msg)| RawMessage {
                    source: format!("{label}#{}", i + 1),
                    headers: fields_read(header_part(msg)),
                })
                .collect();
        }
        // A file that does not start with a header field, or keeps none of its fields, holds no
        // message (its own tests below).
        let headers = fields_read(header_part(bytes));
        if bytes.iter().all(u8::is_ascii_whitespace)
            || !super::starts_with_a_field(header_part(bytes))
            || headers.is_empty()
        {
            return Vec::new();
        }
        vec![RawMessage {
            source: label.to_string(),
            headers,
        }]
    }

    /// Lines that matter to splitting: separators (real and fake), blank lines with either line
    /// ending, header fields kept and dropped, folded lines, body text, and stray bytes.
    fn line() -> impl Strategy<Value = &'static [u8]> {
        prop::sample::select(vec![
            &b"From a@example.org Mon Jan  1 00:00:00 2024\n"[..],
            b"From b@example.org Tue Jan  2 10:11:12 2024\r\n",
            b"From here on it is body text\n",
            b">From escaped@example.org Mon Jan  1 00:00:00 2024\n",
            b"\n",
            b"\r\n",
            b" \n",
            b"Received: from a.example by b.example with ESMTPS; Mon, 1 Jan 2024 00:00:00 +0000\n",
            b"\tby c.example with ESMTP\r\n",
            b"Subject: hello\r\n",
            b"From: Ann <ann@example.org>\n",
            b"X-Spam: yes\n",
            b"body line \xff\xfe\n",
            b"no newline at the end",
            b"\r",
        ])
    }

    proptest! {
        #[test]
        fn streaming_finds_what_reading_whole_files_found(lines in prop::collection::vec(line(), 0..40)) {
            let bytes = lines.concat();
            prop_assert_eq!(split_file("f", &bytes), whole_file("f", &bytes));
        }
    }

    #[test]
    fn a_single_message_is_read_only_up_to_its_header() {
        // A reader that fails after the header: the body is never asked for.
        struct HeaderThenError<'a>(&'a [u8]);
        impl std::io::Read for HeaderThenError<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("the body was read"));
                }
                let n = buf.len().min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = std::io::BufReader::with_capacity(
            8,
            HeaderThenError(b"Subject: big attachment\r\nX-A: 1\r\n\r\n"),
        );
        let mut got = Vec::new();
        let mut keep = |m| {
            got.push(m);
            true
        };
        let read = super::visit_reader("big.eml", &mut reader, &mut super::Found::new(&mut keep));
        assert!(read.is_ok(), "{read:?}");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].headers, b"Subject: big attachment\r\n");
    }
}

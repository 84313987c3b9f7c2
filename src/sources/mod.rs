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

use crate::analysis::fields_read;

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

/// Reads every message under `path` (`-` means standard input).
pub fn read_path(path: &Path) -> Result<Vec<RawMessage>, SourceError> {
    let mut out = Vec::new();
    visit_path(path, &mut |m| {
        out.push(m);
        true
    })?;
    Ok(out)
}

/// Calls `each` with every message under `path` in order, reading one file at a time, so a large
/// Maildir is never held in memory whole. `each` returns false to stop; so does this function.
pub fn visit_path(
    path: &Path,
    each: &mut dyn FnMut(RawMessage) -> bool,
) -> Result<bool, SourceError> {
    if path.as_os_str() == "-" {
        return visit_reader("-", &mut io::stdin().lock(), each).map_err(SourceError::Stdin);
    }
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_dir() {
        return visit_file(path, each);
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
            if !visit_file(&file, each)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn visit_file(path: &Path, each: &mut dyn FnMut(RawMessage) -> bool) -> Result<bool, SourceError> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    visit_reader(
        &path.display().to_string(),
        &mut BufReader::with_capacity(64 * 1024, file),
        each,
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
/// file's attachments are never read). Only `FIELDS_READ` fields are kept.
pub fn visit_reader(
    label: &str,
    reader: &mut dyn BufRead,
    each: &mut dyn FnMut(RawMessage) -> bool,
) -> io::Result<bool> {
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    if mbox::is_mbox(&line) {
        return mbox::visit(label, line, reader, each);
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
    Ok(each(head.into_message(label.to_string())))
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
    // Reading from a byte slice cannot fail.
    let _ = visit_reader(label, &mut &*bytes, &mut |m| {
        out.push(m);
        true
    });
    out
}

/// Reads several paths in order; the first unreadable one stops the run with its error.
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<RawMessage>, SourceError> {
    let mut out = Vec::new();
    visit_paths(paths, &mut |m| {
        out.push(m);
        true
    })?;
    Ok(out)
}

/// `visit_path` over several paths in order.
pub fn visit_paths(
    paths: &[PathBuf],
    each: &mut dyn FnMut(RawMessage) -> bool,
) -> Result<bool, SourceError> {
    for p in paths {
        if !visit_path(p, each)? {
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
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Vec::new();
        }
        vec![RawMessage {
            source: label.to_string(),
            headers: fields_read(header_part(bytes)),
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
        let read = super::visit_reader("big.eml", &mut reader, &mut |m| {
            got.push(m);
            true
        });
        assert!(read.is_ok(), "{read:?}");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].headers, b"Subject: big attachment\r\n");
    }
}

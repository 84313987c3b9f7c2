//! Readers that turn files into raw header blocks for the analysis core.
//!
//! Accepted inputs: a single message (`.eml` or header-only text), an mbox file, a Maildir
//! (`cur/` and `new/`), a folder of message files, and standard input (`-`). Only the header
//! fields hopscope reads are kept in memory (`analysis::FIELDS_READ`, the same fields the IMAP
//! sync fetches); bodies are dropped as soon as a message is split off.

mod mbox;

use std::{
    fs,
    io::{self, Read},
    path::{Path, PathBuf},
};

use crate::analysis::{fields_read, header_part};

/// One message's header block and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// A path, `path#N` for the N-th message of an mbox, or `-#N` for stdin.
    pub source: String,
    pub headers: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {path}: {source} (check the path and its permissions)")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot read standard input: {0}")]
    Stdin(io::Error),
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
    let mut emit = |messages: Vec<RawMessage>| messages.into_iter().all(&mut *each);
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(SourceError::Stdin)?;
        return Ok(emit(split_file("-", &buf)));
    }
    let io_err = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    if !meta.is_dir() {
        let bytes = fs::read(path).map_err(io_err)?;
        return Ok(emit(split_file(&path.display().to_string(), &bytes)));
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
            .map_err(|source| SourceError::Io {
                path: dir.clone(),
                source,
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && !is_hidden(p))
            .collect();
        files.sort();
        for file in files {
            let bytes = fs::read(&file).map_err(|source| SourceError::Io {
                path: file.clone(),
                source,
            })?;
            if !emit(split_file(&file.display().to_string(), &bytes)) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// A file is an mbox when it starts with a `From ` separator line; otherwise it is one message.
pub fn split_file(label: &str, bytes: &[u8]) -> Vec<RawMessage> {
    if mbox::is_mbox(bytes) {
        return mbox::split(bytes)
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

//! Where messages come from, behind one trait. Loads run on a worker thread and report through
//! the app's event channel in batches, so the list fills while a big mailbox is still loading.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc::SyncSender,
    },
};

use super::event::{AppEvent, LoadEvent};
use crate::{
    analysis::{AnalysisOptions, parse_message},
    sources::{self, RawMessage},
};

/// Messages per batch sent to the UI.
pub const BATCH: usize = 500;

pub trait MailSource: Send + Sync + 'static {
    /// Loads (or syncs) and reports through `tx`; returns when done, failed or cancelled.
    fn load(
        &self,
        request_id: u64,
        mailbox: Option<String>,
        cancel: &AtomicBool,
        tx: &SyncSender<AppEvent>,
    );
}

/// The bundled demo mailbox or files on disk.
pub struct FileSource {
    pub paths: Vec<PathBuf>,
    pub demo: bool,
    pub options: AnalysisOptions,
}

impl MailSource for FileSource {
    fn load(
        &self,
        request_id: u64,
        _mailbox: Option<String>,
        cancel: &AtomicBool,
        tx: &SyncSender<AppEvent>,
    ) {
        if self.demo {
            return send_parsed(request_id, &sources::demo(), &self.options, cancel, tx);
        }
        let _ = tx.send(AppEvent::Load(LoadEvent::Progress {
            request_id,
            done: 0,
            total: None,
        }));
        let mut batches = Batches {
            request_id,
            options: &self.options,
            cancel,
            tx,
            pending: Vec::with_capacity(BATCH),
            count: 0,
        };
        let mut each = |m| batches.push(m);
        let mut found = sources::Found::new(&mut each);
        let read = sources::visit_paths(&self.paths, &mut found);
        let not_mail = found.not_mail;
        let label = sources::paths_label(&self.paths);
        // An unreadable file has a banner of its own; a note about what was read is for a
        // complete read.
        if let (Some(note), Ok(true)) = (
            sources::reading_note(&label, &not_mail, batches.count),
            &read,
        ) {
            let _ = tx.send(AppEvent::Load(LoadEvent::Notice {
                request_id,
                message: note,
            }));
        }
        let event = match read {
            Ok(true) if batches.flush() => LoadEvent::Finished { request_id },
            // Cancelled, or the app is gone.
            Ok(_) => return,
            Err(e) => {
                // What was read before the unreadable file stays listed.
                batches.flush();
                LoadEvent::Failed {
                    request_id,
                    message: e.to_string(),
                }
            }
        };
        let _ = tx.send(AppEvent::Load(event));
    }
}

/// Files are read, analysed and sent a batch at a time: the first rows show while a big Maildir
/// is still being read, and its headers are never all in memory twice.
struct Batches<'a> {
    request_id: u64,
    options: &'a AnalysisOptions,
    cancel: &'a AtomicBool,
    tx: &'a SyncSender<AppEvent>,
    pending: Vec<RawMessage>,
    /// Messages read so far.
    count: usize,
}

impl Batches<'_> {
    /// Takes one message; sends the batch when it is full. False when the load should stop.
    fn push(&mut self, message: RawMessage) -> bool {
        self.count += 1;
        self.pending.push(message);
        self.pending.len() < BATCH || self.flush()
    }

    /// Analyses and sends what is pending. False when cancelled or the app is gone.
    fn flush(&mut self) -> bool {
        let reports = self
            .pending
            .drain(..)
            .map(|m| parse_message(&m.source, &m.headers, self.options))
            .collect();
        !self.cancel.load(Ordering::Relaxed)
            && self
                .tx
                .send(AppEvent::Load(LoadEvent::Batch {
                    request_id: self.request_id,
                    reports,
                }))
                .is_ok()
    }
}

/// Parses raw messages in batches and sends them, checking for cancellation between batches.
pub fn send_parsed(
    request_id: u64,
    messages: &[RawMessage],
    options: &AnalysisOptions,
    cancel: &AtomicBool,
    tx: &SyncSender<AppEvent>,
) {
    let total = Some(messages.len());
    let _ = tx.send(AppEvent::Load(LoadEvent::Progress {
        request_id,
        done: 0,
        total,
    }));
    for chunk in messages.chunks(BATCH) {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let reports = chunk
            .iter()
            .map(|m| parse_message(&m.source, &m.headers, options))
            .collect();
        if tx
            .send(AppEvent::Load(LoadEvent::Batch {
                request_id,
                reports,
            }))
            .is_err()
        {
            return;
        }
    }
    let _ = tx.send(AppEvent::Load(LoadEvent::Finished { request_id }));
}

/// Runs loads one at a time on worker threads; a new load cancels the previous one.
pub struct LoadRunner {
    source: Arc<dyn MailSource>,
    cancel: Arc<AtomicBool>,
    tx: SyncSender<AppEvent>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl LoadRunner {
    pub fn new(source: Arc<dyn MailSource>, tx: SyncSender<AppEvent>) -> Self {
        Self {
            source,
            cancel: Arc::new(AtomicBool::new(false)),
            tx,
            workers: Vec::new(),
        }
    }

    pub fn start(&mut self, request_id: u64, mailbox: Option<String>) {
        self.cancel();
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = Arc::clone(&cancel);
        let source = Arc::clone(&self.source);
        let tx = self.tx.clone();
        self.workers.retain(|w| !w.is_finished());
        self.workers.push(std::thread::spawn(move || {
            source.load(request_id, mailbox, &cancel, &tx)
        }));
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Cancels and waits for workers (they check the flag between batches and time out on IO).
    pub fn shutdown(mut self) {
        self.cancel();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    /// What loading `folder` sends: messages listed, notices, and whether it finished.
    fn load_folder(folder: &std::path::Path) -> (usize, Vec<String>, bool) {
        let source = FileSource {
            paths: vec![folder.to_path_buf()],
            demo: false,
            options: AnalysisOptions::default(),
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(16);
        source.load(7, None, &AtomicBool::new(false), &tx);
        drop(tx);
        let (mut listed, mut notices, mut finished) = (0, Vec::new(), false);
        for event in rx {
            match event {
                AppEvent::Load(LoadEvent::Batch { reports, .. }) => listed += reports.len(),
                AppEvent::Load(LoadEvent::Notice {
                    request_id,
                    message,
                }) => {
                    assert_eq!(request_id, 7);
                    notices.push(message);
                }
                AppEvent::Load(LoadEvent::Finished { .. }) => finished = true,
                _ => {}
            }
        }
        (listed, notices, finished)
    }

    /// A folder of mail with a picture and a note saved beside it: the two messages are listed,
    /// and the two other files are named in a notice, not listed as messages without a header.
    #[test]
    fn files_that_are_not_mail_are_named_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let message = b"Received: from a.example by b.example with ESMTPS; Mon, 2 Nov 2026 10:00:00 +0000\nSubject: hi\n\nbody\n";
        std::fs::write(dir.path().join("1.eml"), message).unwrap();
        std::fs::write(dir.path().join("2.eml"), message).unwrap();
        std::fs::write(
            dir.path().join("photo.jpg"),
            [0xff, 0xd8, 0xff, 0xe0, 0, 16],
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "call the lab\n").unwrap();
        let (listed, notices, finished) = load_folder(dir.path());
        assert_eq!(listed, 2);
        assert!(finished);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].contains("skipped 2 files that are not messages"),
            "{}",
            notices[0]
        );
        assert!(notices[0].contains("notes.txt") && notices[0].contains("photo.jpg"));
    }

    /// An empty folder lists nothing and says so.
    #[test]
    fn an_empty_folder_says_so() {
        let empty = tempfile::tempdir().unwrap();
        let (listed, notices, finished) = load_folder(empty.path());
        assert_eq!(listed, 0);
        assert!(finished);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].starts_with("no messages found in "),
            "{}",
            notices[0]
        );
    }
}

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
        // Files are read, analysed and sent a batch at a time: the first rows show while a big
        // Maildir is still being read, and its headers are never all in memory twice.
        let _ = tx.send(AppEvent::Load(LoadEvent::Progress {
            request_id,
            done: 0,
            total: None,
        }));
        let mut batch = Vec::with_capacity(BATCH);
        let send = |batch: &mut Vec<sources::RawMessage>| {
            let reports = batch
                .drain(..)
                .map(|m| parse_message(&m.source, &m.headers, &self.options))
                .collect();
            !cancel.load(Ordering::Relaxed)
                && tx
                    .send(AppEvent::Load(LoadEvent::Batch {
                        request_id,
                        reports,
                    }))
                    .is_ok()
        };
        let read = sources::visit_paths(&self.paths, &mut |m| {
            batch.push(m);
            batch.len() < BATCH || send(&mut batch)
        });
        let event = match read {
            Ok(true) if send(&mut batch) => LoadEvent::Finished { request_id },
            // Cancelled, or the app is gone.
            Ok(_) => return,
            Err(e) => {
                // What was read before the unreadable file stays listed.
                send(&mut batch);
                LoadEvent::Failed {
                    request_id,
                    message: e.to_string(),
                }
            }
        };
        let _ = tx.send(AppEvent::Load(event));
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

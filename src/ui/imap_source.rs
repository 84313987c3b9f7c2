//! A live account as a `MailSource`: syncs through the cache on the worker thread and streams
//! analysed batches to the UI (cached messages first, then new ones as they arrive).

use std::sync::{Mutex, atomic::AtomicBool, mpsc::SyncSender};

use super::{
    event::{AppEvent, LoadEvent},
    loader::MailSource,
};
use crate::{
    analysis::{AnalysisOptions, parse_message},
    cache::{self, Cache},
    config::AccountConfig,
    imap::{Session, SyncEvent, SyncRequest, sync_mailbox},
    secrets::Credential,
};

pub struct ImapSource {
    pub name: String,
    pub account: AccountConfig,
    pub credential: Credential,
    pub no_cache: bool,
    pub options: AnalysisOptions,
    /// Mailbox names are listed once per run, on the first load.
    listed: Mutex<bool>,
}

impl ImapSource {
    pub fn new(
        name: String,
        account: AccountConfig,
        credential: Credential,
        no_cache: bool,
        options: AnalysisOptions,
    ) -> Self {
        Self {
            name,
            account,
            credential,
            no_cache,
            options,
            listed: Mutex::new(false),
        }
    }

    fn list_mailboxes(&self, tx: &SyncSender<AppEvent>) {
        let Ok(mut listed) = self.listed.lock() else {
            return;
        };
        if *listed {
            return;
        }
        *listed = true;
        let names = Session::open(&self.name, &self.account, &self.credential)
            .and_then(|mut s| {
                let r = s.mailboxes(&self.account);
                s.logout();
                r
            })
            .map(|l| l.into_iter().map(|(n, _)| n).collect())
            .unwrap_or_else(|_| self.account.mailboxes.clone());
        let _ = tx.send(AppEvent::Load(LoadEvent::Mailboxes { names }));
    }
}

impl MailSource for ImapSource {
    fn load(
        &self,
        request_id: u64,
        mailbox: Option<String>,
        cancel: &AtomicBool,
        tx: &SyncSender<AppEvent>,
    ) {
        let fail = |message: String| {
            let _ = tx.send(AppEvent::Load(LoadEvent::Failed {
                request_id,
                message,
            }));
        };
        if self.listed.lock().is_ok_and(|l| !*l) {
            // The configured mailboxes are pickable at once; the server's full list follows.
            let names = self.account.mailboxes.clone();
            let _ = tx.send(AppEvent::Load(LoadEvent::Mailboxes { names }));
        }
        let mailbox = mailbox
            .or_else(|| self.account.mailboxes.first().cloned())
            .unwrap_or_else(|| "INBOX".into());
        let cache = if self.no_cache {
            Cache::keep_nothing()
        } else {
            Cache::open(&cache::default_path())
        };
        let mut cache = match cache {
            Ok(c) => c,
            Err(e) => return fail(e.to_string()),
        };
        let req = SyncRequest {
            name: &self.name,
            account: &self.account,
            mailbox: &mailbox,
            credential: &self.credential,
            emit_messages: true,
        };
        let result = sync_mailbox(&req, &mut cache, cancel, &mut |event| match event {
            SyncEvent::Started { total, .. } => {
                let _ = tx.send(AppEvent::Load(LoadEvent::Progress {
                    request_id,
                    done: 0,
                    total: Some(total),
                }));
            }
            SyncEvent::Messages(batch) => {
                let reports = batch
                    .iter()
                    .map(|m| parse_message(&m.source, &m.headers, &self.options))
                    .collect();
                let _ = tx.send(AppEvent::Load(LoadEvent::Batch {
                    request_id,
                    reports,
                }));
            }
            SyncEvent::Progress { .. } => {}
        });
        match result {
            Ok(_) => {
                let _ = tx.send(AppEvent::Load(LoadEvent::Finished { request_id }));
            }
            Err(crate::imap::ImapError::Cancelled) => {}
            Err(e) => fail(e.to_string()),
        }
        self.list_mailboxes(tx);
    }
}

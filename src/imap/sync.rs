//! Syncing one mailbox's headers into the cache, streaming batches as they arrive.
//!
//! Order of work: log in, EXAMINE (UIDVALIDITY), UID SEARCH ALL; a changed UIDVALIDITY resets
//! the mailbox's cache; UIDs gone from the server are dropped from the cache; then the UIDs the
//! cache lacks are fetched in batches over one or more connections. Every batch is written to the
//! cache in its own transaction before it is passed on, so a dropped connection loses nothing
//! already received and the next sync resumes where this one stopped.

use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
};

use super::{
    error::ImapError,
    session::{FetchedMessage, Session},
};
use crate::{
    cache::{Cache, CachedMessage},
    config::AccountConfig,
    secrets::Credential,
    sources::RawMessage,
};

/// Messages per UID FETCH.
pub const FETCH_BATCH: usize = 500;

#[derive(Debug)]
pub enum SyncEvent {
    /// The server's view: how many messages, how many must be fetched.
    Started {
        total: usize,
        to_fetch: usize,
    },
    /// Messages ready for analysis (cached ones first, then fresh ones as they arrive).
    Messages(Vec<RawMessage>),
    Progress {
        fetched: usize,
        to_fetch: usize,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncSummary {
    pub total: usize,
    pub fetched: usize,
    pub removed: usize,
    pub uidvalidity_changed: bool,
}

pub struct SyncRequest<'a> {
    pub name: &'a str,
    pub account: &'a AccountConfig,
    pub mailbox: &'a str,
    pub credential: &'a Credential,
    /// Emit the messages (cached and fetched) as `SyncEvent::Messages`; `hopscope sync` only
    /// fills the cache and leaves this off.
    pub emit_messages: bool,
}

fn source_label(name: &str, mailbox: &str, uid: u32) -> String {
    format!("{name}/{mailbox}/{uid}")
}

fn to_raw(name: &str, mailbox: &str, m: &CachedMessage) -> RawMessage {
    RawMessage {
        source: source_label(name, mailbox, m.uid),
        headers: m.headers.clone(),
    }
}

pub fn sync_mailbox(
    req: &SyncRequest<'_>,
    cache: &mut Cache,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<SyncSummary, ImapError> {
    let (name, account, mailbox) = (req.name, req.account, req.mailbox);
    let mut session = Session::open(name, account, req.credential)?;
    let info = session.examine(name, account, mailbox)?;
    let server_uids = session.all_uids(account)?;

    let mut summary = SyncSummary {
        total: server_uids.len(),
        ..SyncSummary::default()
    };
    let to_fetch = reconcile(req, cache, info.uid_validity, &server_uids, &mut summary)?;
    on_event(SyncEvent::Started {
        total: server_uids.len(),
        to_fetch: to_fetch.len(),
    });

    if req.emit_messages {
        // Chunks the size of a fetch batch: the UI holds a few batches of full reports in flight,
        // and a report is several times the size of its header block.
        cache.load_chunks(name, mailbox, FETCH_BATCH, &mut |chunk| {
            on_event(SyncEvent::Messages(
                chunk.iter().map(|m| to_raw(name, mailbox, m)).collect(),
            ));
            !cancel.load(Ordering::Relaxed)
        })?;
    }
    if to_fetch.is_empty() {
        session.logout();
        return Ok(summary);
    }
    fetch_into_cache(
        req,
        session,
        &to_fetch,
        cache,
        cancel,
        &mut summary,
        on_event,
    )?;
    Ok(summary)
}

/// Brings the cache in line with the server before fetching: a changed UIDVALIDITY empties the
/// mailbox's cache, UIDs gone from the server are dropped from it. Returns the UIDs it lacks, in
/// the server's order.
fn reconcile(
    req: &SyncRequest<'_>,
    cache: &mut Cache,
    uid_validity: u32,
    server_uids: &[u32],
    summary: &mut SyncSummary,
) -> Result<Vec<u32>, ImapError> {
    let (name, mailbox) = (req.name, req.mailbox);
    let known_validity = cache.uidvalidity(name, mailbox)?;
    if known_validity != Some(uid_validity) {
        summary.uidvalidity_changed = known_validity.is_some();
        cache.reset(name, mailbox, uid_validity)?;
    }
    let cached = cache.uids(name, mailbox)?;
    let on_server: HashSet<u32> = server_uids.iter().copied().collect();
    let gone: Vec<u32> = cached
        .iter()
        .copied()
        .filter(|u| !on_server.contains(u))
        .collect();
    if !gone.is_empty() {
        cache.delete(name, mailbox, &gone)?;
    }
    summary.removed = gone.len();
    Ok(server_uids
        .iter()
        .copied()
        .filter(|u| !cached.contains(u))
        .collect())
}

/// Fetches `to_fetch` over one or more connections (`session` is reused for the first) and
/// stores each batch in the cache as it arrives, before passing it on.
fn fetch_into_cache(
    req: &SyncRequest<'_>,
    session: Session,
    to_fetch: &[u32],
    cache: &mut Cache,
    cancel: &AtomicBool,
    summary: &mut SyncSummary,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<(), ImapError> {
    // One connection per share of the work, at most `connections`, and only when there is
    // enough to fetch for a second login to pay off.
    let parallel = req
        .account
        .connections
        .clamp(1, 4)
        .min(to_fetch.len().div_ceil(FETCH_BATCH * 4))
        .max(1);
    // A short queue: fetchers stay at most a batch or two ahead of the cache writer, which bounds
    // memory and means a failure loses little that was fetched but not yet stored.
    let (tx, rx) = mpsc::sync_channel::<Result<Vec<FetchedMessage>, ImapError>>(1);
    let stop = Arc::new(AtomicBool::new(false));
    let mut first = Some(session);
    std::thread::scope(|scope| {
        for share in to_fetch.chunks(to_fetch.len().div_ceil(parallel)) {
            let tx = tx.clone();
            let stop = Arc::clone(&stop);
            let reused = first.take();
            scope.spawn(move || fetch_share(req, reused, share, &stop, &tx));
        }
        drop(tx);
        for batch in rx {
            let stored = if cancel.load(Ordering::Relaxed) {
                Err(ImapError::Cancelled)
            } else {
                batch.and_then(|b| store_batch(req, cache, b, summary, on_event))
            };
            if let Err(e) = stored {
                stop.store(true, Ordering::Relaxed);
                // Returning drops the receiver, so no worker stays blocked on a send; they see
                // `stop` and finish before the scope ends.
                return Err(e);
            }
            on_event(SyncEvent::Progress {
                fetched: summary.fetched,
                to_fetch: to_fetch.len(),
            });
        }
        Ok(())
    })
}

/// Writes one fetched batch to the cache (its own transaction), then hands it on.
fn store_batch(
    req: &SyncRequest<'_>,
    cache: &mut Cache,
    batch: Vec<FetchedMessage>,
    summary: &mut SyncSummary,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<(), ImapError> {
    let (name, mailbox) = (req.name, req.mailbox);
    let rows: Vec<CachedMessage> = batch
        .into_iter()
        .map(|m| CachedMessage {
            uid: m.uid,
            flags: m.flags,
            internal_date: m.internal_date,
            size: m.size,
            headers: m.headers,
        })
        .collect();
    cache.insert(name, mailbox, &rows)?;
    summary.fetched += rows.len();
    if req.emit_messages {
        on_event(SyncEvent::Messages(
            rows.iter().map(|m| to_raw(name, mailbox, m)).collect(),
        ));
    }
    Ok(())
}

/// One connection's share: EXAMINE, then UID FETCH in batches until done or told to stop.
fn fetch_share(
    req: &SyncRequest<'_>,
    session: Option<Session>,
    uids: &[u32],
    stop: &AtomicBool,
    tx: &mpsc::SyncSender<Result<Vec<FetchedMessage>, ImapError>>,
) {
    let account = req.account;
    let mut session = match session {
        Some(s) => s,
        None => match Session::open(req.name, account, req.credential)
            .and_then(|mut s| s.examine(req.name, account, req.mailbox).map(|_| s))
        {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        },
    };
    for chunk in uids.chunks(FETCH_BATCH) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let result = session.fetch(account, chunk);
        let failed = result.is_err();
        if tx.send(result).is_err() || failed {
            return;
        }
    }
    session.logout();
}

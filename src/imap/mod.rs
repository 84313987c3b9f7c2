//! Live mailboxes over IMAP, read-only. `connect` opens the (TLS) stream, `session` logs in on
//! it and holds the only commands hopscope sends; `sync` brings a mailbox's headers into the
//! cache and streams them out. Nothing here knows about the terminal; the analysis happens
//! downstream on the raw headers.

mod connect;
pub mod error;
mod fetch_reader;
pub mod session;
pub mod sync;

pub use error::ImapError;
pub use session::Session;
pub use sync::{SyncEvent, SyncRequest, SyncSummary, sync_mailbox};

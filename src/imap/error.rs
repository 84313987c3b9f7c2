//! IMAP errors, each one line that says what failed and what to do.

use std::path::PathBuf;

use crate::{cache::CacheError, secrets::SecretError};

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot find the host {host} ({detail}): check `host` in the config and your network")]
    UnknownHost { host: String, detail: String },
    #[error(
        "connection to {host}:{port} refused: check `port` (993 for tls, 143 for starttls) and that the server is up"
    )]
    Refused { host: String, port: u16 },
    #[error(
        "no answer from {host}:{port} within {secs} s while {phase}: check the host, port and network (timeouts: connect-timeout-secs, read-timeout-secs)"
    )]
    Timeout {
        host: String,
        port: u16,
        secs: u64,
        phase: &'static str,
    },
    #[error("cannot connect to {host}:{port}: {detail}")]
    Connect {
        host: String,
        port: u16,
        detail: String,
    },
    #[error("the TLS certificate of {host} is not trusted ({detail}){hint}")]
    Certificate {
        host: String,
        detail: String,
        hint: String,
    },
    #[error("TLS with {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error(
        "cannot log in to {host} as {user}: {detail} (check `username`, or store the password again with `hopscope login {account}`)"
    )]
    Auth {
        account: String,
        host: String,
        user: String,
        detail: String,
    },
    #[error(
        "mailbox \"{mailbox}\" cannot be opened on {host}: {detail} (list the mailboxes with `hopscope mailboxes {account}`)"
    )]
    NoMailbox {
        account: String,
        host: String,
        mailbox: String,
        detail: String,
    },
    #[error(
        "{host} closed the connection during the sync; what was fetched is cached: run the sync again to resume"
    )]
    ConnectionLost { host: String },
    #[error(
        "{host} sent a response hopscope cannot read ({detail}); what was fetched is cached, try again or report this"
    )]
    Protocol { host: String, detail: String },
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error("cannot read ca-file {path}: {detail} (it must be a PEM certificate)")]
    CaFile { path: PathBuf, detail: String },
    #[error("sync cancelled")]
    Cancelled,
}

impl ImapError {
    /// Worth offering "retry" for: the network or server may behave next time.
    pub fn is_recoverable(&self) -> bool {
        matches!(
            self,
            ImapError::Timeout { .. }
                | ImapError::Refused { .. }
                | ImapError::ConnectionLost { .. }
                | ImapError::Connect { .. }
        )
    }
}

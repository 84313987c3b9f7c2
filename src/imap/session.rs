//! One blocking IMAP session: log in (over the stream `connect.rs` opens), and the read-only
//! commands hopscope needs. Nothing here can change a mailbox: `EXAMINE` (never `SELECT`),
//! `BODY.PEEK` (never sets `\Seen`), no STORE, COPY, MOVE, EXPUNGE, APPEND or DELETE.

use std::io::{self, Write};

use super::{
    connect::{SharedStream, map_imap, map_io, open_stream},
    error::ImapError,
};
use crate::{
    config::{AccountConfig, Security},
    secrets::Credential,
};

/// The header fields fetched for analysis and display.
pub const HEADER_FIELDS: &str = "RECEIVED FROM TO CC SUBJECT DATE MESSAGE-ID AUTHENTICATION-RESULTS ARC-AUTHENTICATION-RESULTS RECEIVED-SPF";

pub fn fetch_query() -> String {
    format!("(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])")
}

pub struct Session {
    inner: imap::Session<SharedStream>,
    raw: SharedStream,
    fetches: u32,
    pub host: String,
}

/// What a fetch returns per message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    pub uid: u32,
    pub flags: String,
    pub internal_date: Option<String>,
    pub size: Option<u32>,
    pub headers: Vec<u8>,
}

pub struct MailboxInfo {
    pub uid_validity: u32,
    pub exists: u32,
}

struct XOAuth2<'a> {
    user: &'a str,
    token: &'a str,
}

impl imap::Authenticator for XOAuth2<'_> {
    type Response = String;
    fn process(&self, _challenge: &[u8]) -> String {
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

impl Session {
    /// Connects and logs in. `name` is the account's name in the config (for error hints).
    pub fn open(
        name: &str,
        account: &AccountConfig,
        credential: &Credential,
    ) -> Result<Session, ImapError> {
        let raw = SharedStream::new(open_stream(account)?);
        let mut client = imap::Client::new(raw.clone());
        if account.security != Security::Starttls {
            client
                .read_greeting()
                .map_err(|e| map_imap(account, e, "waiting for the greeting"))?;
        }
        let auth_err = |e: imap::error::Error| match e {
            imap::error::Error::No(m) | imap::error::Error::Bad(m) => ImapError::Auth {
                account: name.to_string(),
                host: account.host.clone(),
                user: account.username.clone(),
                detail: format!("the server said \"{}\"", m.trim()),
            },
            other => map_imap(account, other, "logging in"),
        };
        let inner = match credential {
            Credential::Password(p) => client
                .login(&account.username, p.expose())
                .map_err(|(e, _)| auth_err(e))?,
            Credential::OAuth2Token(t) => client
                .authenticate(
                    "XOAUTH2",
                    &XOAuth2 {
                        user: &account.username,
                        token: t.expose(),
                    },
                )
                .map_err(|(e, _)| auth_err(e))?,
        };
        Ok(Session {
            inner,
            raw,
            fetches: 0,
            host: account.host.clone(),
        })
    }

    /// Opens a mailbox read-only (EXAMINE).
    pub fn examine(
        &mut self,
        name: &str,
        account: &AccountConfig,
        mailbox: &str,
    ) -> Result<MailboxInfo, ImapError> {
        match self.inner.examine(mailbox) {
            Ok(m) => Ok(MailboxInfo {
                uid_validity: m.uid_validity.unwrap_or(0),
                exists: m.exists,
            }),
            Err(imap::error::Error::No(detail) | imap::error::Error::Bad(detail)) => {
                Err(ImapError::NoMailbox {
                    account: name.into(),
                    host: account.host.clone(),
                    mailbox: mailbox.into(),
                    detail: detail.trim().to_string(),
                })
            }
            Err(e) => Err(map_imap(account, e, "opening the mailbox")),
        }
    }

    pub fn all_uids(&mut self, account: &AccountConfig) -> Result<Vec<u32>, ImapError> {
        let mut uids: Vec<u32> = self
            .inner
            .uid_search("ALL")
            .map_err(|e| map_imap(account, e, "listing messages"))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// `UID FETCH` of headers, flags, date and size, read by hopscope's one-pass reader.
    pub fn fetch(
        &mut self,
        account: &AccountConfig,
        uids: &[u32],
    ) -> Result<Vec<FetchedMessage>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetches += 1;
        // A tag of our own: the imap crate's counter is not reachable, and the server only needs
        // each in-flight tag to be distinct.
        let tag = format!("hf{}", self.fetches);
        let command = format!("{tag} UID FETCH {} {}\r\n", uid_set(uids), fetch_query());
        self.raw
            .write_all(command.as_bytes())
            .and_then(|()| self.raw.flush())
            .map_err(|e| map_io(account, e, "fetching headers"))?;
        let mut reader = io::BufReader::with_capacity(256 * 1024, self.raw.clone());
        super::fetch_reader::read_fetch(&mut reader, &tag).map_err(|e| {
            use super::fetch_reader::FetchReadError as F;
            match e {
                F::Eof => ImapError::ConnectionLost {
                    host: account.host.clone(),
                },
                F::Io(detail)
                    if detail.contains("timed out")
                        || detail.contains("temporarily unavailable") =>
                {
                    ImapError::Timeout {
                        host: account.host.clone(),
                        port: account.port(),
                        secs: account.read_timeout_secs,
                        phase: "fetching headers",
                    }
                }
                F::Io(_) => ImapError::ConnectionLost {
                    host: account.host.clone(),
                },
                other => ImapError::Protocol {
                    host: account.host.clone(),
                    detail: other.to_string(),
                },
            }
        })
    }

    /// Mailbox names with their message counts (LIST, then STATUS for each).
    pub fn mailboxes(
        &mut self,
        account: &AccountConfig,
    ) -> Result<Vec<(String, Option<u32>)>, ImapError> {
        let names = self
            .inner
            .list(Some(""), Some("*"))
            .map_err(|e| map_imap(account, e, "listing mailboxes"))?;
        let mut out = Vec::new();
        for n in names.iter() {
            let selectable = !n
                .attributes()
                .iter()
                .any(|a| matches!(a, imap::types::NameAttribute::NoSelect));
            let count = if selectable {
                self.message_count(n.name())
            } else {
                None
            };
            out.push((n.name().to_string(), count));
        }
        Ok(out)
    }

    /// STATUS (MESSAGES): the imap crate hands the STATUS reply to its unsolicited channel.
    fn message_count(&mut self, mailbox: &str) -> Option<u32> {
        while self.inner.unsolicited_responses.try_recv().is_ok() {}
        self.inner.status(mailbox, "(MESSAGES)").ok()?;
        while let Ok(r) = self.inner.unsolicited_responses.try_recv() {
            if let imap::types::UnsolicitedResponse::Status { attributes, .. } = r
                && let Some(n) = attributes.iter().find_map(|a| match a {
                    imap::types::StatusAttribute::Messages(n) => Some(*n),
                    _ => None,
                })
            {
                return Some(n);
            }
        }
        None
    }

    pub fn logout(mut self) {
        let _ = self.inner.logout();
    }
}

/// `1:5,7,9:10` from sorted UIDs.
pub fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fetches_exactly_the_fields_the_analysis_reads() {
        let read: Vec<String> = crate::analysis::FIELDS_READ
            .iter()
            .map(|f| f.to_ascii_uppercase())
            .collect();
        assert_eq!(super::HEADER_FIELDS, read.join(" "));
    }

    use super::*;

    #[test]
    fn uid_sets_compress_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[42]), "42");
        assert_eq!(uid_set(&[]), "");
    }

    #[test]
    fn fetch_is_read_only() {
        let q = fetch_query();
        assert!(q.contains("BODY.PEEK["));
        assert!(!q.contains("BODY["));
    }
}

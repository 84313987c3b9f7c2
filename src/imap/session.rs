//! One blocking IMAP connection: connect (TLS, STARTTLS or plain), log in, and the read-only
//! commands hopscope needs. Nothing here can change a mailbox: `EXAMINE` (never `SELECT`),
//! `BODY.PEEK` (never sets `\Seen`), no STORE, COPY, MOVE, EXPUNGE, APPEND or DELETE.

use std::{
    io::{self, Read, Write},
    net::{TcpStream, ToSocketAddrs},
};

use std::sync::{Arc, Mutex};

use native_tls::{Certificate, HandshakeError, TlsConnector};

use super::error::ImapError;
use crate::{
    config::{AccountConfig, Security},
    secrets::Credential,
};

/// The header fields fetched for analysis and display.
pub const HEADER_FIELDS: &str = "RECEIVED FROM TO CC SUBJECT DATE MESSAGE-ID AUTHENTICATION-RESULTS ARC-AUTHENTICATION-RESULTS RECEIVED-SPF";

pub fn fetch_query() -> String {
    format!("(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])")
}

pub trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// The connection, shared between the imap crate (login, EXAMINE, SEARCH, LIST) and hopscope's
/// own FETCH reader (`fetch_reader`), which reads header literals in one pass.
#[derive(Clone)]
pub struct SharedStream(Arc<Mutex<Box<dyn Stream>>>);

impl SharedStream {
    fn new(stream: Box<dyn Stream>) -> Self {
        Self(Arc::new(Mutex::new(stream)))
    }

    fn lock(&self) -> io::Result<std::sync::MutexGuard<'_, Box<dyn Stream>>> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("connection lock poisoned"))
    }
}

impl Read for SharedStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.lock()?.read(buf)
    }
}

impl Write for SharedStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock()?.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.lock()?.flush()
    }
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

fn tls_connector(account: &AccountConfig) -> Result<TlsConnector, ImapError> {
    let mut builder = TlsConnector::builder();
    if let Some(path) = &account.ca_file {
        let pem = std::fs::read(path).map_err(|e| ImapError::CaFile {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|e| ImapError::CaFile {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        builder.add_root_certificate(cert);
    }
    builder.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
    builder.build().map_err(|e| ImapError::Tls {
        host: account.host.clone(),
        detail: e.to_string(),
    })
}

fn tcp_connect(account: &AccountConfig) -> Result<TcpStream, ImapError> {
    let (host, port) = (account.host.as_str(), account.port());
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| ImapError::UnknownHost {
            host: host.into(),
            detail: e.to_string(),
        })?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, account.connect_timeout()) {
            Ok(s) => {
                s.set_read_timeout(Some(account.read_timeout())).ok();
                s.set_write_timeout(Some(account.read_timeout())).ok();
                s.set_nodelay(true).ok();
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => ImapError::Refused {
            host: host.into(),
            port,
        },
        Some(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            ImapError::Timeout {
                host: host.into(),
                port,
                secs: account.connect_timeout_secs,
                phase: "connecting",
            }
        }
        Some(e) => ImapError::Connect {
            host: host.into(),
            port,
            detail: e.to_string(),
        },
        None => ImapError::UnknownHost {
            host: host.into(),
            detail: "no address found".into(),
        },
    })
}

fn handshake(account: &AccountConfig, tcp: TcpStream) -> Result<Box<dyn Stream>, ImapError> {
    let connector = tls_connector(account)?;
    match connector.connect(&account.host, tcp) {
        Ok(s) => Ok(Box::new(s)),
        Err(HandshakeError::Failure(e)) => {
            let detail = e.to_string();
            if detail.contains("certificate") || detail.contains("verify") {
                let hint = match &account.ca_file {
                    Some(p) => format!(
                        ": the server's certificate is not signed by ca-file {} or does not name {}",
                        p.display(),
                        account.host
                    ),
                    None => format!(
                        ": if {} uses a private or self-signed certificate, set `ca-file` to its CA certificate in the config",
                        account.host
                    ),
                };
                Err(ImapError::Certificate {
                    host: account.host.clone(),
                    detail,
                    hint,
                })
            } else {
                Err(classify_io_text(account, &detail, "in the TLS handshake"))
            }
        }
        Err(HandshakeError::WouldBlock(_)) => Err(ImapError::Timeout {
            host: account.host.clone(),
            port: account.port(),
            secs: account.read_timeout_secs,
            phase: "in the TLS handshake",
        }),
    }
}

fn classify_io_text(account: &AccountConfig, detail: &str, phase: &'static str) -> ImapError {
    if detail.contains("timed out") || detail.contains("Resource temporarily unavailable") {
        ImapError::Timeout {
            host: account.host.clone(),
            port: account.port(),
            secs: account.read_timeout_secs,
            phase,
        }
    } else {
        ImapError::Tls {
            host: account.host.clone(),
            detail: detail.to_string(),
        }
    }
}

/// Reads one CRLF-terminated line byte by byte (used only before TLS, so nothing is over-read).
fn read_line(s: &mut TcpStream) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") {
        if s.read(&mut byte)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        line.push(byte[0]);
        if line.len() > 8192 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

fn starttls(account: &AccountConfig, mut tcp: TcpStream) -> Result<Box<dyn Stream>, ImapError> {
    let io_err = |e: io::Error| map_io(account, e, "starting TLS");
    let greeting = read_line(&mut tcp).map_err(io_err)?;
    if !greeting.starts_with("* OK") {
        return Err(ImapError::Protocol {
            host: account.host.clone(),
            detail: format!("unexpected greeting {:?}", greeting.trim()),
        });
    }
    tcp.write_all(b"hs0 STARTTLS\r\n").map_err(io_err)?;
    loop {
        let line = read_line(&mut tcp).map_err(io_err)?;
        if let Some(rest) = line.strip_prefix("hs0 ") {
            if rest.starts_with("OK") {
                break;
            }
            return Err(ImapError::Tls {
                host: account.host.clone(),
                detail: format!("the server refused STARTTLS: {}", rest.trim()),
            });
        }
    }
    handshake(account, tcp)
}

fn map_io(account: &AccountConfig, e: io::Error, phase: &'static str) -> ImapError {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ImapError::Timeout {
            host: account.host.clone(),
            port: account.port(),
            secs: account.read_timeout_secs,
            phase,
        },
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::ConnectionAborted => ImapError::ConnectionLost {
            host: account.host.clone(),
        },
        _ => ImapError::Connect {
            host: account.host.clone(),
            port: account.port(),
            detail: e.to_string(),
        },
    }
}

/// Maps an imap-crate error met after login.
pub fn map_imap(account: &AccountConfig, e: imap::error::Error, phase: &'static str) -> ImapError {
    use imap::error::Error as E;
    match e {
        E::Io(io) => map_io(account, io, phase),
        E::ConnectionLost => ImapError::ConnectionLost {
            host: account.host.clone(),
        },
        E::Tls(t) => classify_io_text(account, &t.to_string(), phase),
        E::Parse(p) => ImapError::Protocol {
            host: account.host.clone(),
            detail: format!("{p:?}").chars().take(200).collect(),
        },
        E::Bad(m) | E::No(m) => ImapError::Protocol {
            host: account.host.clone(),
            detail: m,
        },
        other => ImapError::Protocol {
            host: account.host.clone(),
            detail: other.to_string(),
        },
    }
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
        let tcp = tcp_connect(account)?;
        let stream: Box<dyn Stream> = match account.security {
            Security::Tls => handshake(account, tcp)?,
            Security::Starttls => starttls(account, tcp)?,
            Security::Plain => Box::new(tcp),
        };
        let raw = SharedStream::new(stream);
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

//! Opening the byte stream under an IMAP session: TCP with timeouts, then implicit TLS,
//! STARTTLS or plain, and the one-line errors each way of failing maps to. Certificates are
//! verified against the system store (and `ca-file`, when set); TLS below 1.2 is refused.

use std::{
    io::{self, Read, Write},
    net::{TcpStream, ToSocketAddrs},
    sync::{Arc, Mutex},
};

use native_tls::{Certificate, HandshakeError, TlsConnector};

use super::error::ImapError;
use crate::config::{AccountConfig, Security};

pub trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// The connection, shared between the imap crate (login, EXAMINE, SEARCH, LIST) and hopscope's
/// own FETCH reader (`fetch_reader`), which reads header literals in one pass.
#[derive(Clone)]
pub struct SharedStream(Arc<Mutex<Box<dyn Stream>>>);

impl SharedStream {
    pub fn new(stream: Box<dyn Stream>) -> Self {
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

/// Connects to the account's server and secures the stream as its `security` says.
pub fn open_stream(account: &AccountConfig) -> Result<Box<dyn Stream>, ImapError> {
    let tcp = tcp_connect(account)?;
    Ok(match account.security {
        Security::Tls => handshake(account, tcp)?,
        Security::Starttls => starttls(account, tcp)?,
        Security::Plain => Box::new(tcp),
    })
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

/// Maps an IO error met on an open connection.
pub fn map_io(account: &AccountConfig, e: io::Error, phase: &'static str) -> ImapError {
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

//! The nouns of the analysis: `Hop`, `TlsFacts`, `MessageReport` and the enums that classify them.
//!
//! These are plain owned data. They serialise to the JSON Lines contract documented in README.md,
//! so renaming a field here is a breaking change for users' scripts.

use std::{fmt, sync::Arc};

use serde::{Serialize, Serializer};

use super::org::Org;

/// A message's header text, shared by its report and hops. An `Arc<String>` rather than an
/// `Arc<str>`: a reader's buffer becomes one without copying its bytes (`parse_owned`).
pub type HeaderText = Arc<String>;

/// A slice of a message's header text, shared with the message instead of copied (a mailbox of
/// 50,000 messages would otherwise hold every Received line twice).
#[derive(Clone, Default)]
pub struct RawText {
    text: HeaderText,
    start: usize,
    end: usize,
}

impl RawText {
    /// `start..end` must lie on char boundaries of `text`; anything else yields an empty slice.
    pub fn new(text: HeaderText, start: usize, end: usize) -> Self {
        let ok = start <= end && text.get(start..end).is_some();
        if ok {
            Self { text, start, end }
        } else {
            Self::default()
        }
    }

    pub fn copied_from(s: &str) -> Self {
        let text: HeaderText = Arc::new(s.to_string());
        let end = text.len();
        Self {
            text,
            start: 0,
            end,
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.start..self.end).unwrap_or_default()
    }

    /// Byte offset of this slice in the message's header text.
    pub fn offset(&self) -> usize {
        self.start
    }
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for RawText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawText {}

impl Serialize for RawText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What the header text itself says about transport security on one hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A TLS/SSL note, or a protocol keyword that means TLS (ESMTPS, LMTPS, HTTPS...).
    Tls,
    /// A plaintext transfer protocol keyword (SMTP, ESMTP, LMTP, HTTP...) and no TLS note.
    Plaintext,
    /// No protocol, or one that says nothing about transport (local, MAPI, IMAP...).
    None,
}

/// Who was on each side of the hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Same host, loopback, unix socket, private address, or no sending side at all.
    Local,
    /// Same organisation (registrable domain or known provider) or the receiver's own network.
    Internal,
    /// Two different organisations: the risky kind of hop.
    CrossOrg,
    /// Not enough names or addresses to tell.
    Unknown,
}

/// The decision for one hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Encrypted,
    Weak,
    Internal,
    Unrecorded,
    Plaintext,
}

/// Why a hop without a TLS note is judged `plaintext` rather than `unrecorded`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The receiver's format writes ESMTPS/esmtps (or a TLS note) when TLS is used, and did not.
    Keyword,
    /// This receiver recorded TLS on `messages` other messages analysed in the same run.
    Mailbox { messages: u32 },
    /// The provider table in `assets/providers.toml` says this receiver records TLS.
    Provider { provider: String },
}

impl Basis {
    /// The short form the hop tables show: `keyword`, `mailbox:3`, `provider:Google`.
    pub fn short(&self) -> String {
        match self {
            Basis::Keyword => "keyword".into(),
            Basis::Mailbox { messages } => format!("mailbox:{messages}"),
            Basis::Provider { provider } => format!("provider:{provider}"),
        }
    }
}

/// The decision for a whole message, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Plaintext,
    Unrecorded,
    Weak,
    Encrypted,
    Internal,
    NoHops,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Plaintext,
        Verdict::Unrecorded,
        Verdict::Weak,
        Verdict::Encrypted,
        Verdict::Internal,
        Verdict::NoHops,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Plaintext => "plaintext",
            Verdict::Unrecorded => "unrecorded",
            Verdict::Weak => "weak",
            Verdict::Encrypted => "encrypted",
            Verdict::Internal => "internal",
            Verdict::NoHops => "no_hops",
        }
    }

    /// True for the verdicts the "unencrypted only" filter keeps.
    pub fn is_unencrypted(self) -> bool {
        matches!(
            self,
            Verdict::Plaintext | Verdict::Unrecorded | Verdict::Weak
        )
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Encrypted => "encrypted",
            Status::Weak => "weak",
            Status::Internal => "internal",
            Status::Unrecorded => "unrecorded",
            Status::Plaintext => "plaintext",
        }
    }
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Local => "local",
            Scope::Internal => "internal",
            Scope::CrossOrg => "cross_org",
            Scope::Unknown => "unknown",
        }
    }
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Tls => "tls",
            Evidence::Plaintext => "plaintext",
            Evidence::None => "none",
        }
    }
}

/// TLS parameters as the receiver wrote them, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsFacts {
    /// `TLSv1.0`..`TLSv1.3`, `SSLv2`, `SSLv3`, or `unspecified` for sendmail's `TLSv1/SSLv3`.
    pub version: Option<ShortText>,
    pub cipher: Option<ShortText>,
    /// Symmetric key bits, when stated.
    pub bits: Option<u32>,
    /// Client-certificate verification result (sendmail `verify=`, OpenSMTPD's last field).
    pub verify: Option<ShortText>,
    /// The text the facts were read from, e.g. `(version=TLS1_3 cipher=... bits=256/256)`.
    pub note: Option<String>,
}

/// Text of a hop: host names, addresses, ids, dates. Most fit in 24 bytes and are then stored
/// inline, so most of a hop's dozen short strings cost no allocation of their own (every one did,
/// and the allocator then had fresh pages zeroed for 100,000 messages' worth of small strings).
pub type ShortText = compact_str::CompactString;

/// One Received field, parsed. Hops are kept oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// 1 for the oldest hop.
    pub index: usize,
    /// The name after `from` (often the HELO name), `None` when there is no from part.
    pub from_host: Option<ShortText>,
    /// The reverse-DNS name the receiver recorded for the client.
    pub from_rdns: Option<ShortText>,
    /// The HELO/EHLO name when written separately from `from_host`.
    pub from_helo: Option<ShortText>,
    pub from_ip: Option<ShortText>,
    pub by_host: Option<ShortText>,
    /// An address the receiver wrote for itself, e.g. Exchange's `by host (10.0.0.1)`.
    pub by_ip: Option<ShortText>,
    /// The `with` (or `via`) keyword, SMTP family upper-cased (`ESMTPSA`).
    pub protocol: Option<ShortText>,
    pub id: Option<ShortText>,
    #[serde(rename = "for")]
    pub for_addr: Option<ShortText>,
    /// The receiver's software or provider, when the format shows it (`postfix`, `exim`...).
    pub mta: Option<&'static str>,
    pub evidence: Evidence,
    // Boxed: half the hops have no TLS facts, and 100 bytes in every hop add up to page faults.
    pub tls: Option<Box<TlsFacts>>,
    pub scope: Scope,
    pub status: Status,
    pub basis: Option<Basis>,
    /// True below the trust boundary: written by others, may be forged.
    pub claimed: bool,
    /// RFC 3339, with the offset the receiver wrote; `None` when missing or invalid.
    pub date: Option<ShortText>,
    #[serde(skip)]
    pub timestamp: Option<i64>,
    /// Seconds since the previous hop; negative means the clocks disagree.
    pub delay_s: Option<i64>,
    pub clock_skew: bool,
    /// Weak-TLS reasons (`TLSv1.0`, `RC4`...), empty unless status is `weak`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weaknesses: Vec<String>,
    /// The field body as received (folding kept).
    pub raw: RawText,
    /// The receiver's organisation, worked out once at parse time.
    #[serde(skip)]
    pub receiver_org: Option<Org>,
}

impl Hop {
    /// The hop tables' TLS cell: `TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384`, `TLS` where no version
    /// was written, `-` without TLS facts.
    pub fn tls_cell(&self) -> String {
        match &self.tls {
            Some(t) => {
                let v = t.version.as_deref().unwrap_or("TLS");
                match &t.cipher {
                    Some(c) => format!("{v} {c}"),
                    None => v.to_string(),
                }
            }
            None => "-".into(),
        }
    }

    /// The names the hop gives for its sending side, best first: the receiver's reverse-DNS
    /// lookup written apart (Postfix's and sendmail's `(rdns [ip])`), then the word after
    /// `from`, then the HELO name. Where a format marks the HELO name apart (Exim's `helo=`,
    /// qmail's `(HELO ...)`, Proofpoint's `(EHLO ...)`), the word after `from` is the name the
    /// receiver looked up, or `unknown`, while the HELO name is whatever the client chose to say
    /// (`helo=User`).
    pub fn sender_names(&self) -> impl Iterator<Item = &str> {
        [
            self.from_rdns.as_deref(),
            self.from_host.as_deref(),
            self.from_helo.as_deref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// The authentication results the receiving side recorded, for display only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthResults {
    pub authserv_id: Option<String>,
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    pub arc: Option<String>,
}

impl AuthResults {
    pub fn is_empty(&self) -> bool {
        self.spf.is_none() && self.dkim.is_none() && self.dmarc.is_none() && self.arc.is_none()
    }
}

/// Everything hopscope knows about one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageReport {
    /// Where the message came from: a path, `path:offset` in an mbox, or `account/mailbox/uid`.
    pub source: String,
    pub message_id: Option<String>,
    pub date: Option<ShortText>,
    #[serde(skip)]
    pub timestamp: Option<i64>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub auth: AuthResults,
    pub hops: Vec<Hop>,
    /// The header block as read, for the raw view. Not part of the JSON contract.
    #[serde(skip)]
    pub raw_headers: HeaderText,
    /// More Received fields than `MAX_HOPS`: only the newest were analysed.
    #[serde(skip)]
    pub hops_truncated: bool,
}

impl MessageReport {
    /// The domain of the sender address, lower-case, for grouping.
    pub fn sender_domain(&self) -> Option<String> {
        sender_domain(self.from.as_deref()?)
    }
}

/// The domain of the address in a From field (`Name <user@Example.org>` → `example.org`).
pub fn sender_domain(from: &str) -> Option<String> {
    let at = from.rfind('@')?;
    let rest = &from[at + 1..];
    let end = rest.find(['>', ' ', ')', '"']).unwrap_or(rest.len());
    let domain = rest[..end].trim().to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

//! Per-hop status and per-message verdict (the sentences that explain them: `reasons.rs`).
//!
//! A missing TLS note proves nothing by itself. A hop is called `plaintext` only on a basis:
//! the receiver's format writes a TLS keyword when TLS is used (`keyword`), this receiver recorded
//! TLS on other messages in the same mailbox (`mailbox`), or the provider table says it records
//! TLS (`provider`). Without a basis the hop is `unrecorded`.

use std::{borrow::Cow, collections::HashMap};

use smallvec::SmallVec;

use super::{
    model::{Basis, Evidence, Hop, MessageReport, Scope, Status, Verdict},
    mta::records_tls_in_format,
    path::receiver_org,
    protocol::is_plain_smtp_family,
    reasons::reasons,
    tls_note::weaknesses,
};

/// What the whole mailbox says about each receiver: how many messages it recorded TLS on.
#[derive(Debug, Default, Clone)]
pub struct ReceiverStats {
    // foldhash, seeded per process: every hop of every message looks a receiver up here, and
    // receiver names come from mail anyone can send, so the seed must not be one they can know.
    tls_messages: HashMap<String, u32, foldhash::fast::RandomState>,
}

impl ReceiverStats {
    pub fn from_reports<'a>(reports: impl IntoIterator<Item = &'a MessageReport>) -> Self {
        let mut stats = Self::default();
        for r in reports {
            stats.add(r);
        }
        stats
    }

    /// Counts the message once per receiver that recorded TLS on it.
    pub fn add(&mut self, report: &MessageReport) {
        for key in tls_receivers(report) {
            match self.tls_messages.get_mut(key.as_ref()) {
                Some(n) => *n += 1,
                None => {
                    self.tls_messages.insert(key.into_owned(), 1);
                }
            }
        }
    }

    /// Adds the counts gathered over other messages (another worker's share of a mailbox).
    pub fn merge(&mut self, other: ReceiverStats) {
        for (receiver, n) in other.tls_messages {
            *self.tls_messages.entry(receiver).or_insert(0) += n;
        }
    }

    /// Messages other than the one being decided (whose own TLS receivers are `own`) on which
    /// `receiver` recorded TLS.
    fn others(&self, receiver: &str, own: &[Cow<'_, str>]) -> u32 {
        let total = self.tls_messages.get(receiver).copied().unwrap_or(0);
        total.saturating_sub(u32::from(own.iter().any(|k| k == receiver)))
    }
}

/// The receiver's name, lower-case; borrowed when it already is (the common case).
fn receiver_key(hop: &Hop) -> Option<Cow<'_, str>> {
    let by = hop.by_host.as_deref()?;
    Some(if by.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(by.to_ascii_lowercase())
    } else {
        Cow::Borrowed(by)
    })
}

/// The distinct receivers that recorded TLS on this message (a chain has a handful of hops, so a
/// linear check beats hashing).
fn tls_receivers(report: &MessageReport) -> SmallVec<[Cow<'_, str>; 8]> {
    let mut seen: SmallVec<[Cow<'_, str>; 8]> = SmallVec::new();
    for key in report
        .hops
        .iter()
        .filter(|h| h.evidence == Evidence::Tls)
        .filter_map(receiver_key)
    {
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen
}

/// Decides every hop's status and basis, then the verdict and its reasons.
pub fn decide(report: &mut MessageReport, stats: &ReceiverStats) {
    let own = tls_receivers(report);
    // Inline: a chain rarely has more than eight hops, and this runs once per message.
    let decisions: SmallVec<[HopDecision; 8]> = report
        .hops
        .iter()
        .map(|hop| decide_hop(hop, &own, stats))
        .collect();
    drop(own);
    for (hop, (status, basis, weak)) in report.hops.iter_mut().zip(decisions) {
        hop.status = status;
        hop.basis = basis;
        hop.weaknesses = weak;
    }
    report.verdict = verdict_of(&report.hops);
    report.reasons = reasons(report);
}

/// A hop's status, the basis of a `plaintext` status, and the weaknesses of a `weak` one.
type HopDecision = (Status, Option<Basis>, Vec<String>);

fn decide_hop(hop: &Hop, own: &[Cow<'_, str>], stats: &ReceiverStats) -> HopDecision {
    if matches!(hop.scope, Scope::Local | Scope::Internal) {
        return (Status::Internal, None, Vec::new());
    }
    if hop.evidence == Evidence::Tls {
        let weak = hop.tls.as_deref().map(weaknesses).unwrap_or_default();
        let status = if weak.is_empty() {
            Status::Encrypted
        } else {
            Status::Weak
        };
        return (status, None, weak);
    }
    // A protocol that is not a transfer (MAPI, IMAP, HTTPREST, local...) says nothing either way.
    if hop.evidence == Evidence::None && hop.protocol.is_some() {
        return (Status::Unrecorded, None, Vec::new());
    }
    match basis_for(hop, own, stats) {
        Some(basis) => (Status::Plaintext, Some(basis), Vec::new()),
        None => (Status::Unrecorded, None, Vec::new()),
    }
}

fn basis_for(hop: &Hop, own: &[Cow<'_, str>], stats: &ReceiverStats) -> Option<Basis> {
    let keyword = hop.evidence == Evidence::Plaintext
        && hop.protocol.as_deref().is_some_and(is_plain_smtp_family)
        && hop.mta.is_some_and(records_tls_in_format);
    if keyword {
        return Some(Basis::Keyword);
    }
    if let Some(key) = receiver_key(hop) {
        let others = stats.others(&key, own);
        if others > 0 {
            return Some(Basis::Mailbox { messages: others });
        }
    }
    let provider = receiver_org(hop)
        .and_then(|o| o.provider())
        .filter(|p| p.records_tls)?;
    Some(Basis::Provider {
        provider: provider.name.clone(),
    })
}

fn verdict_of(hops: &[Hop]) -> Verdict {
    if hops.is_empty() {
        return Verdict::NoHops;
    }
    let worst = hops
        .iter()
        .map(|h| h.status)
        .filter(|s| *s != Status::Internal)
        .max();
    match worst {
        None => Verdict::Internal,
        Some(Status::Plaintext) => Verdict::Plaintext,
        Some(Status::Unrecorded) => Verdict::Unrecorded,
        Some(Status::Weak) => Verdict::Weak,
        Some(_) => Verdict::Encrypted,
    }
}

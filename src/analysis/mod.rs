//! The analysis core: raw header bytes in, `MessageReport`s out.
//!
//! Pure and total: no IO, no clock, no environment, no terminal, and no input makes it panic or
//! fail (bad input becomes "unknown" values and reasons). Two bounded per-thread memos (the
//! organisation of a host name, the facts of a TLS note) only remember answers already worked
//! out, so the same input always gives the same report. Everything else in hopscope (IMAP sync,
//! file readers, the terminal UI, reports) is a consumer of this module.
//!
//! Analysis runs in two steps so that mailbox-level evidence can be used: `parse_message` reads
//! one message's headers and decides everything that depends only on that message (hops, scopes,
//! trust boundary, delays); `decide` then sets statuses and the verdict using `ReceiverStats`
//! gathered over all messages. `analyze_mailbox` does both for a batch.

mod address_text;
mod auth;
mod date;
mod from_part;
mod header_block;
mod memo;
mod meta;
pub mod model;
mod mta;
mod needles;
mod network;
mod org;
mod path;
mod protocol;
mod reasons;
mod received;
mod stack_text;
mod tls_note;
mod tokens;
mod trim;
mod verdict;

pub use header_block::{FIELDS_READ, fields_read, header_part, starts_with_field};
pub use model::{
    AuthResults, Basis, Evidence, Hop, MessageReport, RawText, Scope, Status, TlsFacts, Verdict,
    sender_domain,
};
pub use org::Org;
pub use reasons::{basis_sentence, hop_label};
pub use verdict::{ReceiverStats, decide};

/// More Received fields than this is a loop or an attack; the rest are ignored, with a reason.
pub const MAX_HOPS: usize = 256;

/// User knowledge the analysis can use.
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// The user's own domains: the trust boundary is the first hop received by one of them.
    pub own_domains: Vec<String>,
}

/// Reads one message (headers, or a whole message: the body is ignored). Statuses, verdict and
/// reasons are not set until `decide` runs with the mailbox's `ReceiverStats`.
pub fn parse_message(source: &str, raw: &[u8], options: &AnalysisOptions) -> MessageReport {
    let text = decode_header_bytes(header_part(raw)).into_owned();
    parse_text(source.to_string(), std::sync::Arc::new(text), options)
}

/// `parse_message` for a reader's own buffers: the header bytes become the report's header text
/// without a copy when they are UTF-8 (100,000 generated messages are 148 MB of headers).
pub fn parse_owned(source: String, mut raw: Vec<u8>, options: &AnalysisOptions) -> MessageReport {
    let head = header_part(&raw).len();
    raw.truncate(head);
    // A buffer much larger than its header (a whole message read, then cut) is not kept as is:
    // the report lives as long as the mailbox view. The slack of a grown buffer (at most twice
    // its length) is kept: trimming it would copy every header again.
    if raw.capacity() > 2 * head + 64 {
        raw.shrink_to_fit();
    }
    let text = match String::from_utf8(raw) {
        Ok(text) => text,
        Err(e) => decode_header_bytes(e.as_bytes()).into_owned(),
    };
    parse_text(source, std::sync::Arc::new(text), options)
}

fn parse_text(source: String, text: model::HeaderText, options: &AnalysisOptions) -> MessageReport {
    let fields = header_block::fields(&text);

    let mut report = MessageReport {
        source,
        message_id: None,
        date: None,
        timestamp: None,
        from: None,
        subject: None,
        verdict: Verdict::NoHops,
        reasons: Vec::new(),
        auth: AuthResults::default(),
        hops: Vec::new(),
        raw_headers: std::sync::Arc::clone(&text),
        hops_truncated: false,
    };
    let mut received: smallvec::SmallVec<[&str; 16]> = smallvec::SmallVec::new();
    for field in &fields {
        if field.is("received") {
            received.push(field.body);
        } else if field.is("subject") && report.subject.is_none() {
            report.subject = Some(meta::subject(field.body));
        } else if field.is("from") && report.from.is_none() {
            report.from = Some(meta::from(field.body));
        } else if field.is("date") && report.date.is_none() {
            if let Some(d) = date::parse(field.body) {
                report.date = Some(d.rfc3339);
                report.timestamp = Some(d.timestamp);
            }
        } else if field.is("message-id") && report.message_id.is_none() {
            report.message_id = Some(meta::message_id(field.body));
        } else if field.is("authentication-results") {
            auth::merge_authentication_results(&mut report.auth, field.body, false);
        } else if field.is("arc-authentication-results") {
            auth::merge_authentication_results(&mut report.auth, field.body, true);
        } else if field.is("received-spf") {
            auth::merge_received_spf(&mut report.auth, field.body);
        }
    }

    report.hops_truncated = received.len() > MAX_HOPS;
    received.truncate(MAX_HOPS);
    // Received fields are prepended by each receiver, so the newest is on top: reverse once here
    // and keep every list oldest first from now on.
    let mut hops: Vec<Hop> = Vec::with_capacity(received.len());
    let mut hints: smallvec::SmallVec<[received::HopHints; 16]> = smallvec::SmallVec::new();
    for (i, body) in received.iter().rev().enumerate() {
        let trimmed = trim::blank(body);
        // `trimmed` is a slice of `text`: its offset is the distance between the pointers.
        let start = trimmed.as_ptr() as usize - text.as_ptr() as usize;
        let raw = RawText::new(std::sync::Arc::clone(&text), start, start + trimmed.len());
        hints.push(received::parse_into(body, i + 1, raw, &mut hops));
    }
    path::decide_scopes(&mut hops, &hints);
    path::mark_claimed(&mut hops, &options.own_domains);
    path::fill_delays(&mut hops);
    report.hops = hops;
    report
}

/// Header bytes as text. Valid UTF-8 stays as it is; any byte that is not part of valid UTF-8 is
/// read as Latin-1, the most common legacy header charset, so `Grüße` written in ISO-8859-1
/// still reads `Grüße` and nothing is replaced by U+FFFD.
fn decode_header_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|&b| char::from(b)));
    }
    std::borrow::Cow::Owned(out)
}

/// Analyses messages together, so that what a receiver recorded on one message informs the
/// others (basis `mailbox`).
pub fn analyze_mailbox<'a>(
    messages: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    options: &AnalysisOptions,
) -> Vec<MessageReport> {
    parsed_then_decided(
        messages
            .into_iter()
            .map(|(source, raw)| parse_message(source, raw, options)),
    )
}

/// `analyze_mailbox` for messages the caller hands over (source, header bytes): nothing is
/// copied (see `parse_owned`).
pub fn analyze_owned(
    messages: impl IntoIterator<Item = (String, Vec<u8>)>,
    options: &AnalysisOptions,
) -> Vec<MessageReport> {
    parsed_then_decided(
        messages
            .into_iter()
            .map(|(source, raw)| parse_owned(source, raw, options)),
    )
}

/// Parses messages handed over (as `parse_owned`) and counts their receivers, leaving them
/// undecided: a share of a mailbox, to be decided with `decide_each` once every share is
/// counted (merge the counts with `ReceiverStats::merge`).
pub fn parse_owned_counted(
    messages: impl IntoIterator<Item = (String, Vec<u8>)>,
    options: &AnalysisOptions,
) -> (Vec<MessageReport>, ReceiverStats) {
    counted(
        messages
            .into_iter()
            .map(|(source, raw)| parse_owned(source, raw, options)),
    )
}

/// Counts each report's receivers as it is parsed, while its hops are still in the cache (a
/// second walk over 100,000 reports afterwards was memory-bound).
fn counted(parsed: impl Iterator<Item = MessageReport>) -> (Vec<MessageReport>, ReceiverStats) {
    let mut stats = ReceiverStats::default();
    let reports = parsed.inspect(|report| stats.add(report)).collect();
    (reports, stats)
}

fn parsed_then_decided(parsed: impl Iterator<Item = MessageReport>) -> Vec<MessageReport> {
    let (mut reports, stats) = counted(parsed);
    decide_each(&mut reports, &stats);
    reports
}

/// Re-decides every report with statistics over all of them. Call after adding messages.
pub fn decide_all(reports: &mut [MessageReport]) {
    let stats = ReceiverStats::from_reports(reports.iter());
    decide_each(reports, &stats);
}

/// Decides every report with statistics the caller gathered over exactly these reports.
pub fn decide_each(reports: &mut [MessageReport], stats: &ReceiverStats) {
    for report in reports.iter_mut() {
        decide(report, stats);
    }
}

/// Parses a single Received field body on its own (no neighbours, no mailbox): the facts the line
/// states and its evidence. Scope and status are left undecided.
pub fn parse_received_line(body: &str) -> Hop {
    let mut hop = received::parse(body, 1).0;
    hop.raw = RawText::copied_from(body.trim());
    hop
}

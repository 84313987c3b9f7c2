//! What the message list keeps per message: a summary row plus the header text.
//!
//! A full `MessageReport` holds every hop's parsed facts (~7 KB per message); 50,000 of them
//! took 370 MB. The list needs only the verdict, a few display fields and one mark per hop, so
//! that is what stays in memory. The analysis core is pure and fast, so the detail pane and the
//! export re-analyse a message's header text on demand (a few microseconds each) with the
//! mailbox's `ReceiverStats`, and get exactly the report they would have had.
//!
//! How the text is held matters as much as how much of it there is. Seven small strings per row,
//! allocated between the load's short-lived reports, left the allocator with half-used pages:
//! 79 MB of rows cost 120 MB of resident memory. So the rows of one load batch share one block:
//! their display strings side by side in one string, and their header blocks LZ4-compressed
//! side by side in one byte buffer (Received lines repeat host names, dates and keywords; a
//! third smaller). A row keeps offsets into its batch's block, and copying a row for a worker
//! thread copies a pointer, not the text.

use std::{ops::Range, sync::Arc};

use smallvec::SmallVec;

use crate::analysis::{
    AnalysisOptions, MessageReport, ReceiverStats, Scope, Status, Verdict, decide, parse_message,
    sender_domain,
};

/// One hop as the timeline draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HopMark {
    pub status: Status,
    pub cross_org: bool,
    pub claimed: bool,
}

/// A message's hop marks, oldest first; up to eight without an allocation of their own.
pub type Marks = SmallVec<[HopMark; 8]>;

/// The text of one batch of rows.
#[derive(Debug, Default)]
struct BatchText {
    /// Source, date, sender, subject and search text of every row, one after another.
    text: String,
    /// Every row's header block, LZ4-compressed, one after another.
    packed: Vec<u8>,
}

/// Where a row's piece lies in its batch's `text` (or `packed`). Batches are a few hundred
/// messages, far below 4 GiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// A row's display strings in the order its batch's text lays them out: source, date, sender,
/// subject, search text. Sizing the block and filling it both go through this one list.
fn text_pieces<'a>(r: &'a MessageReport, search: &'a str) -> [Option<&'a str>; 5] {
    [
        Some(&r.source),
        r.date.as_deref(),
        r.from.as_deref(),
        r.subject.as_deref(),
        Some(search),
    ]
}

/// Appends `s` to `buf` and returns where it went.
fn push_str(buf: &mut String, s: &str) -> Span {
    let start = buf.len();
    buf.push_str(s);
    span(start, buf.len())
}

fn span(start: usize, end: usize) -> Span {
    // A batch's text stays far below 4 GiB; saturate rather than wrap if one ever did not.
    let start = u32::try_from(start).unwrap_or(u32::MAX);
    let len = u32::try_from(end).unwrap_or(u32::MAX).saturating_sub(start);
    Span { start, len }
}

#[derive(Debug, Clone)]
pub struct Row {
    block: Arc<BatchText>,
    source: Span,
    date: Option<Span>,
    from: Option<Span>,
    subject: Option<Span>,
    /// Lower-case sender, subject and host names: what `/` searches.
    search: Span,
    /// The header block as read, packed (a range of `block.packed`).
    raw: Span,
    pub timestamp: Option<i64>,
    pub verdict: Verdict,
    pub marks: Marks,
}

impl Row {
    /// Rows for a batch of decided reports, sharing one block of text.
    pub fn batch(reports: &[MessageReport]) -> Vec<Row> {
        // The block's two buffers are allocated once at their final size: buffers grown by
        // doubling leave a trail of freed blocks that the allocator keeps as resident memory.
        let searches: Vec<String> = reports.iter().map(search_text).collect();
        let packed: Vec<Vec<u8>> = reports
            .iter()
            .map(|r| lz4_flex::compress_prepend_size(r.raw_headers.as_bytes()))
            .collect();
        let text_len: usize = reports
            .iter()
            .zip(&searches)
            .flat_map(|(r, search)| text_pieces(r, search))
            .map(|piece| piece.map_or(0, str::len))
            .sum();
        let mut block = BatchText {
            text: String::with_capacity(text_len),
            packed: Vec::with_capacity(packed.iter().map(Vec::len).sum()),
        };
        let mut pieces = Vec::with_capacity(reports.len());
        for ((r, search), raw) in reports.iter().zip(&searches).zip(&packed) {
            let text = &mut block.text;
            let [source, date, from, subject, search] =
                text_pieces(r, search).map(|piece| piece.map(|s| push_str(text, s)));
            let start = block.packed.len();
            block.packed.extend_from_slice(raw);
            let raw = span(start, block.packed.len());
            pieces.push((
                source.unwrap_or_default(),
                date,
                from,
                subject,
                search.unwrap_or_default(),
                raw,
            ));
        }
        let block = Arc::new(block);
        reports
            .iter()
            .zip(pieces)
            .map(|(r, (source, date, from, subject, search, raw))| Row {
                block: Arc::clone(&block),
                source,
                date,
                from,
                subject,
                search,
                raw,
                timestamp: r.timestamp,
                verdict: r.verdict,
                marks: marks_of(r),
            })
            .collect()
    }

    /// A row of its own (tests, and callers with a single report).
    pub fn from_report(r: &MessageReport) -> Self {
        let mut rows = Self::batch(std::slice::from_ref(r));
        rows.swap_remove(0)
    }

    fn text(&self, span: Span) -> &str {
        self.block.text.get(span.range()).unwrap_or_default()
    }

    pub fn source(&self) -> &str {
        self.text(self.source)
    }

    pub fn date(&self) -> Option<&str> {
        self.date.map(|s| self.text(s))
    }

    pub fn from(&self) -> Option<&str> {
        self.from.map(|s| self.text(s))
    }

    pub fn subject(&self) -> Option<&str> {
        self.subject.map(|s| self.text(s))
    }

    /// True when the lower-case `needle` is in the sender, the subject or a host name.
    pub fn search_matches(&self, needle_lower: &str) -> bool {
        self.text(self.search).contains(needle_lower)
    }

    pub fn sender_domain(&self) -> Option<String> {
        sender_domain(self.from()?)
    }

    /// The header block as it was read. Only `batch` writes the packed bytes, so unpacking
    /// cannot fail in practice; if it ever did, an empty block analyses as "no Received
    /// header" rather than a panic.
    fn raw_headers(&self) -> String {
        self.block
            .packed
            .get(self.raw.range())
            .and_then(|bytes| lz4_flex::decompress_size_prepended(bytes).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The full report, decided with the mailbox's statistics.
    pub fn analyse(&self, stats: &ReceiverStats, options: &AnalysisOptions) -> MessageReport {
        let raw = self.raw_headers();
        let mut report = parse_message(self.source(), raw.as_bytes(), options);
        decide(&mut report, stats);
        report
    }

    /// A row can still change once the whole mailbox is known only if a hop is `unrecorded`:
    /// more messages can give its receiver a `mailbox` basis. Nothing else depends on them.
    pub fn may_change(&self) -> bool {
        self.marks.iter().any(|m| m.status == Status::Unrecorded)
    }

    /// The verdict and hop marks under (newer) statistics, without keeping the report.
    pub fn redecide(&self, stats: &ReceiverStats, options: &AnalysisOptions) -> Decision {
        let r = self.analyse(stats, options);
        Decision {
            verdict: r.verdict,
            marks: marks_of(&r),
        }
    }

    pub fn apply(&mut self, decision: Decision) {
        self.verdict = decision.verdict;
        self.marks = decision.marks;
    }
}

/// The lower-case sender, subject and host names, one per line.
fn search_text(r: &MessageReport) -> String {
    let mut text = String::new();
    let mut add = |s: Option<&str>| {
        if let Some(s) = s {
            text.extend(s.chars().flat_map(char::to_lowercase));
            text.push('\n');
        }
    };
    add(r.from.as_deref());
    add(r.subject.as_deref());
    for h in &r.hops {
        add(h.from_host.as_deref());
        add(h.from_rdns.as_deref());
        add(h.from_helo.as_deref());
        add(h.by_host.as_deref());
    }
    text
}

/// A row's verdict and hop marks, re-decided on a worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub marks: Marks,
}

fn marks_of(r: &MessageReport) -> Marks {
    r.hops
        .iter()
        .map(|h| HopMark {
            status: h.status,
            cross_org: h.scope == Scope::CrossOrg,
            claimed: h.claimed,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Row;
    use crate::analysis::{AnalysisOptions, ReceiverStats, decide, parse_message};

    const HEADERS: &str = "Received: from mx1.example.org (mx1.example.org [192.0.2.1])\r\n\
        \tby mail.example.net (Postfix) with ESMTPS id 4Xy;\r\n\
        \tMon, 19 Aug 2019 10:41:21 -0400\r\n\
        From: Zo\u{eb} <zoe@example.org>\r\n\
        Subject: Caf\u{e9} \u{1F4E8} R\u{c9}SUM\u{c9}\r\n";

    #[test]
    fn rows_of_a_batch_keep_their_own_text_and_analyse_as_before() {
        let options = AnalysisOptions::default();
        let stats = ReceiverStats::default();
        let reports: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|name| {
                let text = HEADERS.replace("Caf", &format!("{name} Caf"));
                let mut r = parse_message(name, text.as_bytes(), &options);
                decide(&mut r, &stats);
                r
            })
            .collect();
        let rows = Row::batch(&reports);
        assert_eq!(rows.len(), 3);
        // Sized once, exactly: nothing was regrown while the text was laid out.
        assert_eq!(rows[0].block.text.capacity(), rows[0].block.text.len());
        assert_eq!(rows[0].block.packed.capacity(), rows[0].block.packed.len());
        for (row, report) in rows.iter().zip(&reports) {
            assert_eq!(row.source(), report.source);
            assert_eq!(row.subject(), report.subject.as_deref());
            assert_eq!(row.from(), report.from.as_deref());
            assert_eq!(row.date(), None);
            assert_eq!(&row.raw_headers(), &*report.raw_headers);
            let again = row.analyse(&stats, &options);
            assert_eq!(again.verdict, report.verdict);
            assert_eq!(again.hops.len(), report.hops.len());
        }
        assert!(rows[1].search_matches("b café 📨 résumé"));
        assert!(!rows[1].search_matches("a café"));
        assert!(rows[2].search_matches("mx1.example.org"));
        assert!(Row::batch(&[]).is_empty());
    }
}

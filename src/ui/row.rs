//! What the message list keeps per message: a summary row plus the header text.
//!
//! A full `MessageReport` holds every hop's parsed facts (~7 KB per message); 50,000 of them
//! took 370 MB. The list needs only the verdict, a few display fields and one mark per hop, so
//! that is what stays in memory. The analysis core is pure and fast, so the detail pane and the
//! export re-analyse a message's header text on demand (a few microseconds each) with the
//! mailbox's `ReceiverStats`, and get exactly the report they would have had.

use std::sync::Arc;

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

#[derive(Debug, Clone)]
pub struct Row {
    pub source: Box<str>,
    /// The header block as read; re-analysed for the detail pane and the export.
    pub raw: Arc<str>,
    pub date: Option<Box<str>>,
    pub timestamp: Option<i64>,
    pub from: Option<Box<str>>,
    pub subject: Option<Box<str>>,
    pub verdict: Verdict,
    /// Oldest first, like the report's hops.
    pub marks: Box<[HopMark]>,
    /// Lower-case sender, subject and host names: what `/` searches.
    search: Box<str>,
}

impl Row {
    pub fn from_report(r: &MessageReport) -> Self {
        let mut search = String::new();
        let mut add = |s: Option<&str>| {
            if let Some(s) = s {
                search.push_str(&s.to_lowercase());
                search.push('\n');
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
        Self {
            source: r.source.as_str().into(),
            raw: Arc::clone(&r.raw_headers),
            date: r.date.as_deref().map(Into::into),
            timestamp: r.timestamp,
            from: r.from.as_deref().map(Into::into),
            subject: r.subject.as_deref().map(Into::into),
            verdict: r.verdict,
            marks: marks_of(r),
            search: search.into(),
        }
    }

    /// True when the lower-case `needle` is in the sender, the subject or a host name.
    pub fn search_matches(&self, needle_lower: &str) -> bool {
        self.search.contains(needle_lower)
    }

    pub fn sender_domain(&self) -> Option<String> {
        sender_domain(self.from.as_deref()?)
    }

    /// The full report, decided with the mailbox's statistics.
    pub fn analyse(&self, stats: &ReceiverStats, options: &AnalysisOptions) -> MessageReport {
        let mut report = parse_message(&self.source, self.raw.as_bytes(), options);
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

/// A row's verdict and hop marks, re-decided on a worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub marks: Box<[HopMark]>,
}

fn marks_of(r: &MessageReport) -> Box<[HopMark]> {
    r.hops
        .iter()
        .map(|h| HopMark {
            status: h.status,
            cross_org: h.scope == Scope::CrossOrg,
            claimed: h.claimed,
        })
        .collect()
}

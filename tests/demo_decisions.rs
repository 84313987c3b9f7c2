#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Every decision hopscope makes on the demo mailbox, one line per message, as a reviewed
//! snapshot: a change to the analysis that moves any verdict, status, basis, scope or claim shows
//! up here as a diff to read, not as a silent drift.

use std::fmt::Write;

use hopscope::{
    analysis::{AnalysisOptions, Basis, analyze_mailbox},
    sources,
};

#[test]
fn demo_mailbox_decisions() {
    let demo = sources::demo();
    let reports = analyze_mailbox(
        demo.iter()
            .map(|m| (m.source.as_str(), m.headers.as_slice())),
        &AnalysisOptions::default(),
    );
    let mut out = String::new();
    for r in &reports {
        let _ = write!(
            out,
            "{:<10} {:<10}",
            r.source.trim_start_matches("demo#"),
            r.verdict.as_str()
        );
        for h in &r.hops {
            let basis = match &h.basis {
                None => String::new(),
                Some(Basis::Keyword) => "/keyword".into(),
                Some(Basis::Mailbox { messages }) => format!("/mailbox:{messages}"),
                Some(Basis::Provider { provider }) => format!("/provider:{provider}"),
            };
            let _ = write!(
                out,
                " {}:{}{}{}{}",
                h.index,
                h.status.as_str(),
                basis,
                if h.scope.as_str() == "cross_org" {
                    "+x"
                } else {
                    ""
                },
                if h.claimed { "(claim)" } else { "" }
            );
        }
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

/// The mailbox counts may be gathered at once, while parsing, or per worker and then merged (the
/// CLI's path): every way decides every message the same. The demo's `mailbox` bases depend on
/// counts spread over several messages, so a lost or doubled count changes a report.
#[test]
fn receiver_counts_gathered_any_way_decide_alike() {
    use hopscope::analysis::{ReceiverStats, decide_all, decide_each, parse_message};
    let demo = sources::demo();
    let options = AnalysisOptions::default();
    let parsed: Vec<_> = demo
        .iter()
        .map(|m| parse_message(&m.source, &m.headers, &options))
        .collect();
    let mut all_at_once = parsed.clone();
    decide_all(&mut all_at_once);
    let while_parsing = analyze_mailbox(
        demo.iter()
            .map(|m| (m.source.as_str(), m.headers.as_slice())),
        &options,
    );
    let (front, back) = parsed.split_at(parsed.len() / 3);
    let mut merged = ReceiverStats::from_reports(front);
    merged.merge(ReceiverStats::from_reports(back));
    let mut per_worker = parsed.clone();
    decide_each(&mut per_worker, &merged);
    assert!(all_at_once.iter().any(|r| {
        r.hops
            .iter()
            .any(|h| matches!(h.basis, Some(Basis::Mailbox { .. })))
    }));
    assert_eq!(while_parsing, all_at_once);
    assert_eq!(per_worker, all_at_once);
    // A count taken once too often shows: the demo's mailbox bases rest on it.
    let mut doubled = ReceiverStats::from_reports(&parsed);
    doubled.merge(ReceiverStats::from_reports(back));
    let mut wrong = parsed;
    decide_each(&mut wrong, &doubled);
    assert_ne!(wrong, all_at_once);
}

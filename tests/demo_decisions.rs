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

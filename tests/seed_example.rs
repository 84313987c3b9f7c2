#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! The seed article's two messages, analysed together, must come out as the article reads them.

use hopscope::analysis::{AnalysisOptions, Basis, Scope, Status, Verdict, analyze_mailbox};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/messages/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn seed_article_messages_analysed_together() {
    let one = fixture("seed-1.eml");
    let two = fixture("seed-2.eml");
    let reports = analyze_mailbox(
        [
            ("seed-1.eml", one.as_slice()),
            ("seed-2.eml", two.as_slice()),
        ],
        &AnalysisOptions::default(),
    );
    let (m1, m2) = (&reports[0], &reports[1]);

    assert_eq!(m1.verdict, Verdict::Plaintext, "{:#?}", m1.reasons);
    assert_eq!(m1.hops.len(), 6);
    // Oldest first: Outlook-internal, Hotmail → Proofpoint, Proofpoint → LuxSci, three LuxSci hops.
    let hotmail_to_pp = &m1.hops[1];
    assert_eq!(
        hotmail_to_pp.from_helo.as_deref(),
        Some("bay0-omc4-s14.bay0.hotmail.com")
    );
    assert_eq!(hotmail_to_pp.scope, Scope::CrossOrg);
    assert_eq!(hotmail_to_pp.status, Status::Plaintext);
    assert!(
        matches!(
            hotmail_to_pp.basis,
            Some(Basis::Mailbox { messages: 1 }) | Some(Basis::Provider { .. })
        ),
        "{:?}",
        hotmail_to_pp.basis
    );
    assert!(hotmail_to_pp.claimed, "below the first LuxSci hop: a claim");

    let pp_to_luxsci = &m1.hops[2];
    assert_eq!(pp_to_luxsci.status, Status::Encrypted);
    assert_eq!(
        pp_to_luxsci.tls.as_ref().unwrap().version.as_deref(),
        Some("unspecified")
    );
    assert!(!pp_to_luxsci.claimed);

    assert_eq!(
        m1.hops[0].status,
        Status::Internal,
        "BAY403-EAS373 is Microsoft's own machine"
    );
    for hop in &m1.hops[3..] {
        assert_eq!(
            hop.status,
            Status::Internal,
            "hop {} {:?}",
            hop.index,
            hop.raw
        );
    }
    assert!(
        m1.reasons
            .iter()
            .any(|r| r.contains("bay0-omc4-s14.bay0.hotmail.com → dispatch1-us1.ppe-hosted.com"))
    );

    assert_eq!(m2.verdict, Verdict::Encrypted);
    assert_eq!(
        m2.hops[0].tls.as_ref().unwrap().version.as_deref(),
        Some("TLSv1.2")
    );
}

#[test]
fn the_same_message_alone_has_no_mailbox_basis() {
    let one = fixture("seed-1.eml");
    let reports = analyze_mailbox(
        [("seed-1.eml", one.as_slice())],
        &AnalysisOptions::default(),
    );
    let hop = &reports[0].hops[1];
    // Without message 2 the only basis left is the provider table (Proofpoint records TLS).
    assert_eq!(
        hop.basis,
        Some(Basis::Provider {
            provider: "Proofpoint".into()
        })
    );
}

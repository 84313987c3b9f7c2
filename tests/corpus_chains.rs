#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Whole real Received chains from the shared corpus (`../shared/corpus/chains`, present in CI):
//! each chain is analysed on its own, as one message, and checked against what the corpus's
//! `chains/README.md` says about it (which hop crossed providers with or without TLS). The
//! checks name hops by their sending and receiving hosts, so they read like the README's notes.

mod support {
    pub mod corpus;
}

use hopscope::analysis::{
    AnalysisOptions, Hop, MessageReport, Scope, Status, Verdict, decide_all, parse_message,
};

/// The chain analysed alone, or `None` when the corpus is absent (allowed off CI only).
fn chain(name: &str) -> Option<MessageReport> {
    let bytes = support::corpus::read(&format!("chains/{name}"))?;
    let mut reports = vec![parse_message(name, &bytes, &AnalysisOptions::default())];
    decide_all(&mut reports);
    reports.pop()
}

/// The hop from a host whose name contains `from` to one whose name contains `by`.
fn hop<'a>(r: &'a MessageReport, from: &str, by: &str) -> &'a Hop {
    r.hops
        .iter()
        .find(|h| {
            [&h.from_host, &h.from_rdns, &h.from_helo]
                .iter()
                .any(|n| n.as_deref().is_some_and(|n| n.contains(from)))
                && h.by_host.as_deref().is_some_and(|b| b.contains(by))
        })
        .unwrap_or_else(|| panic!("{}: no hop {from} → {by}", r.source))
}

fn tls_version(h: &Hop) -> Option<&str> {
    h.tls.as_ref().and_then(|t| t.version.as_deref())
}

/// A cross-organisation hop with no TLS recorded: never shown as encrypted.
fn assert_unprotected_crossing(h: &Hop) {
    assert_eq!(h.scope, Scope::CrossOrg, "{}", h.raw.as_str());
    assert!(
        matches!(h.status, Status::Plaintext | Status::Unrecorded),
        "{:?}: {}",
        h.status,
        h.raw.as_str()
    );
}

#[test]
fn office365_from_powermta_recorded_no_tls_on_the_internet_hop() {
    let Some(r) = chain("mha-nfcu-to-outlook.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 4);
    assert_unprotected_crossing(hop(&r, "vmta6.response.nfcu.org", "protection.outlook.com"));
    let eop = hop(&r, "eop-NAM04", "eop-NAM04");
    assert_eq!(tls_version(eop), Some("TLSv1.2"));
    assert_eq!(eop.status, Status::Internal);
    assert_ne!(r.verdict, Verdict::Encrypted);
}

#[test]
fn github_to_sendgrid_plain_then_sendgrid_to_office365_over_tls() {
    let Some(r) = chain("mha-github-sendgrid-outlook.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 5);
    assert_unprotected_crossing(hop(&r, "github.com", "sendgrid.net"));
    let eop = hop(&r, "sgmail.github.com", "protection.outlook.com");
    assert_eq!(eop.status, Status::Encrypted);
    assert_eq!(tls_version(eop), Some("TLSv1.2"));
    assert_ne!(r.verdict, Verdict::Encrypted);
}

#[test]
fn mailing_list_path_with_two_crossings_without_tls() {
    let Some(r) = chain("mailchannels-vger-lfdr.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 6);
    assert_eq!(
        hop(&r, "mailchannels.net", "monkeyblade.net").status,
        Status::Encrypted
    );
    assert_unprotected_crossing(hop(&r, "monkeyblade.net", "vger.kernel.org"));
    assert_unprotected_crossing(hop(&r, "vger.email", "lfdr.de"));
    assert!(matches!(
        r.verdict,
        Verdict::Plaintext | Verdict::Unrecorded
    ));
}

#[test]
fn gmail_submission_to_freedesktop_list_encrypted_throughout() {
    let Some(r) = chain("gmail-freedesktop-lfdr.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 5);
    assert_eq!(tls_version(&r.hops[0]), Some("TLSv1.3"));
    // Mailman re-injecting over loopback needs no TLS.
    assert_eq!(hop(&r, "localhost", "freedesktop.org").scope, Scope::Local);
    assert_eq!(r.verdict, Verdict::Encrypted);
}

#[test]
fn git_list_over_gmail_and_kernel_org_encrypted() {
    let Some(r) = chain("git-gmail-subspace.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 3);
    let kernel = hop(&r, "google.com", "kernel.org");
    assert_eq!(tls_version(kernel), Some("TLSv1.2"));
    assert_eq!(kernel.status, Status::Encrypted);
    assert_eq!(r.verdict, Verdict::Encrypted);
}

#[test]
fn opensmtpd_field_starting_with_a_fold_and_fastmail_hops() {
    let Some(r) = chain("fastmail-opensmtpd-subspace.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 5);
    // Oldest hop: the field body starts with a line break, then `by mail (OpenSMTPD)`.
    assert_eq!(r.hops[0].by_host.as_deref(), Some("mail"));
    assert_eq!(tls_version(&r.hops[0]), Some("TLSv1.3"));
    assert_eq!(tls_version(&r.hops[4]), Some("TLSv1.2"));
    assert!(
        r.hops.iter().all(|h| h.timestamp.is_some()),
        "every date parsed"
    );
    assert_eq!(r.verdict, Verdict::Encrypted);
}

#[test]
fn tls_dropped_after_the_filtering_gateway_is_caught() {
    let Some(r) = chain("zoho-halon-xen-mailman-lfdr.eml") else {
        return;
    };
    assert_eq!(r.hops.len(), 9);
    assert_eq!(hop(&r, "zoho.com", "inumbo.com").status, Status::Encrypted);
    assert_unprotected_crossing(hop(&r, "inumbo.com", "lists.xenproject.org"));
    assert_eq!(
        hop(&r, "lists.xenproject.org", "lfdr.de").status,
        Status::Encrypted
    );
    // Dovecot's LMTP delivery from the provider's own relay is the provider's business.
    let delivery = r.hops.last().unwrap();
    assert_eq!(delivery.protocol.as_deref(), Some("LMTP"));
    assert_eq!(delivery.status, Status::Internal);
    assert!(matches!(
        r.verdict,
        Verdict::Plaintext | Verdict::Unrecorded
    ));
}

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers fail loudly"
)]
//! Bad input never panics and never loses what can be read.

use hopscope::analysis::{
    AnalysisOptions, Verdict, analyze_mailbox, parse_message, parse_owned, parse_received_line,
};
use proptest::prelude::*;

fn analyze_one(bytes: &[u8]) -> hopscope::analysis::MessageReport {
    analyze_mailbox([("x", bytes)], &AnalysisOptions::default()).remove(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = analyze_one(&bytes);
    }

    /// Handing the buffer over must read exactly what lending it reads, UTF-8 or not, with or
    /// without a body after the header.
    #[test]
    fn owned_and_borrowed_input_read_the_same(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut whole = b"Received: from a (b [192.0.2.1]) by c with ESMTP; Mon, 2 Nov 2026 10:00:00 +0000\r\n".to_vec();
        whole.extend_from_slice(&bytes);
        whole.extend_from_slice(b"\r\n\r\n");
        whole.extend_from_slice(&body);
        let options = AnalysisOptions::default();
        let lent = parse_message("m", &whole, &options);
        let owned = parse_owned("m".to_string(), whole, &options);
        prop_assert_eq!(&owned.raw_headers, &lent.raw_headers);
        prop_assert_eq!(owned, lent);
    }

    #[test]
    fn received_like_text_never_panics(body in "[a-zA-Z0-9 .:;()\\[\\]<>@=/,\\-_\\t\\r\\n\"]{0,400}") {
        let _ = parse_received_line(&body);
        let msg = format!("Received: {body}\r\nReceived: from a ({body}) by b; {body}\r\n\r\n");
        let _ = analyze_one(msg.as_bytes());
    }

    #[test]
    fn unicode_received_never_panics(body in "\\PC{0,200}") {
        let _ = parse_received_line(&body);
    }

    /// Sources keep only the fields hopscope reads; that must never change what it reads.
    #[test]
    fn keeping_only_the_read_fields_changes_no_result(
        lines in proptest::collection::vec(
            prop_oneof![
                "(Received|From|Subject|Date|Message-ID|DKIM-Signature|X-Junk|received|FROM)[ ]?: [a-zA-Z0-9 .;()\\[\\]<>@=:-]{0,60}",
                "[ \t][a-zA-Z0-9 .;()<>@=:-]{0,40}",
                "[a-zA-Z>][a-zA-Z0-9 >:-]{0,30}",
                Just(String::from("Received: from a.example.org (a.example.org [192.0.2.1]) by mx.example.net with ESMTPS; Mon, 2 Nov 2026 10:00:00 +0000")),
            ],
            0..20,
        ),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let head = lines.join(eol) + eol;
        let kept = hopscope::analysis::fields_read(head.as_bytes());
        let mut all = analyze_one(head.as_bytes());
        let mut few = analyze_one(&kept);
        // Only the raw text (and so the hops' raw slices) may differ.
        all.raw_headers = few.raw_headers.clone();
        for (a, b) in all.hops.iter_mut().zip(&mut few.hops) {
            prop_assert_eq!(a.raw.as_str(), b.raw.as_str());
            a.raw = b.raw.clone();
        }
        prop_assert_eq!(all, few);
    }
}

#[test]
fn truncated_and_garbage_fields() {
    for body in [
        "",
        ";",
        "(",
        ")",
        "from",
        "from (",
        "from [",
        "by",
        "with",
        "from a by b with",
        "from [IPv6:",
        "from a (b [",
        "from a ([1.2.3.4]:",
        "(qmail",
        "by x; ",
        "from a by b; Mon, 99",
        "\u{0}\u{1b}[2J",
        "from \u{202e}evil by x",
    ] {
        let hop = parse_received_line(body);
        assert!(hop.date.is_none() || body.contains("Mon"), "{body:?}");
    }
}

#[test]
fn non_utf8_bytes_are_kept_readable() {
    let mut msg = b"Received: from a.example.org ([192.0.2.1]) by b.example.net with ESMTPS; Mon, 2 Nov 2026 10:00:00 +0000\r\nSubject: Gr".to_vec();
    msg.extend_from_slice(&[0xfc, 0xdf, 0xff]);
    msg.extend_from_slice(b"e\r\n\r\nbody");
    let r = analyze_one(&msg);
    assert_eq!(r.hops.len(), 1);
    assert_eq!(r.verdict, Verdict::Encrypted);
    let subject = r.subject.unwrap();
    assert!(
        subject.starts_with("Gr") && subject.ends_with('e'),
        "{subject}"
    );
}

#[test]
fn lf_and_crlf_give_the_same_report() {
    let lf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/messages/seed-1.eml"
    ))
    .unwrap();
    let crlf = String::from_utf8(lf.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    let a = analyze_one(&lf);
    let b = analyze_one(&crlf);
    assert_eq!(a.verdict, b.verdict);
    assert_eq!(a.hops.len(), b.hops.len());
    for (x, y) in a.hops.iter().zip(&b.hops) {
        assert_eq!(
            (x.status, x.scope, &x.tls, &x.date),
            (y.status, y.scope, &y.tls, &y.date)
        );
    }
}

#[test]
fn huge_headers_are_bounded_and_said() {
    let mut msg = String::new();
    for i in 0..5000 {
        msg.push_str(&format!("Received: from h{i}.example.org ([192.0.2.1]) by h{}.example.org with ESMTP; Mon, 2 Nov 2026 10:00:00 +0000\r\n", i + 1));
    }
    msg.push_str(&format!("Subject: {}\r\n\r\n", "x".repeat(200_000)));
    let r = analyze_one(msg.as_bytes());
    assert_eq!(r.hops.len(), hopscope::analysis::MAX_HOPS);
    assert!(
        r.reasons.iter().any(|s| s.contains("only the newest")),
        "{:?}",
        r.reasons.last()
    );
}

#[test]
fn missing_headers_and_empty_input() {
    let r = analyze_one(b"");
    assert_eq!(r.verdict, Verdict::NoHops);
    assert!(r.subject.is_none() && r.from.is_none());
    let r = analyze_one(b"Subject: only this\n");
    assert_eq!(r.verdict, Verdict::NoHops);
    assert_eq!(r.subject.as_deref(), Some("only this"));
    let r = parse_message(
        "x",
        b"\r\n\r\nReceived: body, not header\r\n",
        &AnalysisOptions::default(),
    );
    assert_eq!(r.hops.len(), 0, "fields after the blank line are body");
}

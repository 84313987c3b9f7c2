//! The sentences a person reads: each hop's label (`from → by`), why a hop counts against its
//! message, and the basis of a `plaintext` status. Written from decided hops (`verdict.rs`).

use std::fmt::Write;

use super::{
    model::{Basis, Hop, MessageReport, Scope, Status, Verdict},
    stack_text::StackText,
};

/// `bay0-omc4-s14.bay0.hotmail.com → dispatch1-us1.ppe-hosted.com`
pub fn hop_label(hop: &Hop) -> String {
    let mut label = String::new();
    write_hop_label(&mut label, hop);
    label
}

fn write_hop_label(out: &mut String, hop: &Hop) {
    // A name, not `unknown`, an address, or a mail address some MTA wrote in its place.
    let named = |s: &&str| {
        !s.eq_ignore_ascii_case("unknown")
            && !s.contains(['@', '<'])
            && !crate::analysis::network::looks_like_ip(s)
    };
    let from = hop
        .sender_names()
        .find(named)
        .or(hop.from_ip.as_deref())
        .or(hop.from_host.as_deref())
        .unwrap_or("?");
    out.push_str(from);
    out.push_str(" → ");
    out.push_str(hop.by_host.as_deref().unwrap_or("?"));
}

/// One sentence about why a hop got its basis.
pub fn basis_sentence(hop: &Hop) -> Option<String> {
    let mut sentence = String::new();
    write_basis_sentence(&mut sentence, hop).then_some(sentence)
}

/// Writes the basis sentence, if the hop has a basis.
fn write_basis_sentence(out: &mut String, hop: &Hop) -> bool {
    // Writing into a String cannot fail.
    let _ = match hop.basis.as_ref() {
        None => return false,
        Some(Basis::Keyword) => write!(
            out,
            "this receiver ({}) writes ESMTPS or a TLS note when TLS is used, and wrote {}",
            hop.mta.unwrap_or("?"),
            hop.protocol.as_deref().unwrap_or("nothing")
        ),
        Some(Basis::Mailbox { messages }) => write!(
            out,
            "this receiver recorded TLS on {messages} other message{} in this mailbox",
            if *messages == 1 { "" } else { "s" }
        ),
        Some(Basis::Provider { provider }) => write!(
            out,
            "{provider} records TLS when it is used (provider table)"
        ),
    };
    true
}

/// `n` in decimal, as `{}` writes it: the reasons name a hop in every sentence, and through the
/// formatting machinery each number cost a few hundred instructions.
fn push_number(out: &mut String, n: usize) {
    let mut digits = StackText::default();
    // `usize` is at most 64 bits on every target Rust supports.
    digits.padded(n as u64, 1);
    out.push_str(digits.as_str());
}

/// The verdict's reasons: one sentence per hop that is not encrypted or internal, one naming the
/// TLS versions recorded, then notes on truncation and clock skew. Each sentence is written into
/// one string: the labels and basis sentences inside it are not made as strings of their own
/// first.
pub(super) fn reasons(report: &MessageReport) -> Vec<String> {
    let hops = &report.hops;
    let mut out = Vec::new();
    match report.verdict {
        Verdict::NoHops => {
            out.push("the message has no Received header, so its path cannot be judged".into());
            return out;
        }
        Verdict::Internal => out.push(
            "no hop crossed organisations: every hop stayed on one host, a private network or inside one provider"
                .into(),
        ),
        _ => {}
    }
    out.extend(hops.iter().filter_map(hop_reason));
    out.extend(tls_recorded(hops));
    if report.hops_truncated {
        out.push(format!(
            "only the newest {} Received fields were analysed",
            super::MAX_HOPS
        ));
    }
    for hop in hops.iter().filter(|h| h.clock_skew) {
        out.push(format!(
            "hop {} is dated {} s before the previous hop: the receivers' clocks disagree",
            hop.index,
            hop.delay_s.unwrap_or(0).unsigned_abs()
        ));
    }
    out
}

/// Why a plaintext, unrecorded or weak hop counts against the message (`None` for the others).
fn hop_reason(hop: &Hop) -> Option<String> {
    if matches!(hop.status, Status::Encrypted | Status::Internal) {
        return None;
    }
    let crossing = if hop.scope == Scope::CrossOrg {
        "crossed organisations"
    } else {
        "may have crossed organisations"
    };
    let mut sentence = String::with_capacity(160);
    sentence.push_str("hop ");
    push_number(&mut sentence, hop.index);
    sentence.push(' ');
    write_hop_label(&mut sentence, hop);
    match hop.status {
        Status::Plaintext => {
            sentence.push(' ');
            sentence.push_str(crossing);
            sentence.push_str(" with no TLS note; ");
            write_basis_sentence(&mut sentence, hop);
        }
        Status::Unrecorded => {
            sentence.push(' ');
            sentence.push_str(crossing);
            sentence.push_str(
                " and its receiver is not known to record TLS, so nothing tells whether it was encrypted",
            );
        }
        Status::Weak => {
            sentence.push_str(" used weak TLS (");
            for (i, w) in hop.weaknesses.iter().enumerate() {
                if i > 0 {
                    sentence.push_str(", ");
                }
                sentence.push_str(w);
            }
            sentence.push(')');
        }
        // Turned away above, before the sentence was allocated.
        Status::Encrypted | Status::Internal => return None,
    }
    if hop.claimed {
        sentence.push_str(" (claimed: below your provider's first hop, could be forged)");
    }
    Some(sentence)
}

/// How many hops recorded TLS and with which versions (`None` when none did).
fn tls_recorded(hops: &[Hop]) -> Option<String> {
    let encrypted = hops
        .iter()
        .filter(|h| h.status == Status::Encrypted)
        .count();
    if encrypted == 0 {
        return None;
    }
    let mut sentence = String::with_capacity(80);
    push_number(&mut sentence, encrypted);
    sentence.push_str(if encrypted == 1 {
        " hop outside one organisation recorded TLS ("
    } else {
        " hops outside one organisation recorded TLS ("
    });
    // Each version once, in the order the hops first used it. A note with no version and
    // sendmail's `TLSv1/SSLv3` (version `unspecified`) tell a reader the same: not which one.
    let mut listed: smallvec::SmallVec<[&str; 4]> = smallvec::SmallVec::new();
    for hop in hops.iter().filter(|h| h.status == Status::Encrypted) {
        let version = match hop.tls.as_ref().and_then(|t| t.version.as_deref()) {
            None | Some("unspecified") => "version not stated",
            Some(v) => v,
        };
        if listed.contains(&version) {
            continue;
        }
        if !listed.is_empty() {
            sentence.push_str(", ");
        }
        sentence.push_str(version);
        listed.push(version);
    }
    sentence.push(')');
    Some(sentence)
}

#[cfg(test)]
mod tests {
    fn label(line: &str) -> String {
        super::hop_label(&crate::analysis::parse_received_line(line))
    }

    #[test]
    fn a_hop_is_named_by_the_receivers_lookup_before_the_name_the_client_gave() {
        // Exim and qmail write the looked-up name first and mark the HELO name apart.
        assert_eq!(
            label(
                "from ca-18-193-131.service.example.it ([198.51.100.131] helo=User) by server.example.nl with esmtpa (Exim 4.76) id 1ZC1sl-0006b4-TU; Mon, 06 Jul 2015 10:36:08 +0200"
            ),
            "ca-18-193-131.service.example.it → server.example.nl"
        );
        assert_eq!(
            label(
                "from dsl-7.pools.example.net (HELO homepc) (192.0.2.64) by mx.example.org with SMTP; 14 Nov 2003 08:05:50 -0000"
            ),
            "dsl-7.pools.example.net → mx.example.org"
        );
        // With no looked-up name, the HELO name is all there is; a mail address is no host name.
        assert_eq!(
            label(
                "from unknown [192.0.2.9] (EHLO mta.example.com) by mx.example.org; Mon, 06 Jul 2015 10:36:08 +0200"
            ),
            "mta.example.com → mx.example.org"
        );
        assert_eq!(
            label(
                "from [<41-3@be2.example.com>] ([<41-3@be2.example.com>] helo=example.com) by mailer2 with ESMTP; Fri, 14 Sep 2018 14:36:56 -0400"
            ),
            "example.com → mailer2"
        );
        // Postfix puts the HELO name first and its lookup in the comment.
        assert_eq!(
            label(
                "from helo.example.com (rdns.example.com [192.0.2.1]) by mx.example.org (Postfix) with ESMTP id 1; Mon, 06 Jul 2015 10:36:08 +0200"
            ),
            "rdns.example.com → mx.example.org"
        );
    }

    #[test]
    fn the_tls_reason_names_each_version_once() {
        let hop = |from: &str, ip: &str, by: &str, version: &str| {
            format!(
                "Received: from mx.{from} (mx.{from} [{ip}])\n\t(using {version} with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n\tby mx.{by} (Postfix) with ESMTPS id 1;\n\tMon, 2 Nov 2026 10:00:00 +0000\n"
            )
        };
        // Newest first: a.example → b.example (1.3) → c.example (1.2) → d.example (1.3).
        let headers = [
            hop("c.example", "203.0.113.3", "d.example", "TLSv1.3"),
            hop("b.example", "198.51.100.2", "c.example", "TLSv1.2"),
            hop("a.example", "192.0.2.1", "b.example", "TLSv1.3"),
        ]
        .concat();
        let mut report = crate::analysis::parse_message(
            "t",
            headers.as_bytes(),
            &crate::analysis::AnalysisOptions {
                // Every receiver is the user's own, so no hop is a mere claim.
                own_domains: ["b.example", "c.example", "d.example"]
                    .map(String::from)
                    .to_vec(),
            },
        );
        crate::analysis::decide(&mut report, &crate::analysis::ReceiverStats::default());
        assert_eq!(
            report.reasons,
            ["3 hops outside one organisation recorded TLS (TLSv1.3, TLSv1.2)"]
        );
    }

    #[test]
    fn the_tls_reason_says_plainly_when_no_version_was_named() {
        // sendmail's `TLSv1/SSLv3` names no version, and neither does a bare ESMTPS.
        let headers = "Received: from mx.b.example (mx.b.example [198.51.100.2])\n\tby mx.c.example (Postfix) with ESMTPS id 2;\n\tMon, 2 Nov 2026 10:00:01 +0000\n\
            Received: from mx.a.example (mx.a.example [192.0.2.1])\n\tby mx.b.example (8.15.2/8.15.2) with ESMTP id 1\n\t(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT);\n\tMon, 2 Nov 2026 10:00:00 +0000\n";
        let mut report = crate::analysis::parse_message(
            "t",
            headers.as_bytes(),
            &crate::analysis::AnalysisOptions {
                own_domains: ["b.example", "c.example"].map(String::from).to_vec(),
            },
        );
        crate::analysis::decide(&mut report, &crate::analysis::ReceiverStats::default());
        assert_eq!(
            report.hops[0].tls.as_ref().unwrap().version.as_deref(),
            Some("unspecified")
        );
        assert_eq!(
            report.reasons,
            ["2 hops outside one organisation recorded TLS (version not stated)"]
        );
    }

    proptest::proptest! {
        /// Numbers in the reasons read as `{}` writes them.
        #[test]
        fn numbers_are_written_as_display_writes_them(n in proptest::prop_oneof![0usize..1000, proptest::num::usize::ANY]) {
            let mut out = String::from("hop ");
            super::push_number(&mut out, n);
            proptest::prop_assert_eq!(out, format!("hop {n}"));
        }
    }
}

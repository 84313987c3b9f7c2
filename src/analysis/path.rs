//! Decisions that need the whole Received chain of one message: each hop's scope, the trust
//! boundary (which hops are only claims) and the delays between hops.

use super::{
    model::{Hop, Scope},
    network::{is_non_public, same_network},
    org::{Org, is_single_label, org_of, org_of_domain},
    received::HopHints,
};

/// The organisation of the first of the hop's sender names that has one.
fn sender_org(hop: &Hop) -> Option<Org> {
    hop.sender_names().find_map(org_of)
}

pub fn receiver_org(hop: &Hop) -> Option<&Org> {
    hop.receiver_org.as_ref()
}

/// Fills `scope` on every hop (oldest first).
pub fn decide_scopes(hops: &mut [Hop], hints: &[HopHints]) {
    for i in 0..hops.len() {
        let hint = &hints[i];
        // The receiver's own address as the next hop saw it, or as it wrote it itself.
        let receiver_ip = hints.get(i + 1).and_then(|h| h.from_ip).or(hint.by_ip);
        let hop = &hops[i];
        let scope = if hint.same_host || hint.from_ip.is_some_and(is_non_public) {
            Scope::Local
        } else {
            let from = sender_org(hop);
            let by = receiver_org(hop);
            // Each test runs only when the ones before it failed. A single-label name such as
            // `BAY403-EAS373` is a machine of the receiver's own network only when the line
            // gives no public address: with one, the address decides (the /24 test below).
            // Laptops and home PCs name themselves this way too (`DESKTOP-4F2K1`, `User`,
            // `localhost`) when they submit from across the internet.
            let internal = from.is_some() && from.as_ref() == by
                || hint.from_ip.is_none()
                    && hop.from_rdns.is_none()
                    && hop.from_host.as_deref().is_some_and(is_single_label)
                || matches!((hint.from_ip, receiver_ip), (Some(a), Some(b)) if same_network(a, b))
                || i > 0 && is_lmtp_handoff(hop, &hops[i - 1]);
            if internal {
                Scope::Internal
            } else if from.is_some() && by.is_some() {
                Scope::CrossOrg
            } else {
                Scope::Unknown
            }
        };
        hops[i].scope = scope;
    }
}

/// `from mail.lfdr.de by lfdr with LMTP`: the server that received the previous hop hands the
/// message over LMTP to a box that names itself with a bare host name. LMTP is meant for
/// delivery inside one site, not across the internet (RFC 2033, section 1), and the sender is
/// already the receiving organisation, so this is that organisation's own delivery step.
fn is_lmtp_handoff(hop: &Hop, previous: &Hop) -> bool {
    let lmtp = hop
        .protocol
        .as_deref()
        .is_some_and(|p| p.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("LMTP")));
    let bare_receiver = || hop.by_host.as_deref().is_some_and(is_single_label);
    let from_previous_receiver = || match (hop.from_host.as_deref(), previous.by_host.as_deref()) {
        (Some(from), Some(prev_by)) => from.eq_ignore_ascii_case(prev_by),
        _ => false,
    };
    lmtp && bare_receiver() && from_previous_receiver()
}

/// Marks hops below the trust boundary as claimed. The boundary is the oldest hop of the unbroken
/// run, counted from the newest, whose receiver belongs to the user's organisation (configured
/// own domains, else the organisation of the newest named receiver). Receivers without a usable
/// name (`by lfdr with LMTP`, Gmail's `by 2002:a05:...`) do not break the run.
pub fn mark_claimed(hops: &mut [Hop], own_domains: &[String]) {
    let mut own: Vec<Org> = own_domains
        .iter()
        .filter_map(|d| org_of_domain(d))
        .collect();
    if own.is_empty() {
        match hops.iter().rev().find_map(receiver_org) {
            Some(org) => own.push(org.clone()),
            None => return,
        }
    }
    let mut boundary = None;
    for (i, hop) in hops.iter().enumerate().rev() {
        match receiver_org(hop) {
            Some(org) if own.contains(org) => boundary = Some(i),
            Some(_) => break,
            None => {}
        }
    }
    // With configured domains that no receiver matches, nothing here is the user's own provider's
    // writing, so nothing can be vouched for... but nothing is proven forged either: leave all
    // hops unmarked rather than guess.
    if let Some(b) = boundary {
        for hop in &mut hops[..b] {
            hop.claimed = true;
        }
    }
}

/// Seconds from the previous hop; a negative delay means the two receivers' clocks disagree.
pub fn fill_delays(hops: &mut [Hop]) {
    for i in 1..hops.len() {
        if let (Some(prev), Some(cur)) = (hops[i - 1].timestamp, hops[i].timestamp) {
            let delay = cur - prev;
            hops[i].delay_s = Some(delay);
            hops[i].clock_skew = delay < 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisOptions, ReceiverStats, Scope, decide, parse_message};

    fn scopes(headers: &str) -> Vec<Scope> {
        let mut r = parse_message("t", headers.as_bytes(), &AnalysisOptions::default());
        decide(&mut r, &ReceiverStats::default());
        r.hops.iter().map(|h| h.scope).collect()
    }

    const RELAY: &str = "Received: from mx.sender.example (mx.sender.example [192.0.2.7])\n\
        \tby mail.example.org (Postfix) with ESMTPS id 1;\n\
        \tFri, 27 Feb 2026 13:07:36 +0100\n";

    #[test]
    fn lmtp_from_the_previous_receiver_to_a_bare_host_name_is_internal() {
        let h = format!(
            "Received: from mail.example.org\n\tby box with LMTP id 2;\n\
             \tFri, 27 Feb 2026 13:07:37 +0100\n{RELAY}"
        );
        assert_eq!(scopes(&h), [Scope::CrossOrg, Scope::Internal]);
    }

    /// A mail client at home submits to its provider's Exim; the client's HELO is its address
    /// behind the router. The hop crossed the internet from 198.51.100.4, and `esmtpa` without
    /// TLS means the password and the message went in the clear.
    #[test]
    fn a_submission_whose_helo_is_a_private_address_is_judged_by_the_real_address() {
        let h = "Received: from [198.51.100.4] (port=51234 helo=[192.168.1.10])\n\
             \tby mail.example.org with esmtpa (Exim 4.97)\n\
             \tid 1sE0aB-0001Xy-1B; Tue, 04 Jun 2024 12:38:07 +0200\n";
        assert_eq!(scopes(h), [Scope::Unknown]);
        let mut r = parse_message("t", h.as_bytes(), &AnalysisOptions::default());
        decide(&mut r, &ReceiverStats::default());
        assert_eq!(r.verdict, crate::analysis::Verdict::Plaintext);
        assert_eq!(r.hops[0].basis, Some(crate::analysis::Basis::Keyword));
    }

    /// A bare machine name is the receiver's own network when nothing says otherwise; a public
    /// address outside the receiver's network says otherwise (a home PC submitting, a bot).
    #[test]
    fn a_single_label_name_is_internal_only_without_a_public_address_against_it() {
        let pc = "Received: from DESKTOP-4F2K1 (unknown [198.51.100.4])\n\
             \tby smtp.example.org (Postfix) with ESMTPA id 4Vt5;\n\
             \tTue, 04 Jun 2024 12:38:07 +0200\n";
        assert_eq!(scopes(pc), [Scope::Unknown]);
        let no_address = "Received: from EXCH01 by mail.example.org with Microsoft SMTPSVC;\n\
             \tTue, 04 Jun 2024 12:38:07 +0200\n";
        assert_eq!(scopes(no_address), [Scope::Internal]);
        // The seed article's BAY403-EAS373: its address is in the receiver's /24, as the next
        // hop saw the receiver.
        let hotmail = "Received: from unknown [65.54.190.216] (EHLO bay0-omc4-s14.bay0.hotmail.com)\n\
             \tby dispatch1-us1.ppe-hosted.com; Mon, 19 Aug 2019 08:41:18 -0600\n\
             Received: from BAY403-EAS373 ([65.54.190.199]) by bay0-omc4-s14.bay0.outlook.com\n\
             \twith Microsoft SMTPSVC(6.0.3790.4675); Mon, 19 Aug 2019 07:41:19 -0700\n";
        assert_eq!(scopes(hotmail)[0], Scope::Internal);
    }

    #[test]
    fn lmtp_from_another_host_or_smtp_to_a_bare_name_is_not_assumed_internal() {
        let other = format!(
            "Received: from elsewhere.example.net\n\tby box with LMTP id 2;\n\
             \tFri, 27 Feb 2026 13:07:37 +0100\n{RELAY}"
        );
        assert_eq!(scopes(&other)[1], Scope::Unknown);
        let smtp = format!(
            "Received: from mail.example.org\n\tby box with ESMTP id 2;\n\
             \tFri, 27 Feb 2026 13:07:37 +0100\n{RELAY}"
        );
        assert_eq!(scopes(&smtp)[1], Scope::Unknown);
    }
}

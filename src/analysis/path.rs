//! Decisions that need the whole Received chain of one message: each hop's scope, the trust
//! boundary (which hops are only claims) and the delays between hops.

use super::{
    model::{Hop, Scope},
    network::{is_non_public, same_network},
    org::{Org, is_single_label, org_of, org_of_domain},
    received::HopHints,
};

/// The names a hop gives for its sending side, best first: the receiver's reverse-DNS lookup,
/// then the name after `from`, then the HELO name.
fn sender_org(hop: &Hop) -> Option<Org> {
    [
        hop.from_rdns.as_deref(),
        hop.from_host.as_deref(),
        hop.from_helo.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(org_of)
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
            let single_label =
                hop.from_rdns.is_none() && hop.from_host.as_deref().is_some_and(is_single_label);
            let same_net =
                matches!((hint.from_ip, receiver_ip), (Some(a), Some(b)) if same_network(a, b));
            if from.is_some() && from.as_ref() == by || single_label || same_net {
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

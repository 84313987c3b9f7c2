//! The numbers a session report starts with.

use std::{cmp::Reverse, collections::BTreeMap};

use serde::Serialize;

use crate::analysis::{Hop, MessageReport, Scope, Status, Verdict, basis_sentence, hop_label};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub messages: usize,
    /// verdict → (count, share in percent)
    pub verdicts: BTreeMap<&'static str, Share>,
    /// sending domain → verdict → count
    pub sender_domains: BTreeMap<String, BTreeMap<&'static str, usize>>,
    /// TLS version → hops
    pub tls_versions: BTreeMap<String, usize>,
    /// cipher → hops
    pub ciphers: BTreeMap<String, usize>,
    pub weak_hops: Vec<HopRef>,
    /// Receivers that took cross-organisation hops and never recorded TLS on any of them.
    pub receivers_never_recording_tls: Vec<String>,
    pub plaintext_cross_org_hops: Vec<HopRef>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Share {
    pub count: usize,
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HopRef {
    pub source: String,
    pub subject: Option<String>,
    pub hop: usize,
    pub path: String,
    pub detail: String,
    pub claimed: bool,
}

impl HopRef {
    fn new(r: &MessageReport, h: &Hop, detail: String) -> Self {
        Self {
            source: r.source.clone(),
            subject: r.subject.clone(),
            hop: h.index,
            path: hop_label(h),
            detail,
            claimed: h.claimed,
        }
    }
}

impl Summary {
    pub fn from_reports(reports: &[MessageReport]) -> Self {
        let mut s = Summary {
            messages: reports.len(),
            ..Summary::default()
        };
        for v in Verdict::ALL {
            let count = reports.iter().filter(|r| r.verdict == v).count();
            let percent = if reports.is_empty() {
                0.0
            } else {
                (1000.0 * count as f64 / reports.len() as f64).round() / 10.0
            };
            s.verdicts.insert(v.as_str(), Share { count, percent });
        }
        let mut receivers: BTreeMap<String, (usize, usize)> = BTreeMap::new(); // (crossing hops, tls)
        for r in reports {
            let domain = r.sender_domain().unwrap_or_else(|| "(unknown)".into());
            *s.sender_domains
                .entry(domain)
                .or_default()
                .entry(r.verdict.as_str())
                .or_default() += 1;
            for h in &r.hops {
                if let Some(tls) = &h.tls {
                    *s.tls_versions
                        .entry(tls.version.as_deref().unwrap_or("not stated").to_string())
                        .or_default() += 1;
                    if let Some(c) = &tls.cipher {
                        *s.ciphers.entry(c.to_string()).or_default() += 1;
                    }
                }
                if h.status == Status::Weak {
                    s.weak_hops.push(HopRef::new(r, h, h.weaknesses.join(", ")));
                }
                if h.status == Status::Plaintext && h.scope == Scope::CrossOrg {
                    s.plaintext_cross_org_hops.push(HopRef::new(
                        r,
                        h,
                        basis_sentence(h).unwrap_or_default(),
                    ));
                }
                if h.status != Status::Internal
                    && let Some(by) = &h.by_host
                {
                    let e = receivers
                        .entry(by.as_str().to_ascii_lowercase())
                        .or_default();
                    e.0 += 1;
                    e.1 += usize::from(h.tls.is_some());
                }
            }
        }
        s.receivers_never_recording_tls = receivers
            .into_iter()
            .filter(|(_, (_, tls))| *tls == 0)
            .map(|(name, _)| name)
            .collect();
        s
    }

    /// The verdicts worst first (plaintext, unrecorded, weak, encrypted, internal, no hops), as
    /// the report's tables list them: a reader looks for the bad news first.
    pub fn verdict_rows(&self) -> impl Iterator<Item = (&'static str, Share)> + '_ {
        Verdict::ALL
            .iter()
            .filter_map(|v| Some((v.as_str(), *self.verdicts.get(v.as_str())?)))
    }

    /// Each sending domain with its verdict counts worst first; domains with the most plaintext
    /// messages first, then the most unrecorded, and so on down the verdicts, then by name.
    pub fn domain_rows(&self) -> Vec<(&str, Vec<(&'static str, usize)>)> {
        let mut rows: Vec<_> = self
            .sender_domains
            .iter()
            .map(|(domain, counts)| {
                let n = |v: &Verdict| counts.get(v.as_str()).copied().unwrap_or(0);
                let severity: Vec<usize> = Verdict::ALL.iter().map(n).collect();
                let worst_first: Vec<_> = Verdict::ALL
                    .iter()
                    .filter(|v| n(v) > 0)
                    .map(|v| (v.as_str(), n(v)))
                    .collect();
                (Reverse(severity), domain.as_str(), worst_first)
            })
            .collect();
        rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        rows.into_iter().map(|(_, d, counts)| (d, counts)).collect()
    }
}

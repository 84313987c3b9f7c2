//! The numbers a session report starts with.

use std::collections::BTreeMap;

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
}

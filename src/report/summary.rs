//! The numbers a session report starts with.

use std::{cmp::Reverse, collections::BTreeMap};

use serde::Serialize;

use crate::analysis::{
    Evidence, Hop, MessageReport, Scope, Status, Verdict, basis_sentence, hop_label,
};

/// The version key of hops that recorded TLS without naming a version.
const NOT_STATED: &str = "not stated";

/// A version key as a person reads it in the markdown and HTML tables (the JSON report keeps
/// the keys as the hops write them).
pub fn version_label(version: &str) -> &str {
    match version {
        NOT_STATED => "not stated (a keyword such as ESMTPS, or a TLS note without a version)",
        "unspecified" => "unspecified (sendmail's TLSv1/SSLv3: SSL or TLS)",
        v => v,
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub messages: usize,
    /// verdict → (count, share in percent)
    pub verdicts: BTreeMap<&'static str, Share>,
    /// sending domain → verdict → count
    pub sender_domains: BTreeMap<String, BTreeMap<&'static str, usize>>,
    /// TLS version → hops that recorded TLS; `not stated` when neither a note nor the protocol
    /// keyword gives a version, `unspecified` for sendmail's `TLSv1/SSLv3`, as in the hops.
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
                // Every hop that recorded TLS, by its protocol keyword alone (`with ESMTPS`)
                // too: such a hop shows no version, but it did use TLS.
                if h.evidence == Evidence::Tls {
                    let version = h.tls.as_ref().and_then(|t| t.version.as_deref());
                    *s.tls_versions
                        .entry(version.unwrap_or(NOT_STATED).to_string())
                        .or_default() += 1;
                }
                if let Some(c) = h.tls.as_ref().and_then(|t| t.cipher.as_ref()) {
                    *s.ciphers.entry(c.to_string()).or_default() += 1;
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

#[cfg(test)]
mod tests {
    use super::Summary;
    use crate::{
        analysis::{AnalysisOptions, analyze_mailbox},
        report::{ReportContext, ReportFormat, render},
    };

    /// Three hops that recorded TLS, one of them by its keyword alone.
    const CHAIN: &str = "Received: from c.example.net (c.example.net [192.0.2.3])\n\
        \tby d.example.org (8.14.4/8.13.8) with ESMTP id 3\n\
        \t(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT);\n\
        \tMon, 2 Nov 2026 10:00:03 +0000\n\
        Received: from b.example.com (b.example.com [192.0.2.2])\n\
        \tby c.example.net (Postfix) with ESMTPS id 2;\n\
        \tMon, 2 Nov 2026 10:00:02 +0000\n\
        Received: from a.example.org (a.example.org [192.0.2.1])\n\
        \tby b.example.com (Postfix) with ESMTPS id 1\n\
        \t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits));\n\
        \tMon, 2 Nov 2026 10:00:01 +0000\n\
        Subject: x\n\n";

    #[test]
    fn tls_versions_count_every_hop_that_recorded_tls() {
        let reports = analyze_mailbox([("t", CHAIN.as_bytes())], &AnalysisOptions::default());
        let summary = Summary::from_reports(&reports);
        let versions: Vec<(&str, usize)> = summary
            .tls_versions
            .iter()
            .map(|(v, n)| (v.as_str(), *n))
            .collect();
        assert_eq!(
            versions,
            [("TLSv1.3", 1), ("not stated", 1), ("unspecified", 1)]
        );
        let md = render(ReportFormat::Md, &reports, &ReportContext::default());
        assert!(
            md.contains(
                "| not stated (a keyword such as ESMTPS, or a TLS note without a version) | 1 |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| unspecified (sendmail's TLSv1/SSLv3: SSL or TLS) | 1 |"),
            "{md}"
        );
    }
}

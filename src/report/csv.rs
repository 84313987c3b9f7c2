//! One row per message, RFC 4180 quoting. Cells that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) get a leading apostrophe: mail text is attacker-controlled.

use crate::{analysis::MessageReport, text::sanitize};

fn cell(value: &str) -> String {
    let clean = sanitize(value);
    let guarded = if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean.into_owned()
    };
    if guarded.contains([',', '"', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn render(reports: &[MessageReport]) -> String {
    let mut out = String::from(
        "source,date,from,subject,verdict,hops,crossing_hops,plaintext_hops,tls_versions,reasons\n",
    );
    for r in reports {
        let crossing = r
            .hops
            .iter()
            .filter(|h| h.status != crate::analysis::Status::Internal)
            .count();
        let plain = r
            .hops
            .iter()
            .filter(|h| h.status == crate::analysis::Status::Plaintext)
            .count();
        // Each version once, in hop order (TLSv1.2 TLSv1.3, not TLSv1.2 TLSv1.3 TLSv1.2).
        let mut versions: Vec<&str> = Vec::new();
        for v in r
            .hops
            .iter()
            .filter_map(|h| h.tls.as_ref().and_then(|t| t.version.as_deref()))
        {
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
        let row = [
            cell(&r.source),
            cell(r.date.as_deref().unwrap_or("")),
            cell(r.from.as_deref().unwrap_or("")),
            cell(r.subject.as_deref().unwrap_or("")),
            r.verdict.as_str().to_string(),
            r.hops.len().to_string(),
            crossing.to_string(),
            plain.to_string(),
            cell(&versions.join(" ")),
            cell(&r.reasons.join(" | ")),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisOptions, parse_message};

    #[test]
    fn each_tls_version_is_listed_once_in_hop_order() {
        let headers = b"Received: from c.example.net (c.example.net [192.0.2.3]) by d.example.org (Postfix) with ESMTPS id 3 (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)); Mon, 2 Nov 2026 10:00:03 +0000\r\n\
Received: from b.example.com (b.example.com [192.0.2.2]) by c.example.net (Postfix) with ESMTPS id 2 (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)); Mon, 2 Nov 2026 10:00:02 +0000\r\n\
Received: from a.example.com (a.example.com [192.0.2.1]) by b.example.com (Postfix) with ESMTPS id 1 (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)); Mon, 2 Nov 2026 10:00:01 +0000\r\n\
Subject: three hops\r\n\r\n";
        let report = parse_message("m", headers, &AnalysisOptions::default());
        let csv = super::render(&[report]);
        let row = csv.lines().nth(1).unwrap_or_default();
        assert!(row.contains(",TLSv1.2 TLSv1.3,"), "{row}");
    }
}
